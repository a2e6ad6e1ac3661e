/* The Sun Type 5 keyboard and Sun mouse on a Z8530 (SS-5 port layout): what arrives on the
 * ESCC's receiver, and when. Keyboard: the power-on and Reset replies (0xff 0x04, then 0x7f or
 * the keys held), Layout (0xfe 0x21), make / break / idle codes, LED's argument byte; one byte
 * per 8.33 ms at 1200 baud. Mouse: 5-byte Mouse Systems packets with active-low buttons and
 * large motion split across packets. Bad `port` keys fail with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "peripherals/sun_kbd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BASE 0x1000
#define CTRL_B 0 /* SS-5 layout: channel B control +0, data +2; channel A +4, +6 */
#define CTRL_A 4
#define CHAR_PS 8333333333ull /* 10 bits at 1200 baud */

static char path[64];

static int build(const char *extra, vt_machine **m, vt_error *err) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[machine]\nname = t\ncpu = none\n[device.escc]\ntype = z8530\nbase = 0x%x\n"
            "size = 8\n%s",
            BASE, extra);
    fclose(f);
    return vt_machine_create(m, path, NULL, err);
}

static const char kbd_mouse[] = "[device.kbd]\ntype = sun-kbd\nport = escc.a\n"
                                "[device.ms]\ntype = sun-mouse\nport = escc.b\n";

static void wr(vt_machine *m, unsigned off, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, BASE + off, 1, v), VT_BUS_OK);
}

static uint8_t rd(vt_machine *m, unsigned off) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, BASE + off, 1, &v), VT_BUS_OK);
    return (uint8_t)v;
}

static void wreg(vt_machine *m, unsigned ctrl, uint8_t reg, uint8_t v) {
    wr(m, ctrl, reg);
    wr(m, ctrl, v);
}

static vt_device *dev(vt_machine *m, const char *name) {
    for (int i = 0; i < m->ndevices; i++)
        if (!strcmp(m->devices[i]->name, name)) return m->devices[i];
    fail_msg("no device %s", name);
    return NULL;
}

/* A machine with both channels' receivers and transmitters on. */
static vt_machine *setup(void) {
    vt_machine *m;
    vt_error err;
    assert_int_equal(build(kbd_mouse, &m, &err), 0);
    for (unsigned c = 0; c <= CTRL_A; c += CTRL_A) {
        wreg(m, c, 3, 0x01); /* WR3: receiver enable */
        wreg(m, c, 5, 0x08); /* WR5: transmitter enable */
    }
    return m;
}

/* Runs emulated time a character at a time, reading what the channel receives. */
static int collect(vt_machine *m, unsigned ctrl, uint8_t *out, int max, int chars) {
    int n = 0;
    for (int i = 0; i < chars; i++) {
        vt_sched_advance(&m->sched, m->sched.now + CHAR_PS);
        while ((rd(m, ctrl) & 1) && n < max)
            out[n++] = rd(m, ctrl + 2);
    }
    return n;
}

#define EXPECT(m, ctrl, chars, ...)                                                                \
    do {                                                                                           \
        const uint8_t want[] = {__VA_ARGS__};                                                      \
        uint8_t got[32];                                                                           \
        int n = collect(m, ctrl, got, 32, chars);                                                  \
        assert_int_equal(n, sizeof want);                                                          \
        assert_memory_equal(got, want, sizeof want);                                               \
    } while (0)

static void expect_none(vt_machine *m, unsigned ctrl, int chars) {
    uint8_t got[32];
    assert_int_equal(collect(m, ctrl, got, 32, chars), 0);
}

static void test_power_on_and_reset_replies(void **state) {
    (void)state;
    vt_machine *m = setup();
    EXPECT(m, CTRL_A, 6, 0xff, 0x04, 0x7f); /* unasked, after the self test */
    wr(m, CTRL_A + 2, 0x01);                /* Reset */
    EXPECT(m, CTRL_A, 6, 0xff, 0x04, 0x7f);
    wr(m, CTRL_A + 2, 0x0f); /* Layout */
    EXPECT(m, CTRL_A, 4, 0xfe, 0x21);
    /* bell, click and LEDs are accepted silently; LED's argument 0x01 is not a Reset */
    wr(m, CTRL_A + 2, 0x02);
    wr(m, CTRL_A + 2, 0x03);
    wr(m, CTRL_A + 2, 0x0a);
    wr(m, CTRL_A + 2, 0x0b);
    wr(m, CTRL_A + 2, 0x0e);
    wr(m, CTRL_A + 2, 0x01);
    expect_none(m, CTRL_A, 4);
    vt_machine_destroy(m);
}

