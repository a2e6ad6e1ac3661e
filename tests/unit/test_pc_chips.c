/* PC legacy chips driven through their register windows in small INI-built machines: 8259A
 * priority/EOI/cascade/poll/spurious and the x86 INTA path, 8254 modes and exact output
 * times, MC146818 time keeping and interrupts, 16550A FIFOs/IIR/loopback/baud timing, 8042
 * commands with the PS/2 keyboard and mouse. Every device also round-trips save -> load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/cpu/x86/x86.h"
#include "core/machine.h"
#include "core/savestate.h"
#include "peripherals/i8042_kbc.h"
#include "peripherals/i8237_dma.h"
#include "peripherals/i8254_pit.h"
#include "peripherals/i8259_pic.h"

static char dir[64];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-pcchips-XXXXXX");
    assert_non_null(mkdtemp(dir));
    setenv("VITRINE_DATADIR", ".", 1);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const void *data, size_t len) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static vt_machine *make_opts(const char *ini, const vt_machine_options *opts) {
    char path[128];
    write_file("m.ini", ini, strlen(ini));
    snprintf(path, sizeof path, "%s/m.ini", dir);
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, path, opts, &err)) fail_msg("%s", err.msg);
    return m;
}

static vt_machine *make(const char *ini) {
    return make_opts(ini, NULL);
}

static uint64_t rd(vt_machine *m, vt_paddr a) {
    uint64_t v = 0;
    assert_int_equal(vt_bus_read(&m->bus, a, 1, &v), VT_BUS_OK);
    return v;
}

static void wr(vt_machine *m, vt_paddr a, uint64_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 1, v), VT_BUS_OK);
}

/* An interrupt input of a device as a line the test drives. */
static vt_irq input_of(vt_machine *m, const char *dev, int n) {
    vt_device *d = vt_machine_device(m, dev);
    assert_non_null(d);
    vt_irq line;
    vt_error err;
    if (d->cls->irq_input(d, n, &line, &err)) fail_msg("%s", err.msg);
    return line;
}

/* Records the level changes of a device output with their times. */
typedef struct probe {
    vt_machine *m;
    int n, rises;
    bool cur;
    vt_time last_rise;
    bool level[64];
    vt_time when[64];
} probe;

static void probe_set(void *opaque, int n, bool level) {
    (void)n;
    probe *p = opaque;
    if (p->cur == level) return;
    p->cur = level;
    if (level) {
        p->rises++;
        p->last_rise = vt_sched_now(&p->m->sched);
    }
    if (p->n < 64) {
        p->level[p->n] = level;
        p->when[p->n] = vt_sched_now(&p->m->sched);
        p->n++;
    }
}

static void attach_probe(vt_machine *m, const char *dev, int out, probe *p, bool level) {
    memset(p, 0, sizeof *p);
    p->m = m;
    p->cur = level;
    vt_device *d = vt_machine_device(m, dev);
    assert_non_null(d);
    d->irq[out] = (vt_irq){probe_set, p, out};
}

/* Every device's save -> load -> save is byte-identical. */
static void check_round_trip(vt_machine *m) {
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        vt_state_writer w1, w2;
        vt_state_writer_init(&w1);
        vt_state_writer_init(&w2);
        d->cls->save(d, &w1);
        vt_state_reader r;
        vt_state_reader_init(&r, w1.buf, w1.len);
        if (d->cls->load(d, &r)) fail_msg("%s: load failed: %s", d->name, vt_state_error(&r));
        d->cls->save(d, &w2);
        assert_int_equal(w1.len, w2.len);
        assert_memory_equal(w1.buf, w2.buf, w1.len);
        vt_state_writer_free(&w1);
        vt_state_writer_free(&w2);
    }
}

static const vt_clock pit_clock = {1193182};
static vt_time pit_t(uint64_t cycles) {
    return vt_clock_to_time(&pit_clock, cycles);
}

/* --- 8259A ------------------------------------------------------------------------------ */

#define PIC_INI                                                                                    \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\nirq = tdev.0\n"             \
    "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nirq = pic1.2\n"                           \
    "[device.tdev]\ntype = vitrine-testdev\nbase = 0x10000\nsize = 0x400\n"

