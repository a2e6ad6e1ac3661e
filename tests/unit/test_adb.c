/* ADB keyboard and mouse (peripherals/adb_bus.c) and CUDA's autopoll (cuda_via6522.c): Talk
 * and Listen, register 3 address and handler changes (handlers a device lacks are ignored), key
 * reports two at a time with bit 7 for release, handler 1 folding the right-hand modifiers, mouse
 * reports with the active-low button and 7-bit deltas, Flush and SendReset; then through the VIA's
 * shift register and port B handshake, an autopoll packet [0, 0x40, Talk R0, keys] offered on TREQ
 * after a key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "peripherals/adb_bus.h"
#include "peripherals/cuda.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int talk(vt_adb_bus *b, unsigned addr, unsigned reg, uint8_t *out) {
    uint8_t cmd = (uint8_t)(addr << 4 | 0x0c | reg);
    return vt_adb_request(b, &cmd, 1, out);
}

static int listen3(vt_adb_bus *b, unsigned addr, uint8_t hi, uint8_t handler) {
    uint8_t in[3] = {(uint8_t)(addr << 4 | 0x08 | 3), hi, handler};
    uint8_t out[VT_ADB_MAX_REPLY];
    return vt_adb_request(b, in, 3, out);
}

static void test_register3_moves(void **state) {
    (void)state;
    vt_adb_bus b;
    uint8_t out[VT_ADB_MAX_REPLY];
    vt_adb_reset(&b);
    assert_int_equal(talk(&b, 2, 3, out), 2);
    assert_int_equal(out[0] & 0x0f, 2);
    assert_int_equal(out[1], 1); /* keyboard handler 1 */
    assert_int_equal(talk(&b, 3, 3, out), 2);
    assert_int_equal(out[1], 2);                     /* mouse handler 2 */
    assert_int_equal(talk(&b, 5, 3, out), -1);       /* nobody at 5: timeout */
    assert_int_equal(listen3(&b, 2, 0x08, 0xfe), 0); /* change address to 8 */
    assert_int_equal(talk(&b, 2, 3, out), -1);
    assert_int_equal(talk(&b, 8, 3, out), 2);
    assert_int_equal(out[0] & 0x0f, 8);
    assert_int_equal(listen3(&b, 8, 0x08, 3), 0); /* extended keyboard handler */
    assert_int_equal(talk(&b, 8, 3, out), 2);
    assert_int_equal(out[1], 3);
    /* handlers a device lacks are ignored: Linux probes mice with 4, 0x2f, 0x42, 0x66, 0x5f and
     * 3 before 2, and must end at the standard 200 cpi mouse */
    const uint8_t probes[] = {4, 0x2f, 0x42, 0x66, 0x5f, 3};
    for (size_t i = 0; i < sizeof probes; i++) {
        assert_int_equal(listen3(&b, 3, 0x03, probes[i]), 0);
        assert_int_equal(talk(&b, 3, 3, out), 2);
        assert_int_equal(out[1], 2);
    }
    assert_int_equal(listen3(&b, 3, 0x03, 1), 0);
    assert_int_equal(talk(&b, 3, 3, out), 2);
    assert_int_equal(out[1], 1);
    uint8_t reset = 0x00; /* SendReset: back to power-on addresses and handlers */
    assert_int_equal(vt_adb_request(&b, &reset, 1, out), 0);
    assert_int_equal(talk(&b, 2, 3, out), 2);
    assert_int_equal(out[1], 1);
}

static void test_keyboard_reports(void **state) {
    (void)state;
    vt_adb_bus b;
    uint8_t out[VT_ADB_MAX_REPLY];
    vt_adb_reset(&b);
    assert_int_equal(talk(&b, 2, 0, out), -1); /* nothing pressed: silent */
    vt_adb_key(&b, 0x00, true);                /* A down, A up, S down */
    vt_adb_key(&b, 0x00, false);
    vt_adb_key(&b, 0x01, true);
    assert_int_equal(talk(&b, 2, 0, out), 2);
    assert_int_equal(out[0], 0x00);
    assert_int_equal(out[1], 0x80);
    assert_int_equal(talk(&b, 2, 0, out), 2);
    assert_int_equal(out[0], 0x01);
    assert_int_equal(out[1], 0xff); /* no second transition */
    /* handler 1 reports right shift as left shift (0x38); handler 3 as itself (0x7b) */
    vt_adb_key(&b, 0x7b, true);
    assert_int_equal(talk(&b, 2, 0, out), 2);
    assert_int_equal(out[0], 0x38);
    assert_int_equal(listen3(&b, 2, 0x02, 3), 0);
    vt_adb_key(&b, 0x7b, false);
    assert_int_equal(talk(&b, 2, 0, out), 2);
    assert_int_equal(out[0], 0xfb);
    /* Flush drops what was not reported */
    vt_adb_key(&b, 0x02, true);
    uint8_t flush = 0x21;
    assert_int_equal(vt_adb_request(&b, &flush, 1, out), 0);
    assert_int_equal(talk(&b, 2, 0, out), -1);
}

