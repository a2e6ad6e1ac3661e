/* ISA DMA page registers (the AT's 74LS612 memory mapper): the call an 8237 makes to get the
 * address bits 23-16 for its channel (peripherals/dma_page.c). */
#ifndef VT_DMA_PAGE_H
#define VT_DMA_PAGE_H

#include "core/device.h"

/* The page byte at window offset `off` (0..15) of a "dma-page" device. */
uint8_t vt_dma_page_get(const vt_device *d, unsigned off);

#endif
