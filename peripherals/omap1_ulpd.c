/* OMAP1 ultra-low-power device (ULPD, 0xfffe0800): the clock and power request registers the
 * kernel reads and writes (CLOCK_CTRL, SOFT_REQ, SOFT_DISABLE_REQ, STATUS_REQ, POWER_CTRL,
 * SETUP_ANALOG_CELL_3, the clock-divider selects) kept as 16-bit storage, IT_STATUS (no
 * gauging interrupt is raised: reads 0), and the ULPD DPLL (DPLL_CTRL, 0x3c) and APLL (0x4c)
 * whose LOCK bit (0) follows their ENABLE bit (4) at once. Sources: OMAP5910 TRM SPRU678
 * (ULPD registers); Linux 6.1 include/linux/soc/ti/omap1-io.h, arch/arm/mach-omap1/clock*.c. */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define NREGS (0x80 / 4)
enum { IT_STATUS = 0x14, DPLL_CTRL = 0x3c, APLL_CTRL = 0x4c, LOCK = 0x01, ENABLE = 0x10 };

typedef struct ulpd {
    vt_device *dev;
    uint16_t reg[NREGS];
} ulpd;

/* The registers the kernel uses (TRM table "ULPD registers"); others are logged. */
static bool known(uint64_t off) {
    static const uint8_t regs[] = {0x14, 0x24, 0x30, 0x34, 0x3c, 0x40,
                                   0x4c, 0x50, 0x68, 0x74, 0x78, 0x7c};
    for (size_t i = 0; i < sizeof regs; i++)
        if (off == regs[i]) return true;
    return false;
}

static uint64_t ulpd_read(void *opaque, uint64_t off, unsigned size) {
    ulpd *u = opaque;
    if (!known(off)) {
        vt_dev_log_unknown(u->dev, "read", off, size, 0);
        return 0;
    }
    uint16_t v = u->reg[off / 4];
    if (off == DPLL_CTRL || off == APLL_CTRL) v = (v & ~LOCK) | ((v & ENABLE) ? LOCK : 0);
    return v;
}

static void ulpd_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    ulpd *u = opaque;
    if (!known(off) || off == IT_STATUS)
        vt_dev_log_unknown(u->dev, "write", off, size, v);
    else
        u->reg[off / 4] = (uint16_t)v;
}

static const vt_mmio_ops ulpd_ops = {ulpd_read, ulpd_write};

static int ulpd_create(vt_device *d, vt_error *err) {
    if (d->size < NREGS * 4) return vt_fail(err, "size must be at least 0x%x", NREGS * 4);
    ulpd *u = calloc(1, sizeof *u);
    if (!u) return vt_fail(err, "out of memory");
    d->priv = u;
    u->dev = d;
    return vt_dev_map_mmio(d, &ulpd_ops, u, VT_LITTLE_ENDIAN, err);
}

static void ulpd_reset(vt_device *d) {
    ulpd *u = d->priv;
    memset(u->reg, 0, sizeof u->reg);
    u->reg[DPLL_CTRL / 4] = 0x2210; /* the boot loader left the 48 MHz DPLL enabled (x4) */
}

static void ulpd_save(const vt_device *d, vt_state_writer *w) {
    const ulpd *u = d->priv;
    vt_state_begin(w, "O1UL", 1);
    for (int i = 0; i < NREGS; i++)
        vt_state_put_u16(w, u->reg[i]);
    vt_state_end(w);
}

static int ulpd_load(vt_device *d, vt_state_reader *r) {
    ulpd *u = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1UL", 1, &ver)) return -1;
    for (int i = 0; i < NREGS; i++)
        u->reg[i] = vt_state_get_u16(r);
    return vt_state_close(r);
}

static void ulpd_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_ulpd = {
    .name = "omap1-ulpd",
    .description = "OMAP1 ULPD clock/power request registers, ULPD DPLL and APLL",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = ulpd_create,
    .reset = ulpd_reset,
    .save = ulpd_save,
    .load = ulpd_load,
    .destroy = ulpd_destroy,
};
