/* --audio SPEC: picks the backend (none, openal, wav:FILE) and connects it to a machine's
 * mixer (core/audio.h). */
#include "frontend/audio_out.h"

static void sink(void *opaque, const int16_t *samples, size_t n) {
    vt_audio_out *o = opaque;
    if (n) o->ops->write(o, samples, n);
}

int vt_audio_out_open(const char *spec, vt_audio_out **out, vt_error *err) {
    *out = NULL;
    if (!strcmp(spec, "none")) return 0;
    if (!strcmp(spec, "openal")) return vt_audio_out_open_openal(out, err);
    if (!strncmp(spec, "wav:", 4) && spec[4]) return vt_audio_out_open_wav(spec + 4, out, err);
    return vt_fail(err, "bad --audio '%s': none, openal or wav:FILE", spec);
}

int vt_audio_out_attach(vt_audio_out *o, vt_audio *a, vt_error *err) {
    return o ? vt_audio_set_sink(a, o->rate, sink, o, err) : 0;
}

int vt_audio_out_close(vt_audio_out *o, vt_audio *a, vt_error *err) {
    if (!o) return 0;
    if (a) vt_audio_flush(a);
    return o->ops->close(o, err);
}
