/* ISA DMA page registers ("dma-page", the AT's 74LS612): 16 byte-wide read/write registers at
 * ports 0x80-0x8F that supply address bits 23-16 of DMA transfers; each 8237 channel uses the
 * byte at the offset its controller's `page_offsets` key names (AT: channels 0-3 at 7, 3, 1, 2;
 * 5-7 at 11, 9, 10). The other bytes are plain storage (port 0x80 is the POST-code port).
 * Source: IBM PC AT Technical Reference, "DMA page registers" and I/O address map. */
#include "peripherals/dma_page.h"

#include "core/savestate.h"

#include <stdlib.h>

typedef struct dma_page {
    vt_device *dev;
    uint8_t reg[16];
} dma_page;

uint8_t vt_dma_page_get(const vt_device *d, unsigned off) {
    const dma_page *p = d->priv;
    return off < 16 ? p->reg[off] : 0;
}

static uint64_t page_read(void *opaque, uint64_t off, unsigned size) {
    dma_page *p = opaque;
    if (size == 1 && off < 16) return p->reg[off];
    vt_dev_log_unknown(p->dev, "read", off, size, 0);
    return 0xFF;
}

static void page_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    dma_page *p = opaque;
    if (size == 1 && off < 16)
        p->reg[off] = (uint8_t)v;
    else
        vt_dev_log_unknown(p->dev, "write", off, size, v);
}

static const vt_mmio_ops page_ops = {page_read, page_write};

static int page_create(vt_device *d, vt_error *err) {
    dma_page *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    return vt_dev_map_mmio(d, &page_ops, p, VT_LITTLE_ENDIAN, err);
}

static void page_reset(vt_device *d) {
    dma_page *p = d->priv;
    memset(p->reg, 0, sizeof p->reg);
}

static void page_save(const vt_device *d, vt_state_writer *w) {
    const dma_page *p = d->priv;
    vt_state_begin(w, "DMAP", 1);
    vt_state_put_bytes(w, p->reg, sizeof p->reg);
    vt_state_end(w);
}

static int page_load(vt_device *d, vt_state_reader *r) {
    dma_page *p = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "DMAP", 1, &ver)) return -1;
    vt_state_get_bytes(r, p->reg, sizeof p->reg);
    return vt_state_close(r);
}

static void page_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_dma_page = {
    .name = "dma-page",
    .description = "ISA DMA page registers (74LS612 as in the PC AT)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = page_create,
    .reset = page_reset,
    .save = page_save,
    .load = page_load,
    .destroy = page_destroy,
};
