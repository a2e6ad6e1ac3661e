/* Sun DMA2 controller ("sun-dma2") as on the SPARCstation 5 (inside the NCR89C100 MACIO):
 * channel 0 serves the ESP SCSI controller (registers at +0x00), channel 1 the Lance
 * Ethernet (+0x10). Per channel: CSR (+0: device interrupt pending, error pending, interrupt
 * enable, FIFO invalidate, reset, direction, DMA enable, byte-count enable, terminal count,
 * device id 0xa = DMA2), address (+4), byte count (+8) and test/extra (+0xc). Transfers go
 * through the upstream DMA port of key `dma` (the IOMMU). It offers DMA ports 0 and 1 to the
 * chips on its channels: stream transfers at the channel's address register (ESP), and, on
 * channel 1, addressed transfers whose low 24 bits come from the chip and bits 31..24 from the
 * channel's +0xc register (Lance: Linux sunlance.c writes the init block's top byte to DMA_TEST).
 * Inputs 0/1 are the ESP/Lance interrupts; outputs irq/irq1 forward them when CSR interrupt-enable
 * is set. Sources: Sun "DMA2 Programmer's guide" and Linux arch/sparc/include/asm/dma.h (bits);
 * QEMU hw/dma/sparc32_dma.c (register layout and version). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define CSR_INT_PEND 0x00000001u
#define CSR_ERR_PEND 0x00000002u
#define CSR_INT_EN 0x00000010u
#define CSR_FIFO_INV 0x00000020u
#define CSR_RESET 0x00000080u
#define CSR_WRITE 0x00000100u
#define CSR_EN_DMA 0x00000200u
#define CSR_EN_CNT 0x00002000u
#define CSR_TC 0x00004000u
#define CSR_VERSION 0xa0000000u
#define CSR_WRITABLE 0x000fffb0u /* everything but pending bits, TC and device id */

typedef struct dma_chan {
    uint32_t csr, addr, count, test;
    bool dev_irq;
} dma_chan;

typedef struct dma2 {
    vt_device *dev;
    vt_dma up; /* towards memory: the IOMMU */
    dma_chan ch[2];
} dma2;

static void update(dma2 *d, int c) {
    dma_chan *ch = &d->ch[c];
    ch->csr = (ch->csr & ~CSR_INT_PEND) | (ch->dev_irq ? CSR_INT_PEND : 0);
    vt_irq_set(&d->dev->irq[c], (ch->csr & CSR_INT_PEND) && (ch->csr & CSR_INT_EN));
}

static void input(void *opaque, int n, bool level) {
    dma2 *d = opaque;
    d->ch[n].dev_irq = level;
    update(d, n);
}

static int irq_input(vt_device *dv, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 1) return vt_fail(err, "sun-dma2 inputs: 0 = ESP, 1 = Lance");
    *out = (vt_irq){input, dv->priv, n};
    return 0;
}

/* Copies len bytes at DVMA address dva through the upstream port; a refused transfer sets
 * the channel's error-pending bit. */
static int copy(dma2 *d, dma_chan *ch, uint32_t dva, void *buf, uint64_t len, bool to_memory) {
    int rc = to_memory ? vt_dma_write(&d->up, dva, buf, len) : vt_dma_read(&d->up, dva, buf, len);
    if (rc) ch->csr |= CSR_ERR_PEND;
    return rc;
}

static int stream(void *opaque, int c, void *buf, uint64_t len, bool to_memory) {
    dma2 *d = opaque;
    dma_chan *ch = &d->ch[c];
    if (copy(d, ch, ch->addr, buf, len, to_memory)) return -1;
    ch->addr += (uint32_t)len;
    return 0;
}

static int addressed(void *opaque, int c, uint64_t addr, void *buf, uint64_t len, bool to_memory) {
    dma2 *d = opaque;
    dma_chan *ch = &d->ch[c];
    if (c != 1) {
        vt_log(VT_LOG_DEV, "%s: addressed DMA on channel %d (only the Lance channel 1)",
               d->dev->name, c);
        return -1;
    }
    return copy(d, ch, (ch->test & 0xff000000u) | ((uint32_t)addr & 0x00ffffffu), buf, len,
                to_memory);
}

static const vt_dma_ops chan_ops = {.addressed = addressed, .stream = stream};

