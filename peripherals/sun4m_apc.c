/* Sun "APC" power-management registers of the SPARCstation 4/5 ("sun4m-apc"), byte-wide: idle
 * (+0x00, bit 0 = idle on), fan control (+0x20), CPU power (+0x24) and B-port (+0x30). Linux
 * writes the idle bit from its idle loop. Approximation: the real chip then stops the CPU clock
 * until the next interrupt; here the CPU keeps running its idle loop (same guest-visible
 * behaviour, only host time is spent), and the idle bit reads back as written.
 * Sources: Linux arch/sparc/kernel/apc.c (register offsets, APC_IDLE_ON); QEMU hw/sparc/sun4m.c
 * (SS-5 address 0x6a000000). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum { R_IDLE = 0x00, R_FANCTL = 0x20, R_CPOWER = 0x24, R_BPORT = 0x30 };

typedef struct apc {
    vt_device *dev;
    uint8_t idle, fanctl, cpower, bport;
} apc;

static uint8_t *reg(apc *a, uint64_t off) {
    switch (off) {
    case R_IDLE:
        return &a->idle;
    case R_FANCTL:
        return &a->fanctl;
    case R_CPOWER:
        return &a->cpower;
    case R_BPORT:
        return &a->bport;
    default:
        return NULL;
    }
}

static uint64_t apc_read(void *opaque, uint64_t off, unsigned size) {
    apc *a = opaque;
    uint8_t *r = size == 1 ? reg(a, off) : NULL;
    if (r) return *r;
    vt_dev_log_unknown(a->dev, "read", off, size, 0);
    return 0;
}

static void apc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    apc *a = opaque;
    uint8_t *r = size == 1 ? reg(a, off) : NULL;
    if (r) {
        *r = (uint8_t)v;
        return;
    }
    vt_dev_log_unknown(a->dev, "write", off, size, v);
}

static const vt_mmio_ops apc_ops = {apc_read, apc_write};

static int apc_create(vt_device *d, vt_error *err) {
    apc *a = calloc(1, sizeof *a);
    if (!a) return vt_fail(err, "out of memory");
    a->dev = d;
    d->priv = a;
    if (d->size <= R_BPORT) return vt_fail(err, "size must cover the B-port register (+0x30)");
    return vt_dev_map_mmio(d, &apc_ops, a, VT_BIG_ENDIAN, err);
}

static void apc_reset(vt_device *d) {
    apc *a = d->priv;
    a->idle = a->fanctl = a->cpower = a->bport = 0;
}

static void apc_save(const vt_device *d, vt_state_writer *w) {
    const apc *a = d->priv;
    vt_state_begin(w, "SAPC", 1);
    vt_state_put_u8(w, a->idle);
    vt_state_put_u8(w, a->fanctl);
    vt_state_put_u8(w, a->cpower);
    vt_state_put_u8(w, a->bport);
    vt_state_end(w);
}

static int apc_load(vt_device *d, vt_state_reader *r) {
    apc *a = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SAPC", 1, &v)) return -1;
    a->idle = vt_state_get_u8(r);
    a->fanctl = vt_state_get_u8(r);
    a->cpower = vt_state_get_u8(r);
    a->bport = vt_state_get_u8(r);
    return vt_state_close(r);
}

static void apc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_sun4m_apc = {
    .name = "sun4m-apc",
    .description = "SPARCstation 4/5 APC power-management registers (idle, fan, CPU power)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = apc_create,
    .reset = apc_reset,
    .save = apc_save,
    .load = apc_load,
    .destroy = apc_destroy,
};
