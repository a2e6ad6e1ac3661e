/* OMAP1 MPU clock generator (CLKM) and DPLL1 in one window: ARM_CKCTL, IDLECT1-3, EWUPCT,
 * RSTCT1 (SW_RST resets the machine), RSTCT2, SYSST, CKOUT1/2, and DPLL_CTL whose LOCK follows
 * PLL_ENABLE at once. Rates are the profile's fixed clocks. Sources: OMAP5910 TRM SPRU678;
 * Linux 6.1 arch/arm/mach-omap1/clock.c, clock_data.c, reset.c. */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    ARM_CKCTL = 0x00,
    ARM_IDLECT1 = 0x04,
    ARM_IDLECT2 = 0x08,
    ARM_EWUPCT = 0x0c,
    ARM_RSTCT1 = 0x10,
    ARM_RSTCT2 = 0x14,
    ARM_SYSST = 0x18,
    ARM_CKOUT1 = 0x1c,
    ARM_CKOUT2 = 0x20,
    ARM_IDLECT3 = 0x24,
    NREGS = 10,
    DPLL_CTL = 0x100,
    RSTCT1_SW_RST = 0x08,
    DPLL_LOCK = 0x01,
    DPLL_ENABLE = 0x10,
};

typedef struct clkm {
    vt_device *dev;
    uint16_t reg[NREGS];
    uint16_t dpll, dpll_reset;
} clkm;

/* Power-on values (TRM CLKM register tables; ARM_SYSST: power-on reset cause). */
static const uint16_t reset_val[NREGS] = {0x3000, 0x0400, 0x0100, 0x003f, 0, 0, 0x0020, 0, 0, 0};

static uint64_t clkm_read(void *opaque, uint64_t off, unsigned size) {
    clkm *c = opaque;
    if (off < NREGS * 4 && !(off & 3)) return c->reg[off / 4];
    if (off == DPLL_CTL) return (c->dpll & ~DPLL_LOCK) | ((c->dpll & DPLL_ENABLE) ? DPLL_LOCK : 0);
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void clkm_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    clkm *c = opaque;
    if (off == ARM_SYSST) {
        c->reg[ARM_SYSST / 4] = (uint16_t)(v & 0x3800); /* clock-select bits stay, causes clear */
    } else if (off == ARM_RSTCT1 && (v & RSTCT1_SW_RST)) {
        vt_dev_request_reset(c->dev); /* reset.c: omap1_restart */
    } else if (off < NREGS * 4 && !(off & 3)) {
        c->reg[off / 4] = (uint16_t)v;
    } else if (off == DPLL_CTL) {
        c->dpll = (uint16_t)(v & ~DPLL_LOCK);
    } else {
        vt_dev_log_unknown(c->dev, "write", off, size, v);
    }
}

static const vt_mmio_ops clkm_ops = {clkm_read, clkm_write};

static int clkm_create(vt_device *d, vt_error *err) {
    uint64_t dpll;
    if (vt_dev_u64(d, "dpll_ctl", &dpll, err)) return -1;
    if (dpll > 0xffff) return vt_fail(err, "dpll_ctl is 16-bit");
    if (d->size < DPLL_CTL + 4) return vt_fail(err, "size must cover DPLL_CTL (0x104)");
    clkm *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    c->dpll_reset = (uint16_t)dpll;
    return vt_dev_map_mmio(d, &clkm_ops, c, VT_LITTLE_ENDIAN, err);
}

static void clkm_reset(vt_device *d) {
    clkm *c = d->priv;
    memcpy(c->reg, reset_val, sizeof c->reg);
    c->dpll = c->dpll_reset;
}

static void clkm_save(const vt_device *d, vt_state_writer *w) {
    const clkm *c = d->priv;
    vt_state_begin(w, "O1CK", 1);
    for (int i = 0; i < NREGS; i++)
        vt_state_put_u16(w, c->reg[i]);
    vt_state_put_u16(w, c->dpll);
    vt_state_end(w);
}

static int clkm_load(vt_device *d, vt_state_reader *r) {
    clkm *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1CK", 1, &ver)) return -1;
    for (int i = 0; i < NREGS; i++)
        c->reg[i] = vt_state_get_u16(r);
    c->dpll = vt_state_get_u16(r);
    return vt_state_close(r);
}

static void clkm_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_clkm = {
    .name = "omap1-clkm",
    .description = "OMAP1 MPU clock generator (ARM_CKCTL, IDLECT, RSTCT, SYSST) and DPLL1",
    .keys = (const vt_dev_key[]){{"dpll_ctl", VT_KEY_U64, "0x2ab0",
                                  "DPLL_CTL as the boot loader leaves it (0x2ab0: enabled, "
                                  "x21 / 2 of 12 MHz = 126 MHz)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = clkm_create,
    .reset = clkm_reset,
    .save = clkm_save,
    .load = clkm_load,
    .destroy = clkm_destroy,
};