static int dma_port(vt_device *dv, int n, vt_dma *out, vt_error *err) {
    if (n < 0 || n > 1) return vt_fail(err, "sun-dma2 DMA ports: 0 = ESP channel, 1 = Lance");
    *out = (vt_dma){&chan_ops, dv->priv, n};
    return 0;
}

static uint64_t dma_read(void *opaque, uint64_t off, unsigned size) {
    dma2 *d = opaque;
    if (size == 4 && off < 0x20) {
        dma_chan *ch = &d->ch[off >> 4];
        switch (off & 0xf) {
        case 0x0:
            return ch->csr;
        case 0x4:
            return ch->addr;
        case 0x8:
            return ch->count;
        default:
            return ch->test;
        }
    }
    vt_dev_log_unknown(d->dev, "read", off, size, 0);
    return 0;
}

static void dma_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    dma2 *d = opaque;
    uint32_t x = (uint32_t)v;
    if (size == 4 && off < 0x20) {
        int c = (int)(off >> 4);
        dma_chan *ch = &d->ch[c];
        switch (off & 0xf) {
        case 0x0:
            if (x & CSR_RESET) {
                ch->csr = CSR_VERSION | (x & CSR_RESET);
                ch->addr = ch->count = 0;
            } else {
                ch->csr = (ch->csr & ~CSR_WRITABLE) | (x & CSR_WRITABLE);
                ch->csr &= ~(CSR_FIFO_INV | CSR_RESET); /* self-clearing */
                if (x & CSR_ERR_PEND) ch->csr &= ~CSR_ERR_PEND;
                if (x & CSR_TC) ch->csr &= ~CSR_TC;
            }
            update(d, c);
            return;
        case 0x4:
            ch->addr = x;
            return;
        case 0x8:
            ch->count = x;
            return;
        default:
            ch->test = x;
            return;
        }
    }
    vt_dev_log_unknown(d->dev, "write", off, size, v);
}

static const vt_mmio_ops dma_ops = {dma_read, dma_write};

static int dma_create(vt_device *dv, vt_error *err) {
    dma2 *d = calloc(1, sizeof *d);
    if (!d) return vt_fail(err, "out of memory");
    d->dev = dv;
    dv->priv = d;
    if (vt_dev_dma(dv, "dma", &d->up, err)) return -1;
    return vt_dev_map_mmio(dv, &dma_ops, d, VT_BIG_ENDIAN, err);
}

static void dma_reset(vt_device *dv) {
    dma2 *d = dv->priv;
    for (int c = 0; c < 2; c++) {
        d->ch[c] = (dma_chan){.csr = CSR_VERSION};
        update(d, c);
    }
}

static void dma_save(const vt_device *dv, vt_state_writer *w) {
    const dma2 *d = dv->priv;
    vt_state_begin(w, "DMA2", 1);
    for (int c = 0; c < 2; c++) {
        vt_state_put_u32(w, d->ch[c].csr);
        vt_state_put_u32(w, d->ch[c].addr);
        vt_state_put_u32(w, d->ch[c].count);
        vt_state_put_u32(w, d->ch[c].test);
        vt_state_put_u8(w, d->ch[c].dev_irq);
    }
    vt_state_end(w);
}

static int dma_load(vt_device *dv, vt_state_reader *r) {
    dma2 *d = dv->priv;
    uint32_t v;
    if (vt_state_open(r, "DMA2", 1, &v)) return -1;
    for (int c = 0; c < 2; c++) {
        d->ch[c].csr = vt_state_get_u32(r);
        d->ch[c].addr = vt_state_get_u32(r);
        d->ch[c].count = vt_state_get_u32(r);
        d->ch[c].test = vt_state_get_u32(r);
        d->ch[c].dev_irq = vt_state_get_u8(r) != 0;
    }
    return vt_state_close(r);
}

static void dma_destroy(vt_device *dv) {
    free(dv->priv);
}

const vt_device_class vt_dev_sun_dma2 = {
    .name = "sun-dma2",
    .description = "Sun DMA2 controller (ESP and Lance channels, via the IOMMU)",
    .keys = (const vt_dev_key[]){{"dma", VT_KEY_STR, "iommu", "upstream DMA port (the IOMMU)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = dma_create,
    .reset = dma_reset,
    .save = dma_save,
    .load = dma_load,
    .destroy = dma_destroy,
    .irq_input = irq_input,
    .dma_port = dma_port,
};
