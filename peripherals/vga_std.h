/* Internal state of the standard VGA with Bochs VBE ("vga-std", PCI 1234:1111), shared by its
 * files: vga_regs.c (ports and the legacy memory window), bochs_vbe.c (the dispi interface and
 * the MMIO BAR), vga_render_text.c, vga_render_gfx.c and vga_std.c (the device class).
 * Register names follow IBM's VGA technical reference; hwdocs/vga.md lists the sources. */
#ifndef VT_VGA_STD_H
#define VT_VGA_STD_H

#include "core/device.h"
#include "core/display.h"
#include "core/pci.h"

/* Sequencer registers (SR). */
#define SR_CLOCKING 0x01
#define SR_CLOCKING_DOT8 0x01 /* 8-dot characters (else 9) */
#define SR_CLOCKING_SCREEN_OFF 0x20
#define SR_MAP_MASK 0x02
#define SR_CHAR_MAP 0x03
#define SR_MEMORY_MODE 0x04
#define SR_MEMORY_MODE_CHAIN4 0x08
#define SR_COUNT 8
/* Graphics controller (GR). */
#define GR_SET_RESET 0x00
#define GR_ENABLE_SET_RESET 0x01
#define GR_COLOR_COMPARE 0x02
#define GR_DATA_ROTATE 0x03
#define GR_READ_MAP 0x04
#define GR_MODE 0x05
#define GR_MODE_ODD_EVEN 0x10
#define GR_MODE_READ1 0x08
#define GR_MISC 0x06
#define GR_MISC_GRAPHICS 0x01
#define GR_COLOR_DONT_CARE 0x07
#define GR_BIT_MASK 0x08
#define GR_COUNT 16
/* Attribute controller (AR). */
#define AR_MODE 0x10
#define AR_MODE_LINE_GRAPHICS 0x04
#define AR_MODE_P54S 0x80
#define AR_PLANE_ENABLE 0x12
#define AR_COLOR_SELECT 0x14
#define AR_COUNT 0x15
#define AR_INDEX_PAS 0x20 /* palette address source: 0 = screen blanked while programming */
/* CRT controller (CR). */
#define CR_H_DISPLAY_END 0x01
#define CR_OVERFLOW 0x07
#define CR_MAX_SCAN 0x09
#define CR_CURSOR_START 0x0a
#define CR_CURSOR_OFF 0x20
#define CR_CURSOR_END 0x0b
#define CR_START_HI 0x0c
#define CR_START_LO 0x0d
#define CR_CURSOR_HI 0x0e
#define CR_CURSOR_LO 0x0f
#define CR_V_DISPLAY_END 0x12
#define CR_OFFSET 0x13
#define CR_COUNT 0x19
/* Miscellaneous output: bit 0 puts the CRTC at 0x3Dx (colour) instead of 0x3Bx. */
#define MISC_COLOR_IO 0x01
/* Input status 1 (0x3DA) bits. */
#define ST1_DISPLAY_DISABLED 0x01
#define ST1_V_RETRACE 0x08

/* Bochs VBE "dispi" registers (the index written to port 0x1CE). */
enum {
    VBE_ID,
    VBE_XRES,
    VBE_YRES,
    VBE_BPP,
    VBE_ENABLE,
    VBE_BANK,
    VBE_VIRT_WIDTH,
    VBE_VIRT_HEIGHT,
    VBE_X_OFFSET,
    VBE_Y_OFFSET,
    VBE_VIDEO_MEMORY_64K,
    VBE_NREGS
};
#define VBE_ENABLED 0x01
#define VBE_GETCAPS 0x02
#define VBE_8BIT_DAC 0x20
#define VBE_LFB_ENABLED 0x40
#define VBE_NOCLEARMEM 0x80
#define VBE_ID5 0xb0c5
#define VBE_MAX_XRES 2560
#define VBE_MAX_YRES 1600
#define VBE_MAX_BPP 32

typedef struct vt_vga {
    vt_device *dev;
    vt_pci_func *pci;
    vt_screen *screen;
    uint8_t *vram; /* planar layout: byte 4 * address + plane */
    uint32_t vram_size;
    uint8_t *rom;
    size_t rom_len;
    bool big_endian_fb; /* VBE pixels as big-endian words (QEMU's default on PowerPC) */
    /* VGA registers */
    uint8_t misc, st1;
    uint8_t sr_index, sr[SR_COUNT];
    uint8_t gr_index, gr[GR_COUNT];
    uint8_t ar_index, ar[AR_COUNT];
    bool ar_flip; /* attribute port: false = next write is an index */
    uint8_t cr_index, cr[256];
    uint8_t dac_read, dac_write, dac_sub, dac_state, pel_mask, dac_latch[3];
    uint8_t dac[768];
    uint32_t latch; /* the four planes' bytes of the last read, plane n in bits 8n..8n+7 */
    /* Bochs VBE */
    uint16_t vbe_index, vbe[VBE_NREGS];
    uint32_t vbe_start, vbe_line_offset, bank_offset;
    /* what the renderer produced */
    uint8_t *fb; /* XRGB8888 little-endian, for text and planar modes */
    size_t fb_cap;
    vt_text_cell *cells;
    size_t cells_cap;
    bool cga_logged; /* the unmodelled shift mode was reported */
} vt_vga;

/* vga_regs.c: the 0x3B0-0x3DF port block (offset 0 = port 0x3B0) and the 0xA0000 window. */
uint64_t vt_vga_port_read(vt_vga *v, unsigned port);
void vt_vga_port_write(vt_vga *v, unsigned port, uint8_t value);
uint8_t vt_vga_mem_read(vt_vga *v, uint32_t addr);
void vt_vga_mem_write(vt_vga *v, uint32_t addr, uint8_t value);
/* 6-bit DAC entry i as 0x00RRGGBB (8-bit when the VBE 8-bit DAC is on). */
uint32_t vt_vga_dac_rgb(const vt_vga *v, unsigned i);
/* Attribute-controller palette: 4-bit colour → DAC index. */
unsigned vt_vga_ar_color(const vt_vga *v, unsigned c);

/* bochs_vbe.c */
uint16_t vt_vbe_read(vt_vga *v, unsigned index);
void vt_vbe_write(vt_vga *v, unsigned index, uint16_t value);
bool vt_vbe_enabled(const vt_vga *v);
extern const vt_mmio_ops vt_vbe_port_ops;     /* 0x1CE index, 0x1CF and 0x1D0 data */
extern const vt_mmio_ops vt_vga_mmio_bar_ops; /* BAR2: VGA ports, dispi, QEMU extension */

/* Renderers: fill img (and the device's fb/cells). */
void vt_vga_render_text(vt_vga *v, vt_screen_image *img);
void vt_vga_render_planar(vt_vga *v, vt_screen_image *img);
void vt_vga_render_vbe(vt_vga *v, vt_screen_image *img);
/* Grows v->fb to w x h XRGB pixels; false when the size is refused. */
bool vt_vga_fb_reserve(vt_vga *v, uint32_t w, uint32_t h);

#endif
