/* OMAP1510/310 LCD controller with its LCD DMA channel words (TOP_F1/BOT_F1): enabling it in a
 * palette-loading mode fetches the palette through TOP_F1 and raises LOADED_PALETTE, disabling
 * it raises DONE. The frame in RAM is published as a core/display.h screen: size from TIMING0/1,
 * depth from the palette's first word (8 bpp through the 12-bit palette, 16 bpp RGB565).
 * Sources: OMAP5910 TRM SPRU675; Linux 6.1 drivers/video/fbdev/omap/lcdc.c, lcdc.h, lcd_dma.c. */
#include "core/device.h"
#include "core/display.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum { CONTROL, TIMING0, TIMING1, TIMING2, STATUS, SUBPANEL, LINE_INT, DISPLAY_STATUS, NREG };
enum { D_CTRL, D_TOP_L, D_TOP_U, D_BOT_L, D_BOT_U, NDMA };
enum {
    CTRL_LCD_EN = 1u << 0,
    STAT_DONE = 1u << 0,
    STAT_VSYNC = 1u << 1,
    STAT_LOADED_PALETTE = 1u << 6,
    IRQ_VSYNC = 1u << 2,
    IRQ_DONE = 1u << 3,
    IRQ_LOADED_PALETTE = 1u << 4,
    LOAD_PALETTE_ONLY = 1,
    LOAD_FRAME_ONLY = 2,
    BPP_8 = 3, /* palette word 0 bits 14:12; 4 and up: 12/16 bpp */
};

typedef struct lcdc {
    vt_device *dev;
    uint32_t reg[NREG];
    uint16_t dma[NDMA];
    uint16_t palette[256];
    bool irq_level;
    vt_screen *screen;
} lcdc;

static void update(lcdc *l) {
    uint32_t c = l->reg[CONTROL], s = l->reg[STATUS];
    bool lvl = ((s & STAT_DONE) && (c & IRQ_DONE)) || ((s & STAT_VSYNC) && (c & IRQ_VSYNC)) ||
               ((s & STAT_LOADED_PALETTE) && (c & IRQ_LOADED_PALETTE));
    if (lvl != l->irq_level) {
        l->irq_level = lvl;
        vt_irq_set(&l->dev->irq[0], lvl);
    }
}

static uint32_t top_f1(const lcdc *l) {
    return l->dma[D_TOP_L] | (uint32_t)l->dma[D_TOP_U] << 16;
}

/* The palette's first word says the pixel depth: 8 bpp needs 256 entries, less needs 16. */
static void load_palette(lcdc *l) {
    vt_bus *bus = vt_dev_bus(l->dev);
    uint64_t first = 0;
    if (vt_bus_read(bus, top_f1(l), 2, &first)) {
        vt_dev_log_unknown(l->dev, "palette DMA from unmapped address", top_f1(l), 2, 0);
        return;
    }
    unsigned n = ((first >> 12) & 7) >= 3 ? 256 : 16;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = 0;
        if (vt_bus_read(bus, top_f1(l) + 2 * i, 2, &v)) break;
        l->palette[i] = (uint16_t)v;
    }
    l->reg[STATUS] |= STAT_LOADED_PALETTE;
}

static void write_control(lcdc *l, uint32_t v) {
    bool was = l->reg[CONTROL] & CTRL_LCD_EN, now = v & CTRL_LCD_EN;
    l->reg[CONTROL] = v;
    if (now && !was) {
        l->reg[STATUS] &= ~STAT_DONE;
        if (((v >> 20) & 3) != LOAD_FRAME_ONLY) load_palette(l);
    } else if (was && !now) {
        l->reg[STATUS] |= STAT_DONE; /* the frame in progress completes */
    }
}

static uint32_t palette_bytes(const lcdc *l) {
    return ((l->palette[0] >> 12) & 7) >= 4 ? 32 : 512;
}

/* The frame the LCD DMA scans: after the palette in "palette and frame" mode, at TOP_F1 in
 * "frame only" mode (what Linux uses once the palette is in). 1/2/4 bpp have no display-core
 * format and show black (Linux's omapfb never programs them: lcdc.c "FIXME: other BPPs"). */
static void lcdc_screen_update(void *opaque, vt_screen_image *img) {
    lcdc *l = opaque;
    uint32_t c = l->reg[CONTROL], mode = (c >> 20) & 3, bpp = (l->palette[0] >> 12) & 7;
    uint32_t w = (l->reg[TIMING0] & 0x3ff) + 1, h = (l->reg[TIMING1] & 0x3ff) + 1;
    img->width = img->height = 0;
    if (!(c & CTRL_LCD_EN) || mode == LOAD_PALETTE_ONLY || bpp < BPP_8) {
        img->blank = true;
        return;
    }
    img->format = bpp == BPP_8 ? VT_PIX_INDEXED8 : VT_PIX_RGB565;
    img->stride = bpp == BPP_8 ? w : 2 * w;
    vt_paddr frame = top_f1(l) + (mode == LOAD_FRAME_ONLY ? 0 : palette_bytes(l));
    img->pixels = vt_bus_host_ptr(vt_dev_bus(l->dev), frame, (uint64_t)img->stride * h, false);
    img->blank = !img->pixels;
    if (!img->pixels) return; /* not in RAM: nothing the DMA could fetch */
    img->width = w;
    img->height = h;
    img->big_endian = false;
    for (int i = 0; i < 256; i++) { /* 12-bit 4:4:4 entries, each nibble widened to 8 bits */
        uint32_t p = l->palette[i];
        img->palette[i] =
            ((p >> 8) & 0xf) * 0x110000u + ((p >> 4) & 0xf) * 0x1100u + (p & 0xf) * 0x11u;
    }
}

