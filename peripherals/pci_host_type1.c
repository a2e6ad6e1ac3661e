/* A PCI host bridge with configuration mechanism #1 ("pci-host-type1"): CONFIG_ADDRESS at port
 * +0 (32-bit: bit 31 enable, bus 23:16, device 15:11, function 10:8, register 7:2) and
 * CONFIG_DATA at +4..+7, as on the i440FX and every PC chipset since the PCI 2.0 era. Outputs
 * irq..irq3 carry the swizzled INTA..INTD lines (wire them to the interrupt router).
 * Sources: PCI Local Bus Specification 2.2 §3.2.2.3.2 (configuration mechanism #1); Intel
 * 82441FX (PMC) datasheet (CONFADD/CONFDATA at 0CF8h/0CFCh). */
#include "core/device.h"
#include "core/pci.h"
#include "core/savestate.h"

#include <stdlib.h>

#define CONFADD_ENABLE 0x80000000u
#define CONFADD_MASK 0x80fffffcu /* enable, bus, device, function, dword register */

typedef struct type1 {
    vt_pci_host host;
    vt_device *dev;
    uint32_t confadd;
} type1;

static uint64_t t1_read(void *opaque, uint64_t off, unsigned size) {
    type1 *t = opaque;
    if (off == 0 && size == 4) return t->confadd;
    if (off >= 4 && off + size <= 8) {
        if (!(t->confadd & CONFADD_ENABLE)) return (1ull << 8 * size) - 1;
        return vt_pci_config_read(&t->host, (t->confadd >> 16) & 0xff, (t->confadd >> 8) & 0xff,
                                  (t->confadd & 0xfc) + (unsigned)(off - 4), size);
    }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return (1ull << 8 * size) - 1;
}

static void t1_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    type1 *t = opaque;
    if (off == 0 && size == 4) {
        t->confadd = (uint32_t)v & CONFADD_MASK;
    } else if (off >= 4 && off + size <= 8) {
        if (t->confadd & CONFADD_ENABLE)
            vt_pci_config_write(&t->host, (t->confadd >> 16) & 0xff, (t->confadd >> 8) & 0xff,
                                (t->confadd & 0xfc) + (unsigned)(off - 4), (uint32_t)v, size);
    } else {
        vt_dev_log_unknown(t->dev, "write", off, size, v);
    }
}

static const vt_mmio_ops t1_ops = {t1_read, t1_write};

static int t1_create(vt_device *d, vt_error *err) {
    if (d->size < 8) return vt_fail(err, "size must cover CONFIG_ADDRESS and CONFIG_DATA (8)");
    type1 *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    t->dev = d;
    d->priv = t;
    vt_pci_host_init(&t->host, d, vt_dev_bus(d), vt_dev_io_bus(d));
    return vt_dev_map_mmio(d, &t1_ops, t, VT_LITTLE_ENDIAN, err);
}

static void t1_reset(vt_device *d) {
    type1 *t = d->priv;
    t->confadd = 0;
}

static void t1_save(const vt_device *d, vt_state_writer *w) {
    const type1 *t = d->priv;
    vt_state_begin(w, "PCI1", 1);
    vt_state_put_u32(w, t->confadd);
    vt_state_end(w);
}

static int t1_load(vt_device *d, vt_state_reader *r) {
    type1 *t = d->priv;
    uint32_t version;
    if (vt_state_open(r, "PCI1", 1, &version)) return -1;
    t->confadd = vt_state_get_u32(r) & CONFADD_MASK;
    return vt_state_close(r);
}

static void t1_destroy(vt_device *d) {
    type1 *t = d->priv;
    if (t) vt_pci_host_free(&t->host);
    free(t);
}

const vt_device_class vt_dev_pci_host_type1 = {
    .name = "pci-host-type1",
    .description = "PCI host bridge, configuration mechanism #1 (0xCF8/0xCFC)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 4, /* INTA..INTD after the slot swizzle */
    .create = t1_create,
    .reset = t1_reset,
    .save = t1_save,
    .load = t1_load,
    .destroy = t1_destroy,
};
