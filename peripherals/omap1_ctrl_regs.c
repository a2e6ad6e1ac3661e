/* OMAP1 blocks kept as plain 16-bit control words 4 bytes apart (`regs`, power-on values from
 * `init`): the TIPB bridges (accesses are never delayed here) and the DSP clock module seen
 * through the MPUI (there is no DSP). Unknown offsets are logged. Sources: OMAP5910 TRM SPRU678;
 * Linux 6.1 arch/arm/mach-omap1/io.c, clock.c (what is used). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define MAX_REGS 64

typedef struct ctrl {
    vt_device *dev;
    unsigned n;
    uint16_t reg[MAX_REGS], init[MAX_REGS];
} ctrl;

static bool decode(const ctrl *c, uint64_t off, unsigned size) {
    return size <= 4 && !(off & 3) && off / 4 < c->n;
}

static uint64_t ctrl_read(void *opaque, uint64_t off, unsigned size) {
    ctrl *c = opaque;
    if (decode(c, off, size)) return c->reg[off / 4];
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void ctrl_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    ctrl *c = opaque;
    if (decode(c, off, size))
        c->reg[off / 4] = (uint16_t)v;
    else
        vt_dev_log_unknown(c->dev, "write", off, size, v);
}

static const vt_mmio_ops ctrl_ops = {ctrl_read, ctrl_write};

/* "0x08=0x3,0x10=0x1": power-on values of some words. */
static int parse_init(ctrl *c, const char *s, vt_error *err) {
    while (*s) {
        char *end;
        unsigned long off = strtoul(s, &end, 0);
        if (*end != '=' || off % 4 || off / 4 >= c->n)
            return vt_fail(err, "init: bad offset in '%s' (OFF=VALUE,... with OFF < regs * 4)", s);
        unsigned long v = strtoul(end + 1, &end, 0);
        if (v > 0xffff || (*end && *end != ','))
            return vt_fail(err, "init: bad value in '%s' (16-bit)", s);
        c->init[off / 4] = (uint16_t)v;
        s = *end ? end + 1 : end;
    }
    return 0;
}

static int ctrl_create(vt_device *d, vt_error *err) {
    uint64_t n;
    if (vt_dev_u64(d, "regs", &n, err)) return -1;
    if (!n || n > MAX_REGS || d->size < n * 4)
        return vt_fail(err, "regs must be 1..%d and size at least regs * 4", MAX_REGS);
    ctrl *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    c->n = (unsigned)n;
    if (parse_init(c, vt_dev_str(d, "init"), err)) return -1;
    return vt_dev_map_mmio(d, &ctrl_ops, c, VT_LITTLE_ENDIAN, err);
}

static void ctrl_reset(vt_device *d) {
    ctrl *c = d->priv;
    memcpy(c->reg, c->init, sizeof c->reg);
}

static void ctrl_save(const vt_device *d, vt_state_writer *w) {
    const ctrl *c = d->priv;
    vt_state_begin(w, "O1CR", 1);
    for (unsigned i = 0; i < c->n; i++)
        vt_state_put_u16(w, c->reg[i]);
    vt_state_end(w);
}

static int ctrl_load(vt_device *d, vt_state_reader *r) {
    ctrl *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1CR", 1, &ver)) return -1;
    for (unsigned i = 0; i < c->n; i++)
        c->reg[i] = vt_state_get_u16(r);
    return vt_state_close(r);
}

static void ctrl_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_ctrl_regs = {
    .name = "omap1-ctrl-regs",
    .description = "OMAP1 control words kept as storage (TIPB bridges, DSP clock module)",
    .keys = (const vt_dev_key[]){{"regs", VT_KEY_U64, "8", "number of 16-bit words, 4 bytes apart"},
                                 {"init", VT_KEY_STR, "",
                                  "power-on values: OFF=VALUE,... (default all 0)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = ctrl_create,
    .reset = ctrl_reset,
    .save = ctrl_save,
    .load = ctrl_load,
    .destroy = ctrl_destroy,
};
