/* DMA ports: how a bus-master device reaches memory without naming the chip in between. A
 * device reads its port from its profile (`dma = memory`, `dma = iommu`, `dma = dma2.1`) with
 * vt_dev_dma(); the provider is the machine's physical bus or another device's `dma_port` hook
 * (a DMA controller channel, an IOMMU, a PCI host). Two kinds of transfer:
 *   addressed: the device gives the address (Lance descriptors, PCI bus masters);
 *   stream:    the controller's own address register supplies and advances it (ESP on DMA2).
 * Every transfer is all or nothing: a range that is not entirely mapped (or translates to an
 * invalid page) is refused with -1 before any byte moves, and never reaches host memory beyond
 * the guest's. */
#ifndef VT_DMA_H
#define VT_DMA_H

#include "core/common.h"

typedef struct vt_dma_ops {
    /* to_memory: buf -> memory, else memory -> buf. NULL: the port has no such mode. */
    int (*addressed)(void *opaque, int channel, uint64_t addr, void *buf, uint64_t len,
                     bool to_memory);
    int (*stream)(void *opaque, int channel, void *buf, uint64_t len, bool to_memory);
} vt_dma_ops;

typedef struct vt_dma {
    const vt_dma_ops *ops; /* NULL: not connected, every transfer fails */
    void *opaque;
    int channel;
} vt_dma;

int vt_dma_read(const vt_dma *p, uint64_t addr, void *buf, uint64_t len) VT_MUST_CHECK;
int vt_dma_write(const vt_dma *p, uint64_t addr, const void *buf, uint64_t len) VT_MUST_CHECK;
int vt_dma_stream_read(const vt_dma *p, void *buf, uint64_t len) VT_MUST_CHECK;
int vt_dma_stream_write(const vt_dma *p, const void *buf, uint64_t len) VT_MUST_CHECK;

struct vt_bus;
/* A port straight onto a bus (addressed transfers only): what `dma = memory` gives. */
void vt_dma_bus_port(struct vt_bus *bus, vt_dma *out);

#endif
