/* Fills a PCI function's read-only subsystem IDs from its `subsystem` key (PCI 2.2 §6.2.4). */
#include "peripherals/pci_subsystem.h"

#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e

int vt_pci_set_subsystem(vt_device *d, vt_pci_func *f, vt_error *err) {
    uint64_t v;
    if (vt_dev_u64(d, "subsystem", &v, err)) return -1;
    if (v > 0xffffffffu) return vt_fail(err, "subsystem must fit 32 bits (vendor << 16 | id)");
    store_le16(f->config + PCI_SUBSYSTEM_VENDOR_ID, (uint16_t)(v >> 16));
    store_le16(f->config + PCI_SUBSYSTEM_ID, (uint16_t)v);
    return 0;
}
