/* OMAP1510/310 system DMA: nine channels of 16-bit registers 0x40 apart and the global words
 * at +0x400. A software-started channel (CCR.SYNC = 0) moves its whole block when enabled
 * (8/16/32-bit elements, frames, the four addressing modes), then sets CSR.BLOCK and its
 * interrupt; request-paced transfers are not modelled (logged unimp). Sources: OMAP5910 TRM
 * SPRU674; Linux 6.1 arch/arm/mach-omap1/dma.c, drivers/dma/ti/omap-dma.c. */
#include "core/device.h"
#include "core/irq.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define NCH 9
#define CH_WORDS 0x20 /* 16-bit words per channel slot (0x40 bytes) */
#define NGLOBAL 4     /* GCR, GSCR, GRST, - */
#define GLOBAL_BASE 0x400
#define NIRQ 6 /* INT_DMA_CH0_6, CH1_7, CH2_8, CH3, CH4, CH5 */

enum {
    CSDP = 0x00 / 2,
    CCR = 0x02 / 2,
    CICR = 0x04 / 2,
    CSR = 0x06 / 2,
    CSSA_L = 0x08 / 2,
    CSSA_U = 0x0a / 2,
    CDSA_L = 0x0c / 2,
    CDSA_U = 0x0e / 2,
    CEN = 0x10 / 2,
    CFN = 0x12 / 2,
    CSFI = 0x14 / 2,
    CSEI = 0x16 / 2,
    CPC = 0x18 / 2,
    CDEI = 0x1c / 2,
    CDFI = 0x1e / 2,
    CCR_EN = 1u << 7,
    CCR_SYNC_MASK = 0x1f,
    CSR_BLOCK = 1u << 5,
};

/* Channel words Linux and the TRM name (the rest of the slot is logged). */
static const uint32_t known_words = 0x3fffffu; /* 0x00-0x2a */

typedef struct dma {
    vt_device *dev;
    uint16_t ch[NCH][CH_WORDS];
    uint16_t global[NGLOBAL];
    bool irq_level[NIRQ];
} dma;

static int irq_of(int ch) {
    return ch < NIRQ ? ch : ch - NIRQ;
}

static void update_irqs(dma *s) {
    bool lvl[NIRQ] = {false};
    for (int c = 0; c < NCH; c++)
        if (s->ch[c][CSR] & s->ch[c][CICR]) lvl[irq_of(c)] = true;
    for (int i = 0; i < NIRQ; i++)
        if (lvl[i] != s->irq_level[i]) {
            s->irq_level[i] = lvl[i];
            vt_irq_set(&s->dev->irq[i], lvl[i]);
        }
}

/* Next address after an element, for addressing mode m (0 constant, 1 post-increment,
 * 2 single index, 3 double index) with element/frame index words ei, fi. */
static uint32_t step(uint32_t a, unsigned m, unsigned es, int16_t ei, int16_t fi, bool end_frame) {
    switch (m) {
    case 1:
        return a + es;
    case 2:
        return a + es + (uint32_t)(int32_t)ei - 1;
    case 3:
        return a + es + (uint32_t)(int32_t)(end_frame ? fi : ei) - 1;
    default:
        return a;
    }
}

static void run_block(dma *s, int c) {
    uint16_t *r = s->ch[c];
    unsigned es = 1u << (r[CSDP] & 3);
    if (es == 8) {
        vt_log(VT_LOG_UNIMP, "unimplemented: omap1-dma ch%d reserved DATA_TYPE 3", c);
        return;
    }
    uint32_t src = r[CSSA_L] | (uint32_t)r[CSSA_U] << 16;
    uint32_t dst = r[CDSA_L] | (uint32_t)r[CDSA_U] << 16;
    unsigned sm = (r[CCR] >> 12) & 3, dm = (r[CCR] >> 14) & 3;
    vt_bus *bus = vt_dev_bus(s->dev);
    for (unsigned f = 0; f < r[CFN]; f++)
        for (unsigned e = 0; e < r[CEN]; e++) {
            uint64_t v = 0;
            if (vt_bus_read(bus, src, es, &v) || vt_bus_write(bus, dst, es, v)) {
                vt_log(VT_LOG_DEV, "omap1-dma ch%d: bus error at 0x%08x -> 0x%08x", c, src, dst);
                r[CSR] |= 1u << 0; /* TOUT: the transfer stops on an error */
                r[CCR] &= (uint16_t)~CCR_EN;
                return;
            }
            bool last = e + 1 == r[CEN];
            src = step(src, sm, es, (int16_t)r[CSEI], (int16_t)r[CSFI], last);
            dst = step(dst, dm, es, (int16_t)r[CDEI], (int16_t)r[CDFI], last);
        }
    r[CPC] = (uint16_t)dst;
    r[CSR] |= CSR_BLOCK;
    r[CCR] &= (uint16_t)~CCR_EN;
}