static bool cpu_intr(vt_machine *m) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0x1001c, 4, &v), VT_BUS_OK);
    return v & 1;
}

/* The PC BIOS initialisation: master vectors 0x08, slave 0x70, cascade on IR2. */
static void pic_init(vt_machine *m, uint8_t icw4) {
    wr(m, 0x20, 0x11), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, icw4);
    wr(m, 0xa0, 0x11), wr(m, 0xa1, 0x70), wr(m, 0xa1, 0x02), wr(m, 0xa1, icw4);
}

static int intack(vt_machine *m) {
    return vt_i8259_intack(vt_machine_device(m, "pic1"));
}

static void test_pic_priority_eoi(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x01);
    assert_int_equal(rd(m, 0x21), 0); /* ICW1 clears the mask */
    vt_irq ir3 = input_of(m, "pic1", 3), ir5 = input_of(m, "pic1", 5);
    vt_irq_raise(&ir5);
    vt_irq_raise(&ir3);
    assert_true(cpu_intr(m));
    assert_int_equal(rd(m, 0x20), 0x28); /* IRR (default read) */
    assert_int_equal(intack(m), 0x0B);   /* IR3 first: higher priority */
    wr(m, 0x20, 0x0B);                   /* OCW3: read ISR */
    assert_int_equal(rd(m, 0x20), 0x08);
    assert_false(cpu_intr(m)); /* IR5 waits while IR3 is in service */
    wr(m, 0x20, 0x20);         /* non-specific EOI */
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x0D);
    assert_int_equal(rd(m, 0x20), 0x20);
    wr(m, 0x20, 0x65); /* specific EOI for IR5 */
    assert_int_equal(rd(m, 0x20), 0x00);
    assert_false(cpu_intr(m)); /* edge inputs: the requests were consumed */
    /* masking */
    vt_irq_lower(&ir3);
    wr(m, 0x21, 0x08);
    vt_irq_raise(&ir3);
    assert_false(cpu_intr(m));
    wr(m, 0x21, 0x00);
    assert_true(cpu_intr(m));
    /* rotation: set priority makes IR3 the lowest, so IR4 wins over IR3 */
    vt_irq ir4 = input_of(m, "pic1", 4);
    vt_irq_raise(&ir4);
    wr(m, 0x20, 0xC3);
    assert_int_equal(intack(m), 0x0C);
    wr(m, 0x20, 0xA0); /* rotate on non-specific EOI: IR4 becomes the lowest */
    assert_int_equal(intack(m), 0x0B);
    wr(m, 0x20, 0x20);
    check_round_trip(m);
    vt_machine_destroy(m);
}

static void test_pic_cascade_spurious_poll(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x01);
    vt_irq ir12 = input_of(m, "pic2", 4);
    vt_irq_raise(&ir12);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x74); /* the slave supplies the vector */
    wr(m, 0x20, 0x0B);
    wr(m, 0xa0, 0x0B);
    assert_int_equal(rd(m, 0x20), 0x04); /* master ISR: the cascade input */
    assert_int_equal(rd(m, 0xa0), 0x10);
    wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20);
    assert_int_equal(rd(m, 0x20) | rd(m, 0xa0), 0);
    /* INTA with no request left (it went away): IR7's vector and no ISR bit, on the master
     * (spurious IRQ7) and on the slave (spurious IRQ15) */
    vt_irq ir1 = input_of(m, "pic1", 1);
    vt_irq_raise(&ir1);
    assert_true(cpu_intr(m));
    vt_irq_lower(&ir1);
    assert_false(cpu_intr(m));
    assert_int_equal(intack(m), 0x0F);
    assert_int_equal(vt_i8259_intack(vt_machine_device(m, "pic2")), 0x77);
    assert_int_equal(rd(m, 0x20) | rd(m, 0xa0), 0);
    /* poll: the read acknowledges */
    vt_irq ir6 = input_of(m, "pic1", 6);
    vt_irq_raise(&ir6);
    wr(m, 0x20, 0x0C);
    assert_int_equal(rd(m, 0x20), 0x86);
    wr(m, 0x20, 0x0B);
    assert_int_equal(rd(m, 0x20), 0x40);
    wr(m, 0x20, 0x0C);
    assert_int_equal(rd(m, 0x20), 0x00);
    wr(m, 0x20, 0x20);
    check_round_trip(m);
    vt_machine_destroy(m);
}

