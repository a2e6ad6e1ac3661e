/* DMA port dispatch and the direct-to-bus port; see dma.h. */
#include "core/dma.h"

#include "core/bus.h"
#include "core/log.h"

static int refuse(const char *what) {
    vt_log(VT_LOG_DEV, "dma: %s transfer on a port without that mode", what);
    return -1;
}

int vt_dma_read(const vt_dma *p, uint64_t addr, void *buf, uint64_t len) {
    if (!p->ops || !p->ops->addressed) return refuse("addressed");
    return p->ops->addressed(p->opaque, p->channel, addr, buf, len, false);
}

int vt_dma_write(const vt_dma *p, uint64_t addr, const void *buf, uint64_t len) {
    if (!p->ops || !p->ops->addressed) return refuse("addressed");
    return p->ops->addressed(p->opaque, p->channel, addr, (void *)buf, len, true);
}

int vt_dma_stream_read(const vt_dma *p, void *buf, uint64_t len) {
    if (!p->ops || !p->ops->stream) return refuse("stream");
    return p->ops->stream(p->opaque, p->channel, buf, len, false);
}

int vt_dma_stream_write(const vt_dma *p, const void *buf, uint64_t len) {
    if (!p->ops || !p->ops->stream) return refuse("stream");
    return p->ops->stream(p->opaque, p->channel, (void *)buf, len, true);
}

static int bus_transfer(void *opaque, int channel, uint64_t addr, void *buf, uint64_t len,
                        bool to_memory) {
    VT_UNUSED(channel);
    vt_bus *b = opaque;
    vt_bus_status st =
        to_memory ? vt_bus_write_block(b, addr, buf, len) : vt_bus_read_block(b, addr, buf, len);
    return st == VT_BUS_OK ? 0 : -1;
}

static const vt_dma_ops bus_ops = {.addressed = bus_transfer};

void vt_dma_bus_port(vt_bus *bus, vt_dma *out) {
    *out = (vt_dma){&bus_ops, bus, 0};
}
