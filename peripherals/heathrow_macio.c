/* Apple Heathrow mac-io ASIC as a PCI function (106b:0010, class 0xff0000) with one 512 KiB
 * memory BAR holding its cells (interrupt controller +0x10, ESCC +0x13000, CUDA +0x16000, NVRAM
 * +0x60000). The cells are ordinary devices of the profile placed in a fixed physical `window`;
 * BAR0 forwards each access to window + offset, so the cells follow wherever the firmware puts
 * the BAR. Approximation: the cells also answer at the window itself (a free hole on the G3).
 * Sources: QEMU g3beige (`info mtree` cell offsets, IDs); OpenBIOS drivers/macio.c offsets. */
#include "core/device.h"
#include "core/log.h"
#include "core/pci.h"
#include "core/savestate.h"
#include "peripherals/pci_subsystem.h"

#include <stdlib.h>

#define HEATHROW_VENDOR 0x106b /* Apple */
#define HEATHROW_DEVICE 0x0010
#define HEATHROW_CLASS 0xff0000
#define HEATHROW_BAR_SIZE 0x80000u

typedef struct macio {
    vt_device *dev;
    vt_pci_func *fn;
    uint64_t window;
} macio;

static uint64_t macio_read(void *opaque, uint64_t off, unsigned size) {
    macio *m = opaque;
    uint64_t v = 0;
    if (vt_bus_read(vt_dev_bus(m->dev), m->window + off, size, &v) != VT_BUS_OK) {
        vt_dev_log_unknown(m->dev, "read", off, size, 0);
        return 0;
    }
    return v;
}

static void macio_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    macio *m = opaque;
    if (size < 8) v &= (1ull << 8 * size) - 1; /* only the bytes on the bus */
    if (vt_bus_write(vt_dev_bus(m->dev), m->window + off, size, v) != VT_BUS_OK)
        vt_dev_log_unknown(m->dev, "write", off, size, v);
}

static const vt_mmio_ops macio_ops = {macio_read, macio_write};

static int macio_create(vt_device *d, vt_error *err) {
    macio *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    m->dev = d;
    d->priv = m;
    if (vt_dev_u64(d, "window", &m->window, err)) return -1;
    if (m->window & (HEATHROW_BAR_SIZE - 1)) return vt_fail(err, "window must be 512 KiB aligned");
    /* the cells' registers keep their own byte order: forward in the CPU's order, unswapped */
    vt_pci_func_def def = {.vendor = HEATHROW_VENDOR,
                           .device = HEATHROW_DEVICE,
                           .class_code = HEATHROW_CLASS,
                           .bars[0] = {.size = HEATHROW_BAR_SIZE,
                                       .ops = &macio_ops,
                                       .opaque = m,
                                       .endian = vt_dev_bus(d)->endian}};
    if (vt_pci_attach(d, &def, &m->fn, err)) return -1;
    return vt_pci_set_subsystem(d, m->fn, err);
}

static void macio_reset(vt_device *d) {
    macio *m = d->priv;
    vt_pci_func_reset(m->fn);
}

static void macio_save(const vt_device *d, vt_state_writer *w) {
    const macio *m = d->priv;
    vt_pci_func_save(m->fn, w);
}

static int macio_load(vt_device *d, vt_state_reader *r) {
    macio *m = d->priv;
    return vt_pci_func_load(m->fn, r);
}

static void macio_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key macio_keys[] = {
    VT_PCI_DEV_KEYS,
    VT_PCI_SUBSYSTEM_KEY,
    {"window", VT_KEY_U64, "0xf3000000", "physical address where the cells are placed"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_heathrow_macio = {
    .name = "heathrow-macio",
    .description = "Apple Heathrow mac-io (PCI function forwarding its BAR to its cells)",
    .keys = macio_keys,
    .create = macio_create,
    .reset = macio_reset,
    .save = macio_save,
    .load = macio_load,
    .destroy = macio_destroy,
};
