/* --audio wav:FILE: the mixed sound as a RIFF/WAVE file, 16-bit signed mono PCM at 44100 Hz
 * (so the resampler runs for 48 kHz sources). The header's sizes are written when the file is
 * closed. Format: Microsoft/IBM "Multimedia Programming Interface and Data Specifications 1.0"
 * (RIFF, the WAVE fmt chunk). */
#include "frontend/audio_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define WAV_RATE 44100
#define HEADER_BYTES 44

typedef struct wav_out {
    vt_audio_out base;
    FILE *f;
    char path[1024];
    uint64_t data_bytes;
    int error; /* errno of the first failed write, 0 if none */
} wav_out;

static void put_le(uint8_t *p, uint32_t v, int n) {
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void header(uint8_t h[HEADER_BYTES], uint32_t data_bytes) {
    memcpy(h, "RIFF", 4);
    put_le(h + 4, 36 + data_bytes, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);           /* fmt chunk size */
    put_le(h + 20, 1, 2);            /* PCM */
    put_le(h + 22, 1, 2);            /* channels */
    put_le(h + 24, WAV_RATE, 4);     /* sample rate */
    put_le(h + 28, WAV_RATE * 2, 4); /* bytes per second */
    put_le(h + 32, 2, 2);            /* block align */
    put_le(h + 34, 16, 2);           /* bits per sample */
    memcpy(h + 36, "data", 4);
    put_le(h + 40, data_bytes, 4);
}

static void wav_write(vt_audio_out *o, const int16_t *samples, size_t n) {
    wav_out *w = (wav_out *)o;
    if (w->error) return;
    uint8_t buf[2048];
    while (n) {
        size_t k = n < sizeof buf / 2 ? n : sizeof buf / 2;
        for (size_t i = 0; i < k; i++)
            put_le(buf + 2 * i, (uint16_t)samples[i], 2);
        if (w->data_bytes + 2 * k > UINT32_MAX - 36) {
            w->error = EFBIG;
            return;
        }
        if (fwrite(buf, 2, k, w->f) != k) {
            w->error = errno ? errno : EIO;
            return;
        }
        w->data_bytes += 2 * k;
        samples += k;
        n -= k;
    }
}

static int wav_close(vt_audio_out *o, vt_error *err) {
    wav_out *w = (wav_out *)o;
    uint8_t h[HEADER_BYTES];
    header(h, (uint32_t)w->data_bytes);
    if (!w->error && (fseek(w->f, 0, SEEK_SET) || fwrite(h, 1, sizeof h, w->f) != sizeof h))
        w->error = errno ? errno : EIO;
    if (fclose(w->f) && !w->error) w->error = errno ? errno : EIO;
    int rc = w->error ? vt_fail(err, "%s: %s", w->path, strerror(w->error)) : 0;
    free(w);
    return rc;
}

static const vt_audio_out_ops wav_ops = {wav_write, wav_close};

int vt_audio_out_open_wav(const char *path, vt_audio_out **out, vt_error *err) {
    wav_out *w = calloc(1, sizeof *w);
    if (!w) return vt_fail(err, "out of memory");
    w->f = fopen(path, "wb");
    if (!w->f) {
        free(w);
        return vt_fail(err, "%s: %s", path, strerror(errno));
    }
    uint8_t h[HEADER_BYTES];
    header(h, 0);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h) w->error = errno ? errno : EIO;
    snprintf(w->path, sizeof w->path, "%s", path);
    w->base = (vt_audio_out){&wav_ops, WAV_RATE};
    *out = &w->base;
    return 0;
}
