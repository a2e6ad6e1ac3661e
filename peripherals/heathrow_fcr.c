/* Heathrow's feature control registers at mac-io +0x34 (media-bay control, MBCR) and +0x38
 * (feature control, FCR): little-endian 32-bit latches through which the OS enables cells and
 * drives their reset and power lines (SCC, IDE, SWIM, media bay). Vitrine's cells are always
 * powered and out of reset, so the registers only hold what the OS writes (QEMU ignores them
 * altogether; Linux reads them back before setting a bit). Sources: Linux
 * arch/powerpc/platforms/powermac/feature.c and include/asm/ohare.h, heathrow.h (offsets). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define REG_MBCR 0x0 /* at mac-io +0x34 */
#define REG_FCR 0x4  /* at mac-io +0x38 */

typedef struct heathrow_fcr {
    vt_device *dev;
    uint32_t reg[2];
} heathrow_fcr;

static uint64_t fcr_read(void *opaque, uint64_t off, unsigned size) {
    heathrow_fcr *f = opaque;
    if (size != 4 || (off & 3) || off > REG_FCR) {
        vt_dev_log_unknown(f->dev, "read", off, size, 0);
        return 0;
    }
    return f->reg[off / 4];
}

static void fcr_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    heathrow_fcr *f = opaque;
    if (size != 4 || (off & 3) || off > REG_FCR) {
        vt_dev_log_unknown(f->dev, "write", off, size, v);
        return;
    }
    f->reg[off / 4] = (uint32_t)v;
}

static const vt_mmio_ops fcr_ops = {fcr_read, fcr_write};

static int fcr_create(vt_device *d, vt_error *err) {
    heathrow_fcr *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    d->priv = f;
    f->dev = d;
    return vt_dev_map_mmio(d, &fcr_ops, f, VT_LITTLE_ENDIAN, err);
}

static void fcr_reset(vt_device *d) {
    heathrow_fcr *f = d->priv;
    f->reg[0] = f->reg[1] = 0;
}

static void fcr_save(const vt_device *d, vt_state_writer *w) {
    const heathrow_fcr *f = d->priv;
    vt_state_begin(w, "HFCR", 1);
    vt_state_put_u32(w, f->reg[0]);
    vt_state_put_u32(w, f->reg[1]);
    vt_state_end(w);
}

static int fcr_load(vt_device *d, vt_state_reader *r) {
    heathrow_fcr *f = d->priv;
    uint32_t version;
    if (vt_state_open(r, "HFCR", 1, &version)) return -1;
    f->reg[0] = vt_state_get_u32(r);
    f->reg[1] = vt_state_get_u32(r);
    return vt_state_close(r);
}

static void fcr_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_heathrow_fcr = {
    .name = "heathrow-fcr",
    .description = "Heathrow media-bay and feature control registers (latches)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = fcr_create,
    .reset = fcr_reset,
    .save = fcr_save,
    .load = fcr_load,
    .destroy = fcr_destroy,
};
