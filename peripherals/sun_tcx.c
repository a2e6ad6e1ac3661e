/* Sun TCX framebuffer ("sun-tcx", 8-bit mode) on SBus (its FCode option ROM at offset 0 is an
 * INI [rom.NAME] section, e.g. QEMU,tcx.bin from a romset): the Bt458-style DAC at +0x200000
 * (address, colour map with R/G/B auto-increment, control, overlay), DHC +0x240000 and ALT
 * +0x280000 register blocks, the THC at +0x300000 (misc register at 0x818 with the video
 * enable/reset/interrupt bits, cursor position and cursor bitmaps), the TEC at +0x700000
 * and 1 MiB of 8-bit VRAM at +0x800000. The screen (width x height 8-bit pixels through the
 * DAC's colour map) is published to the display core; accelerator planes (stipple/blit) and
 * the hardware cursor are not modelled.
 * Sources: QEMU hw/display/tcx.c (region offsets, THC misc bits); Brooktree Bt458 datasheet. */
#include "core/device.h"
#include "core/display.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define VRAM_SIZE 0x100000u
enum {
    DAC = 0x200000,
    DHC = 0x240000,
    ALT = 0x280000,
    THC = 0x300000,
    TEC = 0x700000,
    VRAM = 0x800000
};
#define BLOCK 0x1000u
#define THC_MISC 0x818
#define THC_MISC_REV (3u << 16)

typedef struct tcx tcx;

/* One MMIO window (the bus hands each region offsets from its own start). */
typedef struct tcx_window {
    tcx *t;
    uint64_t base;
} tcx_window;

#define NWINDOWS 5

struct tcx {
    vt_device *dev;
    uint8_t dac_addr, dac_step, dac_ctrl[4], palette[256][3], overlay[4][3];
    uint32_t thc[BLOCK / 4], tec[BLOCK / 4], dhc[BLOCK / 4], alt[BLOCK / 4];
    vt_region *vram;
    uint32_t width, height;
    vt_screen *screen;
    tcx_window windows[NWINDOWS];
};

static uint32_t *block(tcx *t, uint64_t base) {
    switch (base) {
    case THC:
        return t->thc;
    case TEC:
        return t->tec;
    case DHC:
        return t->dhc;
    case ALT:
        return t->alt;
    default:
        return NULL;
    }
}

static uint64_t dac_read(tcx *t, uint64_t off) {
    switch (off) {
    case 0x0:
        return (uint32_t)t->dac_addr << 24;
    case 0x4: {
        uint8_t v = t->palette[t->dac_addr][t->dac_step];
        if (++t->dac_step == 3) t->dac_step = 0, t->dac_addr++;
        return (uint32_t)v << 24;
    }
    case 0x8:
        return (uint32_t)t->dac_ctrl[t->dac_addr & 3] << 24;
    default:
        return (uint32_t)t->overlay[t->dac_addr & 3][0] << 24;
    }
}

static void dac_write(tcx *t, uint64_t off, uint32_t v) {
    uint8_t b = (uint8_t)(v >> 24);
    switch (off) {
    case 0x0:
        t->dac_addr = b;
        t->dac_step = 0;
        break;
    case 0x4:
        t->palette[t->dac_addr][t->dac_step] = b;
        if (++t->dac_step == 3) t->dac_step = 0, t->dac_addr++;
        break;
    case 0x8:
        t->dac_ctrl[t->dac_addr & 3] = b;
        break;
    default:
        t->overlay[t->dac_addr & 3][t->dac_step] = b;
        if (++t->dac_step == 3) t->dac_step = 0, t->dac_addr++;
        break;
    }
}

