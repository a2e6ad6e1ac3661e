/* The PC speaker ("pc-speaker"): the cone is driven by 8254 channel 2's OUT ANDed with port
 * B bit 1 (speaker data enable). Input 0 is OUT2 (`irq2 = speaker.0` on the i8254), input 1
 * the enable (`irq1 = speaker.1` on pc-port-b). Each output sample is the fraction of its
 * slot the drive was high, so tones above the sample rate average out instead of aliasing;
 * a one-pole high-pass (the speaker's coupling: it cannot hold a DC level) follows. Sources:
 * IBM PC AT Technical Reference (speaker circuit, port 61h); the 8254 datasheet (mode 3). */
#include "core/audio.h"
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define AMPLITUDE 12000.0
#define HIGHPASS_R 0.995 /* y[n] = x[n] - x[n-1] + R y[n-1]: about 38 Hz at 48 kHz */

typedef struct speaker {
    vt_device *dev;
    vt_audio_stream *stream;
    uint32_t rate;
    bool out2, enable;
    uint64_t slot;   /* sample being integrated */
    vt_time last;    /* integrated up to here */
    vt_time high_ps; /* time the drive was high within the slot so far */
    double prev_x, prev_y;
    int16_t pending[256];
    size_t npending;
} speaker;

static vt_time slot_start(const speaker *s, uint64_t n) {
    return (vt_time)((unsigned __int128)n * VT_PS_PER_SEC / s->rate);
}

static void emit(speaker *s) {
    vt_time len = slot_start(s, s->slot + 1) - slot_start(s, s->slot);
    double x = (double)s->high_ps / (double)len * AMPLITUDE;
    double y = x - s->prev_x + HIGHPASS_R * s->prev_y;
    s->prev_x = x;
    s->prev_y = y;
    s->pending[s->npending++] = (int16_t)(y > 32767 ? 32767 : y < -32768 ? -32768 : y);
    if (s->npending == VT_ARRAY_LEN(s->pending)) {
        vt_audio_push(s->stream, s->pending, s->npending);
        s->npending = 0;
    }
    s->slot++;
    s->high_ps = 0;
}

/* Integrates the current drive level from s->last up to t, emitting finished samples. */
static void advance(speaker *s, vt_time t) {
    bool high = s->out2 && s->enable;
    while (t >= slot_start(s, s->slot + 1)) {
        vt_time end = slot_start(s, s->slot + 1);
        if (high) s->high_ps += end - s->last;
        s->last = end;
        emit(s);
    }
    if (high && t > s->last) s->high_ps += t - s->last;
    if (t > s->last) s->last = t;
}

static void sync(void *opaque, vt_time now) {
    speaker *s = opaque;
    advance(s, now);
    vt_audio_push(s->stream, s->pending, s->npending);
    s->npending = 0;
}

static void input_set(void *opaque, int n, bool level) {
    speaker *s = opaque;
    if (vt_audio_active(vt_dev_audio(s->dev))) advance(s, vt_sched_now(vt_dev_sched(s->dev)));
    if (n == 0)
        s->out2 = level;
    else
        s->enable = level;
}

static int spk_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 1)
        return vt_fail(err, "%s: inputs are 0 (OUT2) and 1 (enable), not %d", d->name, n);
    *out = (vt_irq){input_set, d->priv, n};
    return 0;
}

static int spk_create(vt_device *d, vt_error *err) {
    uint64_t rate;
    if (vt_dev_u64(d, "rate", &rate, err)) return -1;
    if (rate < 8000 || rate > 192000)
        return vt_fail(err, "%s: 'rate' must be 8000..192000 Hz", d->name);
    speaker *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    s->dev = d;
    s->rate = (uint32_t)rate;
    d->priv = s;
    return vt_audio_add_stream(vt_dev_audio(d), d->name, s->rate, sync, s, &s->stream, err);
}

/* The input levels are the wires' state (held by the PIT and port B), not reset here. */
static void spk_save(const vt_device *d, vt_state_writer *w) {
    const speaker *s = d->priv;
    vt_state_begin(w, "SPKR", 1);
    vt_state_put_u8(w, s->out2);
    vt_state_put_u8(w, s->enable);
    vt_state_end(w);
}

static int spk_load(vt_device *d, vt_state_reader *r) {
    speaker *s = d->priv;
    uint32_t version;
    if (vt_state_open(r, "SPKR", 1, &version)) return -1;
    s->out2 = vt_state_get_u8(r) != 0;
    s->enable = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void spk_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_pc_speaker = {
    .name = "pc-speaker",
    .description = "PC speaker: PIT OUT2 AND port B speaker enable, as an audio stream",
    .keys = (const vt_dev_key[]){{"rate", VT_KEY_U64, "48000", "sample rate of its stream (Hz)"},
                                 {NULL, 0, NULL, NULL}},
    .create = spk_create,
    .save = spk_save,
    .load = spk_load,
    .destroy = spk_destroy,
    .irq_input = spk_irq_input,
};
