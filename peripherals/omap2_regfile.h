/* The OMAP2 register-file helper behind "omap2-regs", shared with blocks that add behaviour on
 * top of plain storage (the PRCM's status registers): 32-bit registers with power-on values,
 * read-only ID words, and the OCP SYSCONFIG/SYSSTATUS software reset. */
#ifndef VT_OMAP2_REGFILE_H
#define VT_OMAP2_REGFILE_H

#include "core/device.h"

typedef struct vt_omap2_regfile {
    vt_device *dev;
    uint32_t nwords;
    uint32_t *reg, *init;
    uint8_t *ro; /* per word: writes ignored */
    uint64_t sysc, syss;
} vt_omap2_regfile;

/* The keys vt_omap2_regfile_new reads (values, readonly, sysconfig, sysstatus); a class that
 * embeds the helper lists them as its own. */
extern const vt_dev_key vt_omap2_regfile_keys[];

/* Builds the register file for d's window from d's keys (does not map it). */
int vt_omap2_regfile_new(vt_device *d, vt_omap2_regfile **out, vt_error *err) VT_MUST_CHECK;
void vt_omap2_regfile_free(vt_omap2_regfile *f);
void vt_omap2_regfile_reset(vt_omap2_regfile *f);
uint64_t vt_omap2_regfile_read(vt_omap2_regfile *f, uint64_t off, unsigned size);
void vt_omap2_regfile_write(vt_omap2_regfile *f, uint64_t off, uint64_t v, unsigned size);
void vt_omap2_regfile_save(const vt_omap2_regfile *f, struct vt_state_writer *w);
int vt_omap2_regfile_load(vt_omap2_regfile *f, struct vt_state_reader *r) VT_MUST_CHECK;

#endif
