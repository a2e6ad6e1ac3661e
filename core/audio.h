/* The audio core: sound-producing devices (the PC speaker, codecs) own streams at their own
 * sample rate and push mono 16-bit samples into them; the machine's mixer resamples every
 * stream to the sink's rate (linear interpolation), mixes them and hands blocks to one sink
 * (a frontend backend: WAV file, OpenAL). The mixer runs on an event of the machine's
 * scheduler, so the samples a sink gets depend on emulated time only (a WAV capture is the
 * same on every run). Without a sink there is no event and pushed samples are dropped. */
#ifndef VT_AUDIO_H
#define VT_AUDIO_H

#include "core/common.h"
#include "core/sched.h"

typedef struct vt_audio vt_audio;
typedef struct vt_audio_stream vt_audio_stream;

/* Called by the mixer before it takes a stream's samples: push every sample whose slot ends
 * at or before `now` (sample n of a stream at rate R covers [n/R, (n+1)/R) seconds). */
typedef void (*vt_audio_sync_fn)(void *opaque, vt_time now);

/* Receives mixed samples at the sink's rate; `n` may be 0 at the final flush. */
typedef void (*vt_audio_sink_fn)(void *opaque, const int16_t *samples, size_t n);

int vt_audio_create(vt_audio **out, vt_sched *sched, vt_error *err) VT_MUST_CHECK;
void vt_audio_destroy(vt_audio *a);

/* A device's stream; `sync` may be NULL for a source that always pushes ahead of time. */
int vt_audio_add_stream(vt_audio *a, const char *name, uint32_t rate, vt_audio_sync_fn sync,
                        void *opaque, vt_audio_stream **out, vt_error *err) VT_MUST_CHECK;
uint32_t vt_audio_stream_rate(const vt_audio_stream *s);
/* Changes a stream's rate from now on (a codec reprogrammed): the mixer first takes what was
 * pushed at the old rate; the next sample pushed is the first one at the new rate, at `now`. */
int vt_audio_stream_set_rate(vt_audio_stream *s, uint32_t rate, vt_error *err) VT_MUST_CHECK;
/* Is anyone listening? A source may skip rendering when not. */
bool vt_audio_active(const vt_audio *a);
/* Appends samples (dropped without a sink). */
void vt_audio_push(vt_audio_stream *s, const int16_t *samples, size_t n);

/* Sets the one sink (rate in Hz, 1..192000) and starts the mixer event. */
int vt_audio_set_sink(vt_audio *a, uint32_t rate, vt_audio_sink_fn fn, void *opaque,
                      vt_error *err) VT_MUST_CHECK;
/* The machine's time jumped (a saved state was loaded): the mixer and every stream go on from
 * the scheduler's current time, buffered samples dropped. */
void vt_audio_restart(vt_audio *a);
/* Mixes everything due up to the scheduler's current time (at exit, before closing a sink). */
void vt_audio_flush(vt_audio *a);

#endif
