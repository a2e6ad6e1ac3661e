/* The PIIX edge/level control registers (ELCR1/ELCR2, ports 0x4D0-0x4D1): one bit per ISA IRQ
 * selects level-triggered input on the master (`master`) and slave (`slave`) 8259A. IRQ 0, 1,
 * 2, 8 and 13 are always edge (their bits read 0). Sources: Intel 82371SB (PIIX3) datasheet
 * §4.6.2 (ELCR1/ELCR2); QEMU `pc` (SeaBIOS programs 0x4D0/0x4D1 for the PCI IRQs). */
#include "core/device.h"
#include "core/savestate.h"
#include "peripherals/i8259_pic.h"

#include <stdlib.h>

static const uint8_t elcr_mask[2] = {0xf8, 0xde}; /* writable bits of ELCR1 / ELCR2 */

typedef struct elcr {
    vt_device *dev, *pic[2];
    uint8_t reg[2];
} elcr;

static void apply(elcr *e, int i, uint8_t v) {
    e->reg[i] = v & elcr_mask[i];
    vt_i8259_set_elcr(e->pic[i], e->reg[i]);
}

static uint64_t elcr_read(void *opaque, uint64_t off, unsigned size) {
    elcr *e = opaque;
    if (off > 1 || size != 1) {
        vt_dev_log_unknown(e->dev, "read", off, size, 0);
        return 0xff;
    }
    return e->reg[off];
}

static void elcr_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    elcr *e = opaque;
    if (off > 1 || size != 1) {
        vt_dev_log_unknown(e->dev, "write", off, size, v);
        return;
    }
    apply(e, (int)off, (uint8_t)v);
}

static const vt_mmio_ops elcr_ops = {elcr_read, elcr_write};

static int elcr_create(vt_device *d, vt_error *err) {
    elcr *e = calloc(1, sizeof *e);
    if (!e) return vt_fail(err, "out of memory");
    e->dev = d;
    d->priv = e;
    static const char *const keys[2] = {"master", "slave"};
    for (int i = 0; i < 2; i++) {
        const char *name = vt_dev_str(d, keys[i]);
        e->pic[i] = vt_dev_peer(d, name);
        if (!e->pic[i] || strcmp(e->pic[i]->cls->name, "i8259"))
            return vt_fail(err, "'%s' must name an i8259 declared earlier (got '%s')", keys[i],
                           name);
    }
    if (d->size < 2) return vt_fail(err, "size must cover ELCR1 and ELCR2 (2)");
    return vt_dev_map_mmio(d, &elcr_ops, e, VT_LITTLE_ENDIAN, err);
}

static void elcr_reset(vt_device *d) {
    elcr *e = d->priv;
    for (int i = 0; i < 2; i++)
        apply(e, i, 0);
}

static void elcr_save(const vt_device *d, vt_state_writer *w) {
    const elcr *e = d->priv;
    vt_state_begin(w, "ELCR", 1);
    vt_state_put_u8(w, e->reg[0]);
    vt_state_put_u8(w, e->reg[1]);
    vt_state_end(w);
}

static int elcr_load(vt_device *d, vt_state_reader *r) {
    elcr *e = d->priv;
    uint32_t version;
    if (vt_state_open(r, "ELCR", 1, &version)) return -1;
    for (int i = 0; i < 2; i++)
        apply(e, i, vt_state_get_u8(r));
    return vt_state_close(r);
}

static void elcr_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_piix_elcr = {
    .name = "piix-elcr",
    .description = "PIIX edge/level control registers for the two 8259As (0x4D0-0x4D1)",
    .keys = (const vt_dev_key[]){{"master", VT_KEY_STR, "pic1", "master i8259 device"},
                                 {"slave", VT_KEY_STR, "pic2", "slave i8259 device"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = elcr_create,
    .reset = elcr_reset,
    .save = elcr_save,
    .load = elcr_load,
    .destroy = elcr_destroy,
};
