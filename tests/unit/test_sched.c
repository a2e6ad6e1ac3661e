/* Scheduler and clock-domain tests: exact cycle<->time conversion over 10^12 cycles at odd
 * clock rates, event ordering, ties in arming order, cancel and re-arm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/sched.h"

static void test_exact_conversion(void **state) {
    (void)state;
    static const uint64_t rates[] = {3579545, 14318180,      33333333, 85000000, 1,
                                     7,       1000000007ull, 32768,    110000000};
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        vt_clock c = {rates[r]};
        uint64_t limit = rates[r] < 1000 ? 1000000 : 1000000000000ull; /* ~213 days max */
        for (uint64_t n = 0; n <= limit; n = n * 3 + 1) {
            vt_time t = vt_clock_to_time(&c, n);
            /* floor(n * 1e12 / hz), verified against the definition */
            unsigned __int128 exact = (unsigned __int128)n * VT_PS_PER_SEC;
            assert_true((unsigned __int128)t * c.hz <= exact);
            assert_true((unsigned __int128)(t + 1) * c.hz > exact);
            /* cycles completed by the start of cycle n is n */
            assert_int_equal(vt_clock_to_cycles(&c, t), n);
            /* ceil: the first cycle starting at or after t */
            assert_int_equal(vt_clock_to_cycles_ceil(&c, t), n);
        }
        /* 10^12 cycles (within the 2^64 ps range): absolute conversion, no drift */
        uint64_t n = 1000000000000ull;
        if (rates[r] >= 100000) {
            vt_time t = vt_clock_to_time(&c, n);
            assert_int_equal(vt_clock_to_cycles(&c, t), n);
            uint64_t sum = 0;
            for (int i = 0; i < 1000; i++)
                sum += vt_clock_to_time(&c, (i + 1) * (n / 1000)) -
                       vt_clock_to_time(&c, i * (n / 1000));
            assert_int_equal(sum, t);
        }
    }
}

static void test_two_domains_meet(void **state) {
    (void)state;
    /* 3.579545 MHz and 14.31818 MHz: exactly 4:1; times must agree at every 4th cycle */
    vt_clock a = {3579545}, b = {14318180};
    for (uint64_t n = 0; n < 1000000000000ull; n = n * 7 + 3)
        assert_int_equal(vt_clock_to_time(&a, n), vt_clock_to_time(&b, 4 * n));
}

typedef struct log {
    char order[64];
    int n;
    vt_time late[64];
} log_t;

typedef struct tagged {
    log_t *log;
    char tag;
} tagged;

static void record(void *opaque, vt_time now, vt_time late) {
    (void)now;
    tagged *t = opaque;
    t->log->late[t->log->n] = late;
    t->log->order[t->log->n++] = t->tag;
}

static void test_event_order_and_ties(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    log_t lg = {0};
    tagged tg[6];
    vt_event ev[6];
    const vt_time when[6] = {500, 100, 300, 100, 300, 200};
    for (int i = 0; i < 6; i++) {
        tg[i] = (tagged){&lg, (char)('a' + i)};
        vt_event_init(&ev[i], "e", record, &tg[i]);
        vt_sched_arm(&s, &ev[i], when[i]);
    }
    assert_int_equal(vt_sched_next(&s), 100);
    vt_sched_advance(&s, 250);
    /* ties (b,d at 100) fire in arming order */
    assert_string_equal(lg.order, "bdf");
    assert_int_equal(lg.late[0], 150);
    vt_sched_cancel(&s, &ev[0]);
    vt_sched_advance(&s, 1000);
    assert_string_equal(lg.order, "bdfce");
    assert_int_equal(vt_sched_next(&s), VT_TIME_NEVER);
    vt_sched_free(&s);
}

static void test_rearm_moves_event(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    log_t lg = {0};
    tagged a = {&lg, 'a'}, b = {&lg, 'b'};
    vt_event ea, eb;
    vt_event_init(&ea, "a", record, &a);
    vt_event_init(&eb, "b", record, &b);
    vt_sched_arm(&s, &ea, 10);
    vt_sched_arm(&s, &eb, 20);
    vt_sched_arm(&s, &ea, 30); /* re-arm replaces, does not duplicate */
    assert_true(vt_event_armed(&ea));
    vt_sched_advance(&s, 100);
    assert_string_equal(lg.order, "ba");
    assert_false(vt_event_armed(&ea));
    vt_sched_free(&s);
}

/* Heap stress: many events at pseudo-random times, some cancelled, fire in sorted order. */
typedef struct order_check {
    vt_time prev;
    int fired;
} order_check;

static void check_order(void *opaque, vt_time now, vt_time late) {
    order_check *o = opaque;
    vt_time when = now - late;
    assert_true(when >= o->prev);
    o->prev = when;
    o->fired++;
}

static void test_many_events(void **state) {
    (void)state;
    enum { N = 2000 };
    vt_sched s;
    vt_sched_init(&s);
    static vt_event ev[N];
    order_check oc = {0, 0};
    uint32_t x = 12345;
    int cancelled = 0;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        vt_event_init(&ev[i], "s", check_order, &oc);
        vt_sched_arm(&s, &ev[i], x % 100000);
        if (i % 7 == 0 && vt_event_armed(&ev[i / 2])) {
            vt_sched_cancel(&s, &ev[i / 2]);
            cancelled++;
        }
    }
    vt_sched_advance(&s, 100000);
    assert_int_equal(oc.fired, N - cancelled);
    vt_sched_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_conversion),     cmocka_unit_test(test_two_domains_meet),
        cmocka_unit_test(test_event_order_and_ties), cmocka_unit_test(test_rearm_moves_event),
        cmocka_unit_test(test_many_events),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
