/* Intel 8237A DMA controller: the channel API an ISA device (the floppy controller) uses
 * instead of DREQ/DACK handshakes (peripherals/i8237_dma.c). */
#ifndef VT_I8237_DMA_H
#define VT_I8237_DMA_H

#include "core/device.h"

/* Whether channel ch (0-3 of this controller) would answer DREQ now: controller enabled,
 * channel unmasked, not a cascade channel. */
bool vt_i8237_ready(vt_device *d, int ch);
/* Moves up to len bytes between buf and guest memory as channel ch is programmed (mode "write"
 * = device to memory, "read" = memory to device, "verify" moves nothing but counts). Stops at
 * terminal count; returns the bytes transferred (0 when the channel is not ready) and sets *tc
 * when terminal count was reached. */
size_t vt_i8237_transfer(vt_device *d, int ch, uint8_t *buf, size_t len, bool *tc);

#endif
