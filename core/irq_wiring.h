/* INI interrupt wiring of device outputs (`irq`, `irqN` = `DEVICE.N`, `cpu.A-B`…); see
 * core/irq_wiring.c and config/README.md. */
#ifndef VT_IRQ_WIRING_H
#define VT_IRQ_WIRING_H

#include "core/common.h"

struct vt_machine;
struct vt_device;

/* True when key is `irq` (index 0) or `irqN` (N ≥ 1, no leading zero); sets *index. */
bool vt_irq_key_index(const char *key, int *index);
/* Wires every irq key of device d (after all devices exist). */
int vt_machine_wire_irqs(struct vt_machine *m, struct vt_device *d, vt_error *err) VT_MUST_CHECK;

#endif
