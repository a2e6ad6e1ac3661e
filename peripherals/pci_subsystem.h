/* The Subsystem Vendor ID / Subsystem ID pair of a PCI function's header (0x2c, 0x2e), read
 * from the device's `subsystem` key (vendor << 16 | id; QEMU gives its machines' functions
 * 0x1af41100). Source: PCI Local Bus Specification 2.2 §6.2.4. */
#ifndef VT_PCI_SUBSYSTEM_H
#define VT_PCI_SUBSYSTEM_H

#include "core/device.h"
#include "core/pci.h"

#define VT_PCI_SUBSYSTEM_KEY                                                                       \
    { "subsystem", VT_KEY_U64, "0", "subsystem vendor << 16 | subsystem id (0: none)" }

int vt_pci_set_subsystem(vt_device *d, vt_pci_func *f, vt_error *err) VT_MUST_CHECK;

#endif
