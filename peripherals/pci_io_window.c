/* A host bridge's PCI I/O aperture ("pci-io-window"): a memory range whose accesses reach the
 * machine's I/O-port space at (address - base), as the MPC106 decodes 0xFE000000-0xFE7FFFFF
 * for PCI I/O on the Power Mac G3 (OpenBIOS's isa-io-base). PCI I/O is little-endian; the bus
 * swaps for a big-endian CPU. Ports nothing decodes are logged by the I/O bus and read all ones.
 * Sources: MPC106 user's manual, address map B (PCI I/O space); OpenBIOS arch/ppc/qemu. */
#include "core/device.h"

#include <stdlib.h>

static uint64_t window_read(void *opaque, uint64_t off, unsigned size) {
    vt_device *d = opaque;
    uint64_t v = 0;
    if (vt_bus_read(vt_dev_io_bus(d), off, size, &v) != VT_BUS_OK)
        return size == 8 ? UINT64_MAX : (1ull << 8 * size) - 1;
    return v;
}

static void window_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    vt_device *d = opaque;
    (void)vt_bus_write(vt_dev_io_bus(d), off, size, val); /* the I/O bus logs unmapped ports */
}

static const vt_mmio_ops window_ops = {window_read, window_write};

static int window_create(vt_device *d, vt_error *err) {
    if (d->io_space) return vt_fail(err, "pci-io-window lives in memory space, not 'space = io'");
    return vt_dev_map_mmio(d, &window_ops, d, VT_LITTLE_ENDIAN, err);
}

const vt_device_class vt_dev_pci_io_window = {
    .name = "pci-io-window",
    .description = "memory window onto the I/O-port space (a host bridge's PCI I/O aperture)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = window_create,
};
