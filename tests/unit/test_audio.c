/* Audio core tests: the mixer delivers exactly rate x seconds samples (less the one-sample
 * resampler latency where rates make it show) on emulated time, linear interpolation from 48 kHz
 * to 44.1 kHz and from 8 kHz up, saturation when streams sum past 16 bits, a stream changing
 * its rate, and no mixer event without a sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/audio.h"

#include <stdlib.h>

typedef struct capture {
    int16_t *s;
    size_t n, cap;
} capture;

static void sink(void *opaque, const int16_t *samples, size_t n) {
    capture *c = opaque;
    if (c->n + n > c->cap) {
        c->cap = (c->n + n) * 2;
        c->s = realloc(c->s, c->cap * sizeof *c->s);
        assert_non_null(c->s);
    }
    memcpy(c->s + c->n, samples, n * sizeof *samples);
    c->n += n;
}

/* A source pushing a ramp sample n = n % 1000 (or a constant) up to the sync time. */
typedef struct ramp {
    vt_audio_stream *st;
    uint32_t rate;
    uint64_t next;
    int16_t constant; /* 0: ramp */
} ramp;

static void ramp_sync(void *opaque, vt_time now) {
    ramp *r = opaque;
    uint64_t due = (uint64_t)((unsigned __int128)now * r->rate / VT_PS_PER_SEC);
    for (; r->next < due; r->next++) {
        int16_t v = r->constant ? r->constant : (int16_t)(r->next % 1000);
        vt_audio_push(r->st, &v, 1);
    }
}

static void test_resample_down(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    vt_audio *a;
    vt_error err;
    ramp r = {.rate = 48000};
    capture c = {0};
    assert_int_equal(vt_audio_create(&a, &s, &err), 0);
    assert_int_equal(vt_audio_add_stream(a, "ramp", 48000, ramp_sync, &r, &r.st, &err), 0);
    assert_int_equal(vt_audio_set_sink(a, 44100, sink, &c, &err), 0);
    vt_sched_advance(&s, VT_PS_PER_SEC);
    /* output j needs inputs floor(j*48000/44100) and the next: all 44100 are in by 1 s */
    assert_int_equal(c.n, 44100);
    for (size_t j = 0; j < 900; j++) { /* inside the first ramp period (inputs 0..979) */
        double want = (double)j * 48000.0 / 44100.0;
        assert_true(c.s[j] >= (int)want - 1 && c.s[j] <= (int)want + 1);
    }
    vt_audio_flush(a);
    assert_int_equal(c.n, 44100);
    free(c.s);
    vt_audio_destroy(a);
    vt_sched_free(&s);
}

static void test_resample_up_and_saturate(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    vt_audio *a;
    vt_error err;
    ramp r1 = {.rate = 8000, .constant = 30000}, r2 = {.rate = 22050, .constant = 10000};
    capture c = {0};
    assert_int_equal(vt_audio_create(&a, &s, &err), 0);
    assert_int_equal(vt_audio_add_stream(a, "a", 8000, ramp_sync, &r1, &r1.st, &err), 0);
    assert_int_equal(vt_audio_add_stream(a, "b", 22050, ramp_sync, &r2, &r2.st, &err), 0);
    assert_int_equal(vt_audio_set_sink(a, 48000, sink, &c, &err), 0);
    vt_sched_advance(&s, VT_PS_PER_SEC / 10);
    assert_true(c.n >= 4800 - 6 && c.n < 4800);
    for (size_t j = 0; j < c.n; j++)
        assert_int_equal(c.s[j], 32767);
    free(c.s);
    vt_audio_destroy(a);
    vt_sched_free(&s);
}

/* A stream changing rate mid-run (a codec reprogrammed): 8 kHz of +1000 for 0.5 s, then 16 kHz
 * of -1000; the 8 kHz sink gets +1000 up to 0.5 s and -1000 after (the one output sample
 * straddling the change takes the new rate's first), and as many samples in all
 * as with one rate (the new rate's samples are placed from the change on, nothing is lost or
 * stretched). */
typedef struct segmented {
    ramp r;
    vt_time seg_time;
    uint64_t seg_next;
} segmented;

static void segmented_sync(void *opaque, vt_time now) {
    segmented *g = opaque;
    uint64_t due = g->seg_next +
                   (uint64_t)((unsigned __int128)(now - g->seg_time) * g->r.rate / VT_PS_PER_SEC);
    for (; g->r.next < due; g->r.next++)
        vt_audio_push(g->r.st, &g->r.constant, 1);
}

static void test_stream_rate_change(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    vt_audio *a;
    vt_error err;
    segmented g = {.r = {.rate = 8000, .constant = 1000}};
    capture c = {0};
    assert_int_equal(vt_audio_create(&a, &s, &err), 0);
    assert_int_equal(vt_audio_add_stream(a, "codec", 8000, segmented_sync, &g, &g.r.st, &err), 0);
    assert_int_equal(vt_audio_set_sink(a, 8000, sink, &c, &err), 0);
    vt_sched_advance(&s, VT_PS_PER_SEC / 2);
    segmented_sync(&g, s.now); /* the device catches up to now, then reprograms */
    assert_int_equal(vt_audio_stream_set_rate(g.r.st, 16000, &err), 0);
    assert_int_equal(vt_audio_stream_rate(g.r.st), 16000);
    g.r.rate = 16000;
    g.r.constant = -1000;
    g.seg_time = s.now;
    g.seg_next = g.r.next;
    vt_sched_advance(&s, VT_PS_PER_SEC);
    assert_true(c.n >= 8000 - 2 && c.n <= 8000);
    for (size_t j = 0; j < c.n; j++) /* 3999 waited for input 4000: the new rate's first */
        if (j != 3999) assert_int_equal(c.s[j], j < 4000 ? 1000 : -1000);
    assert_int_not_equal(vt_audio_stream_set_rate(g.r.st, 0, &err), 0);
    free(c.s);
    vt_audio_destroy(a);
    vt_sched_free(&s);
}

static void test_no_sink_no_event(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    vt_audio *a;
    vt_error err;
    ramp r = {.rate = 48000};
    assert_int_equal(vt_audio_create(&a, &s, &err), 0);
    assert_int_equal(vt_audio_add_stream(a, "ramp", 48000, ramp_sync, &r, &r.st, &err), 0);
    assert_int_equal(vt_sched_next(&s), VT_TIME_NEVER);
    assert_false(vt_audio_active(a));
    int16_t v = 5;
    vt_audio_push(r.st, &v, 1); /* dropped, no crash */
    assert_int_not_equal(vt_audio_set_sink(a, 0, sink, NULL, &err), 0);
    vt_audio_destroy(a);
    vt_sched_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resample_down),
        cmocka_unit_test(test_resample_up_and_saturate),
        cmocka_unit_test(test_stream_rate_change),
        cmocka_unit_test(test_no_sink_no_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