static void test_make_break_idle(void **state) {
    (void)state;
    vt_machine *m = setup();
    vt_device *k = dev(m, "kbd");
    EXPECT(m, CTRL_A, 4, 0xff, 0x04, 0x7f);
    vt_sun_kbd_key(k, 0x4d, true); /* A */
    vt_sun_kbd_key(k, 0x4d, true); /* no auto-repeat: a second down is nothing */
    vt_sun_kbd_key(k, 0x4d, false);
    EXPECT(m, CTRL_A, 4, 0x4d, 0xcd, 0x7f);
    vt_sun_kbd_key(k, 0x63, true); /* Shift, then S, released in press order */
    vt_sun_kbd_key(k, 0x4e, true);
    vt_sun_kbd_key(k, 0x63, false);
    EXPECT(m, CTRL_A, 4, 0x63, 0x4e, 0xe3); /* idle only once every key is up */
    wr(m, CTRL_A + 2, 0x01);                /* Reset with S held reports S, not idle */
    EXPECT(m, CTRL_A, 4, 0xff, 0x04, 0x4e);
    vt_sun_kbd_key(k, 0x4e, false);
    EXPECT(m, CTRL_A, 4, 0xce, 0x7f);
    vt_machine_destroy(m);
}

static void test_byte_timing(void **state) {
    (void)state;
    vt_machine *m = setup();
    EXPECT(m, CTRL_A, 4, 0xff, 0x04, 0x7f);
    vt_time t0 = m->sched.now;
    vt_sun_kbd_key(dev(m, "kbd"), 0x79, true); /* Space */
    vt_sched_advance(&m->sched, t0 + CHAR_PS - 1);
    assert_int_equal(rd(m, CTRL_A) & 1, 0); /* its stop bit has not ended yet */
    vt_sched_advance(&m->sched, t0 + CHAR_PS);
    assert_int_equal(rd(m, CTRL_A) & 1, 1);
    assert_int_equal(rd(m, CTRL_A + 2), 0x79);
    vt_machine_destroy(m);
}

static void test_receiver_off_loses_bytes(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_equal(build(kbd_mouse, &m, &err), 0);
    expect_none(m, CTRL_A, 4); /* WR3 never set: the power-on reply is lost */
    vt_machine_destroy(m);
    /* ... unless the board says its firmware relies on the peer being heard anyway */
    assert_int_equal(
        build("peer_rx_always = yes\n[device.kbd]\ntype = sun-kbd\nport = escc.a\n", &m, &err), 0);
    EXPECT(m, CTRL_A, 4, 0xff, 0x04, 0x7f);
    vt_machine_destroy(m);
}

static void test_mouse_packets(void **state) {
    (void)state;
    vt_machine *m = setup();
    vt_device *ms = dev(m, "ms");
    expect_none(m, CTRL_B, 4);       /* the mouse says nothing until it moves */
    vt_sun_mouse_move(ms, 5, -3, 1); /* left button held */
    EXPECT(m, CTRL_B, 6, 0x83, 0x05, 0xfd, 0x00, 0x00);
    vt_sun_mouse_move(ms, 200, 0, 0); /* released; 200 = 127 + 73 in the second pair */
    EXPECT(m, CTRL_B, 6, 0x87, 0x7f, 0x00, 0x49, 0x00);
    vt_sun_mouse_move(ms, 0, 0, 6); /* right + middle */
    EXPECT(m, CTRL_B, 6, 0x84, 0x00, 0x00, 0x00, 0x00);
    /* motion during a packet accumulates into the next one */
    vt_sun_mouse_move(ms, 1, 1, 0);
    vt_sun_mouse_move(ms, 2, 2, 0);
    EXPECT(m, CTRL_B, 12, 0x87, 0x01, 0x01, 0x00, 0x00, 0x87, 0x02, 0x02, 0x00, 0x00);
    vt_machine_destroy(m);
}

static void test_bad_port(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    assert_int_not_equal(build("[device.kbd]\ntype = sun-kbd\nport = nosuch.a\n", &m, &err), 0);
    assert_non_null(strstr(err.msg, "no device 'nosuch'"));
    assert_int_not_equal(build("[device.kbd]\ntype = sun-kbd\nport = escc.c\n", &m, &err), 0);
    assert_non_null(strstr(err.msg, "DEVICE.a or DEVICE.b"));
    assert_int_not_equal(build("[device.kbd]\ntype = sun-kbd\nport = escc.a\n"
                               "[device.kbd2]\ntype = sun-kbd\nport = escc.a\n",
                               &m, &err),
                         0);
    assert_non_null(strstr(err.msg, "already connected"));
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/vt_sunkbd_%d.ini", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on_and_reset_replies),
        cmocka_unit_test(test_make_break_idle),
        cmocka_unit_test(test_byte_timing),
        cmocka_unit_test(test_receiver_off_loses_bytes),
        cmocka_unit_test(test_mouse_packets),
        cmocka_unit_test(test_bad_port),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(path);
    return rc;
}
