/* Sun4m SLAVIO system control register ("slavio-sysctrl", 32-bit at offset 0): writing bit 0
 * resets the whole machine (processor and devices; memory and NVRAM keep their contents), bit
 * 1 reads back set after such a software reset. The reset happens between two instructions:
 * the write arms an event for "now", which ends the CPU's time slice first.
 * Sources: Sun4M System Architecture manual (system control/status register); QEMU
 * hw/misc/slavio_misc.c for the SS-5 address 0x71f00000 and the bit meanings. */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define SYS_RESET 0x1u
#define SYS_RESETSTAT 0x2u

typedef struct sysctrl {
    vt_device *dev;
    uint32_t status;
    vt_event reset;
} sysctrl;

static void do_reset(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    sysctrl *s = opaque;
    vt_log(VT_LOG_DEV, "%s: software reset", s->dev->name);
    vt_dev_request_reset(s->dev);
    s->status = SYS_RESETSTAT; /* survives the reset it caused */
}

static uint64_t sc_read(void *opaque, uint64_t off, unsigned size) {
    sysctrl *s = opaque;
    if (off == 0 && size == 4) return s->status;
    vt_dev_log_unknown(s->dev, "read", off, size, 0);
    return 0;
}

static void sc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    sysctrl *s = opaque;
    if (off == 0 && size == 4) {
        if (v & SYS_RESET) {
            vt_sched *sch = vt_dev_sched(s->dev);
            vt_sched_arm(sch, &s->reset, vt_sched_now(sch));
        }
        return;
    }
    vt_dev_log_unknown(s->dev, "write", off, size, v);
}

static const vt_mmio_ops sc_ops = {sc_read, sc_write};

static int sc_create(vt_device *d, vt_error *err) {
    sysctrl *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    s->dev = d;
    d->priv = s;
    vt_event_init(&s->reset, "slavio-sysctrl-reset", do_reset, s);
    return vt_dev_map_mmio(d, &sc_ops, s, VT_BIG_ENDIAN, err);
}

static void sc_reset(vt_device *d) {
    sysctrl *s = d->priv;
    s->status = 0;
}

static void sc_save(const vt_device *d, vt_state_writer *w) {
    const sysctrl *s = d->priv;
    vt_state_begin(w, "SLSC", 1);
    vt_state_put_u32(w, s->status);
    vt_state_put_u64(w, vt_event_armed(&s->reset) ? s->reset.when : VT_TIME_NEVER);
    vt_state_end(w);
}

static int sc_load(vt_device *d, vt_state_reader *r) {
    sysctrl *s = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SLSC", 1, &v)) return -1;
    s->status = vt_state_get_u32(r) & SYS_RESETSTAT;
    uint64_t when = vt_state_get_u64(r);
    if (when != VT_TIME_NEVER) vt_sched_arm(vt_dev_sched(d), &s->reset, when);
    return vt_state_close(r);
}

static void sc_destroy(vt_device *d) {
    sysctrl *s = d->priv;
    if (s) vt_sched_cancel(vt_dev_sched(d), &s->reset);
    free(s);
}

const vt_device_class vt_dev_slavio_sysctrl = {
    .name = "slavio-sysctrl",
    .description = "Sun4m SLAVIO system control register (software reset)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = sc_create,
    .reset = sc_reset,
    .save = sc_save,
    .load = sc_load,
    .destroy = sc_destroy,
};