static void test_pic_modes(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    /* auto-EOI: no ISR bit is left behind */
    pic_init(m, 0x03);
    vt_irq ir0 = input_of(m, "pic1", 0), ir1 = input_of(m, "pic1", 1);
    vt_irq_raise(&ir1);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x0B);
    assert_int_equal(rd(m, 0x20), 0);
    /* special mask mode: with IR0 in service and masked, lower IR1 gets through */
    pic_init(m, 0x01);
    vt_irq_lower(&ir1);
    vt_irq_raise(&ir0);
    assert_int_equal(intack(m), 0x08);
    vt_irq_raise(&ir1);
    assert_false(cpu_intr(m));
    wr(m, 0x21, 0x01);
    wr(m, 0x20, 0x68); /* OCW3: set special mask */
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x48); /* reset special mask */
    wr(m, 0x20, 0x61), wr(m, 0x20, 0x60), wr(m, 0x21, 0x00);
    /* level-triggered (ICW1 LTIM): the request stays while the line is high */
    wr(m, 0x20, 0x19), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, 0x01);
    assert_true(cpu_intr(m)); /* IR0 and IR1 are still high */
    assert_int_equal(intack(m), 0x08);
    wr(m, 0x20, 0x20);
    assert_int_equal(intack(m), 0x08);
    wr(m, 0x20, 0x20);
    vt_irq_lower(&ir0);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    /* ELCR on an edge-mode chip */
    pic_init(m, 0x01);
    vt_i8259_set_elcr(vt_machine_device(m, "pic1"), 0x02);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    vt_machine_destroy(m);
}

/* Special fully nested mode on the master: a higher-priority slave request gets through while
 * the cascade input is in service; in the normal nested mode it waits. */
static void test_pic_sfnm(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x11); /* 8086 mode + SFNM */
    vt_irq ir12 = input_of(m, "pic2", 4), ir9 = input_of(m, "pic2", 1);
    vt_irq_raise(&ir12);
    assert_int_equal(intack(m), 0x74);
    vt_irq_raise(&ir9);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x71);
    wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20), wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20);
    pic_init(m, 0x01);
    vt_irq_lower(&ir12), vt_irq_lower(&ir9);
    vt_irq_raise(&ir12);
    assert_int_equal(intack(m), 0x74);
    vt_irq_raise(&ir9);
    assert_false(cpu_intr(m)); /* the slave asks, but IR2 is in service at the master */
    wr(m, 0x20, 0x20);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x71);
    vt_machine_destroy(m);
}

/* A cascade loop in the profile (each PIC the other's slave) cannot make INTA recurse. */
static void test_pic_cascade_loop(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\n"
                         "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nslave = pic1\n"
                         "irq = pic1.2\n");
    wr(m, 0x20, 0x11), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, 0x01);
    wr(m, 0xa0, 0x11), wr(m, 0xa1, 0x70), wr(m, 0xa1, 0x04), wr(m, 0xa1, 0x01);
    vt_irq ir2 = input_of(m, "pic2", 2);
    vt_irq_raise(&ir2);
    assert_int_equal(intack(m), 0xFF); /* nobody answers the cascade cycle */
    vt_machine_destroy(m);
}

/* A real-mode x86 machine with the master 8259A as its INTA source. ROM: F000:FF00 main
 * (stack, sti; hlt loop), F000:FF20 cli; hlt loop. */
