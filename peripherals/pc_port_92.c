/* PS/2-style system control port A (port 0x92, the PIIX3's "Port 92"): bit 0 is a fast CPU
 * reset (a 0 -> 1 write resets the machine), bit 1 the fast A20 gate, ORed with input 0 (the
 * 8042's A20 output) onto output `irq` (the CPU's A20 line), bit 3 a lock only reset clears.
 * Sources: Intel 82371SB (PIIX3) datasheet §4.7.5 (Port 92, A20 from port 92 OR the keyboard
 * controller); IBM PS/2 Hardware Interface Technical Reference (system control port A). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define PORT92_RESET 0x01
#define PORT92_A20 0x02
#define PORT92_LOCK 0x08 /* set-once until reset */

typedef struct port_92 {
    vt_device *dev;
    uint8_t reg;
    bool kbc_a20; /* input 0: the keyboard controller's A20 gate */
} port_92;

static void drive_a20(port_92 *p) {
    vt_irq_set(&p->dev->irq[0], p->kbc_a20 || (p->reg & PORT92_A20));
}

static void kbc_a20_input(void *opaque, int n, bool level) {
    VT_UNUSED(n);
    port_92 *p = opaque;
    p->kbc_a20 = level;
    drive_a20(p);
}

static int p92_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n != 0)
        return vt_fail(err, "%s has one input (0: the 8042's A20 gate), not %d", d->name, n);
    *out = (vt_irq){kbc_a20_input, d->priv, 0};
    return 0;
}

static uint64_t p92_read(void *opaque, uint64_t off, unsigned size) {
    port_92 *p = opaque;
    if (off != 0 || size != 1) {
        vt_dev_log_unknown(p->dev, "read", off, size, 0);
        return 0xff;
    }
    return p->reg;
}

static void p92_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    port_92 *p = opaque;
    if (off != 0 || size != 1) {
        vt_dev_log_unknown(p->dev, "write", off, size, v);
        return;
    }
    bool reset = (v & PORT92_RESET) && !(p->reg & PORT92_RESET);
    p->reg = (uint8_t)((v & (PORT92_RESET | PORT92_A20 | PORT92_LOCK)) | (p->reg & PORT92_LOCK));
    drive_a20(p);
    if (reset) vt_dev_request_reset(p->dev);
}

static const vt_mmio_ops p92_ops = {p92_read, p92_write};

static int p92_create(vt_device *d, vt_error *err) {
    port_92 *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    return vt_dev_map_mmio(d, &p92_ops, p, VT_LITTLE_ENDIAN, err);
}

static void p92_reset(vt_device *d) {
    port_92 *p = d->priv;
    p->reg = 0; /* the 8042's input is external: kept */
    drive_a20(p);
}

static void p92_save(const vt_device *d, vt_state_writer *w) {
    const port_92 *p = d->priv;
    vt_state_begin(w, "PT92", 1);
    vt_state_put_u8(w, p->reg);
    vt_state_put_u8(w, p->kbc_a20);
    vt_state_end(w);
}

static int p92_load(vt_device *d, vt_state_reader *r) {
    port_92 *p = d->priv;
    uint32_t version;
    if (vt_state_open(r, "PT92", 1, &version)) return -1;
    p->reg = vt_state_get_u8(r) & (PORT92_RESET | PORT92_A20 | PORT92_LOCK);
    p->kbc_a20 = vt_state_get_u8(r) != 0;
    drive_a20(p);
    return vt_state_close(r);
}

static void p92_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_pc_port_92 = {
    .name = "pc-port-92",
    .description = "PC system control port A (0x92): fast reset, fast A20 gate",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1, /* A20 gate level */
    .irq_input = p92_irq_input,
    .create = p92_create,
    .reset = p92_reset,
    .save = p92_save,
    .load = p92_load,
    .destroy = p92_destroy,
};
