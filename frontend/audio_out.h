/* Host ends of the machine's sound (--audio none|openal|wav:FILE): a backend takes the mixed
 * samples of core/audio.h at its own rate. `none` attaches nothing (no mixer runs at all). */
#ifndef VT_AUDIO_OUT_H
#define VT_AUDIO_OUT_H

#include "core/audio.h"

typedef struct vt_audio_out vt_audio_out;

/* Backend operations (each backend file fills one). */
typedef struct vt_audio_out_ops {
    void (*write)(vt_audio_out *o, const int16_t *samples, size_t n);
    int (*close)(vt_audio_out *o, vt_error *err); /* frees o */
} vt_audio_out_ops;

struct vt_audio_out {
    const vt_audio_out_ops *ops;
    uint32_t rate;
};

/* Opens the backend SPEC names; *out is NULL for "none". Nothing is created on error. */
int vt_audio_out_open(const char *spec, vt_audio_out **out, vt_error *err) VT_MUST_CHECK;
/* Makes o the sink of a's mixer (o may be NULL: nothing to do). */
int vt_audio_out_attach(vt_audio_out *o, vt_audio *a, vt_error *err) VT_MUST_CHECK;
/* Flushes a's mixer into o, then closes o (finishing a WAV file). NULL o: nothing. */
int vt_audio_out_close(vt_audio_out *o, vt_audio *a, vt_error *err) VT_MUST_CHECK;

int vt_audio_out_open_wav(const char *path, vt_audio_out **out, vt_error *err) VT_MUST_CHECK;
int vt_audio_out_open_openal(vt_audio_out **out, vt_error *err) VT_MUST_CHECK;

#endif
