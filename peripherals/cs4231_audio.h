/* Crystal CS4231 audio codec with the APC DMA engine, as on the SPARCstation 4/5 ("cs4231").
 * Playback goes to the machine's audio mixer (core/audio.h) as one mono stream at the
 * programmed sample rate. */
#ifndef VT_CS4231_AUDIO_H
#define VT_CS4231_AUDIO_H

#include "core/device.h"

/* The programmed sample rate, in Hz (rounded down). */
uint32_t vt_cs4231_rate(const vt_device *d);

#endif
