/* Sun DMA2 ("DVMA") controller: memory transfers for the ESP and Lance channels. */
#ifndef VT_SPARC_DMA2_H
#define VT_SPARC_DMA2_H

#include "core/device.h"

/* Copies len bytes between memory at the channel's address register (through the IOMMU) and
 * buf; advances the address. Returns 0 or -1 (translation or bus error: ERR_PEND is set). */
int vt_dma2_transfer(vt_device *dma, int chan, uint8_t *buf, uint32_t len, bool to_memory) VT_MUST_CHECK;

/* Lance channel: the chip drives 24 address bits, the DMA2 supplies bits 31..24 from the
 * channel's address register. Copies len bytes at that DVMA address (no address update). */
int vt_dma2_lance_transfer(vt_device *dma, uint32_t addr24, uint8_t *buf, uint32_t len,
                           bool to_memory) VT_MUST_CHECK;

#endif
