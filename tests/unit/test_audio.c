/* Audio core tests: the mixer delivers exactly rate x seconds samples (less the one-sample
 * resampler latency where rates make it show) on emulated time, linear interpolation from 48 kHz
 * to 44.1 kHz and from 8 kHz up, saturation when streams sum past 16 bits, and no mixer event
 * without a sink. */
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
        cmocka_unit_test(test_no_sink_no_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
