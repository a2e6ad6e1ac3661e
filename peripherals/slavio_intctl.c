/* Sun4m SLAVIO interrupt controller ("slavio-intctl"), one CPU: the per-processor registers
 * (offset 0: pending R, clear-soft W at +4, set-soft W at +8) and the system registers at
 * +0x10000 (pending R, mask R at +4, clear-mask W at +8, set-mask W at +0xc, target R/W at
 * +0x10). Inputs 0..31 are the system interrupt bits (e.g. 15 serial, 19 real-time clock);
 * inputs 32+L are the processor's own hard interrupt level L (e.g. 46 = level 14 profile
 * timer). The controller presents the highest pending level on its outputs irq..irq14 (IRL
 * levels 1..15), which the profile wires to the CPU (`irq = cpu.1-15`).
 * Sources: Sun4M System Architecture manual ch. 6 (interrupts); Linux sun4m_irq.c comments
 * for the system bit -> level table; QEMU slavio_intctl.c for the reset value of the mask-all
 * bit (clear). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define MASK_ALL 0x80000000u

/* System interrupt bit -> processor level (Sun4M architecture, table of onboard sources). */
static const uint8_t sys_level[32] = {
    2,  3,  5,  7,  9, 11, 13, /* 0..6 VME levels 1..7 */
    2,  3,  5,  7,  9, 11, 13, /* 7..13 SBus levels 1..7 */
    12, 12, 6,  13, 4, 10, 8,
    9,                 /* 14 kbd/ms, 15 serial, 16 ether, 17 audio, 18 SCSI,
                          19 real-time clock, 20 video, 21 module */
    11, 0,  0,  0,  0, /* 22 floppy, 23..26 reserved */
    15, 15, 15, 15,    /* 27 VME error, 28 ECC, 29 M-to-S write, 30 module error */
    0,                 /* 31: the mask-all bit, not a source */
};

typedef struct intctl {
    vt_device *dev;
    uint32_t sys_pending; /* levels of the system inputs */
    uint32_t sys_mask;    /* 1 = masked; bit 31 masks all */
    uint32_t target;
    uint32_t cpu_soft;      /* soft interrupts, bit L */
    uint32_t cpu_hard;      /* the processor's hard inputs, bit L */
    uint32_t cpu_level_out; /* bit L: IRL level currently asserted */
} intctl;

static void update(intctl *t) {
    uint32_t want = t->cpu_soft | t->cpu_hard;
    if (!(t->sys_mask & MASK_ALL)) {
        uint32_t p = t->sys_pending & ~t->sys_mask;
        for (int b = 0; b < 31; b++)
            if ((p >> b) & 1) want |= 1u << sys_level[b];
    }
    want &= 0xfffe;
    /* The IRL bus carries one level: assert only the highest. */
    uint32_t level = want ? 1u << (31 - __builtin_clz(want)) : 0;
    uint32_t changed = level ^ t->cpu_level_out;
    t->cpu_level_out = level;
    for (int l = 1; l < 16; l++)
        if ((changed >> l) & 1) vt_irq_set(&t->dev->irq[l - 1], (level >> l) & 1);
}

static void input(void *opaque, int n, bool level) {
    intctl *t = opaque;
    if (n < 32) {
        if (level)
            t->sys_pending |= 1u << n;
        else
            t->sys_pending &= ~(1u << n);
    } else {
        unsigned l = (unsigned)(n - 32);
        if (level)
            t->cpu_hard |= 1u << l;
        else
            t->cpu_hard &= ~(1u << l);
    }
    if (vt_log_enabled(VT_LOG_IRQ)) vt_log(VT_LOG_IRQ, "slavio-intctl: input %d -> %d", n, level);
    update(t);
}

static int irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 47 || n == 31 || n == 32)
        return vt_fail(err, "slavio-intctl inputs are 0..30 (system bits) and 33..47 (CPU levels)");
    *out = (vt_irq){input, d->priv, n};
    return 0;
}

static uint64_t ic_read(void *opaque, uint64_t off, unsigned size) {
    intctl *t = opaque;
    if (size == 4) {
        switch (off) {
        case 0x0:
            return t->cpu_soft << 16 | t->cpu_hard;
        case 0x10000:
            return t->sys_pending & ~MASK_ALL;
        case 0x10004:
            return t->sys_mask;
        case 0x10010:
            return t->target;
        default:
            break;
        }
    }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void ic_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    intctl *t = opaque;
    uint32_t x = (uint32_t)v;
    if (size == 4) {
        switch (off) {
        case 0x4:
            t->cpu_soft &= ~((x >> 16) & 0xfffe);
            update(t);
            return;
        case 0x8:
            t->cpu_soft |= (x >> 16) & 0xfffe;
            update(t);
            return;
        case 0x10008:
            t->sys_mask &= ~x;
            update(t);
            return;
        case 0x1000c:
            t->sys_mask |= x;
            update(t);
            return;
        case 0x10010:
            t->target = x & 3;
            return;
        default:
            break;
        }
    }
    vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops ic_ops = {ic_read, ic_write};

static int ic_create(vt_device *d, vt_error *err) {
    intctl *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    t->dev = d;
    d->priv = t;
    if (d->size < 0x10014) return vt_fail(err, "size must cover the system registers (0x10014)");
    return vt_dev_map_mmio(d, &ic_ops, t, VT_BIG_ENDIAN, err);
}

static void ic_reset(vt_device *d) {
    intctl *t = d->priv;
    /* Every source masked, but not the master "mask all" bit 31: the firmware we run (OpenBIOS)
     * only ever writes 0x7fffffff to clear-mask and Linux's sun4m code never clears bit 31, so
     * both rely on it being clear after reset, as in QEMU's SLAVIO model. */
    t->sys_mask = 0x7ffffffeu;
    t->cpu_soft = 0;
    t->target = 0;
    update(t);
}

static void ic_save(const vt_device *d, vt_state_writer *w) {
    const intctl *t = d->priv;
    vt_state_begin(w, "SLIC", 1);
    vt_state_put_u32(w, t->sys_pending);
    vt_state_put_u32(w, t->sys_mask);
    vt_state_put_u32(w, t->target);
    vt_state_put_u32(w, t->cpu_soft);
    vt_state_put_u32(w, t->cpu_hard);
    vt_state_put_u32(w, t->cpu_level_out);
    vt_state_end(w);
}

static int ic_load(vt_device *d, vt_state_reader *r) {
    intctl *t = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SLIC", 1, &v)) return -1;
    t->sys_pending = vt_state_get_u32(r);
    t->sys_mask = vt_state_get_u32(r);
    t->target = vt_state_get_u32(r);
    t->cpu_soft = vt_state_get_u32(r) & 0xfffe;
    t->cpu_hard = vt_state_get_u32(r) & 0xfffe;
    t->cpu_level_out = vt_state_get_u32(r) & 0xfffe;
    return vt_state_close(r);
}

static void ic_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_slavio_intctl = {
    .name = "slavio-intctl",
    .description = "Sun4m SLAVIO interrupt controller (one processor)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 15, /* IRL levels 1..15 */
    .create = ic_create,
    .reset = ic_reset,
    .save = ic_save,
    .load = ic_load,
    .destroy = ic_destroy,
    .irq_input = irq_input,
};