static void test_mouse_reports(void **state) {
    (void)state;
    vt_adb_bus b;
    uint8_t out[VT_ADB_MAX_REPLY];
    vt_adb_reset(&b);
    assert_int_equal(talk(&b, 3, 0, out), -1);
    vt_adb_mouse(&b, 5, -3, true);
    assert_int_equal(talk(&b, 3, 0, out), 2);
    assert_int_equal(out[0], 0x7d);  /* button down (bit 7 clear), y = -3 */
    assert_int_equal(out[1], 0x85);  /* bit 7 set, x = 5 */
    vt_adb_mouse(&b, 100, 0, false); /* 63, then the remaining 37 */
    assert_int_equal(talk(&b, 3, 0, out), 2);
    assert_int_equal(out[0], 0x80);
    assert_int_equal(out[1], 0x80 | 63);
    assert_int_equal(talk(&b, 3, 0, out), 2);
    assert_int_equal(out[1], 0x80 | 37);
    assert_int_equal(talk(&b, 3, 0, out), -1);
    uint8_t cmd = 0;
    vt_adb_key(&b, 0x31, true);
    vt_adb_mouse(&b, 1, 0, false);
    assert_int_equal(vt_adb_poll(&b, &cmd, out), 2); /* the keyboard first */
    assert_int_equal(cmd, 0x2c);
    assert_int_equal(vt_adb_poll(&b, &cmd, out), 2);
    assert_int_equal(cmd, 0x3c);
    assert_int_equal(vt_adb_poll(&b, &cmd, out), -1);
}

/* --- CUDA autopoll through the VIA ------------------------------------------------------ */
#define BASE 0x10000
#define REG(n) (BASE + ((n) << 9))
#define VIA_B 0
#define VIA_SR 10
#define VIA_ACR 11
#define TREQ 0x08
#define TACK 0x10
#define TIP 0x20
#define SR_OUT 0x10

static void wr(vt_machine *m, unsigned reg, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, REG(reg), 1, v), VT_BUS_OK);
}

static uint8_t rd(vt_machine *m, unsigned reg) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, REG(reg), 1, &v), VT_BUS_OK);
    return (uint8_t)v;
}

static uint8_t orb = TIP | TACK;

static void port_b(vt_machine *m, uint8_t v) {
    orb = v;
    wr(m, VIA_B, v);
}

static void host_send(vt_machine *m, const uint8_t *p, int n) {
    wr(m, VIA_ACR, SR_OUT);
    wr(m, VIA_SR, p[0]);
    port_b(m, orb & ~TIP);
    for (int i = 1; i < n; i++) {
        wr(m, VIA_SR, p[i]);
        port_b(m, orb ^ TACK);
    }
    port_b(m, orb | TIP);
}

/* Clocks in what CUDA offers on TREQ; returns its length. */
static int host_read(vt_machine *m, uint8_t *p, int max) {
    assert_int_equal(rd(m, VIA_B) & TREQ, 0); /* TREQ asserted (low) */
    wr(m, VIA_ACR, 0);
    port_b(m, orb & ~TIP);
    int n = 0;
    for (;;) {
        assert_true(n < max);
        p[n++] = rd(m, VIA_SR);
        if (rd(m, VIA_B) & TREQ) break; /* released with the last byte */
        port_b(m, orb ^ TACK);
    }
    port_b(m, orb | TIP);
    return n;
}

static void test_cuda_autopoll(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/vt_adb_%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[machine]\nname = t\ncpu = none\n[device.cuda]\ntype = cuda\nbase = 0x%x\n"
            "size = 0x2000\n",
            BASE);
    fclose(f);
    vt_machine *m;
    vt_error err;
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), 0);
    unlink(path);
    vt_device *cuda = m->devices[0];
    uint8_t p[32];
    /* no autopoll yet: a key waits, nothing is offered */
    vt_cuda_key(cuda, 0x00, true);
    vt_sched_advance(&m->sched, m->sched.now + 50 * (VT_PS_PER_SEC / 1000));
    assert_int_not_equal(rd(m, VIA_B) & TREQ, 0);
    /* autopoll on: the reply, then within the 11 ms auto rate the key's packet */
    host_send(m, (const uint8_t[]){1, 0x01, 1}, 3);
    assert_int_equal(host_read(m, p, 32), 3);
    assert_memory_equal(p, ((const uint8_t[]){1, 0, 0x01}), 3);
    vt_sched_advance(&m->sched, m->sched.now + 11 * (VT_PS_PER_SEC / 1000));
    assert_int_equal(host_read(m, p, 32), 5);
    assert_memory_equal(p, ((const uint8_t[]){0, 0x40, 0x2c, 0x00, 0xff}), 5);
    vt_cuda_key(cuda, 0x00, false);
    vt_sched_advance(&m->sched, m->sched.now + 11 * (VT_PS_PER_SEC / 1000));
    assert_int_equal(host_read(m, p, 32), 5);
    assert_memory_equal(p, ((const uint8_t[]){0, 0x40, 0x2c, 0x80, 0xff}), 5);
    /* the host sending over an offered packet does not lose it */
    vt_cuda_mouse(cuda, 2, 1, 0);
    vt_sched_advance(&m->sched, m->sched.now + 11 * (VT_PS_PER_SEC / 1000));
    assert_int_equal(rd(m, VIA_B) & TREQ, 0);
    host_send(m, (const uint8_t[]){1, 0x01, 1}, 3);
    assert_int_equal(host_read(m, p, 32), 3); /* the command's reply first */
    vt_sched_advance(&m->sched, m->sched.now + 11 * (VT_PS_PER_SEC / 1000));
    assert_int_equal(host_read(m, p, 32), 5);
    assert_memory_equal(p, ((const uint8_t[]){0, 0x40, 0x3c, 0x81, 0x82}), 5);
    vt_machine_destroy(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register3_moves),
        cmocka_unit_test(test_keyboard_reports),
        cmocka_unit_test(test_mouse_reports),
        cmocka_unit_test(test_cuda_autopoll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