static const vt_screen_ops lcdc_screen_ops = {lcdc_screen_update};

static uint64_t lcdc_read(void *opaque, uint64_t off, unsigned size) {
    lcdc *l = opaque;
    /* lcd_dma.c reads CONTROL 16 bits wide (omap_lcd_dma_running): the low half */
    if (size >= 2 && !(off & 3) && off / 4 < NREG)
        return off / 4 == DISPLAY_STATUS ? 0 : l->reg[off / 4] & (size == 2 ? 0xffffu : ~0u);
    vt_dev_log_unknown(l->dev, "read", off, size, 0);
    return 0;
}

static void lcdc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    lcdc *l = opaque;
    unsigned r = (unsigned)off / 4;
    if (size != 4 || (off & 3) || r >= NREG || r == DISPLAY_STATUS) {
        vt_dev_log_unknown(l->dev, "write", off, size, v);
        return;
    }
    if (r == CONTROL)
        write_control(l, (uint32_t)v);
    else if (r == STATUS)
        l->reg[STATUS] &= (uint32_t)v;
    else
        l->reg[r] = (uint32_t)v;
    update(l);
}

static uint64_t ldma_read(void *opaque, uint64_t off, unsigned size) {
    lcdc *l = opaque;
    if (size == 2 && !(off & 1) && off / 2 < NDMA) return l->dma[off / 2];
    vt_dev_log_unknown(l->dev, "LCD DMA read", off, size, 0);
    return 0;
}

static void ldma_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    lcdc *l = opaque;
    if (size == 2 && !(off & 1) && off / 2 < NDMA)
        l->dma[off / 2] = (uint16_t)v;
    else
        vt_dev_log_unknown(l->dev, "LCD DMA write", off, size, v);
}

static const vt_mmio_ops lcdc_ops = {lcdc_read, lcdc_write};
static const vt_mmio_ops ldma_ops = {ldma_read, ldma_write};

static int lcdc_create(vt_device *d, vt_error *err) {
    uint64_t dma_base;
    if (vt_dev_u64(d, "dma_base", &dma_base, err)) return -1;
    if (d->size < NREG * 4) return vt_fail(err, "size must be at least 0x%x", NREG * 4);
    lcdc *l = calloc(1, sizeof *l);
    if (!l) return vt_fail(err, "out of memory");
    d->priv = l;
    l->dev = d;
    if (vt_dev_map_mmio(d, &lcdc_ops, l, VT_LITTLE_ENDIAN, err) ||
        vt_bus_add_mmio(vt_dev_bus(d), "lcd-dma", dma_base, 0x100, &ldma_ops, l, VT_LITTLE_ENDIAN,
                        err))
        return -1;
    return vt_display_add_screen(vt_dev_display(d), d->name, &lcdc_screen_ops, l, &l->screen, err);
}

static void lcdc_reset(vt_device *d) {
    lcdc *l = d->priv;
    memset(l->reg, 0, sizeof l->reg);
    memset(l->dma, 0, sizeof l->dma);
    update(l);
}

static void lcdc_save(const vt_device *d, vt_state_writer *w) {
    const lcdc *l = d->priv;
    vt_state_begin(w, "O1LC", 1);
    for (int i = 0; i < NREG; i++)
        vt_state_put_u32(w, l->reg[i]);
    for (int i = 0; i < NDMA; i++)
        vt_state_put_u16(w, l->dma[i]);
    for (int i = 0; i < 256; i++)
        vt_state_put_u16(w, l->palette[i]);
    vt_state_put_u8(w, l->irq_level);
    vt_state_end(w);
}

static int lcdc_load(vt_device *d, vt_state_reader *r) {
    lcdc *l = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1LC", 1, &ver)) return -1;
    for (int i = 0; i < NREG; i++)
        l->reg[i] = vt_state_get_u32(r);
    for (int i = 0; i < NDMA; i++)
        l->dma[i] = vt_state_get_u16(r);
    for (int i = 0; i < 256; i++)
        l->palette[i] = vt_state_get_u16(r);
    l->irq_level = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void lcdc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_lcdc = {
    .name = "omap1-lcdc",
    .description = "OMAP1510/310 LCD controller with its LCD DMA channel (palette, frame done)",
    .keys = (const vt_dev_key[]){{"dma_base", VT_KEY_U64, "0xfffedb00",
                                  "address of the LCD DMA channel words (OMAP1510_DMA_LCD_BASE)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = lcdc_create,
    .reset = lcdc_reset,
    .save = lcdc_save,
    .load = lcdc_load,
    .destroy = lcdc_destroy,
};
