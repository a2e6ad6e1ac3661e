/* OMAP2420 MPU interrupt controller ("omap2-intc"): 96 level inputs in three banks of 32 with
 * raw status (ITR), mask (MIR, set/clear aliases), software-set interrupts (ISR_SET/CLEAR), a
 * per-input ILR (priority 0 = highest, FIQ routing), and SIR_IRQ/SIR_FIQ giving the winning
 * input. Outputs: irq (to the ARM IRQ line) and irq1 (FIQ). Ties go to the lower input number
 * (the priority scan is shared with omap1-intc: peripherals/omap_intc_prio.c).
 * Approximation: SIR is computed on read (the "new agreement" handshake via CONTROL only
 * acknowledges). Sources: OMAP2420 TRM (SPRU... "MPU INTC" chapter, register map); Linux 6.1
 * drivers/irqchip/irq-omap-intc.c (which registers it relies on). */
#include "peripherals/omap_intc_prio.h"

#include "core/savestate.h"
#include "core/device.h"

#include <stdlib.h>

#define NBANKS 3
#define NIRQ (NBANKS * 32)

enum {
    INTC_REVISION = 0x00,
    INTC_SYSCONFIG = 0x10,
    INTC_SYSSTATUS = 0x14,
    INTC_SIR_IRQ = 0x40,
    INTC_SIR_FIQ = 0x44,
    INTC_CONTROL = 0x48,
    INTC_PROTECTION = 0x4c,
    INTC_IDLE = 0x50,
    INTC_BANK0 = 0x80, /* + 0x20 * bank */
    INTC_BANK_STRIDE = 0x20,
    INTC_ILR0 = 0x100,
};
/* Registers inside a bank. */
enum {
    BANK_ITR = 0x00,
    BANK_MIR = 0x04,
    BANK_MIR_CLEAR = 0x08,
    BANK_MIR_SET = 0x0c,
    BANK_ISR_SET = 0x10,
    BANK_ISR_CLEAR = 0x14,
    BANK_PENDING_IRQ = 0x18,
    BANK_PENDING_FIQ = 0x1c,
};
#define INTC_REV_VALUE 0x20     /* revision 2.0 */
#define SYSCONFIG_SOFTRESET 0x2 /* self-clearing */
#define SYSCONFIG_AUTOIDLE 0x1
#define SYSSTATUS_RESETDONE 0x1
#define ILR_FIQ VT_OMAP_ILR_FIQ
#define ILR_PRIORITY 0xfc        /* bits 7:2, 0 = highest */
#define SIR_SPURIOUS 0xffffff80u /* upper bits when nothing is pending */

typedef struct intc {
    vt_device *dev;
    uint32_t level[NBANKS]; /* input lines */
    uint32_t isr[NBANKS];   /* software-set */
    uint32_t mir[NBANKS];
    uint8_t ilr[NIRQ];
    uint32_t sysconfig, protection, idle;
} intc;

static uint32_t raw(const intc *c, int b) {
    return c->level[b] | c->isr[b];
}

static uint32_t pending(const intc *c, int b, bool fiq) {
    uint32_t route = 0;
    for (int i = 0; i < 32; i++)
        if (!(c->ilr[b * 32 + i] & ILR_FIQ) == !fiq) route |= 1u << i;
    return raw(c, b) & ~c->mir[b] & route;
}

/* The winning input for IRQ or FIQ, or -1. */
static int winner(const intc *c, bool fiq) {
    uint32_t p[NBANKS];
    for (int b = 0; b < NBANKS; b++)
        p[b] = raw(c, b) & ~c->mir[b];
    return vt_omap_intc_winner(p, NIRQ, c->ilr, fiq);
}

static void update(intc *c) {
    vt_irq_set(&c->dev->irq[0], winner(c, false) >= 0);
    vt_irq_set(&c->dev->irq[1], winner(c, true) >= 0);
}

static void input_set(void *opaque, int n, bool level) {
    intc *c = opaque;
    uint32_t bit = 1u << (n & 31);
    if (level)
        c->level[n >> 5] |= bit;
    else
        c->level[n >> 5] &= ~bit;
    update(c);
}

static void intc_soft_reset(intc *c) {
    memset(c->isr, 0, sizeof c->isr);
    for (int b = 0; b < NBANKS; b++)
        c->mir[b] = 0xffffffffu;
    memset(c->ilr, 0, sizeof c->ilr);
    c->sysconfig = c->protection = c->idle = 0;
}

static uint32_t sir(const intc *c, bool fiq) {
    int w = winner(c, fiq);
    return w < 0 ? SIR_SPURIOUS : (uint32_t)w;
}

static uint64_t bank_read(intc *c, int b, unsigned r) {
    switch (r) {
    case BANK_ITR:
        return raw(c, b);
    case BANK_MIR:
        return c->mir[b];
    case BANK_PENDING_IRQ:
        return pending(c, b, false);
    case BANK_PENDING_FIQ:
        return pending(c, b, true);
    default: /* the write-only set/clear aliases read 0 */
        return 0;
    }
}

