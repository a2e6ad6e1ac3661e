/* The audio core (core/audio.h): per-stream sample FIFOs, a linear-interpolation resampler
 * from each stream's rate to the sink's, a saturating mixer and the mixer event (every 5 ms of
 * emulated time). Output sample j lies at j/R_out seconds; it is interpolated between the two
 * input samples around seg_in + (j/R_out - seg_time)*R_in (a stream's rate segment starts at
 * time 0, input 0, and again at every rate change), so it is produced once both are in, one
 * input sample of latency. All arithmetic on sample positions is exact integer arithmetic. */
#include "core/audio.h"

#include <stdio.h>
#include <stdlib.h>

#define MIX_HZ 200        /* mixer events per emulated second */
#define STREAM_MAX 262144 /* samples a stream buffers at most (dropped beyond) */
#define MAX_STREAMS 16

struct vt_audio_stream {
    char name[32];
    uint32_t rate;
    vt_audio_sync_fn sync;
    void *opaque;
    vt_audio *owner;
    int16_t *buf;
    size_t len, cap;
    uint64_t first;   /* input index of buf[0] */
    vt_time seg_time; /* the current rate's segment: starts at this time */
    uint64_t seg_in;  /* ... with this input index */
};

struct vt_audio {
    vt_sched *sched;
    vt_audio_stream *streams[MAX_STREAMS];
    int nstreams;
    vt_audio_sink_fn sink;
    void *sink_opaque;
    uint32_t rate;
    uint64_t out_next; /* next output sample index */
    vt_event tick;
    int16_t *mix;
    size_t mix_cap;
};

static void mix_tick(void *opaque, vt_time now, vt_time late);

int vt_audio_create(vt_audio **out, vt_sched *sched, vt_error *err) {
    vt_audio *a = calloc(1, sizeof *a);
    if (!a) return vt_fail(err, "out of memory");
    a->sched = sched;
    vt_event_init(&a->tick, "audio-mix", mix_tick, a);
    *out = a;
    return 0;
}

void vt_audio_destroy(vt_audio *a) {
    if (!a) return;
    if (vt_event_armed(&a->tick)) vt_sched_cancel(a->sched, &a->tick);
    for (int i = 0; i < a->nstreams; i++) {
        free(a->streams[i]->buf);
        free(a->streams[i]);
    }
    free(a->mix);
    free(a);
}

int vt_audio_add_stream(vt_audio *a, const char *name, uint32_t rate, vt_audio_sync_fn sync,
                        void *opaque, vt_audio_stream **out, vt_error *err) {
    if (a->nstreams == MAX_STREAMS)
        return vt_fail(err, "%s: at most %d audio streams", name, MAX_STREAMS);
    if (rate == 0 || rate > 10000000) return vt_fail(err, "%s: bad sample rate %u", name, rate);
    vt_audio_stream *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    snprintf(s->name, sizeof s->name, "%s", name);
    s->rate = rate;
    s->sync = sync;
    s->opaque = opaque;
    s->owner = a;
    a->streams[a->nstreams++] = s;
    *out = s;
    return 0;
}

uint32_t vt_audio_stream_rate(const vt_audio_stream *s) {
    return s->rate;
}

static void mix_until(vt_audio *a, vt_time now);

int vt_audio_stream_set_rate(vt_audio_stream *s, uint32_t rate, vt_error *err) {
    if (rate == 0 || rate > 10000000) return vt_fail(err, "%s: bad sample rate %u", s->name, rate);
    if (rate == s->rate) return 0;
    vt_audio *a = s->owner;
    vt_time now = vt_sched_now(a->sched);
    if (a->sink) mix_until(a, now); /* what the old rate covers goes out first */
    s->seg_time = now;
    s->seg_in = s->first + s->len; /* the next sample pushed is the new rate's first */
    s->rate = rate;
    return 0;
}

bool vt_audio_active(const vt_audio *a) {
    return a->sink != NULL;
}

void vt_audio_push(vt_audio_stream *s, const int16_t *samples, size_t n) {
    if (!s->owner->sink) {
        s->first += n; /* nobody listens: keep the count so positions stay right */
        return;
    }
    if (s->len + n > STREAM_MAX) { /* the mixer fell behind: drop the oldest */
        size_t drop = s->len + n - STREAM_MAX;
        if (drop > s->len) drop = s->len;
        memmove(s->buf, s->buf + drop, (s->len - drop) * sizeof *s->buf);
        s->len -= drop;
        s->first += drop;
        if (n > STREAM_MAX) {
            s->first += n - STREAM_MAX;
            samples += n - STREAM_MAX;
            n = STREAM_MAX;
        }
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + n)
            cap *= 2;
        int16_t *nb = realloc(s->buf, cap * sizeof *nb);
        if (!nb) return; /* out of memory: the samples are lost, the guest does not notice */
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, samples, n * sizeof *samples);
    s->len += n;
}

