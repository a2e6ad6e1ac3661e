/* OMAP1 configuration module and ID registers at 0xfffe1000: pin multiplexing
 * (FUNC_MUX_CTRL_*), pull-downs, COMP_MODE, MOD_CONF_CTRL_0/1 and the rest of the 32-bit
 * configuration words 0x000-0x1ff (plain read/write storage: they steer pins and clocks of
 * blocks this machine models as always connected), the die ID at 0x800 and the production ID
 * at 0x1000 (0xfffe2000). Sources: OMAP5910 TRM SPRU678 (configuration registers); Linux 6.1
 * include/linux/soc/ti/omap1-io.h (addresses), arch/arm/mach-omap1/id.c (ID decoding). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define NCONF (0x200 / 4)
#define DIE_ID_0 0x800
#define DIE_ID_1 0x804
#define PRODUCTION_ID_0 0x1000
#define PRODUCTION_ID_1 0x1004
#define WINDOW 0x1008

typedef struct conf {
    vt_device *dev;
    uint32_t reg[NCONF];
    uint32_t die_id[2];
} conf;

static uint64_t conf_read(void *opaque, uint64_t off, unsigned size) {
    conf *c = opaque;
    if (size == 4 && off < NCONF * 4 && !(off & 3)) return c->reg[off / 4];
    if (size == 4 && (off == DIE_ID_0 || off == DIE_ID_1)) return c->die_id[(off - DIE_ID_0) / 4];
    /* id.c: a PRODUCTION_ID_1 with bits 31:20 clear is "unusable" and the JTAG ID comes from
     * OMAP32_ID_1, which is the path the OMAP1510/310 takes */
    if (size == 4 && (off == PRODUCTION_ID_0 || off == PRODUCTION_ID_1)) return 0;
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void conf_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    conf *c = opaque;
    if (size == 4 && off < NCONF * 4 && !(off & 3))
        c->reg[off / 4] = (uint32_t)v;
    else
        vt_dev_log_unknown(c->dev, "write", off, size, v);
}

static const vt_mmio_ops conf_ops = {conf_read, conf_write};

static int conf_create(vt_device *d, vt_error *err) {
    uint64_t die0, die1;
    if (vt_dev_u64(d, "die_id_0", &die0, err) || vt_dev_u64(d, "die_id_1", &die1, err)) return -1;
    if (die0 > UINT32_MAX || die1 > UINT32_MAX) return vt_fail(err, "die_id_0/1 are 32-bit");
    if (d->size < WINDOW) return vt_fail(err, "size must be at least 0x%x", WINDOW);
    conf *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    c->die_id[0] = (uint32_t)die0;
    c->die_id[1] = (uint32_t)die1;
    return vt_dev_map_mmio(d, &conf_ops, c, VT_LITTLE_ENDIAN, err);
}

static void conf_reset(vt_device *d) {
    conf *c = d->priv;
    memset(c->reg, 0, sizeof c->reg);
}

static void conf_save(const vt_device *d, vt_state_writer *w) {
    const conf *c = d->priv;
    vt_state_begin(w, "O1CF", 1);
    for (int i = 0; i < NCONF; i++)
        vt_state_put_u32(w, c->reg[i]);
    vt_state_end(w);
}

static int conf_load(vt_device *d, vt_state_reader *r) {
    conf *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1CF", 1, &ver)) return -1;
    for (int i = 0; i < NCONF; i++)
        c->reg[i] = vt_state_get_u32(r);
    return vt_state_close(r);
}

static void conf_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_config = {
    .name = "omap1-config",
    .description = "OMAP1 configuration module (pin mux, module config, die/production ID)",
    .keys =
        (const vt_dev_key[]){
            {"die_id_0", VT_KEY_U64, "0", "DIE_ID_0 (the chip's serial number, low word)"},
            {"die_id_1", VT_KEY_U64, "0",
             "DIE_ID_1 (bits 20:17 = die revision; 0 makes Linux read it from OMAP32_ID_1)"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = conf_create,
    .reset = conf_reset,
    .save = conf_save,
    .load = conf_load,
    .destroy = conf_destroy,
};
