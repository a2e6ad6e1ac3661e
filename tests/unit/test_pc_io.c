/* 16550A FIFOs/IIR/loopback/baud timing, 8042 with the PS/2 keyboard and mouse, 8237 DMA,
 * and two identical PC chip sets giving the same state hash. */
#include "tests/unit/pc_chips_test.h"

/* --- 16550A ------------------------------------------------------------------------------- */

typedef struct test_serial {
    vt_chardev chr;
    uint8_t out[64];
    int nout;
    vt_time out_time[64];
    vt_machine *m;
    const char *in;
} test_serial;

static void ts_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    test_serial *t = (test_serial *)c;
    for (size_t i = 0; i < len && t->nout < 64; i++) {
        t->out_time[t->nout] = vt_sched_now(&t->m->sched);
        t->out[t->nout++] = buf[i];
    }
}

static int ts_read(vt_chardev *c) {
    test_serial *t = (test_serial *)c;
    return t->in && *t->in ? (uint8_t)*t->in++ : -1;
}

static vt_machine *make_uart(test_serial *ts) {
    memset(ts, 0, sizeof *ts);
    ts->chr.write = ts_write;
    ts->chr.read = ts_read;
    vt_machine_options o = {0};
    o.serial[0] = &ts->chr;
    vt_machine *m = make_opts("[machine]\nname = t\ncpu = none\n"
                              "[device.com1]\ntype = ns16550\nbase = 0x3f8\nsize = 8\n"
                              "serial = 0\nout2_gates_irq = yes\n",
                              &o);
    ts->m = m;
    return m;
}

