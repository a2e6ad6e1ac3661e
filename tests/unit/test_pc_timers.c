/* 8254 modes and exact output times; MC146818 time keeping, interrupts and CMOS. */
#include "tests/unit/pc_chips_test.h"

/* --- 8254 ------------------------------------------------------------------------------- */

#define PIT_INI                                                                                    \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.pit]\ntype = i8254\nbase = 0x40\nsize = 4\n"

static unsigned pit_read16(vt_machine *m, int ch) {
    unsigned lo = (unsigned)rd(m, 0x40 + ch);
    return lo | (unsigned)rd(m, 0x40 + ch) << 8;
}

static void test_pit_mode2_exact(void **state) {
    (void)state;
    vt_machine *m = make(PIT_INI);
    probe p;
    attach_probe(m, "pit", 0, &p, true);
    const uint64_t n = 1193;
    wr(m, 0x43, 0x34); /* ch0, LSB then MSB, mode 2, binary */
    wr(m, 0x40, n & 0xFF), wr(m, 0x40, n >> 8);
    vt_machine_run(m, pit_t(3 * n));
    /* OUT low for the clock in which the count is 1, the rising edge at each reload */
    assert_int_equal(p.n, 6);
    for (uint64_t k = 1; k <= 3; k++) {
        assert_false(p.level[2 * k - 2]);
        assert_int_equal(p.when[2 * k - 2], pit_t(k * n - 1));
        assert_true(p.level[2 * k - 1]);
        assert_int_equal(p.when[2 * k - 1], pit_t(k * n));
    }
    /* one emulated second later (1000 periods): the 1000th edge is on its exact picosecond */
    vt_machine_run(m, pit_t(1000 * n) - 1);
    assert_int_equal(p.rises, 999);
    vt_machine_run(m, pit_t(1000 * n));
    assert_int_equal(p.rises, 1000);
    assert_int_equal(p.last_rise, pit_t(1000 * n));
    /* counter reads: n - (d mod n) */
    vt_machine_run(m, pit_t(1000 * n + 10));
    assert_int_equal(pit_read16(m, 0), n - 10);
    /* a new count waits for the end of the current period */
    wr(m, 0x40, 100), wr(m, 0x40, 0);
    vt_machine_run(m, pit_t(1001 * n + 100));
    assert_int_equal(p.last_rise, pit_t(1001 * n + 100));
    assert_int_equal(p.rises, 1002);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* An unwired OUT (the AT's refresh channel 1) costs no events; it is computed when read. */
static void test_pit_unwired_out(void **state) {
    (void)state;
    vt_machine *m = make(PIT_INI);
    vt_device *d = vt_machine_device(m, "pit");
    wr(m, 0x43, 0x54), wr(m, 0x41, 18); /* ch1, LSB only, mode 2, count 18 */
    assert_int_equal(m->sched.count, 0);
    vt_machine_run(m, pit_t(1800 + 16));
    assert_true(vt_i8254_out(d, 1));
    vt_machine_run(m, pit_t(1800 + 17));
    assert_false(vt_i8254_out(d, 1));
    wr(m, 0x43, 0xE4); /* read-back status of ch1 */
    assert_int_equal(rd(m, 0x41), 0x14);
    vt_machine_run(m, pit_t(1800 + 18));
    assert_true(vt_i8254_out(d, 1));
    assert_int_equal(rd(m, 0x41), 18); /* just reloaded */
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_pit_modes(void **state) {
    (void)state;
    vt_machine *m = make(PIT_INI);
    probe p0, p2;
    attach_probe(m, "pit", 0, &p0, true);
    attach_probe(m, "pit", 2, &p2, true);
    /* mode 0: OUT low until terminal count; counter latch */
    wr(m, 0x43, 0x30);
    wr(m, 0x40, 100), wr(m, 0x40, 0);
    vt_machine_run(m, pit_t(40));
    assert_int_equal(pit_read16(m, 0), 60);
    wr(m, 0x43, 0x00); /* latch ch0 */
    vt_machine_run(m, pit_t(50));
    assert_int_equal(pit_read16(m, 0), 60);
    assert_int_equal(pit_read16(m, 0), 50);
    vt_machine_run(m, pit_t(100));
    assert_true(p0.level[p0.n - 1]);
    assert_int_equal(p0.when[p0.n - 1], pit_t(100));
    /* read-back of status: OUT high, count loaded, LSB/MSB, mode 0, binary */
    wr(m, 0x43, 0xE2);
    assert_int_equal(rd(m, 0x40), 0xB0);
    /* BCD: 0x0100 is a hundred clocks, reads back in BCD */
    wr(m, 0x43, 0x31);
    wr(m, 0x40, 0x00), wr(m, 0x40, 0x01);
    vt_machine_run(m, pit_t(101));
    assert_int_equal(pit_read16(m, 0), 0x0099);
    vt_machine_run(m, pit_t(200));
    assert_true(vt_i8254_out(vt_machine_device(m, "pit"), 0));
    /* mode 3 on channel 2 with its gate: high 5 clocks, low 5 */
    vt_irq gate2 = input_of(m, "pit", 2);
    uint64_t t0 = 1000;
    vt_machine_run(m, pit_t(t0));
    wr(m, 0x43, 0xB6);
    wr(m, 0x42, 10), wr(m, 0x42, 0);
    vt_machine_run(m, pit_t(t0 + 20));
    int n = p2.n;
    assert_true(n >= 4);
    assert_int_equal(p2.when[n - 4], pit_t(t0 + 5));
    assert_int_equal(p2.when[n - 3], pit_t(t0 + 10));
    assert_int_equal(p2.when[n - 2], pit_t(t0 + 15));
    assert_int_equal(p2.when[n - 1], pit_t(t0 + 20));
    vt_machine_run(m, pit_t(t0 + 27));
    assert_false(vt_i8254_out(vt_machine_device(m, "pit"), 2));
    vt_irq_lower(&gate2); /* OUT forced high, counting stops */
    assert_true(vt_i8254_out(vt_machine_device(m, "pit"), 2));
    vt_machine_run(m, pit_t(t0 + 100));
    assert_int_equal(p2.when[p2.n - 1], pit_t(t0 + 27));
    vt_irq_raise(&gate2); /* reload: the next falling edge 5 clocks later */
    vt_machine_run(m, pit_t(t0 + 105));
    assert_false(p2.level[p2.n - 1]);
    assert_int_equal(p2.when[p2.n - 1], pit_t(t0 + 105));
    /* mode 1: one-shot triggered by the gate, low for the count */
    wr(m, 0x43, 0xB2);
    wr(m, 0x42, 50), wr(m, 0x42, 0);
    vt_machine_run(m, pit_t(t0 + 200));
    assert_true(vt_i8254_out(vt_machine_device(m, "pit"), 2));
    vt_irq_lower(&gate2);
    vt_irq_raise(&gate2);
    assert_false(vt_i8254_out(vt_machine_device(m, "pit"), 2));
    vt_machine_run(m, pit_t(t0 + 250));
    assert_true(p2.level[p2.n - 1]);
    assert_int_equal(p2.when[p2.n - 1], pit_t(t0 + 250));
    /* mode 4: a single low clock at terminal count; gate low suspends it */
    wr(m, 0x43, 0xB8);
    wr(m, 0x42, 30), wr(m, 0x42, 0);
    vt_machine_run(m, pit_t(t0 + 260));
    vt_irq_lower(&gate2);
    vt_machine_run(m, pit_t(t0 + 400));
    vt_irq_raise(&gate2);
    vt_machine_run(m, pit_t(t0 + 500));
    assert_int_equal(p2.when[p2.n - 2], pit_t(t0 + 400 + 20));
    assert_int_equal(p2.when[p2.n - 1], pit_t(t0 + 400 + 21));
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_rtc_calendar(void **state) {
    (void)state;
    vt_machine *m = make(RTC_INI("rtc = 1999-12-31T23:59:58\n"));
    probe p;
    attach_probe(m, "rtc", 0, &p, false);
    cmos_set(m, 0x0A, 0x20); /* no periodic flag in this test */
    assert_int_equal(cmos(m, 0x00), 0x58);
    assert_int_equal(cmos(m, 0x04), 0x23);
    assert_int_equal(cmos(m, 0x06), 6); /* Friday */
    assert_int_equal(cmos(m, 0x32), 0x19);
    assert_int_equal(cmos(m, 0x0B), 0x02);
    assert_int_equal(cmos(m, 0x0D), 0x80);
    /* BCD rollover at midnight into 2000-01-01, a Saturday, at exactly 2 s */
    vt_machine_run(m, 2 * VT_PS_PER_SEC - 1);
    assert_int_equal(cmos(m, 0x00), 0x59);
    vt_machine_run(m, 2 * VT_PS_PER_SEC);
    uint8_t want[10] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00};
    for (int i = 0; i < 10; i += (i == 0 || i == 2 || i == 4) ? 2 : 1)
        assert_int_equal(cmos(m, (uint8_t)i), want[i]);
    /* UIP: set during the last 244 us before the update */
    vt_machine_run(m, 3 * VT_PS_PER_SEC - 300 * 1000000ull);
    assert_int_equal(cmos(m, 0x0A) & 0x80, 0);
    vt_machine_run(m, 3 * VT_PS_PER_SEC - 200 * 1000000ull);
    assert_int_equal(cmos(m, 0x0A) & 0x80, 0x80);
    /* update-ended interrupt at the second */
    cmos_set(m, 0x0B, 0x12);
    /* UF from the 2 s update (enabled just now: IRQF) and AF: the alarm registers are 0 */
    assert_int_equal(cmos(m, 0x0C), 0xB0);
    vt_machine_run(m, 3 * VT_PS_PER_SEC);
    assert_true(p.cur);
    assert_int_equal(p.last_rise, 3 * VT_PS_PER_SEC);
    assert_int_equal(cmos(m, 0x0C), 0x90);
    assert_false(p.cur);
    assert_int_equal(cmos(m, 0x0C), 0x00);
    /* binary 12-hour mode: 11:59:59 PM -> 12:00:00 AM on the next day */
    cmos_set(m, 0x0B, 0x86); /* SET, binary, 24 h off below */
    cmos_set(m, 0x0B, 0x84);
    cmos_set(m, 0x04, 0x80 | 11), cmos_set(m, 0x02, 59), cmos_set(m, 0x00, 59);
    cmos_set(m, 0x07, 28), cmos_set(m, 0x08, 2), cmos_set(m, 0x09, 4), cmos_set(m, 0x06, 1);
    vt_machine_run(m, 4 * VT_PS_PER_SEC);
    assert_int_equal(cmos(m, 0x00), 59); /* SET held the clock */
    cmos_set(m, 0x0B, 0x04);
    vt_machine_run(m, 5 * VT_PS_PER_SEC);
    assert_int_equal(cmos(m, 0x04), 12);
    assert_int_equal(cmos(m, 0x00), 0);
    assert_int_equal(cmos(m, 0x07), 29); /* 2004 is a leap year */
    assert_int_equal(cmos(m, 0x06), 2);
    /* alarm: any hour/minute, second 3 */
    cmos_set(m, 0x01, 3), cmos_set(m, 0x03, 0xC0), cmos_set(m, 0x05, 0xFF);
    cmos_set(m, 0x0B, 0x24);
    (void)cmos(m, 0x0C);
    int rises = p.rises;
    vt_machine_run(m, 8 * VT_PS_PER_SEC - 1);
    assert_int_equal(p.rises, rises);
    vt_machine_run(m, 8 * VT_PS_PER_SEC);
    assert_int_equal(p.rises, rises + 1);
    assert_int_equal(cmos(m, 0x0C), 0xB0);
    /* divider reset holds the clock; release gives the first update 500 ms later */
    cmos_set(m, 0x0B, 0x14);
    cmos_set(m, 0x0A, 0x70);
    vt_machine_run(m, 10 * VT_PS_PER_SEC + 100 * MS);
    assert_int_equal(cmos(m, 0x00), 3);
    cmos_set(m, 0x0A, 0x20);
    (void)cmos(m, 0x0C);
    vt_machine_run(m, 10 * VT_PS_PER_SEC + 600 * MS);
    assert_int_equal(p.last_rise, 10 * VT_PS_PER_SEC + 600 * MS);
    assert_int_equal(cmos(m, 0x00), 4);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_rtc_periodic_and_cmos(void **state) {
    (void)state;
    vt_machine *m = make(RTC_INI("ram_size = 64M\ncpus = 2\nboot_order = cda\n"
                                 "floppy_sig_check = no\nfloppy_types = 0x40\n"));
    probe p;
    attach_probe(m, "rtc", 0, &p, false);
    assert_int_equal(cmos(m, 0x0A), 0x26);
    /* 1024 Hz (rate 6): 32 ticks of 32.768 kHz, 976562.5 ns */
    static const vt_clock osc = {32768};
    cmos_set(m, 0x0B, 0x42);
    for (uint64_t k = 1; k <= 5; k++) {
        vt_machine_run(m, vt_clock_to_time(&osc, 32 * k));
        assert_true(p.cur);
        assert_int_equal(p.last_rise, vt_clock_to_time(&osc, 32 * k));
        assert_int_equal(cmos(m, 0x0C), 0xC0);
    }
    /* rate 15: 2 Hz */
    cmos_set(m, 0x0A, 0x2F);
    vt_machine_run(m, 500 * MS - 1);
    assert_false(p.cur);
    vt_machine_run(m, 500 * MS);
    assert_true(p.cur);
    assert_int_equal(cmos(m, 0x0C) & 0xC0, 0xC0);
    /* PF is set with PIE off too, without an interrupt */
    cmos_set(m, 0x0B, 0x02);
    vt_machine_run(m, 1000 * MS);
    assert_false(p.cur);
    assert_int_equal(cmos(m, 0x0C), 0x50);
    /* the CMOS layout SeaBIOS reads */
    assert_int_equal(cmos(m, 0x15) | cmos(m, 0x16) << 8, 640);
    assert_int_equal(cmos(m, 0x17) | cmos(m, 0x18) << 8, 64 * 1024 - 1024);
    assert_int_equal(cmos(m, 0x30) | cmos(m, 0x31) << 8, 64 * 1024 - 1024);
    assert_int_equal(cmos(m, 0x34) | cmos(m, 0x35) << 8, (64 - 16) * 16);
    assert_int_equal(cmos(m, 0x5B) | cmos(m, 0x5C) | cmos(m, 0x5D), 0);
    assert_int_equal(cmos(m, 0x5F), 1);
    assert_int_equal(cmos(m, 0x3D), 0x32);
    assert_int_equal(cmos(m, 0x38), 0x11);
    assert_int_equal(cmos(m, 0x10), 0x40);
    assert_int_equal(cmos(m, 0x32), 0x20);
    /* plain RAM and the NMI-disable bit of the index port */
    probe nmi;
    attach_probe(m, "rtc", 1, &nmi, false);
    cmos_set(m, 0x7F, 0xA5);
    wr(m, 0x70, 0xFF);
    assert_true(nmi.cur);
    assert_int_equal(rd(m, 0x71), 0xA5);
    wr(m, 0x70, 0x0F);
    assert_false(nmi.cur);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_rtc_bad_start(void **state) {
    (void)state;
    write_file("bad.ini", RTC_INI("rtc = 2001-02-29T00:00:00\n"),
               strlen(RTC_INI("rtc = 2001-02-29T00:00:00\n")));
    char path[128];
    snprintf(path, sizeof path, "%s/bad.ini", dir);
    vt_machine *m;
    vt_error err;
    assert_int_not_equal(vt_machine_create(&m, path, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "bad.ini:"));
    assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pit_mode2_exact),
        cmocka_unit_test(test_pit_unwired_out),
        cmocka_unit_test(test_pit_modes),
        cmocka_unit_test(test_rtc_calendar),
        cmocka_unit_test(test_rtc_periodic_and_cmos),
        cmocka_unit_test(test_rtc_bad_start),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