/* Input position of output sample j: whole part and fraction (over span()). */
static unsigned __int128 span(const vt_audio *a) {
    return (unsigned __int128)a->rate * VT_PS_PER_SEC;
}

static void position(const vt_audio *a, const vt_audio_stream *s, uint64_t j, uint64_t *idx,
                     unsigned __int128 *frac) {
    unsigned __int128 t = (unsigned __int128)j * VT_PS_PER_SEC,
                      t0 = (unsigned __int128)s->seg_time * a->rate;
    unsigned __int128 p = (t > t0 ? t - t0 : 0) * s->rate;
    *idx = s->seg_in + (uint64_t)(p / span(a));
    *frac = p % span(a);
}

/* Can stream s give output sample j? (-1: it was dropped, play silence) */
static int has_sample(const vt_audio *a, const vt_audio_stream *s, uint64_t j) {
    uint64_t idx;
    unsigned __int128 frac;
    position(a, s, j, &idx, &frac);
    if (idx < s->first) return -1;
    return idx + 1 < s->first + s->len;
}

static int32_t sample_at(const vt_audio *a, const vt_audio_stream *s, uint64_t j) {
    uint64_t idx;
    unsigned __int128 frac;
    position(a, s, j, &idx, &frac);
    if (idx < s->first) return 0;
    int64_t x0 = s->buf[idx - s->first], x1 = s->buf[idx + 1 - s->first];
    return (int32_t)(x0 + (__int128)(x1 - x0) * (__int128)frac / (__int128)span(a));
}

/* Drops input samples no later output sample needs. */
static void trim(vt_audio *a, vt_audio_stream *s) {
    uint64_t idx;
    unsigned __int128 frac;
    position(a, s, a->out_next, &idx, &frac);
    if (idx <= s->first) return;
    size_t drop = idx - s->first;
    if (drop > s->len) drop = s->len;
    memmove(s->buf, s->buf + drop, (s->len - drop) * sizeof *s->buf);
    s->len -= drop;
    s->first += drop;
}

/* Mixes output samples up to the time now (exclusive of samples not yet complete). */
static void mix_until(vt_audio *a, vt_time now) {
    for (int i = 0; i < a->nstreams; i++)
        if (a->streams[i]->sync) a->streams[i]->sync(a->streams[i]->opaque, now);
    uint64_t due = (uint64_t)((unsigned __int128)now * a->rate / VT_PS_PER_SEC);
    size_t n = 0;
    while (a->out_next + n < due) {
        uint64_t j = a->out_next + n;
        bool ready = true;
        for (int i = 0; i < a->nstreams && ready; i++)
            ready = has_sample(a, a->streams[i], j) != 0;
        if (!ready) break;
        if (n == a->mix_cap) {
            size_t cap = a->mix_cap ? a->mix_cap * 2 : 4096;
            int16_t *nm = realloc(a->mix, cap * sizeof *nm);
            if (!nm) break;
            a->mix = nm;
            a->mix_cap = cap;
        }
        int32_t v = 0;
        for (int i = 0; i < a->nstreams; i++)
            v += sample_at(a, a->streams[i], j);
        a->mix[n++] = (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
    }
    /* with no stream at all, time still passes: silence */
    a->out_next += n;
    for (int i = 0; i < a->nstreams; i++)
        trim(a, a->streams[i]);
    a->sink(a->sink_opaque, a->mix, n);
}

static void arm_next(vt_audio *a, vt_time now) {
    uint64_t k = (uint64_t)((unsigned __int128)now * MIX_HZ / VT_PS_PER_SEC) + 1;
    vt_sched_arm(a->sched, &a->tick, (vt_time)((unsigned __int128)k * VT_PS_PER_SEC / MIX_HZ));
}

static void mix_tick(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(late);
    vt_audio *a = opaque;
    mix_until(a, now);
    arm_next(a, now);
}

int vt_audio_set_sink(vt_audio *a, uint32_t rate, vt_audio_sink_fn fn, void *opaque,
                      vt_error *err) {
    if (rate == 0 || rate > 192000) return vt_fail(err, "bad audio output rate %u", rate);
    vt_time now = vt_sched_now(a->sched);
    a->sink = fn;
    a->sink_opaque = opaque;
    a->rate = rate;
    a->out_next = (uint64_t)((unsigned __int128)now * rate / VT_PS_PER_SEC);
    arm_next(a, now);
    return 0;
}

void vt_audio_restart(vt_audio *a) {
    vt_time now = vt_sched_now(a->sched);
    for (int i = 0; i < a->nstreams; i++) {
        vt_audio_stream *s = a->streams[i];
        s->first += s->len; /* samples of the abandoned timeline */
        s->len = 0;
        s->seg_time = now;
        s->seg_in = s->first;
    }
    if (!a->sink) return;
    a->out_next = (uint64_t)((unsigned __int128)now * a->rate / VT_PS_PER_SEC);
    arm_next(a, now);
}

void vt_audio_flush(vt_audio *a) {
    if (a->sink) mix_until(a, vt_sched_now(a->sched));
}
