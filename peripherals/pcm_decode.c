/* Sample decoding to signed 16-bit (pcm_decode.h). G.711: ITU-T Recommendation G.711 (mu-law:
 * bits inverted, 3-bit segment and 4-bit step with the 0x84 bias; A-law: even bits inverted,
 * segment 0 linear), results scaled to 16 bits as the tables in G.711 give them. */
#include "peripherals/pcm_decode.h"

int16_t vt_pcm_ulaw(uint8_t u) {
    u = (uint8_t)~u;
    int mag = (((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7);
    mag -= 0x84;
    return (int16_t)(u & 0x80 ? -mag : mag);
}

int16_t vt_pcm_alaw(uint8_t a) {
    a ^= 0x55;
    int seg = (a >> 4) & 7, mag = (a & 0x0f) << 4;
    mag = seg ? (mag + 0x108) << (seg - 1) : mag + 8;
    return (int16_t)(a & 0x80 ? mag : -mag);
}

unsigned vt_pcm_bytes(vt_pcm_format f) {
    return f == VT_PCM_S16LE || f == VT_PCM_S16BE ? 2 : 1;
}

int16_t vt_pcm_decode(vt_pcm_format f, const uint8_t *p) {
    switch (f) {
    case VT_PCM_U8:
        return (int16_t)((p[0] - 128) * 256);
    case VT_PCM_ULAW:
        return vt_pcm_ulaw(p[0]);
    case VT_PCM_ALAW:
        return vt_pcm_alaw(p[0]);
    case VT_PCM_S16LE:
        return (int16_t)(p[0] | p[1] << 8);
    case VT_PCM_S16BE:
        return (int16_t)load_be16(p);
    }
    return 0;
}

uint8_t vt_pcm_silence(vt_pcm_format f) {
    switch (f) {
    case VT_PCM_U8:
        return 0x80;
    case VT_PCM_ULAW:
        return 0xff;
    case VT_PCM_ALAW:
        return 0xd5;
    default:
        return 0;
    }
}
