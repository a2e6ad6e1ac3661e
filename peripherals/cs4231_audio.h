/* Crystal CS4231 audio codec with the APC DMA engine, as on the SPARCstation 4/5 ("cs4231").
 * Playback output goes to a ring of signed 16-bit stereo frames; a frontend audio backend takes
 * it with vt_cs4231_pull() (the core audio API is still to come: this is the plain hand-over). */
#ifndef VT_CS4231_AUDIO_H
#define VT_CS4231_AUDIO_H

#include "core/device.h"

/* Copies up to max_frames played frames (left, right interleaved), oldest first, and removes
 * them from the ring; returns how many. The ring holds VT_CS4231_RING_FRAMES; when nobody
 * pulls, the oldest frames are overwritten. */
#define VT_CS4231_RING_FRAMES 16384
size_t vt_cs4231_pull(vt_device *d, int16_t *out, size_t max_frames);
/* The programmed sample rate, in Hz (rounded down). */
uint32_t vt_cs4231_rate(const vt_device *d);

#endif
