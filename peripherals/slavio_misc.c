/* Sun4m SLAVIO auxiliary registers ("slavio-misc"): AUX1 (auxio: LED and floppy control
 * lines) at offset 0 and AUX2 (power control) at +0x10000, one byte each. Writing AUX2 bit 0
 * (power off) powers the machine down: the run stops with exit status 0.
 * Sources: Sun4M System Architecture manual (auxiliary I/O registers); Linux
 * arch/sparc/include/asm/auxio_32.h and QEMU slavio_misc.c for the bit names. */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define AUX2_PWROFF 0x01
#define AUX2_PWRINTCLR 0x02
#define AUX2_PWRFAIL 0x20

typedef struct misc {
    vt_device *dev;
    uint8_t aux1, aux2;
} misc;

static uint64_t misc_read(void *opaque, uint64_t off, unsigned size) {
    misc *m = opaque;
    if (size == 1 && off == 0) return m->aux1;
    if (size == 1 && off == 0x10000) return m->aux2;
    vt_dev_log_unknown(m->dev, "read", off, size, 0);
    return 0;
}

static void misc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    misc *m = opaque;
    if (size == 1 && off == 0) {
        m->aux1 = (uint8_t)v;
        return;
    }
    if (size == 1 && off == 0x10000) {
        m->aux2 = (uint8_t)(v & ~(AUX2_PWROFF | AUX2_PWRINTCLR));
        if (v & AUX2_PWRINTCLR) m->aux2 &= (uint8_t)~AUX2_PWRFAIL;
        if (v & AUX2_PWROFF) {
            vt_log(VT_LOG_DEV, "%s: power off", m->dev->name);
            vt_dev_request_stop(m->dev, 0);
        }
        return;
    }
    vt_dev_log_unknown(m->dev, "write", off, size, v);
}

static const vt_mmio_ops misc_ops = {misc_read, misc_write};

static int misc_create(vt_device *d, vt_error *err) {
    misc *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    m->dev = d;
    d->priv = m;
    if (d->size < 0x10001) return vt_fail(err, "size must cover AUX2 at +0x10000");
    return vt_dev_map_mmio(d, &misc_ops, m, VT_BIG_ENDIAN, err);
}

static void misc_reset(vt_device *d) {
    misc *m = d->priv;
    m->aux1 = m->aux2 = 0;
}

static void misc_save(const vt_device *d, vt_state_writer *w) {
    const misc *m = d->priv;
    vt_state_begin(w, "SLMI", 1);
    vt_state_put_u8(w, m->aux1);
    vt_state_put_u8(w, m->aux2);
    vt_state_end(w);
}

static int misc_load(vt_device *d, vt_state_reader *r) {
    misc *m = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SLMI", 1, &v)) return -1;
    m->aux1 = vt_state_get_u8(r);
    m->aux2 = vt_state_get_u8(r);
    return vt_state_close(r);
}

static void misc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_slavio_misc = {
    .name = "slavio-misc",
    .description = "Sun4m SLAVIO AUX1 (auxio) and AUX2 (power control) registers",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = misc_create,
    .reset = misc_reset,
    .save = misc_save,
    .load = misc_load,
    .destroy = misc_destroy,
};
