/* OMAP2420 display controller ("omap2-dispc", the DISPC block of the DSS at DSS + 0x400): the
 * register map (core, GFX plane, VID1/VID2 stored), IRQSTATUS/IRQENABLE with FRAMEDONE when the
 * LCD output is switched off and GOLCD/GODIGITAL clearing as the shadow registers load, and the
 * LCD output published to core/display.h: a SIZE_LCD frame of DEFAULT_COLOR0 with the GFX plane
 * (CLUT1/2/4/8 from GFX_TABLE_BA, RGB12, RGB16, RGB24 unpacked and packed; ROW_INC/PIXEL_INC)
 * at GFX_POSITION. Not modelled: the video planes' scaler, colour keys, periodic VSYNC.
 * Sources: OMAP2420 TRM "Display Subsystem" (DISPC register map); Linux 6.1 omapfb dss/dispc.h. */
#include "core/device.h"
#include "core/display.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    DISPC_REVISION = 0x000,
    DISPC_SYSCONFIG = 0x010,
    DISPC_SYSSTATUS = 0x014,
    DISPC_IRQSTATUS = 0x018,
    DISPC_IRQENABLE = 0x01c,
    DISPC_CONTROL = 0x040,
    DISPC_DEFAULT_COLOR0 = 0x04c,
    DISPC_LINE_STATUS = 0x05c,
    DISPC_SIZE_LCD = 0x07c,
    DISPC_GFX_BA0 = 0x080,
    DISPC_GFX_POSITION = 0x088,
    DISPC_GFX_SIZE = 0x08c,
    DISPC_GFX_ATTRIBUTES = 0x0a0,
    DISPC_GFX_FIFO_SIZE_STATUS = 0x0a8,
    DISPC_GFX_ROW_INC = 0x0ac,
    DISPC_GFX_PIXEL_INC = 0x0b0,
    DISPC_GFX_TABLE_BA = 0x0b8,
    DISPC_LAST = 0x1dc, /* DATA_CYCLE3: the last register of the OMAP2 map */
    NREGS = DISPC_LAST / 4 + 1,
};
#define REV_VALUE 0x20 /* DISPC revision 2.0 */
#define SYSC_SOFTRESET 0x2u
#define SYSS_RESETDONE 0x1u
#define IRQ_FRAMEDONE 0x0001u
#define IRQ_MASK 0x7fffu /* the 15 OMAP2 events */
#define CTRL_LCDENABLE 0x0001u
#define CTRL_DIGITALENABLE 0x0002u
#define CTRL_GOLCD 0x0020u
#define CTRL_GODIGITAL 0x0040u
#define GFX_ENABLE 0x0001u
#define GFX_FORMAT(a) (((a) >> 1) & 0xfu)
#define GFX_CHANNELOUT_DIG 0x0100u /* 0: the plane goes to the LCD output */
#define GFX_FIFO_BYTES 1024u       /* the GFX FIFO of the OMAP2420 */
#define LINE_BYTES (2048u * 4 * 2) /* widest row fetched: 2048 pixels, 4 bytes + 4 skipped */
/* SIZE registers: bits 10:0 width - 1, bits 26:16 height - 1; POSITION: x at 10:0, y 26:16. */
#define SIZE_W(v) (((v)&0x7ffu) + 1)
#define SIZE_H(v) ((((v) >> 16) & 0x7ffu) + 1)
#define POS_X(v) ((v)&0x7ffu)
#define POS_Y(v) (((v) >> 16) & 0x7ffu)

enum {
    FMT_CLUT1,
    FMT_CLUT2,
    FMT_CLUT4,
    FMT_CLUT8,
    FMT_RGB12,
    FMT_RGB16 = 6,
    FMT_RGB24U = 8,
    FMT_RGB24P
};

typedef struct dispc {
    vt_device *dev;
    vt_screen *screen;
    uint32_t reg[NREGS];
    uint32_t *frame; /* the composed LCD frame, 0x00RRGGBB */
    uint32_t fw, fh;
    uint8_t *line; /* one fetched GFX row */
    uint32_t logged_format;
} dispc;

static void update_irq(dispc *c) {
    vt_irq_set(&c->dev->irq[0], (c->reg[DISPC_IRQSTATUS / 4] & c->reg[DISPC_IRQENABLE / 4]) != 0);
}

static void soft_reset(dispc *c) {
    memset(c->reg, 0, sizeof c->reg);
    c->reg[DISPC_GFX_FIFO_SIZE_STATUS / 4] = GFX_FIFO_BYTES;
    c->reg[DISPC_GFX_ROW_INC / 4] = 1;
    c->reg[DISPC_GFX_PIXEL_INC / 4] = 1;
}

