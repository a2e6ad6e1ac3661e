/* VGA graphics modes: planar 16-colour (GR5 shift mode 0: one bit per plane per pixel, e.g.
 * mode 12h), 256-colour chained (GR5 bit 6, e.g. mode 13h: one byte per pixel, two dot clocks
 * wide, so 320 pixels from a 640-dot line), each line repeated per CR9's scan count; and the
 * Bochs VBE linear modes (8, 15, 16, 24, 32 bpp) published straight from VRAM. The CGA-style
 * interleaved shift mode (GR5 bit 5, modes 4-6) is not modelled: logged once, shown blank.
 * Sources: IBM VGA Technical Reference (GR5 shift register modes, AR12 plane enable, CR9);
 * Bochs vbe.h and QEMU hw/display/vga.c (dispi geometry and line offset). */
#include "peripherals/vga_std.h"

#include "core/log.h"

#include <stdlib.h>

#define GR_MODE_SHIFT_256 0x40
#define GR_MODE_SHIFT_CGA 0x20
#define MAX_DIM 4096

bool vt_vga_fb_reserve(vt_vga *v, uint32_t w, uint32_t h) {
    if (!w || !h || w > MAX_DIM || h > MAX_DIM) return false;
    size_t need = (size_t)w * h * 4;
    if (need > v->fb_cap) {
        uint8_t *p = realloc(v->fb, need);
        if (!p) return false;
        v->fb = p;
        v->fb_cap = need;
    }
    return true;
}

static void blank(vt_screen_image *img) {
    img->width = img->height = 0;
    img->cols = img->rows = 0;
}

void vt_vga_render_planar(vt_vga *v, vt_screen_image *img) {
    const uint8_t *cr = v->cr;
    uint32_t dots = (cr[CR_H_DISPLAY_END] + 1u) * 8;
    uint32_t lines =
        (cr[CR_V_DISPLAY_END] | (cr[CR_OVERFLOW] & 0x02) << 7 | (cr[CR_OVERFLOW] & 0x40) << 3) + 1u;
    uint32_t scan = ((cr[CR_MAX_SCAN] & 0x1f) + 1u) << (cr[CR_MAX_SCAN] >> 7);
    uint32_t height = lines / scan;
    bool chained = v->gr[GR_MODE] & GR_MODE_SHIFT_256;
    if (!chained && (v->gr[GR_MODE] & GR_MODE_SHIFT_CGA)) {
        if (!v->cga_logged)
            vt_log(VT_LOG_UNIMP, "%s: CGA-compatible shift mode (GR5 bit 5) not modelled",
                   v->dev->name);
        v->cga_logged = true;
        blank(img);
        return;
    }
    uint32_t width = chained ? dots / 2 : dots;
    if (!vt_vga_fb_reserve(v, width, height ? height : 1) || !height) {
        blank(img);
        return;
    }
    uint32_t start = (uint32_t)cr[CR_START_HI] << 8 | cr[CR_START_LO];
    uint32_t offset = cr[CR_OFFSET] * 2u; /* planar addresses per line */
    uint32_t planar_limit = v->vram_size / 4;
    uint32_t palette[256];
    for (unsigned i = 0; i < 256; i++)
        palette[i] = vt_vga_dac_rgb(v, chained ? i : vt_vga_ar_color(v, i & 0x0f));
    unsigned plane_enable = v->ar[AR_PLANE_ENABLE] & 0x0f;
    for (uint32_t y = 0; y < height; y++) {
        uint32_t line = start + y * offset;
        uint8_t *px = v->fb + (size_t)y * width * 4;
        for (uint32_t x = 0; x < width; x++) {
            unsigned c;
            if (chained) {
                /* 4 pixels per planar address, one from each plane */
                uint32_t a = (line + x / 4) % planar_limit;
                c = v->vram[4 * a + (x & 3)];
            } else {
                uint32_t a = (line + x / 8) % planar_limit;
                unsigned bit = 7 - (x & 7);
                c = 0;
                for (unsigned p = 0; p < 4; p++)
                    c |= ((v->vram[4 * a + p] >> bit) & 1u) << p;
                c &= plane_enable;
            }
            store_le32(px + 4 * x, palette[c]);
        }
    }
    img->format = VT_PIX_XRGB8888;
    img->big_endian = false;
    img->width = width;
    img->height = height;
    img->stride = width * 4;
    img->pixels = v->fb;
    img->cols = img->rows = 0;
}

void vt_vga_render_vbe(vt_vga *v, vt_screen_image *img) {
    static const struct {
        uint16_t bpp;
        vt_pixel_format format;
        unsigned bytes;
    } formats[] = {{8, VT_PIX_INDEXED8, 1},
                   {15, VT_PIX_RGB555, 2},
                   {16, VT_PIX_RGB565, 2},
                   {24, VT_PIX_RGB888, 3},
                   {32, VT_PIX_XRGB8888, 4}};
    uint32_t w = v->vbe[VBE_XRES], h = v->vbe[VBE_YRES];
    int f = -1;
    for (size_t i = 0; i < VT_ARRAY_LEN(formats); i++)
        if (formats[i].bpp == v->vbe[VBE_BPP]) f = (int)i;
    /* the picture must lie inside VRAM; a guest that points it elsewhere gets a blank */
    uint64_t last = (uint64_t)v->vbe_start + (uint64_t)v->vbe_line_offset * (h ? h - 1 : 0) +
                    (uint64_t)w * (f >= 0 ? formats[f].bytes : 0);
    if (f < 0 || !w || !h || last > v->vram_size || v->vbe_line_offset < w * formats[f].bytes) {
        blank(img);
        return;
    }
    img->format = formats[f].format;
    img->big_endian = v->big_endian_fb;
    img->width = w;
    img->height = h;
    img->stride = v->vbe_line_offset;
    img->pixels = v->vram + v->vbe_start;
    img->cols = img->rows = 0;
    if (formats[f].format == VT_PIX_INDEXED8)
        for (unsigned i = 0; i < 256; i++)
            img->palette[i] = vt_vga_dac_rgb(v, i);
}
