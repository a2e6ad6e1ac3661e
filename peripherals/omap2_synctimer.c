/* OMAP2 32 kHz synchronised counter ("omap2-32ksync"): a free-running 32-bit up-counter of the
 * 32.768 kHz clock since reset, read at CR; Linux uses it as its clocksource and for
 * sched_clock. REVISION, SYSCONFIG (storage) complete the block. Sources: OMAP2420 TRM
 * "32-kHz Synchronized Timer" (register map); Linux 6.1 drivers/clocksource/timer-ti-32k.c
 * (reads CR at 0x10 when REVISION bits 31:30 are 0). */
#include "core/savestate.h"
#include "core/device.h"

#include <stdlib.h>

enum { SYNC_REVISION = 0x00, SYNC_SYSCONFIG = 0x04, SYNC_CR = 0x10 };
#define SYNC_REV_VALUE 0x11

typedef struct synct {
    vt_device *dev;
    vt_clock clk;
    uint32_t sysconfig;
} synct;

static uint64_t sync_read(void *opaque, uint64_t off, unsigned size) {
    synct *s = opaque;
    if (size == 4) switch (off) {
        case SYNC_REVISION:
            return SYNC_REV_VALUE;
        case SYNC_SYSCONFIG:
            return s->sysconfig;
        case SYNC_CR:
            return (uint32_t)vt_clock_to_cycles(&s->clk, vt_sched_now(vt_dev_sched(s->dev)));
        }
    vt_dev_log_unknown(s->dev, "read", off, size, 0);
    return 0;
}

static void sync_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    synct *s = opaque;
    if (size == 4 && off == SYNC_SYSCONFIG)
        s->sysconfig = (uint32_t)v & 0x18; /* idle mode */
    else
        vt_dev_log_unknown(s->dev, "write", off, size, v);
}

static const vt_mmio_ops sync_ops = {sync_read, sync_write};

static int sync_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    if (vt_dev_u64(d, "clock", &hz, err)) return -1;
    synct *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    d->priv = s;
    s->dev = d;
    s->clk.hz = hz;
    return vt_dev_map_mmio(d, &sync_ops, s, VT_LITTLE_ENDIAN, err);
}

static void sync_reset(vt_device *d) {
    ((synct *)d->priv)->sysconfig = 0;
}

static void sync_save(const vt_device *d, vt_state_writer *w) {
    vt_state_begin(w, "O2SC", 1);
    vt_state_put_u32(w, ((const synct *)d->priv)->sysconfig);
    vt_state_end(w);
}

static int sync_load(vt_device *d, vt_state_reader *r) {
    uint32_t ver;
    if (vt_state_open(r, "O2SC", 1, &ver)) return -1;
    ((synct *)d->priv)->sysconfig = vt_state_get_u32(r) & 0x18;
    return vt_state_close(r);
}

static void sync_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key sync_keys[] = {
    {"clock", VT_KEY_HZ, "32768", "counter clock in Hz"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_32ksync = {
    .name = "omap2-32ksync",
    .description = "OMAP2 32 kHz synchronised counter",
    .keys = sync_keys,
    .needs_mmio = true,
    .create = sync_create,
    .reset = sync_reset,
    .save = sync_save,
    .load = sync_load,
    .destroy = sync_destroy,
};