static void test_uart_timing_fifo_iir(void **state) {
    (void)state;
    test_serial ts;
    vt_machine *m = make_uart(&ts);
    probe p;
    attach_probe(m, "com1", 0, &p, false);
    static const vt_clock xtal = {1843200};
    wr(m, 0x3ff, 0x5A);
    assert_int_equal(rd(m, 0x3ff), 0x5A);
    assert_int_equal(rd(m, 0x3fa), 0x01); /* no interrupt, FIFOs off */
    assert_int_equal(rd(m, 0x3fd), 0x60); /* THRE, TEMT */
    /* 9600 baud 8N1: divisor 12, 10 bits x 16 x 12 = 1920 clocks per character */
    wr(m, 0x3fb, 0x83), wr(m, 0x3f8, 12), wr(m, 0x3f9, 0), wr(m, 0x3fb, 0x03);
    assert_int_equal(rd(m, 0x3fb), 0x03);
    vt_machine_run(m, vt_clock_to_time(&xtal, 1000));
    wr(m, 0x3f8, 'A');
    assert_int_equal(rd(m, 0x3fd), 0x20); /* THR empty again, transmitter busy */
    vt_machine_run(m, vt_clock_to_time(&xtal, 1000 + 1920) - 1);
    assert_int_equal(ts.nout, 0);
    vt_machine_run(m, vt_clock_to_time(&xtal, 1000 + 1920));
    assert_int_equal(ts.nout, 1);
    assert_int_equal(ts.out_time[0], vt_clock_to_time(&xtal, 1000 + 1920));
    assert_int_equal(rd(m, 0x3fd), 0x60);
    /* FIFO: three bytes back to back, one character time each */
    wr(m, 0x3fa, 0x07);
    assert_int_equal(rd(m, 0x3fa) & 0xC0, 0xC0);
    uint64_t c0 = 1000 + 1920;
    wr(m, 0x3f8, 'b'), wr(m, 0x3f8, 'c');
    assert_int_equal(rd(m, 0x3fd), 0x00); /* one byte waits in the FIFO */
    wr(m, 0x3f8, 'd');
    vt_machine_run(m, vt_clock_to_time(&xtal, c0 + 3 * 1920));
    assert_int_equal(ts.nout, 4);
    assert_memory_equal(ts.out, "Abcd", 4);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(ts.out_time[i], vt_clock_to_time(&xtal, c0 + (uint64_t)i * 1920));
    /* THRE interrupt: enabling ETBEI with THR empty; OUT2 gates the PC interrupt line */
    wr(m, 0x3f9, 0x02);
    assert_false(p.cur);
    wr(m, 0x3fc, 0x08);
    assert_true(p.cur);
    assert_int_equal(rd(m, 0x3fa), 0xC2);
    assert_false(p.cur); /* reading IIR cleared it */
    assert_int_equal(rd(m, 0x3fa), 0xC1);
    /* host input: two bytes under a trigger level of 4 -> character timeout interrupt */
    wr(m, 0x3fa, 0x47);
    wr(m, 0x3f9, 0x01);
    ts.in = "hi";
    vt_machine_run(m, m->sched.now + vt_clock_to_time(&xtal, 3 * 1920));
    assert_int_equal(rd(m, 0x3fd) & 1, 1);
    assert_int_equal(rd(m, 0x3fa), 0xC1);
    vt_machine_run(m, m->sched.now + vt_clock_to_time(&xtal, 5 * 1920));
    assert_true(p.cur);
    assert_int_equal(rd(m, 0x3fa), 0xCC);
    assert_int_equal(rd(m, 0x3f8), 'h');
    assert_int_equal(rd(m, 0x3f8), 'i');
    assert_false(p.cur);
    assert_int_equal(rd(m, 0x3fd) & 1, 0);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* OMAP-style window: registers 4 bytes apart, read as 32-bit words or as the byte lane of the
 * window's byte order. */
static void test_uart_stride(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[device.le]\ntype = ns16550\nbase = 0x1000\nsize = 0x20\nreg_shift = 2\n"
                         "[device.be]\ntype = ns16550\nbase = 0x2000\nsize = 0x20\nreg_shift = 2\n"
                         "endian = big\n");
    uint64_t v;
    assert_int_equal(vt_bus_write(&m->bus, 0x1000 + 7 * 4, 4, 0xA5), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&m->bus, 0x1000 + 7 * 4, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0xA5);
    assert_int_equal(rd(m, 0x1000 + 7 * 4), 0xA5);
    wr(m, 0x2000 + 7 * 4 + 3, 0x3C);
    assert_int_equal(vt_bus_read(&m->bus, 0x2000 + 7 * 4, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x3C000000u); /* the register is the last byte of the big-endian word */
    assert_int_equal(rd(m, 0x2000 + 5 * 4 + 3), 0x60);
    vt_machine_destroy(m);
}

static void test_uart_loopback(void **state) {
    (void)state;
    test_serial ts;
    vt_machine *m = make_uart(&ts);
    static const vt_clock xtal = {1843200};
    wr(m, 0x3fb, 0x83), wr(m, 0x3f8, 1), wr(m, 0x3f9, 0), wr(m, 0x3fb, 0x03); /* 115200 */
    assert_int_equal(rd(m, 0x3fe) & 0xF0, 0xB0); /* a host endpoint: DCD, DSR, CTS */
    wr(m, 0x3fc, 0x1F);                          /* loopback, all outputs on */
    assert_int_equal(rd(m, 0x3fe), 0xF0);        /* RI came on: TERI only at its trailing edge */
    wr(m, 0x3fc, 0x1B);                          /* OUT1 off: RI trailing edge */
    assert_int_equal(rd(m, 0x3fe), 0xB4);
    /* the character comes back after one character time, not to the host */
    wr(m, 0x3f9, 0x05);
    wr(m, 0x3f8, 'x');
    vt_machine_run(m, m->sched.now + vt_clock_to_time(&xtal, 160 + 1));
    assert_int_equal(ts.nout, 0);
    assert_int_equal(rd(m, 0x3fa), 0x04);
    assert_int_equal(rd(m, 0x3f8), 'x');
    /* overrun without FIFO: the second character is lost, LSR OE and a line-status interrupt */
    wr(m, 0x3f8, '1'), wr(m, 0x3f8, '2');
    vt_machine_run(m, m->sched.now + vt_clock_to_time(&xtal, 2 * 160 + 1));
    assert_int_equal(rd(m, 0x3fa), 0x06);
    assert_int_equal(rd(m, 0x3fd) & 0x03, 0x03);
    assert_int_equal(rd(m, 0x3fa), 0x04);
    assert_int_equal(rd(m, 0x3f8), '1');
    assert_int_equal(rd(m, 0x3fa), 0x01);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* --- 8042 + PS/2 --------------------------------------------------------------------------- */

/* Reads every byte the controller has for the host. */
static int kbc_drain(vt_machine *m, uint8_t *out, int max, bool *aux) {
    int n = 0;
    while ((rd(m, 0x64) & 1) && n < max) {
        if (aux) aux[n] = rd(m, 0x64) & 0x20;
        out[n++] = (uint8_t)rd(m, 0x60);
    }
    return n;
}

static void kbc_expect(vt_machine *m, const uint8_t *want, int n) {
    uint8_t got[32];
    int k = kbc_drain(m, got, 32, NULL);
    assert_int_equal(k, n);
    assert_memory_equal(got, want, (size_t)n);
}

#define EXPECT(...)                                                                                \
    do {                                                                                           \
        static const uint8_t want_[] = {__VA_ARGS__};                                              \
        kbc_expect(m, want_, (int)sizeof want_);                                                   \
    } while (0)

static void test_kbc_keyboard(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[device.kbc]\ntype = i8042\nbase = 0x60\nsize = 5\n");
    vt_device *d = vt_machine_device(m, "kbc");
    probe irq1, a20;
    attach_probe(m, "kbc", 0, &irq1, false);
    attach_probe(m, "kbc", 2, &a20, true);
    assert_int_equal(rd(m, 0x64) & 0x05, 0x00);
    wr(m, 0x64, 0xAA);                          /* self-test */
    assert_int_equal(rd(m, 0x64) & 0x0D, 0x0D); /* OBF, system flag, last write a command */
    EXPECT(0x55);
    wr(m, 0x64, 0x60), wr(m, 0x60, 0x45); /* IRQ1, SYS, translate, mouse disabled */
    wr(m, 0x64, 0x20);
    EXPECT(0x45);
    /* keyboard reset and identify through the translator: FA AA, FA AB 41 (the keyboard's
     * AB 83 with 83 translated); every byte raises its own IRQ1 edge, since reading the data
     * port drops the line (regression: the edge-triggered PIC saw one edge for the reply, so
     * Linux's atkbd never got the ID bytes) */
    int rises = irq1.rises;
    wr(m, 0x60, 0xFF);
    assert_true(irq1.cur);
    EXPECT(0xFA, 0xAA);
    assert_false(irq1.cur);
    assert_int_equal(irq1.rises, rises + 2);
    wr(m, 0x60, 0xF2);
    EXPECT(0xFA, 0xAB, 0x41);
    assert_int_equal(irq1.rises, rises + 5);
    /* keys in set 2, read as set 1: A, cursor up */
    vt_i8042_key(d, 0x1C, true);
    vt_i8042_key(d, 0x1C, false);
    vt_i8042_key(d, 0xE075, true);
    vt_i8042_key(d, 0xE075, false);
    EXPECT(0x1E, 0x9E, 0xE0, 0x48, 0xE0, 0xC8);
    /* without translation the set 2 bytes come through */
    wr(m, 0x64, 0x60), wr(m, 0x60, 0x05);
    vt_i8042_key(d, 0x1C, true);
    vt_i8042_key(d, 0x1C, false);
    EXPECT(0x1C, 0xF0, 0x1C);
    /* scan code set 1 in the keyboard, query answers the set */
    wr(m, 0x60, 0xF0), wr(m, 0x60, 0x01);
    wr(m, 0x60, 0xF0), wr(m, 0x60, 0x00);
    EXPECT(0xFA, 0xFA, 0xFA, 0xFA, 0x01);
    vt_i8042_key(d, 0x76, true);
    EXPECT(0x01);
    /* LEDs, echo, disabled interface holds keys back */
    wr(m, 0x60, 0xED), wr(m, 0x60, 0x07), wr(m, 0x60, 0xEE);
    EXPECT(0xFA, 0xFA, 0xEE);
    wr(m, 0x64, 0xAD);
    vt_i8042_key(d, 0x76, false);
    assert_int_equal(rd(m, 0x64) & 1, 0);
    wr(m, 0x64, 0xAE);
    EXPECT(0x81);
    /* A20 through the output port; the input port; the output port read */
    wr(m, 0x64, 0xD1), wr(m, 0x60, 0x01);
    assert_false(a20.cur);
    wr(m, 0x64, 0xD0);
    EXPECT(0x01);
    wr(m, 0x64, 0xD1), wr(m, 0x60, 0x03);
    assert_true(a20.cur);
    wr(m, 0x64, 0xC0);
    EXPECT(0xA0);
    fixture_round_trip(m);
    /* 0xFE pulses the reset line: the machine (and the controller) reset */
    wr(m, 0x64, 0xFE);
    vt_machine_run(m, m->sched.now + 1000);
    wr(m, 0x64, 0x20);
    EXPECT(0x00);
    vt_machine_destroy(m);
}

static void test_kbc_mouse(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[device.kbc]\ntype = i8042\nbase = 0x60\nsize = 5\n");
    vt_device *d = vt_machine_device(m, "kbc");
    probe irq12;
    attach_probe(m, "kbc", 1, &irq12, false);
    wr(m, 0x64, 0x60), wr(m, 0x60, 0x03);
    wr(m, 0x64, 0xA8);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xFF); /* reset: FA AA 00 */
    assert_true(irq12.cur);
    uint8_t got[16];
    bool aux[16];
    assert_int_equal(kbc_drain(m, got, 16, aux), 3);
    assert_memory_equal(got, "\xFA\xAA\x00", 3);
    assert_true(aux[0] && aux[1] && aux[2]);
    assert_false(irq12.cur);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xF2);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xF3);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 40);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xF4);
    EXPECT(0xFA, 0x00, 0xFA, 0xFA, 0xFA);
    vt_i8042_mouse(d, 5, -3, 1);
    vt_i8042_mouse(d, -300, 0, 2);
    EXPECT(0x29, 0x05, 0xFD, 0x5A, 0x00, 0x00);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xE9); /* status: stream, enabled, right button */
    EXPECT(0xFA, 0x22, 0x02, 40);
    wr(m, 0x64, 0xD4), wr(m, 0x60, 0xED); /* a keyboard command (Linux's atkbd probe): Resend */
    EXPECT(0xFE);
    /* 0xD3 writes the aux output buffer */
    wr(m, 0x64, 0xD3), wr(m, 0x60, 0x77);
    assert_int_equal(kbc_drain(m, got, 16, aux), 1);
    assert_int_equal(got[0], 0x77);
    assert_true(aux[0]);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* --- 8237 DMA -------------------------------------------------------------------------------- */

