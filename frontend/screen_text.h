/* `--screen-text FILE|stdout`: the text screen of the machine's first display as UTF-8 text,
 * written whenever its characters change (checked at every frame tick, 60 per emulated
 * second) and once more at exit. stdout gets each new screen after a marker line
 * "--- screen-text SECONDSs ---"; a FILE always holds the latest screen alone (rewritten
 * under a temporary name and renamed, so a reader never sees half a screen). */
#ifndef VT_SCREEN_TEXT_H
#define VT_SCREEN_TEXT_H

#include "core/machine.h"

typedef struct vt_screen_text vt_screen_text;

/* The screen as text: rows with trailing blanks removed, trailing empty rows dropped, each
 * ended by '\n' (code page 437 converted to UTF-8). Returns a malloc'ed string, or NULL when
 * img is not in a text mode (or out of memory). */
char *vt_screen_text_format(const vt_screen_image *img);

int vt_screen_text_start(vt_screen_text **out, vt_machine *m, const char *target,
                         vt_error *err) VT_MUST_CHECK;
/* Writes the final screen if it changed since the last write, stops listening, frees. */
int vt_screen_text_finish(vt_screen_text *st, vt_error *err) VT_MUST_CHECK;

#endif