static uint64_t tcx_read(void *opaque, uint64_t o, unsigned size) {
    const tcx_window *win = opaque;
    tcx *t = win->t;
    uint64_t base = win->base, off = base + o;
    if (size == 4 && !(o & 3)) {
        if (base == DAC && o < 0x10) return dac_read(t, o);
        uint32_t *b = block(t, base);
        if (b) return b[o / 4];
    }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void tcx_write(void *opaque, uint64_t o, uint64_t v, unsigned size) {
    const tcx_window *win = opaque;
    tcx *t = win->t;
    uint64_t base = win->base, off = base + o;
    if (size == 4 && !(o & 3)) {
        if (base == DAC && o < 0x10) {
            dac_write(t, o, (uint32_t)v);
            return;
        }
        uint32_t *b = block(t, base);
        if (b) {
            if (base == THC && o == THC_MISC)
                v = ((uint32_t)v & ~0xf0000u & ~0x1000u) | THC_MISC_REV; /* reset self-clears */
            b[o / 4] = (uint32_t)v;
            return;
        }
    }
    vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops tcx_ops = {tcx_read, tcx_write};

/* The 8-bit framebuffer: one byte per pixel from VRAM, through the DAC's colour map. */
static void tcx_update(void *opaque, vt_screen_image *img) {
    tcx *t = opaque;
    img->format = VT_PIX_INDEXED8;
    img->width = t->width;
    img->height = t->height;
    img->stride = t->width;
    img->pixels = t->vram->host;
    for (int i = 0; i < 256; i++)
        img->palette[i] =
            (uint32_t)t->palette[i][0] << 16 | (uint32_t)t->palette[i][1] << 8 | t->palette[i][2];
}

static const vt_screen_ops tcx_screen_ops = {tcx_update};

static int tcx_create(vt_device *d, vt_error *err) {
    tcx *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    t->dev = d;
    d->priv = t;
    if (d->size < VRAM + VRAM_SIZE)
        return vt_fail(err, "size must be at least 0x%x", VRAM + VRAM_SIZE);
    uint64_t w, h;
    if (vt_dev_u64(d, "width", &w, err) || vt_dev_u64(d, "height", &h, err)) return -1;
    if (!w || !h || w > 4096 || w * h > VRAM_SIZE)
        return vt_fail(err, "width x height (%llux%llu) must fit the 1 MiB of 8-bit VRAM",
                       (unsigned long long)w, (unsigned long long)h);
    t->width = (uint32_t)w;
    t->height = (uint32_t)h;
    vt_bus *bus = vt_dev_bus(d);
    char name[64];
    snprintf(name, sizeof name, "%s.vram", d->name);
    if (vt_bus_add_ram(bus, name, d->base + VRAM, VRAM_SIZE, false, &t->vram, err)) return -1;
    static const uint64_t blocks[NWINDOWS] = {DAC, DHC, ALT, THC, TEC};
    for (size_t i = 0; i < NWINDOWS; i++) {
        snprintf(name, sizeof name, "%s.regs%zu", d->name, i);
        t->windows[i] = (tcx_window){t, blocks[i]};
        if (vt_bus_add_mmio(bus, name, d->base + blocks[i], BLOCK, &tcx_ops, &t->windows[i],
                            VT_BIG_ENDIAN, err))
            return -1;
    }
    return vt_display_add_screen(vt_dev_display(d), d->name, &tcx_screen_ops, t, &t->screen, err);
}

static void tcx_reset(vt_device *d) {
    tcx *t = d->priv;
    memset(t->thc, 0, sizeof t->thc);
    memset(t->tec, 0, sizeof t->tec);
    memset(t->dhc, 0, sizeof t->dhc);
    memset(t->alt, 0, sizeof t->alt);
    t->thc[THC_MISC / 4] = THC_MISC_REV;
    t->dac_addr = t->dac_step = 0;
}

static void tcx_save(const vt_device *d, vt_state_writer *w) {
    const tcx *t = d->priv;
    vt_state_begin(w, "TCX ", 1);
    vt_state_put_u8(w, t->dac_addr);
    vt_state_put_u32(w, t->dac_step);
    vt_state_put_bytes(w, t->dac_ctrl, 4);
    vt_state_put_bytes(w, t->palette, sizeof t->palette);
    vt_state_put_bytes(w, t->overlay, sizeof t->overlay);
    for (unsigned i = 0; i < BLOCK / 4; i++) {
        vt_state_put_u32(w, t->thc[i]);
        vt_state_put_u32(w, t->tec[i]);
        vt_state_put_u32(w, t->dhc[i]);
        vt_state_put_u32(w, t->alt[i]);
    }
    vt_state_end(w); /* VRAM is a RAM region: saved with the machine's RAM */
}

static int tcx_load(vt_device *d, vt_state_reader *r) {
    tcx *t = d->priv;
    uint32_t v;
    if (vt_state_open(r, "TCX ", 1, &v)) return -1;
    t->dac_addr = vt_state_get_u8(r);
    t->dac_step = (uint8_t)vt_state_get_index(r, 3);
    vt_state_get_bytes(r, t->dac_ctrl, 4);
    vt_state_get_bytes(r, t->palette, sizeof t->palette);
    vt_state_get_bytes(r, t->overlay, sizeof t->overlay);
    for (unsigned i = 0; i < BLOCK / 4; i++) {
        t->thc[i] = vt_state_get_u32(r);
        t->tec[i] = vt_state_get_u32(r);
        t->dhc[i] = vt_state_get_u32(r);
        t->alt[i] = vt_state_get_u32(r);
    }
    return vt_state_close(r);
}

static void tcx_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_sun_tcx = {
    .name = "sun-tcx",
    .description = "Sun TCX 8-bit SBus framebuffer (registers, VRAM, screen)",
    .keys = (const vt_dev_key[]){{"width", VT_KEY_U64, "1024", "screen width in pixels"},
                                 {"height", VT_KEY_U64, "768", "screen height in pixels"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = tcx_create,
    .reset = tcx_reset,
    .save = tcx_save,
    .load = tcx_load,
    .destroy = tcx_destroy,
};