static void test_dma(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[memory.ram]\nbase = 0x10000\nsize = 0x30000\n"
                         "[device.dma1]\ntype = i8237\nbase = 0x00\nsize = 0x10\npage = page\n"
                         "[device.dma2]\ntype = i8237\nbase = 0xc0\nsize = 0x20\nreg_shift = 1\n"
                         "word = yes\npage = page\npage_offsets = 15,11,9,10\n"
                         "[device.page]\ntype = dma-page\nbase = 0x80\nsize = 0x10\n");
    vt_device *dma1 = vt_machine_device(m, "dma1"), *dma2 = vt_machine_device(m, "dma2");
    uint8_t buf[600], back[600];
    for (int i = 0; i < 600; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    bool tc;
    assert_false(vt_i8237_ready(dma1, 2)); /* masked after reset */
    /* channel 2 (the floppy's), single mode, device -> memory, 512 bytes at 0x11000 */
    wr(m, 0x0A, 0x06);
    wr(m, 0x0C, 0);
    wr(m, 0x04, 0x00), wr(m, 0x04, 0x10);
    wr(m, 0x05, 0xFF), wr(m, 0x05, 0x01);
    wr(m, 0x81, 0x01);
    wr(m, 0x0B, 0x46);
    wr(m, 0x0A, 0x02);
    assert_true(vt_i8237_ready(dma1, 2));
    assert_int_equal(vt_i8237_transfer(dma1, 2, buf, 300, &tc), 300);
    assert_false(tc);
    assert_int_equal(vt_i8237_transfer(dma1, 2, buf + 300, 300, &tc), 212);
    assert_true(tc);
    assert_int_equal(vt_bus_read_block(&m->bus, 0x11000, back, 512), VT_BUS_OK);
    assert_memory_equal(back, buf, 512);
    assert_int_equal(rd(m, 0x08) & 0x0F, 0x04); /* TC of channel 2, cleared by the read */
    assert_int_equal(rd(m, 0x08) & 0x0F, 0x00);
    wr(m, 0x0C, 0);
    assert_int_equal(rd(m, 0x04) | rd(m, 0x04) << 8, 0x1200);
    assert_int_equal(rd(m, 0x05) | rd(m, 0x05) << 8, 0xFFFF);
    assert_false(vt_i8237_ready(dma1, 2)); /* masked at TC without autoinit */
    /* memory -> device with autoinit and address decrement: 4 bytes from 0x11003 down */
    wr(m, 0x0C, 0);
    wr(m, 0x04, 0x03), wr(m, 0x04, 0x10);
    wr(m, 0x05, 0x03), wr(m, 0x05, 0x00);
    wr(m, 0x0B, 0x3A); /* read, autoinit, decrement, channel 2 */
    wr(m, 0x0A, 0x02);
    uint8_t out[8];
    assert_int_equal(vt_i8237_transfer(dma1, 2, out, 8, &tc), 4);
    assert_true(tc);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out[i], buf[3 - i]);
    assert_true(vt_i8237_ready(dma1, 2)); /* autoinit: reloaded, still unmasked */
    wr(m, 0x0C, 0);
    assert_int_equal(rd(m, 0x04) | rd(m, 0x04) << 8, 0x1003);
    /* the 16-bit controller: channel 5 (1 here), word address 0x800 + page 0x02 = 0x21000 */
    wr(m, 0xD8, 0);
    wr(m, 0xC4, 0x00), wr(m, 0xC4, 0x08);
    wr(m, 0xC6, 0x0F), wr(m, 0xC6, 0x00); /* 16 words */
    wr(m, 0x8B, 0x03);                    /* bit 0 of the page is not used */
    wr(m, 0xD6, 0x45);
    wr(m, 0xD4, 0x01);
    assert_int_equal(vt_i8237_transfer(dma2, 1, buf, 64, &tc), 32);
    assert_true(tc);
    assert_int_equal(vt_bus_read_block(&m->bus, 0x21000, back, 32), VT_BUS_OK);
    assert_memory_equal(back, buf, 32);
    /* master clear masks everything */
    wr(m, 0x0D, 0);
    assert_false(vt_i8237_ready(dma1, 2));
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* All the chips of a PC together, wired as on the AT: two machines run one emulated second
 * with the PIT and RTC interrupting and end with the same state hash. */