/* Bits per pixel of a GFX format, 0 for formats the 2420's GFX plane does not have. */
static unsigned format_bits(unsigned f) {
    static const uint8_t bits[16] = {
        [FMT_CLUT1] = 1,  [FMT_CLUT2] = 2,  [FMT_CLUT4] = 4,   [FMT_CLUT8] = 8,
        [FMT_RGB12] = 16, [FMT_RGB16] = 16, [FMT_RGB24U] = 32, [FMT_RGB24P] = 24};
    return bits[f & 0xf];
}

static uint32_t expand(uint32_t v, unsigned bits) {
    return bits == 4 ? v * 0x11 : bits == 5 ? (v << 3) | (v >> 2) : (v << 2) | (v >> 4);
}

/* Pixel i of a fetched row (little-endian words; palette entries 0x00RRGGBB in memory). */
static uint32_t pixel(const uint8_t *row, unsigned f, uint32_t i, uint32_t step,
                      const uint32_t *pal) {
    const uint8_t *p = row + (size_t)i * step;
    switch (f) {
    case FMT_CLUT1:
    case FMT_CLUT2:
    case FMT_CLUT4: { /* first pixel in the most significant bits of each byte */
        unsigned b = format_bits(f), per = 8 / b;
        unsigned v = row[i / per] >> (8 - b * (i % per + 1)) & ((1u << b) - 1);
        return pal[v];
    }
    case FMT_CLUT8:
        return pal[*p];
    case FMT_RGB12: {
        uint32_t v = p[0] | (uint32_t)p[1] << 8;
        return expand(v >> 8 & 0xf, 4) << 16 | expand(v >> 4 & 0xf, 4) << 8 | expand(v & 0xf, 4);
    }
    case FMT_RGB16: {
        uint32_t v = p[0] | (uint32_t)p[1] << 8;
        return expand(v >> 11, 5) << 16 | expand(v >> 5 & 0x3f, 6) << 8 | expand(v & 0x1f, 5);
    }
    default: /* RGB24: B, G, R in the low three bytes */
        return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    }
}

/* Fetches the GFX plane into the frame; false when its memory cannot be read. */
static bool draw_gfx(dispc *c) {
    uint32_t attr = c->reg[DISPC_GFX_ATTRIBUTES / 4];
    unsigned f = GFX_FORMAT(attr), bits = format_bits(f);
    if (!bits) {
        if (c->logged_format != f + 1)
            vt_dev_log_unknown(c->dev, "GFX format not on the OMAP2420", DISPC_GFX_ATTRIBUTES, 4,
                               attr);
        c->logged_format = f + 1;
        return false;
    }
    vt_bus *bus = vt_dev_bus(c->dev);
    uint32_t pal[256] = {0};
    if (bits <= 8) {
        uint32_t n = 1u << bits;
        uint8_t raw[256 * 4];
        if (vt_bus_read_block(bus, c->reg[DISPC_GFX_TABLE_BA / 4], raw, n * 4)) return false;
        for (uint32_t i = 0; i < n; i++)
            pal[i] = (raw[4 * i] | (uint32_t)raw[4 * i + 1] << 8 | (uint32_t)raw[4 * i + 2] << 16) &
                     0xffffffu;
    }
    uint32_t size = c->reg[DISPC_GFX_SIZE / 4], pos = c->reg[DISPC_GFX_POSITION / 4];
    uint32_t w = SIZE_W(size), h = SIZE_H(size), x0 = POS_X(pos), y0 = POS_Y(pos);
    /* PIXEL_INC and ROW_INC count bytes added after each pixel / row, 1 meaning none */
    int32_t pinc = (int32_t)c->reg[DISPC_GFX_PIXEL_INC / 4] - 1;
    int32_t rinc = (int32_t)c->reg[DISPC_GFX_ROW_INC / 4] - 1;
    if (pinc < 0 || (bits < 8 && pinc)) return false; /* sub-byte pixels cannot be skipped */
    uint32_t step = bits >= 8 ? bits / 8 + (uint32_t)pinc : 0;
    uint64_t row_bytes =
        bits >= 8 ? (uint64_t)(w - 1) * step + bits / 8 : ((uint64_t)w * bits + 7) / 8;
    if (row_bytes > LINE_BYTES) return false;
    uint64_t addr = c->reg[DISPC_GFX_BA0 / 4];
    for (uint32_t y = 0; y < h; y++) {
        if (vt_bus_read_block(bus, addr, c->line, row_bytes)) return false;
        if (y0 + y < c->fh)
            for (uint32_t x = 0; x < w && x0 + x < c->fw; x++)
                c->frame[(size_t)(y0 + y) * c->fw + x0 + x] = pixel(c->line, f, x, step, pal);
        addr += row_bytes + (uint64_t)(int64_t)rinc;
    }
    return true;
}

