/* --audio openal: plays the mixed sound through OpenAL (48 kHz mono 16-bit) on a streaming
 * source with a small ring of queued buffers. The emulation never waits for the sound card:
 * when every buffer is still queued (emulation ahead of real time, e.g. --speed max) a chunk
 * is dropped; after an underrun the source is restarted. API: OpenAL 1.1 specification. */
#include "frontend/audio_out.h"

#include <AL/al.h>
#include <AL/alc.h>
#include <stdlib.h>

#define AL_RATE 48000
#define NBUF 8
#define CHUNK 1024 /* samples per buffer: about 21 ms */

typedef struct al_out {
    vt_audio_out base;
    ALCdevice *dev;
    ALCcontext *ctx;
    ALuint source, bufs[NBUF];
    ALuint free_bufs[NBUF];
    int nfree;
    int16_t chunk[CHUNK];
    size_t nchunk;
} al_out;

static void reclaim(al_out *a) {
    ALint done = 0;
    alGetSourcei(a->source, AL_BUFFERS_PROCESSED, &done);
    while (done-- > 0 && a->nfree < NBUF) {
        ALuint b;
        alSourceUnqueueBuffers(a->source, 1, &b);
        a->free_bufs[a->nfree++] = b;
    }
}

static void submit(al_out *a) {
    reclaim(a);
    if (a->nfree == 0) return; /* all queued: drop this chunk */
    ALuint b = a->free_bufs[--a->nfree];
    alBufferData(b, AL_FORMAT_MONO16, a->chunk, (ALsizei)(a->nchunk * sizeof(int16_t)), AL_RATE);
    alSourceQueueBuffers(a->source, 1, &b);
    ALint state;
    alGetSourcei(a->source, AL_SOURCE_STATE, &state);
    if (state != AL_PLAYING && a->nfree <= NBUF - 2) alSourcePlay(a->source);
}

static void al_write(vt_audio_out *o, const int16_t *samples, size_t n) {
    al_out *a = (al_out *)o;
    while (n) {
        size_t k = CHUNK - a->nchunk < n ? CHUNK - a->nchunk : n;
        memcpy(a->chunk + a->nchunk, samples, k * sizeof *samples);
        a->nchunk += k;
        samples += k;
        n -= k;
        if (a->nchunk == CHUNK) {
            submit(a);
            a->nchunk = 0;
        }
    }
}

static void release(al_out *a) {
    if (a->ctx) {
        alSourceStop(a->source);
        alDeleteSources(1, &a->source);
        alDeleteBuffers(NBUF, a->bufs);
        alcMakeContextCurrent(NULL);
        alcDestroyContext(a->ctx);
    }
    if (a->dev) alcCloseDevice(a->dev);
    free(a);
}

static int al_close(vt_audio_out *o, vt_error *err) {
    VT_UNUSED(err);
    release((al_out *)o);
    return 0;
}

static const vt_audio_out_ops al_ops = {al_write, al_close};

int vt_audio_out_open_openal(vt_audio_out **out, vt_error *err) {
    al_out *a = calloc(1, sizeof *a);
    if (!a) return vt_fail(err, "out of memory");
    a->dev = alcOpenDevice(NULL);
    if (!a->dev) {
        release(a);
        return vt_fail(err, "--audio openal: no OpenAL output device could be opened");
    }
    a->ctx = alcCreateContext(a->dev, NULL);
    if (!a->ctx || !alcMakeContextCurrent(a->ctx)) {
        release(a);
        return vt_fail(err, "--audio openal: cannot create an OpenAL context");
    }
    alGetError();
    alGenSources(1, &a->source);
    alGenBuffers(NBUF, a->bufs);
    if (alGetError() != AL_NO_ERROR) {
        release(a);
        return vt_fail(err, "--audio openal: cannot create a source and buffers");
    }
    for (int i = 0; i < NBUF; i++)
        a->free_bufs[a->nfree++] = a->bufs[i];
    a->base = (vt_audio_out){&al_ops, AL_RATE};
    *out = &a->base;
    return 0;
}
