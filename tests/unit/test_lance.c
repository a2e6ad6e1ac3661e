/* The Am7990 LANCE with a test network backend (core/net.h) on a CPU-less big-endian profile
 * with `dma = memory`: INIT reads the init block, TDMD sends an owned frame to the backend,
 * frames from the backend land in owned receive descriptors in emulated time (padding, FCS,
 * MCNT, STP/ENP, chaining over small buffers), the address filter (own, broadcast, multicast
 * hash, other unicast), MISS with no owned buffer, and internal loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "core/machine.h"

#define LANCE 0x1000000
#define IB 0x100  /* init block */
#define RXR 0x200 /* 4 receive descriptors */
#define TXR 0x300 /* 2 transmit descriptors */
#define RXBUF 0x1000
#define TXBUF 0x8000

static char profile[64];
static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t group[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}; /* in the filter */

/* Logical address filter bit of a multicast address: the top 6 bits of its CRC register. */
static unsigned ladrf_bit(const uint8_t *dst) {
    return ~(uint32_t)crc32(0, dst, 6) >> 26;
}

typedef struct test_net {
    vt_net net;
    uint8_t sent[2048];
    size_t sent_len;
    int nsent;
} test_net;

static void tn_send(vt_net *n, const uint8_t *frame, size_t len) {
    test_net *t = n->opaque;
    memcpy(t->sent, frame, len);
    t->sent_len = len;
    t->nsent++;
}

static void tn_close(vt_net *n) {
    VT_UNUSED(n);
}

static test_net tnet;

static int setup(void **state) {
    (void)state;
    snprintf(profile, sizeof profile, "/tmp/vt-lance-XXXXXX");
    int fd = mkstemp(profile);
    assert_true(fd >= 0);
    const char *ini = "[machine]\nname = lance-test\nendian = big\n"
                      "[memory.ram]\nbase = 0\nsize = 1M\n"
                      "[device.lance]\ntype = am7990\nbase = 0x1000000\nsize = 4\ndma = memory\n";
    assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return unlink(profile);
}

static void w16(vt_machine *m, uint32_t a, uint16_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 2, v), VT_BUS_OK);
}

static uint16_t r16(vt_machine *m, uint32_t a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 2, &v), VT_BUS_OK);
    return (uint16_t)v;
}

static void csr(vt_machine *m, int n, uint16_t v) {
    w16(m, LANCE + 2, (uint16_t)n);
    w16(m, LANCE, v);
}

static uint16_t csr0(vt_machine *m) {
    w16(m, LANCE + 2, 0);
    return r16(m, LANCE);
}

static void rx_desc(vt_machine *m, int i, uint32_t buf, uint16_t size) {
    uint32_t d = RXR + (uint32_t)i * 8;
    w16(m, d, (uint16_t)buf);
    w16(m, d + 2, (uint16_t)(0x8000 | buf >> 16)); /* OWN: the chip's */
    w16(m, d + 4, (uint16_t)(-size | 0xf000));
    w16(m, d + 6, 0);
}

/* Machine with the test backend, init block (mode given) and rings, started. */
static vt_machine *make(uint16_t mode, uint16_t bufsize) {
    memset(&tnet, 0, sizeof tnet);
    vt_net_init(&tnet.net);
    tnet.net.send = tn_send;
    tnet.net.close = tn_close;
    tnet.net.opaque = &tnet;
    vt_machine_options o = {.nets = {&tnet.net}};
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, &o, &err)) fail_msg("%s", err.msg);
    w16(m, IB, mode);
    for (int i = 0; i < 6; i += 2)
        w16(m, IB + 2 + (uint32_t)i, (uint16_t)(mac[i + 1] << 8 | mac[i]));
    unsigned bit = ladrf_bit(group);
    w16(m, IB + 8 + 2 * (bit >> 4), (uint16_t)(1u << (bit & 15)));
    w16(m, IB + 0x10, RXR);
    w16(m, IB + 0x12, 2 << 13); /* 4 entries */
    w16(m, IB + 0x14, TXR);
    w16(m, IB + 0x16, 1 << 13); /* 2 entries */
    for (int i = 0; i < 4; i++)
        rx_desc(m, i, RXBUF + (uint32_t)i * 0x800, bufsize);
    csr(m, 1, IB);
    csr(m, 2, 0);
    csr(m, 0, 0x0001);                          /* INIT */
    assert_true(csr0(m) & 0x0100);              /* IDON */
    csr(m, 0, 0x0100 | 0x0040 | 0x0002);        /* clear IDON, INEA, STRT */
    assert_int_equal(csr0(m) & 0x0030, 0x0030); /* RXON, TXON */
    return m;
}

static void put_frame(vt_machine *m, uint32_t a, const uint8_t *f, size_t len) {
    assert_int_equal(vt_bus_write_block(&m->bus, a, f, len), 0);
}