static void dispc_update(void *opaque, vt_screen_image *img) {
    dispc *c = opaque;
    img->format = VT_PIX_XRGB8888;
    img->big_endian = false;
    if (!(c->reg[DISPC_CONTROL / 4] & CTRL_LCDENABLE)) {
        img->blank = true;
        return;
    }
    uint32_t lcd = c->reg[DISPC_SIZE_LCD / 4], w = SIZE_W(lcd), h = SIZE_H(lcd);
    if (w != c->fw || h != c->fh) {
        uint32_t *f = realloc(c->frame, (size_t)w * h * 4);
        if (!f) {
            img->blank = true;
            return;
        }
        c->frame = f, c->fw = w, c->fh = h;
    }
    uint32_t bg = c->reg[DISPC_DEFAULT_COLOR0 / 4] & 0xffffffu;
    for (size_t i = 0; i < (size_t)w * h; i++)
        c->frame[i] = bg;
    uint32_t attr = c->reg[DISPC_GFX_ATTRIBUTES / 4];
    bool ok = !(attr & GFX_ENABLE) || (attr & GFX_CHANNELOUT_DIG) || draw_gfx(c);
    img->blank = !ok;
    img->width = w;
    img->height = h;
    img->stride = w * 4;
    img->pixels = (const uint8_t *)c->frame;
}

static const vt_screen_ops dispc_screen_ops = {dispc_update};

static uint64_t dispc_read(void *opaque, uint64_t off, unsigned size) {
    dispc *c = opaque;
    if (size == 4 && !(off & 3) && off <= DISPC_LAST) switch (off) {
        case DISPC_REVISION:
            return REV_VALUE;
        case DISPC_SYSSTATUS:
            return SYSS_RESETDONE;
        case DISPC_LINE_STATUS: /* the line being sent: none between frames */
            return 0;
        default:
            return c->reg[off / 4];
        }
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void dispc_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    dispc *c = opaque;
    uint32_t v = (uint32_t)v64;
    if (size != 4 || (off & 3) || off > DISPC_LAST) {
        vt_dev_log_unknown(c->dev, "write", off, size, v64);
        return;
    }
    switch (off) {
    case DISPC_REVISION:
    case DISPC_SYSSTATUS:
    case DISPC_LINE_STATUS:
    case DISPC_GFX_FIFO_SIZE_STATUS:
        vt_dev_log_unknown(c->dev, "write (read-only)", off, size, v64);
        return;
    case DISPC_SYSCONFIG:
        if (v & SYSC_SOFTRESET) soft_reset(c);
        c->reg[off / 4] = v & ~SYSC_SOFTRESET;
        break;
    case DISPC_IRQSTATUS: /* write 1 to clear */
        c->reg[off / 4] &= ~v;
        break;
    case DISPC_IRQENABLE:
        c->reg[off / 4] = v & IRQ_MASK;
        break;
    case DISPC_CONTROL: {
        uint32_t was = c->reg[off / 4];
        /* the shadow registers load at once, so GO reads back 0 (done) */
        c->reg[off / 4] = v & ~(CTRL_GOLCD | CTRL_GODIGITAL);
        if ((was & ~v) & (CTRL_LCDENABLE | CTRL_DIGITALENABLE))
            c->reg[DISPC_IRQSTATUS / 4] |= IRQ_FRAMEDONE; /* the last frame has gone out */
        break;
    }
    default:
        c->reg[off / 4] = v;
        break;
    }
    update_irq(c);
}

static const vt_mmio_ops dispc_ops = {dispc_read, dispc_write};

static int dispc_create(vt_device *d, vt_error *err) {
    dispc *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    c->line = malloc(LINE_BYTES);
    if (!c->line) return vt_fail(err, "out of memory");
    soft_reset(c);
    if (vt_dev_map_mmio(d, &dispc_ops, c, VT_LITTLE_ENDIAN, err)) return -1;
    return vt_display_add_screen(vt_dev_display(d), d->name, &dispc_screen_ops, c, &c->screen, err);
}

static void dispc_reset(vt_device *d) {
    dispc *c = d->priv;
    soft_reset(c);
    update_irq(c);
}

static void dispc_save(const vt_device *d, vt_state_writer *w) {
    const dispc *c = d->priv;
    vt_state_begin(w, "O2DC", 1);
    for (int i = 0; i < NREGS; i++)
        vt_state_put_u32(w, c->reg[i]);
    vt_state_end(w);
}

static int dispc_load(vt_device *d, vt_state_reader *r) {
    dispc *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2DC", 1, &ver)) return -1;
    for (int i = 0; i < NREGS; i++)
        c->reg[i] = vt_state_get_u32(r);
    c->reg[DISPC_IRQENABLE / 4] &= IRQ_MASK;
    if (vt_state_close(r)) return -1;
    update_irq(c);
    return 0;
}

static void dispc_destroy(vt_device *d) {
    dispc *c = d->priv;
    if (!c) return;
    free(c->frame);
    free(c->line);
    free(c);
}

const vt_device_class vt_dev_omap2_dispc = {
    .name = "omap2-dispc",
    .description = "OMAP2420 display controller (DISPC): GFX plane to the LCD output",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = dispc_create,
    .reset = dispc_reset,
    .save = dispc_save,
    .load = dispc_load,
    .destroy = dispc_destroy,
};