static vt_machine *make_x86(const char *devices) {
    static uint8_t rom[0x10000];
    static const uint8_t main_code[] = {0xFA, 0x31, 0xC0, 0x8E, 0xD0, 0xBC, 0x00,
                                        0x70, 0x8E, 0xD8, 0xFB, 0xF4, 0xEB, 0xFD};
    static const uint8_t cli_code[] = {0xFA, 0xF4, 0xEB, 0xFD};
    memset(rom, 0xF4, sizeof rom);
    memcpy(rom + 0xFF00, main_code, sizeof main_code);
    memcpy(rom + 0xFF20, cli_code, sizeof cli_code);
    rom[0xFFF0] = 0xE9; /* jmp near F000:FF00 */
    rom[0xFFF1] = (uint8_t)(0xFF00 - 0xFFF3);
    rom[0xFFF2] = (uint8_t)((0xFF00 - 0xFFF3) >> 8);
    write_file("bios.bin", rom, sizeof rom);
    char ini[1024];
    snprintf(ini, sizeof ini,
             "[machine]\nname = t\ncpu = pentium2\nclock = 100000000\n"
             "[memory.ram]\nbase = 0\nsize = 0x80000\n"
             "[rom.bios]\npath = bios.bin\nbase = 0xffff0000\nsize = 0x10000\n"
             "[rom.bioslow]\npath = bios.bin\nbase = 0xf0000\nsize = 0x10000\n"
             "[device.pic1]\ntype = i8259\nbase = 0x90000\nsize = 2\nirq = cpu.0\n%s",
             devices);
    vt_machine *m = make(ini);
    vt_x86_set_intack(m->cpu, vt_i8259_intack, vt_machine_device(m, "pic1"));
    /* handlers: IRQ0 (vector 8) counts at 0x600 and sends EOI; NMI counts at 0x601 */
    static const uint8_t irq_handler[] = {0xFE, 0x06, 0x00, 0x06, 0xB8, 0x00, 0x90, 0x8E,
                                          0xC0, 0x26, 0xC6, 0x06, 0x00, 0x00, 0x20, 0xCF};
    static const uint8_t nmi_handler[] = {0xFE, 0x06, 0x01, 0x06, 0xCF};
    assert_int_equal(vt_bus_write_block(&m->bus, 0x500, irq_handler, sizeof irq_handler), 0);
    assert_int_equal(vt_bus_write_block(&m->bus, 0x540, nmi_handler, sizeof nmi_handler), 0);
    assert_int_equal(vt_bus_write(&m->bus, 8 * 4, 4, 0x00000500), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->bus, 2 * 4, 4, 0x00000540), VT_BUS_OK);
    return m;
}

/* The timer chain: 8254 OUT0 -> 8259A IR0 -> x86 INTR -> INTA -> handler, 1000 times. */
static void test_x86_timer_chain(void **state) {
    (void)state;
    vt_machine *m =
        make_x86("[device.pit]\ntype = i8254\nbase = 0x90040\nsize = 4\nirq = pic1.0\n");
    wr(m, 0x90000, 0x11), wr(m, 0x90001, 0x08), wr(m, 0x90001, 0x04), wr(m, 0x90001, 0x01);
    wr(m, 0x90001, 0xFE);
    const uint64_t n = 1193;
    wr(m, 0x90043, 0x34), wr(m, 0x90040, n & 0xFF), wr(m, 0x90040, n >> 8);
    /* OUT0 rises at every reload (clocks n, 2n, ...): one interrupt per edge */
    vt_machine_run(m, pit_t(5 * n) - 1);
    assert_int_equal(rd(m, 0x600), 4);
    vt_machine_run(m, pit_t(5 * n) + 10000000); /* 10 us: the handler has run */
    assert_int_equal(rd(m, 0x600), 5);
    vt_machine_run(m, pit_t(250 * n) + 10000000);
    assert_int_equal(rd(m, 0x600), 250);
    vt_machine_destroy(m);
}

/* x86 in real mode takes IRQ0 through the INTA hook; HLT with IF clear ignores INTR, NMI
 * still wakes it. ROM: F000:FF00 main (sti; hlt loop), F000:FF20 cli; hlt loop. */