static void frame_to(uint8_t *f, const uint8_t *dst, size_t len) {
    for (size_t i = 0; i < len; i++)
        f[i] = (uint8_t)(i * 3 + 1);
    memcpy(f, dst, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
}

static void deliver(vt_machine *m, const uint8_t *f, size_t len) {
    vt_net_deliver(&tnet.net, f, len);
    vt_machine_run(m, m->sched.now + VT_PS_PER_SEC / 1000);
}

static void test_transmit(void **state) {
    (void)state;
    vt_machine *m = make(0, 1544);
    uint8_t f[100];
    frame_to(f, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", sizeof f);
    put_frame(m, TXBUF, f, sizeof f);
    w16(m, TXR, TXBUF & 0xffff);
    w16(m, TXR + 2, 0x8000 | 0x0300); /* OWN, STP, ENP */
    w16(m, TXR + 4, (uint16_t)(-100 | 0xf000));
    csr(m, 0, 0x0040 | 0x0008); /* TDMD */
    assert_int_equal(tnet.nsent, 1);
    assert_int_equal(tnet.sent_len, 100);
    assert_memory_equal(tnet.sent, f, 100);
    assert_int_equal(r16(m, TXR + 2), 0x0300);  /* handed back, no error */
    assert_int_equal(csr0(m) & 0x0280, 0x0280); /* TINT, INTR */
    vt_machine_destroy(m);
}

static void test_receive_pad_fcs(void **state) {
    (void)state;
    vt_machine *m = make(0, 1544);
    uint8_t f[42];
    frame_to(f, mac, sizeof f);
    vt_net_deliver(&tnet.net, f, sizeof f);
    assert_int_equal(r16(m, RXR + 2) & 0x8000, 0x8000); /* not before its wire time */
    vt_machine_run(m, m->sched.now + VT_PS_PER_SEC / 1000);
    assert_int_equal(r16(m, RXR + 2), 0x0300); /* STP, ENP, no error */
    assert_int_equal(r16(m, RXR + 6), 64);     /* 60 + FCS */
    uint8_t got[64];
    assert_int_equal(vt_bus_read_block(&m->bus, RXBUF, got, sizeof got), 0);
    assert_memory_equal(got, f, sizeof f);
    for (int i = 42; i < 60; i++)
        assert_int_equal(got[i], 0);
    uint32_t fcs = (uint32_t)crc32(0, got, 60);
    assert_int_equal(got[60] | got[61] << 8 | got[62] << 16 | (uint32_t)got[63] << 24, fcs);
    assert_int_equal(csr0(m) & 0x0480, 0x0480); /* RINT, INTR */
    vt_machine_destroy(m);
}

static void test_filter(void **state) {
    (void)state;
    vt_machine *m = make(0, 1544);
    uint8_t f[64];
    frame_to(f, (const uint8_t *)"\x52\x54\x00\x12\x34\x57", sizeof f);
    deliver(m, f, sizeof f);
    assert_int_equal(r16(m, RXR + 2) & 0x8000, 0x8000); /* another station's: ignored */
    frame_to(f, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", sizeof f);
    deliver(m, f, sizeof f);
    assert_int_equal(r16(m, RXR + 2) & 0x8000, 0); /* broadcast: taken */
    /* multicast: accepted only when its hash bit is set in LADRF */
    frame_to(f, group, sizeof f);
    deliver(m, f, sizeof f);
    assert_int_equal(r16(m, RXR + 8 + 2) & 0x8000, 0);
    uint8_t other[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x02};
    while (ladrf_bit(other) == ladrf_bit(group))
        other[5]++;
    frame_to(f, other, sizeof f);
    deliver(m, f, sizeof f);
    assert_int_equal(r16(m, RXR + 16 + 2) & 0x8000, 0x8000);
    vt_machine_destroy(m);
}

static void test_chain_and_miss(void **state) {
    (void)state;
    vt_machine *m = make(0, 32);
    uint8_t f[100];
    frame_to(f, mac, sizeof f);
    deliver(m, f, sizeof f);                        /* 104 bytes over four 32-byte buffers */
    assert_int_equal(r16(m, RXR + 2), 0x0200);      /* STP */
    assert_int_equal(r16(m, RXR + 8 + 2), 0x0000);  /* middle */
    assert_int_equal(r16(m, RXR + 16 + 2), 0x0000); /* middle */
    assert_int_equal(r16(m, RXR + 24 + 2), 0x0100); /* ENP */
    assert_int_equal(r16(m, RXR + 24 + 6), 104);
    uint8_t got[32];
    assert_int_equal(vt_bus_read_block(&m->bus, RXBUF + 3 * 0x800, got, 8), 0);
    assert_memory_equal(got, f + 96, 4);
    assert_int_equal(csr0(m) & 0x1000, 0);
    deliver(m, f, sizeof f);                    /* every buffer is the host's now */
    assert_int_equal(csr0(m) & 0x9000, 0x9000); /* MISS, ERR */
    vt_machine_destroy(m);
}

static void test_loopback(void **state) {
    (void)state;
    vt_machine *m = make(0x0004, 1544); /* LOOP */
    uint8_t f[80];
    frame_to(f, mac, sizeof f);
    put_frame(m, TXBUF, f, sizeof f);
    w16(m, TXR, TXBUF & 0xffff);
    w16(m, TXR + 2, 0x8300);
    w16(m, TXR + 4, (uint16_t)(-80 | 0xf000));
    csr(m, 0, 0x0040 | 0x0008);
    assert_int_equal(tnet.nsent, 0); /* nothing on the wire */
    assert_int_equal(r16(m, RXR + 2), 0x0300);
    assert_int_equal(r16(m, RXR + 6), 84);
    vt_machine_destroy(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transmit), cmocka_unit_test(test_receive_pad_fcs),
        cmocka_unit_test(test_filter),   cmocka_unit_test(test_chain_and_miss),
        cmocka_unit_test(test_loopback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
