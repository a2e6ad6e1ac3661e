/* OMAP1 MPU level-1 / level-2 interrupt handler: ITR, MIR, SIR_IRQ/SIR_FIQ (reading acknowledges
 * an edge source), CONTROL, ILR0-31 (FIQ, level/edge, priority), ISR. Outputs follow the pending
 * state without waiting for NEW_IRQ_AGR (Linux always writes it in its ack). The priority scan is
 * shared with omap2-intc (peripherals/omap_intc_prio.c). Sources: OMAP5910
 * TRM SPRU678; Linux 6.1 arch/arm/mach-omap1/irq.c; QEMU omap_intc (facts). */
#include "peripherals/omap_intc_prio.h"

#include "core/device.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    ITR = 0x00,
    MIR = 0x04,
    SIR_IRQ = 0x10,
    SIR_FIQ = 0x14,
    CONTROL = 0x18,
    ILR0 = 0x1c,
    ISR = 0x9c,
    NLINES = 32,
    ILR_LEVEL = 0x02,
};

typedef struct intc {
    vt_device *dev;
    uint32_t itr, mir, isr, levels;
    uint8_t ilr[NLINES]; /* FIQ, LEVEL, priority (bits 6:2) */
    bool out[2];
} intc;

static bool is_level(const intc *c, int n) {
    return (c->ilr[n] & ILR_LEVEL) != 0;
}

/* Pending = latched edges and software sets, plus level inputs still high. */
static uint32_t pending(const intc *c) {
    return c->itr | c->isr;
}

/* Highest-priority pending unmasked interrupt routed to FIQ (fiq) or IRQ, or -1. */
static int best(const intc *c, bool fiq) {
    uint32_t p = pending(c) & ~c->mir;
    return vt_omap_intc_winner(&p, NLINES, c->ilr, fiq);
}

static void update(intc *c) {
    for (int k = 0; k < 2; k++) {
        bool lvl = best(c, k == 1) >= 0;
        if (lvl != c->out[k]) {
            c->out[k] = lvl;
            vt_irq_set(&c->dev->irq[k], lvl);
        }
    }
}

static void input(void *opaque, int n, bool level) {
    intc *c = opaque;
    uint32_t bit = 1u << n;
    bool was = (c->levels & bit) != 0;
    c->levels = level ? c->levels | bit : c->levels & ~bit;
    if (level && (!was || is_level(c, n))) c->itr |= bit;
    if (!level && is_level(c, n)) c->itr &= ~bit;
    update(c);
}

static int irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n >= NLINES) return vt_fail(err, "omap1-intc inputs are 0..31");
    *out = (vt_irq){input, d->priv, n};
    return 0;
}

static uint32_t read_sir(intc *c, bool fiq) {
    int n = best(c, fiq);
    if (n < 0) return 0;
    if (!is_level(c, n)) c->itr &= ~(1u << n); /* edge sources are acknowledged by the read */
    c->isr &= ~(1u << n);
    update(c);
    return (uint32_t)n;
}

static uint64_t intc_read(void *opaque, uint64_t off, unsigned size) {
    intc *c = opaque;
    if (size == 4 && off >= ILR0 && off < ILR0 + 4 * NLINES && !(off & 3))
        return c->ilr[(off - ILR0) / 4];
    if (size == 4) switch (off) {
        case ITR:
            return pending(c);
        case MIR:
            return c->mir;
        case SIR_IRQ:
            return read_sir(c, false);
        case SIR_FIQ:
            return read_sir(c, true);
        case CONTROL:
            return 0;
        case ISR:
            return c->isr;
        default:
            break;
        }
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void intc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    intc *c = opaque;
    uint32_t x = (uint32_t)v;
    if (size == 4 && off >= ILR0 && off < ILR0 + 4 * NLINES && !(off & 3)) {
        c->ilr[(off - ILR0) / 4] = (uint8_t)(x & 0x7f);
        /* a line made level-sensitive is pending exactly while it is high */
        int n = (int)(off - ILR0) / 4;
        if (is_level(c, n)) c->itr = (c->itr & ~(1u << n)) | (c->levels & (1u << n));
    } else if (size == 4 && off == ITR) {
        c->itr &= x | c->levels; /* writing 0 clears a latched bit; high levels stay */
        c->isr &= x;
    } else if (size == 4 && off == MIR) {
        c->mir = x;
    } else if (size == 4 && off == CONTROL) {
        /* NEW_IRQ_AGR / NEW_FIQ_AGR: outputs already follow the pending state */
    } else if (size == 4 && off == ISR) {
        c->isr = x;
    } else {
        vt_dev_log_unknown(c->dev, "write", off, size, v);
        return;
    }
    update(c);
}

static const vt_mmio_ops intc_ops = {intc_read, intc_write};

static int intc_create(vt_device *d, vt_error *err) {
    if (d->size < ISR + 4) return vt_fail(err, "size must be at least 0x%x", ISR + 4);
    intc *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    return vt_dev_map_mmio(d, &intc_ops, c, VT_LITTLE_ENDIAN, err);
}

static void intc_reset(vt_device *d) {
    intc *c = d->priv;
    c->itr = c->isr = 0;
    c->mir = 0xffffffffu;
    memset(c->ilr, 0, sizeof c->ilr); /* edge, IRQ, priority 0 */
    update(c);
}

static void intc_save(const vt_device *d, vt_state_writer *w) {
    const intc *c = d->priv;
    vt_state_begin(w, "O1IH", 1);
    vt_state_put_u32(w, c->itr);
    vt_state_put_u32(w, c->mir);
    vt_state_put_u32(w, c->isr);
    vt_state_put_u32(w, c->levels);
    for (int i = 0; i < NLINES; i++)
        vt_state_put_u32(w, c->ilr[i]);
    vt_state_put_u8(w, c->out[0]);
    vt_state_put_u8(w, c->out[1]);
    vt_state_end(w);
}

static int intc_load(vt_device *d, vt_state_reader *r) {
    intc *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1IH", 1, &ver)) return -1;
    c->itr = vt_state_get_u32(r);
    c->mir = vt_state_get_u32(r);
    c->isr = vt_state_get_u32(r);
    c->levels = vt_state_get_u32(r);
    for (int i = 0; i < NLINES; i++)
        c->ilr[i] = (uint8_t)(vt_state_get_u32(r) & 0x7f);
    c->out[0] = vt_state_get_u8(r);
    c->out[1] = vt_state_get_u8(r);
    return vt_state_close(r);
}

static void intc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_intc = {
    .name = "omap1-intc",
    .description = "OMAP1 MPU level-1/level-2 interrupt handler (32 inputs, IRQ + FIQ out)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = intc_create,
    .reset = intc_reset,
    .save = intc_save,
    .load = intc_load,
    .destroy = intc_destroy,
    .irq_input = irq_input,
};
