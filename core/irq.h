/* Interrupt lines. An IRQ line is a value {set, opaque, n}: the source device drives it without
 * knowing what it is wired to; the INI wiring (`irq = slavio.12`) resolves it at build time. */
#ifndef VT_IRQ_H
#define VT_IRQ_H

#include "core/common.h"

typedef void (*vt_irq_set_fn)(void *opaque, int n, bool level);

typedef struct vt_irq {
    vt_irq_set_fn set; /* NULL: unconnected line, level changes are dropped */
    void *opaque;
    int n;
} vt_irq;

void vt_irq_set(const vt_irq *irq, bool level);
static inline void vt_irq_raise(const vt_irq *irq) {
    vt_irq_set(irq, true);
}
static inline void vt_irq_lower(const vt_irq *irq) {
    vt_irq_set(irq, false);
}
static inline bool vt_irq_connected(const vt_irq *irq) {
    return irq->set != NULL;
}

#endif
