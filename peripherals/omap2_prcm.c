/* OMAP2420 power, reset and clock manager ("omap2-prcm", CM + PRM at 0x48008000): the register
 * file of the clock and power settings (power-on values from the profile: what the boot loader
 * leaves, DPLL locked) plus the status registers Linux polls, derived from the settings:
 *  - CM_IDLESTn of a module (offset 0x20 + 4(n-1)) reads 1 for each module whose interface or
 *    functional clock is enabled (OMAP24xx polarity: 1 = accessible);
 *  - CM_IDLEST_CKGEN (PLL module + 0x20) reports the DPLL locked when CM_CLKEN_PLL asks for lock,
 *    and each APLL locked when enabled;
 *  - PM_PWSTST (module + 0xe4) reports the power domain on.
 * Sources: OMAP2420 TRM "Power, Reset, and Clock Management" (register map, CM_IDLEST polarity);
 * Linux 6.1 arch/arm/mach-omap2/cm2xxx.c, cm-regbits-24xx.h, prm2xxx.h (which bits it polls). */
#include "peripherals/omap2_regfile.h"

#include "core/savestate.h"

#include <stdlib.h>

#define MOD_SIZE 0x100
#define PLL_MOD 0x500
#define CM_FCLKEN 0x00 /* CM_CLKEN_PLL in the PLL module */
#define CM_ICLKEN1 0x10
#define CM_IDLEST1 0x20
#define CM_IDLEST4 0x2c
#define PM_PWSTST 0xe4
#define PWSTST_ON 0x3
#define EN_DPLL_MASK 0x3 /* CM_CLKEN_PLL EN_DPLL: 3 = lock */
#define EN_DPLL_LOCK 0x3
#define ST_CORE_CLK_DPLL 0x2 /* CM_IDLEST_CKGEN ST_CORE_CLK: locked */
#define ST_CORE_CLK_BYPASS 0x1
#define EN_96M_SHIFT 2
#define EN_54M_SHIFT 6
#define ST_96M_APLL 0x100
#define ST_54M_APLL 0x200
#define EN_APLL_LOCKED 0x3

static uint32_t idlest_ckgen(const vt_omap2_regfile *f) {
    uint32_t en = f->reg[(PLL_MOD + CM_FCLKEN) / 4];
    uint32_t st = (en & EN_DPLL_MASK) == EN_DPLL_LOCK ? ST_CORE_CLK_DPLL : ST_CORE_CLK_BYPASS;
    if (((en >> EN_96M_SHIFT) & 3) == EN_APLL_LOCKED) st |= ST_96M_APLL;
    if (((en >> EN_54M_SHIFT) & 3) == EN_APLL_LOCKED) st |= ST_54M_APLL;
    return st;
}

static uint64_t prcm_read(void *opaque, uint64_t off, unsigned size) {
    vt_omap2_regfile *f = opaque;
    uint64_t mod = off & ~(uint64_t)(MOD_SIZE - 1), reg = off & (MOD_SIZE - 1);
    if (size == 4 && mod && mod < 0x1000 && reg >= CM_IDLEST1 && reg <= CM_IDLEST4 && !(reg & 3)) {
        if (mod == PLL_MOD && reg == CM_IDLEST1) return idlest_ckgen(f);
        unsigned n = (unsigned)(reg - CM_IDLEST1) / 4; /* IDLESTn+1 <-> FCLKENn+1/ICLKENn+1 */
        uint32_t fclk = n < 2 ? f->reg[(mod + CM_FCLKEN + 4 * n) / 4] : 0;
        return fclk | f->reg[(mod + CM_ICLKEN1 + 4 * n) / 4];
    }
    if (size == 4 && mod && reg == PM_PWSTST) return PWSTST_ON;
    return vt_omap2_regfile_read(f, off, size);
}

static void prcm_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    vt_omap2_regfile_write(opaque, off, v, size);
}

static const vt_mmio_ops prcm_ops = {prcm_read, prcm_write};

static int prcm_create(vt_device *d, vt_error *err) {
    if (d->size != 0x1000) return vt_fail(err, "omap2-prcm: size must be 0x1000");
    vt_omap2_regfile *f = NULL;
    int rc = vt_omap2_regfile_new(d, &f, err);
    d->priv = f;
    if (rc) return -1;
    return vt_dev_map_mmio(d, &prcm_ops, f, VT_LITTLE_ENDIAN, err);
}

static void prcm_reset(vt_device *d) {
    vt_omap2_regfile_reset(d->priv);
}

static void prcm_save(const vt_device *d, vt_state_writer *w) {
    vt_omap2_regfile_save(d->priv, w);
}

static int prcm_load(vt_device *d, vt_state_reader *r) {
    return vt_omap2_regfile_load(d->priv, r);
}

static void prcm_destroy(vt_device *d) {
    vt_omap2_regfile_free(d->priv);
}

const vt_device_class vt_dev_omap2_prcm = {
    .name = "omap2-prcm",
    .description = "OMAP2420 PRCM (clock manager + power/reset manager)",
    .keys = vt_omap2_regfile_keys,
    .needs_mmio = true,
    .create = prcm_create,
    .reset = prcm_reset,
    .save = prcm_save,
    .load = prcm_load,
    .destroy = prcm_destroy,
};
