/* Shared helpers of the PC chip unit tests (test_pc_pic.c, test_pc_timers.c, test_pc_io.c):
 * small INI-built machines, register access through the bus, IRQ probes, the save -> load
 * round trip every device must pass, and the 8259A/MC146818 set-up more than one file uses. */
#ifndef VT_TESTS_PC_CHIPS_TEST_H
#define VT_TESTS_PC_CHIPS_TEST_H

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
#include "tests/unit/fixture.h"
#include "peripherals/i8042_kbc.h"
#include "peripherals/i8237_dma.h"
#include "peripherals/i8254_pit.h"
#include "peripherals/i8259_pic.h"

static char dir[64];

static inline int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-pcchips-XXXXXX");
    assert_non_null(mkdtemp(dir));
    setenv("VITRINE_DATADIR", ".", 1);
    return 0;
}

static inline int teardown(void **state) {
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static inline void write_file(const char *name, const void *data, size_t len) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static inline vt_machine *make_opts(const char *ini, const vt_machine_options *opts) {
    return fixture_machine(dir, ini, opts);
}

static inline vt_machine *make(const char *ini) {
    return make_opts(ini, NULL);
}

static inline uint64_t rd(vt_machine *m, vt_paddr a) {
    uint64_t v = 0;
    assert_int_equal(vt_bus_read(&m->bus, a, 1, &v), VT_BUS_OK);
    return v;
}

static inline void wr(vt_machine *m, vt_paddr a, uint64_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 1, v), VT_BUS_OK);
}

/* An interrupt input of a device as a line the test drives. */
static inline vt_irq input_of(vt_machine *m, const char *dev, int n) {
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

static inline void probe_set(void *opaque, int n, bool level) {
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

static inline void attach_probe(vt_machine *m, const char *dev, int out, probe *p, bool level) {
    memset(p, 0, sizeof *p);
    p->m = m;
    p->cur = level;
    vt_device *d = vt_machine_device(m, dev);
    assert_non_null(d);
    d->irq[out] = (vt_irq){probe_set, p, out};
}

static const vt_clock pit_clock = {1193182};
static inline vt_time pit_t(uint64_t cycles) {
    return vt_clock_to_time(&pit_clock, cycles);
}

/* --- 8259A ------------------------------------------------------------------------------ */

#define PIC_INI                                                                                    \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\nirq = tdev.0\n"             \
    "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nirq = pic1.2\n"                           \
    "[device.tdev]\ntype = vitrine-testdev\nbase = 0x10000\nsize = 0x400\n"

static inline bool cpu_intr(vt_machine *m) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0x1001c, 4, &v), VT_BUS_OK);
    return v & 1;
}

/* The PC BIOS initialisation: master vectors 0x08, slave 0x70, cascade on IR2. */
static inline void pic_init(vt_machine *m, uint8_t icw4) {
    wr(m, 0x20, 0x11), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, icw4);
    wr(m, 0xa0, 0x11), wr(m, 0xa1, 0x70), wr(m, 0xa1, 0x02), wr(m, 0xa1, icw4);
}

static inline int intack(vt_machine *m) {
    return vt_i8259_intack(vt_machine_device(m, "pic1"));
}

/* --- MC146818 ----------------------------------------------------------------------------- */

#define RTC_INI(extra)                                                                             \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[device.rtc]\ntype = mc146818\nbase = 0x70\nsize = 2\n" extra

static inline uint8_t cmos(vt_machine *m, uint8_t reg) {
    wr(m, 0x70, reg);
    return (uint8_t)rd(m, 0x71);
}

static inline void cmos_set(vt_machine *m, uint8_t reg, uint8_t v) {
    wr(m, 0x70, reg);
    wr(m, 0x71, v);
}

#define MS (VT_PS_PER_SEC / 1000)

#endif
