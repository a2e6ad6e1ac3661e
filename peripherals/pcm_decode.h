/* Sample formats of audio codecs to signed 16-bit: unsigned 8-bit linear, G.711 mu-law and
 * A-law (ITU-T G.711 decoding), signed 16-bit little- and big-endian. */
#ifndef VT_PCM_DECODE_H
#define VT_PCM_DECODE_H

#include "core/common.h"

typedef enum vt_pcm_format {
    VT_PCM_U8,
    VT_PCM_ULAW,
    VT_PCM_ALAW,
    VT_PCM_S16LE,
    VT_PCM_S16BE,
} vt_pcm_format;

int16_t vt_pcm_ulaw(uint8_t u);
int16_t vt_pcm_alaw(uint8_t a);
unsigned vt_pcm_bytes(vt_pcm_format f); /* bytes per sample */
int16_t vt_pcm_decode(vt_pcm_format f, const uint8_t *p);
/* The byte that encodes silence (0 for 16-bit formats). */
uint8_t vt_pcm_silence(vt_pcm_format f);

#endif