static void write_ccr(dma *s, int c, uint16_t v) {
    bool start = (v & CCR_EN) && !(s->ch[c][CCR] & CCR_EN);
    s->ch[c][CCR] = v;
    if (!start) return;
    if (v & CCR_SYNC_MASK)
        vt_log(VT_LOG_UNIMP, "unimplemented: omap1-dma ch%d synchronised to request %u", c,
               v & CCR_SYNC_MASK);
    else
        run_block(s, c);
}

static uint16_t *word(dma *s, uint64_t off, int *ch) {
    if (off >= GLOBAL_BASE && off < GLOBAL_BASE + 2 * NGLOBAL) {
        *ch = -1;
        return &s->global[(off - GLOBAL_BASE) / 2];
    }
    unsigned c = (unsigned)(off / 0x40), w = (unsigned)(off % 0x40) / 2;
    if (c >= NCH || !(known_words >> w & 1)) return NULL;
    *ch = (int)c;
    return &s->ch[c][w];
}

static uint64_t dma_read(void *opaque, uint64_t off, unsigned size) {
    dma *s = opaque;
    int c;
    uint16_t *p = size == 2 && !(off & 1) ? word(s, off, &c) : NULL;
    if (!p) {
        vt_dev_log_unknown(s->dev, "read", off, size, 0);
        return 0;
    }
    uint16_t v = *p;
    if (c >= 0 && p == &s->ch[c][CSR]) {
        *p = 0; /* status bits clear when read */
        update_irqs(s);
    }
    return v;
}

static void dma_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    dma *s = opaque;
    int c;
    uint16_t *p = size == 2 && !(off & 1) ? word(s, off, &c) : NULL;
    if (!p || (c >= 0 && p == &s->ch[c][CSR])) {
        vt_dev_log_unknown(s->dev, "write", off, size, v);
        return;
    }
    if (c >= 0 && p == &s->ch[c][CCR])
        write_ccr(s, c, (uint16_t)v);
    else
        *p = (uint16_t)v;
    update_irqs(s);
}

static const vt_mmio_ops dma_ops = {dma_read, dma_write};

/* The global words live in a window of their own at +0x400: the LCD channel's words at
 * +0x300 belong to the LCD controller (omap1-lcdc), which is their only user. */
static uint64_t global_read(void *opaque, uint64_t off, unsigned size) {
    return dma_read(opaque, off + GLOBAL_BASE, size);
}
static void global_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    dma_write(opaque, off + GLOBAL_BASE, v, size);
}
static const vt_mmio_ops global_ops = {global_read, global_write};

static int dma_create(vt_device *d, vt_error *err) {
    if (d->size != NCH * 0x40 + 0xc0)
        return vt_fail(err, "size must be 0x300 (channels; globals follow at +0x400)");
    dma *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    d->priv = s;
    s->dev = d;
    if (vt_dev_map_mmio(d, &dma_ops, s, VT_LITTLE_ENDIAN, err)) return -1;
    return vt_bus_add_mmio(vt_dev_bus(d), "dma-global", d->base + GLOBAL_BASE, 0x400, &global_ops,
                           s, VT_LITTLE_ENDIAN, err);
}

static void dma_reset(vt_device *d) {
    dma *s = d->priv;
    memset(s->ch, 0, sizeof s->ch);
    memset(s->global, 0, sizeof s->global);
    update_irqs(s);
}

static void dma_save(const vt_device *d, vt_state_writer *w) {
    const dma *s = d->priv;
    vt_state_begin(w, "O1DM", 1);
    for (int c = 0; c < NCH; c++)
        for (int i = 0; i < CH_WORDS; i++)
            vt_state_put_u16(w, s->ch[c][i]);
    for (int i = 0; i < NGLOBAL; i++)
        vt_state_put_u16(w, s->global[i]);
    for (int i = 0; i < NIRQ; i++)
        vt_state_put_u8(w, s->irq_level[i]);
    vt_state_end(w);
}

static int dma_load(vt_device *d, vt_state_reader *r) {
    dma *s = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1DM", 1, &ver)) return -1;
    for (int c = 0; c < NCH; c++)
        for (int i = 0; i < CH_WORDS; i++)
            s->ch[c][i] = vt_state_get_u16(r);
    for (int i = 0; i < NGLOBAL; i++)
        s->global[i] = vt_state_get_u16(r);
    for (int i = 0; i < NIRQ; i++)
        s->irq_level[i] = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void dma_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_dma = {
    .name = "omap1-dma",
    .description = "OMAP1510/310 system DMA: 9 channels, software-started block transfers",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = NIRQ,
    .create = dma_create,
    .reset = dma_reset,
    .save = dma_save,
    .load = dma_load,
    .destroy = dma_destroy,
};
