/* Interrupt line delivery with optional logging (`--log irq`). */
#include "core/irq.h"

#include "core/log.h"

void vt_irq_set(const vt_irq *irq, bool level) {
    if (!irq->set) return;
    if (vt_log_enabled(VT_LOG_IRQ)) vt_log(VT_LOG_IRQ, "line %d -> %d", irq->n, level);
    irq->set(irq->opaque, irq->n, level);
}