#define PC_INI                                                                                     \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\n"                           \
    "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nirq = pic1.2\n"                           \
    "[device.pit]\ntype = i8254\nbase = 0x40\nsize = 4\nirq = pic1.0\n"                            \
    "[device.kbc]\ntype = i8042\nbase = 0x60\nsize = 5\nirq = pic1.1\nirq1 = pic2.4\n"             \
    "[device.rtc]\ntype = mc146818\nbase = 0x70\nsize = 2\nirq = pic2.0\nram_size = 64M\n"         \
    "[device.com1]\ntype = ns16550\nbase = 0x3f8\nsize = 8\nirq = pic1.4\n"                        \
    "out2_gates_irq = yes\n"                                                                       \
    "[device.dma1]\ntype = i8237\nbase = 0x00\nsize = 0x10\npage = page\n"                         \
    "[device.page]\ntype = dma-page\nbase = 0x80\nsize = 0x10\n"

static void run_pc(vt_machine *m) {
    pic_init(m, 0x01);
    wr(m, 0x43, 0x34), wr(m, 0x40, 0x00), wr(m, 0x40, 0x00); /* 18.2 Hz */
    cmos_set(m, 0x0B, 0x52);                                 /* periodic + update-ended */
    vt_machine_run(m, VT_PS_PER_SEC);
    assert_int_equal(rd(m, 0x20), 0x05); /* IRR: IRQ0 and the cascade (RTC) pending */
}

static void test_pc_determinism(void **state) {
    (void)state;
    char h1[65], h2[65];
    vt_error err;
    vt_machine *a = make(PC_INI);
    run_pc(a);
    vt_machine *b = make(PC_INI);
    run_pc(b);
    assert_int_equal(vt_machine_state_hash(a, h1, &err), 0);
    assert_int_equal(vt_machine_state_hash(b, h2, &err), 0);
    assert_string_equal(h1, h2);
    fixture_round_trip(a);
    vt_machine_destroy(a);
    vt_machine_destroy(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uart_timing_fifo_iir),
        cmocka_unit_test(test_uart_stride),
        cmocka_unit_test(test_uart_loopback),
        cmocka_unit_test(test_kbc_keyboard),
        cmocka_unit_test(test_kbc_mouse),
        cmocka_unit_test(test_dma),
        cmocka_unit_test(test_pc_determinism),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