static void test_x86_intack(void **state) {
    (void)state;
    vt_machine *m = make_x86("");
    wr(m, 0x90000, 0x11), wr(m, 0x90001, 0x08), wr(m, 0x90001, 0x04), wr(m, 0x90001, 0x01);
    wr(m, 0x90001, 0xFE);
    vt_machine_run(m, 1000000); /* 1 us: the core reaches HLT */
    assert_true(m->cpu->halted);
    vt_irq ir0 = input_of(m, "pic1", 0);
    for (int k = 1; k <= 3; k++) {
        vt_irq_raise(&ir0);
        vt_machine_run(m, m->sched.now + 1000000);
        vt_irq_lower(&ir0);
        assert_int_equal(rd(m, 0x600), k);
        assert_true(m->cpu->halted);
    }
    wr(m, 0x90000, 0x0B);
    assert_int_equal(rd(m, 0x90000), 0); /* the handler's EOI cleared the ISR */
    /* cli; hlt: INTR does not end the halt, NMI does */
    m->cpu->ops->set_reg(m->cpu, X86_EIP, 0xFF20);
    m->cpu->halted = false;
    vt_machine_run(m, m->sched.now + 1000000);
    uint64_t eip = m->cpu->ops->get_pc(m->cpu);
    vt_irq_raise(&ir0);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_true(m->cpu->halted);
    assert_int_equal(m->cpu->ops->get_pc(m->cpu), eip);
    assert_int_equal(rd(m, 0x600), 3);
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 1);
    assert_true(m->cpu->halted);
    /* NMI is edge-triggered: the line staying high is not a second one */
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 1);
    m->cpu->ops->set_irq(m->cpu, 1, false);
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 2);
    check_round_trip(m);
    vt_machine_destroy(m);
}

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
    check_round_trip(m);
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
    check_round_trip(m);
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
    check_round_trip(m);
    vt_machine_destroy(m);
}

/* --- MC146818 ----------------------------------------------------------------------------- */

#define RTC_INI(extra)                                                                             \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.rtc]\ntype = mc146818\nbase = 0x70\nsize = 2\n" extra

static uint8_t cmos(vt_machine *m, uint8_t reg) {
    wr(m, 0x70, reg);
    return (uint8_t)rd(m, 0x71);
}

static void cmos_set(vt_machine *m, uint8_t reg, uint8_t v) {
    wr(m, 0x70, reg);
    wr(m, 0x71, v);
}

#define MS (VT_PS_PER_SEC / 1000)

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
    check_round_trip(m);
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
    check_round_trip(m);
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
    check_round_trip(m);
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
    check_round_trip(m);
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
    /* keyboard reset and identify through the translator: FA AA, FA AB 41 */
    wr(m, 0x60, 0xFF);
    assert_true(irq1.cur);
    EXPECT(0xFA, 0xAA);
    assert_false(irq1.cur);
    wr(m, 0x60, 0xF2);
    EXPECT(0xFA, 0xAB, 0x41);
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
    check_round_trip(m);
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
    /* 0xD3 writes the aux output buffer */
    wr(m, 0x64, 0xD3), wr(m, 0x60, 0x77);
    assert_int_equal(kbc_drain(m, got, 16, aux), 1);
    assert_int_equal(got[0], 0x77);
    assert_true(aux[0]);
    check_round_trip(m);
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
    check_round_trip(m);
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
    check_round_trip(a);
    vt_machine_destroy(a);
    vt_machine_destroy(b);
}

#define TESTS(X)                                                                                   \
    X(test_pic_priority_eoi)                                                                       \
    X(test_pic_cascade_spurious_poll)                                                              \
    X(test_pic_modes)                                                                              \
    X(test_pic_sfnm)                                                                               \
    X(test_pic_cascade_loop)                                                                       \
    X(test_x86_intack)                                                                             \
    X(test_x86_timer_chain)                                                                        \
    X(test_pit_mode2_exact)                                                                        \
    X(test_pit_unwired_out)                                                                        \
    X(test_pit_modes)                                                                              \
    X(test_rtc_calendar)                                                                           \
    X(test_rtc_periodic_and_cmos)                                                                  \
    X(test_rtc_bad_start)                                                                          \
    X(test_uart_timing_fifo_iir)                                                                   \
    X(test_uart_stride)                                                                            \
    X(test_uart_loopback)                                                                          \
    X(test_kbc_keyboard)                                                                           \
    X(test_kbc_mouse)                                                                              \
    X(test_dma)                                                                                    \
    X(test_pc_determinism)

int main(void) {
#define AS_TEST(fn) cmocka_unit_test(fn),
    const struct CMUnitTest tests[] = {TESTS(AS_TEST)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
