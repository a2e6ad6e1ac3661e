/* A kiosk title's pristine state (frontend/kiosk.h `snapshot_at`, `state`): the machine's
 * save state (core/machine.h) behind a header naming the machine and the title's image SHA-1s,
 * so a state captured for another profile or other images is refused before it is loaded.
 * Kept in memory; optionally written to and read from a file (zlib-compressed). */
#ifndef VT_KIOSK_STATE_H
#define VT_KIOSK_STATE_H

#include "core/machine.h"
#include "frontend/title.h"

typedef struct vt_kiosk_state {
    uint8_t *buf; /* NULL: none captured or read yet */
    size_t len;
    char origin[4096]; /* the file it came from, or "snapshot_at" */
} vt_kiosk_state;

/* Saves machine m, built from title t, into s (replacing what it held). */
int vt_kiosk_state_capture(vt_kiosk_state *s, vt_machine *m, const vt_title *t,
                           vt_error *err) VT_MUST_CHECK;
/* Loads s into m, freshly built from title t; a state for another machine or other images, or
 * one that does not fit m, is an error naming s->origin. */
int vt_kiosk_state_restore(const vt_kiosk_state *s, vt_machine *m, const vt_title *t,
                           vt_error *err) VT_MUST_CHECK;
int vt_kiosk_state_read(vt_kiosk_state *s, const char *path, vt_error *err) VT_MUST_CHECK;
/* Writes a new file atomically (a temporary file renamed over path). */
int vt_kiosk_state_write(const vt_kiosk_state *s, const char *path, vt_error *err) VT_MUST_CHECK;
void vt_kiosk_state_free(vt_kiosk_state *s);

#endif