static uint64_t intc_read(void *opaque, uint64_t off, unsigned size) {
    intc *c = opaque;
    if (size == 4) {
        if (off >= INTC_ILR0 && off < INTC_ILR0 + 4 * NIRQ) return c->ilr[(off - INTC_ILR0) / 4];
        if (off >= INTC_BANK0 && off < INTC_BANK0 + NBANKS * INTC_BANK_STRIDE)
            return bank_read(c, (int)((off - INTC_BANK0) / INTC_BANK_STRIDE),
                             (unsigned)(off - INTC_BANK0) % INTC_BANK_STRIDE);
        switch (off) {
        case INTC_REVISION:
            return INTC_REV_VALUE;
        case INTC_SYSCONFIG:
            return c->sysconfig;
        case INTC_SYSSTATUS:
            return SYSSTATUS_RESETDONE;
        case INTC_SIR_IRQ:
            return sir(c, false);
        case INTC_SIR_FIQ:
            return sir(c, true);
        case INTC_CONTROL:
            return 0;
        case INTC_PROTECTION:
            return c->protection;
        case INTC_IDLE:
            return c->idle;
        }
    }
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void bank_write(intc *c, int b, unsigned r, uint32_t v, uint64_t off) {
    switch (r) {
    case BANK_MIR:
        c->mir[b] = v;
        break;
    case BANK_MIR_CLEAR:
        c->mir[b] &= ~v;
        break;
    case BANK_MIR_SET:
        c->mir[b] |= v;
        break;
    case BANK_ISR_SET:
        c->isr[b] |= v;
        break;
    case BANK_ISR_CLEAR:
        c->isr[b] &= ~v;
        break;
    default:
        vt_dev_log_unknown(c->dev, "write (read-only)", off, 4, v);
        return;
    }
    update(c);
}

static void intc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    intc *c = opaque;
    if (size == 4 && off >= INTC_ILR0 && off < INTC_ILR0 + 4 * NIRQ) {
        c->ilr[(off - INTC_ILR0) / 4] = (uint8_t)(v & (ILR_PRIORITY | ILR_FIQ));
        update(c);
        return;
    }
    if (size == 4 && off >= INTC_BANK0 && off < INTC_BANK0 + NBANKS * INTC_BANK_STRIDE) {
        bank_write(c, (int)((off - INTC_BANK0) / INTC_BANK_STRIDE),
                   (unsigned)(off - INTC_BANK0) % INTC_BANK_STRIDE, (uint32_t)v, off);
        return;
    }
    switch (size == 4 ? off : ~0ull) {
    case INTC_SYSCONFIG:
        if (v & SYSCONFIG_SOFTRESET) intc_soft_reset(c);
        c->sysconfig = (uint32_t)v & SYSCONFIG_AUTOIDLE;
        update(c);
        return;
    case INTC_CONTROL: /* NEWIRQAGR/NEWFIQAGR: the next SIR read picks a new winner */
        return;
    case INTC_PROTECTION:
        c->protection = (uint32_t)v & 1;
        return;
    case INTC_IDLE:
        c->idle = (uint32_t)v & 3;
        return;
    }
    vt_dev_log_unknown(c->dev, "write", off, size, v);
}

static const vt_mmio_ops intc_ops = {intc_read, intc_write};

static int intc_create(vt_device *d, vt_error *err) {
    intc *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    return vt_dev_map_mmio(d, &intc_ops, c, VT_LITTLE_ENDIAN, err);
}

static void intc_reset(vt_device *d) {
    intc *c = d->priv;
    intc_soft_reset(c);
    update(c);
}

static int intc_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n >= NIRQ) return vt_fail(err, "omap2-intc has inputs 0..%d", NIRQ - 1);
    out->set = input_set;
    out->opaque = d->priv;
    out->n = n;
    return 0;
}

static void intc_save(const vt_device *d, vt_state_writer *w) {
    const intc *c = d->priv;
    vt_state_begin(w, "O2IC", 1);
    for (int b = 0; b < NBANKS; b++) {
        vt_state_put_u32(w, c->level[b]);
        vt_state_put_u32(w, c->isr[b]);
        vt_state_put_u32(w, c->mir[b]);
    }
    vt_state_put_bytes(w, c->ilr, sizeof c->ilr);
    vt_state_put_u32(w, c->sysconfig);
    vt_state_put_u32(w, c->protection);
    vt_state_put_u32(w, c->idle);
    vt_state_end(w);
}

static int intc_load(vt_device *d, vt_state_reader *r) {
    intc *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2IC", 1, &ver)) return -1;
    for (int b = 0; b < NBANKS; b++) {
        c->level[b] = vt_state_get_u32(r);
        c->isr[b] = vt_state_get_u32(r);
        c->mir[b] = vt_state_get_u32(r);
    }
    vt_state_get_bytes(r, c->ilr, sizeof c->ilr);
    for (int i = 0; i < NIRQ; i++)
        c->ilr[i] &= ILR_PRIORITY | ILR_FIQ;
    c->sysconfig = vt_state_get_u32(r) & SYSCONFIG_AUTOIDLE;
    c->protection = vt_state_get_u32(r) & 1;
    c->idle = vt_state_get_u32(r) & 3;
    if (vt_state_close(r)) return -1;
    update(c);
    return 0;
}

static void intc_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key intc_keys[] = {{NULL, 0, NULL, NULL}};

const vt_device_class vt_dev_omap2_intc = {
    .name = "omap2-intc",
    .description = "OMAP2 MPU interrupt controller (96 inputs; outputs IRQ, FIQ)",
    .keys = intc_keys,
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = intc_create,
    .reset = intc_reset,
    .save = intc_save,
    .load = intc_load,
    .destroy = intc_destroy,
    .irq_input = intc_irq_input,
};
