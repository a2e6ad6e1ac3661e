/* Z8530 ESCC port layouts from the profile: the SS-5's (ports 2 bytes apart, channel B first)
 * and the PowerMac G3's style (16 bytes apart, here with channel A first) through one model.
 * WR12 (baud-rate time constant, low byte) is written and read back as RR12 through each
 * channel's control port, so a wrong decode shows up as the wrong channel's register. The G3's
 * legacy view (2 bytes apart: B control, A control, B data, A data) reaches the same registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define BASE 0x1000
#define REG_TIME_CONST_LO 12

static char path[64];

static int build(const char *keys, vt_machine **m, vt_error *err) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[machine]\nname = t\ncpu = none\n[device.escc]\ntype = z8530\nbase = 0x%x\n%s",
            BASE, keys);
    fclose(f);
    return vt_machine_create(m, path, NULL, err);
}

static void wr(vt_machine *m, unsigned off, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, BASE + off, 1, v), VT_BUS_OK);
}

static uint8_t rd(vt_machine *m, unsigned off) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, BASE + off, 1, &v), VT_BUS_OK);
    return (uint8_t)v;
}

/* Writes WR12 through the control port at `ctrl`, then reads RR12 back through `ctrl`. */
static void set_wr12(vt_machine *m, unsigned ctrl, uint8_t v) {
    wr(m, ctrl, REG_TIME_CONST_LO);
    wr(m, ctrl, v);
}

static uint8_t get_rr12(vt_machine *m, unsigned ctrl) {
    wr(m, ctrl, REG_TIME_CONST_LO);
    return rd(m, ctrl);
}

static void test_ss5_layout(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_equal(build("size = 8\n", &m, &err), 0);
    /* channel B control +0, data +2; channel A control +4, data +6 */
    set_wr12(m, 4, 0x5a);
    assert_int_equal(get_rr12(m, 4), 0x5a);
    assert_int_equal(get_rr12(m, 0), 0);
    set_wr12(m, 0, 0x33);
    assert_int_equal(get_rr12(m, 0), 0x33);
    assert_int_equal(get_rr12(m, 4), 0x5a);
    vt_machine_destroy(m);
}

static void test_wide_layout_channel_a_first(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_equal(build("size = 0x40\nreg_shift = 4\nchannel_order = ab\n", &m, &err), 0);
    /* channel A control +0x00, data +0x10; channel B control +0x20, data +0x30 */
    set_wr12(m, 0x00, 0x5a);
    assert_int_equal(get_rr12(m, 0x00), 0x5a);
    assert_int_equal(get_rr12(m, 0x20), 0);
    /* an offset between ports decodes nothing (logged, reads 0) */
    wr(m, 0x00, REG_TIME_CONST_LO);
    assert_int_equal(rd(m, 0x01), 0);
    vt_machine_destroy(m);
}

static void test_mac_legacy_view(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_equal(build("size = 0x40\nreg_shift = 4\nlegacy = 0x2000\n", &m, &err), 0);
    const unsigned legacy = 0x2000 - BASE;     /* offsets below are from BASE */
    set_wr12(m, legacy + 2, 0x5a);             /* channel A control in the legacy view */
    assert_int_equal(get_rr12(m, 0x20), 0x5a); /* = channel A control in the main view */
    set_wr12(m, legacy + 0, 0x33);             /* channel B control */
    assert_int_equal(get_rr12(m, 0x00), 0x33);
    wr(m, legacy + 0, REG_TIME_CONST_LO);
    assert_int_equal(rd(m, legacy + 1), 0); /* odd offsets decode nothing */
    vt_machine_destroy(m);
}

static void test_bad_layout_keys(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_equal(build("size = 8\nchannel_order = ca\n", &m, &err), -1);
    assert_non_null(strstr(err.msg, "channel_order must be"));
    assert_int_equal(build("size = 8\nreg_shift = 4\n", &m, &err), -1);
    assert_non_null(strstr(err.msg, "size must cover the four ports (0x40)"));
}

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "/tmp/vt-escc-%d.ini", (int)getpid());
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(path);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ss5_layout),
        cmocka_unit_test(test_wide_layout_channel_a_first),
        cmocka_unit_test(test_mac_legacy_view),
        cmocka_unit_test(test_bad_layout_keys),
    };
    return cmocka_run_group_tests_name("escc", tests, setup, teardown);
}
