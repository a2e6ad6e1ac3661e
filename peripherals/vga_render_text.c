/* VGA text modes (alphanumeric, GR6 bit 0 clear): the cell grid from planes 0 (character) and
 * 1 (attribute) and the glyphs from the font the BIOS loaded into plane 2 (32 lines per glyph,
 * character maps chosen by SR3), drawn 8 or 9 dots wide (SR1 bit 0) with the CRTC's geometry,
 * the attribute palette and the DAC; the cursor (CR0A/CR0B/CR0E/CR0F) is drawn steadily, not
 * blinking (blinking would need a host clock or a frame count the screenshots depend on).
 * Sources: IBM VGA Technical Reference (CRTC, SR3 map select, 9th-dot line graphics for
 * 0xC0-0xDF); QEMU hw/display/vga.c (geometry rules it shares with hardware). */
#include "peripherals/vga_std.h"

#include <stdlib.h>

#define MAX_COLS 256
#define MAX_ROWS 128

/* Offset in planar address units of character map n (0-7, 8 KiB glyph tables each). */
static uint32_t font_base(unsigned n) {
    return n * 0x2000u;
}

void vt_vga_render_text(vt_vga *v, vt_screen_image *img) {
    const uint8_t *cr = v->cr;
    unsigned cols = cr[CR_H_DISPLAY_END] + 1u;
    unsigned cheight = (cr[CR_MAX_SCAN] & 0x1f) + 1u;
    unsigned cwidth = (v->sr[SR_CLOCKING] & SR_CLOCKING_DOT8) ? 8 : 9;
    unsigned lines =
        (cr[CR_V_DISPLAY_END] | (cr[CR_OVERFLOW] & 0x02) << 7 | (cr[CR_OVERFLOW] & 0x40) << 3) + 1u;
    unsigned rows = lines / cheight;
    if (rows > MAX_ROWS) rows = MAX_ROWS;
    if (cols > MAX_COLS) cols = MAX_COLS;
    if (!rows || !vt_vga_fb_reserve(v, cols * cwidth, rows * cheight)) {
        img->width = img->height = 0;
        img->cols = img->rows = 0;
        return;
    }
    size_t ncells = (size_t)cols * rows;
    if (ncells > v->cells_cap) {
        vt_text_cell *c = realloc(v->cells, ncells * sizeof *c);
        if (!c) {
            img->width = img->height = 0;
            return;
        }
        v->cells = c;
        v->cells_cap = ncells;
    }
    uint32_t start = (uint32_t)cr[CR_START_HI] << 8 | cr[CR_START_LO];
    uint32_t stride = cr[CR_OFFSET] * 2u; /* cells per row */
    uint32_t cursor = ((uint32_t)cr[CR_CURSOR_HI] << 8 | cr[CR_CURSOR_LO]) - start;
    unsigned cur_start = cr[CR_CURSOR_START] & 0x1f, cur_end = cr[CR_CURSOR_END] & 0x1f;
    bool cursor_on =
        !(cr[CR_CURSOR_START] & CR_CURSOR_OFF) && cur_start <= cur_end && cur_start < cheight;
    unsigned sel = v->sr[SR_CHAR_MAP];
    uint32_t map_a = font_base(((sel >> 5) & 1) | ((sel >> 1) & 6));
    uint32_t map_b = font_base(((sel >> 4) & 1) | ((sel << 1) & 6));
    uint32_t palette[16];
    for (unsigned i = 0; i < 16; i++)
        palette[i] = vt_vga_dac_rgb(v, vt_vga_ar_color(v, i));
    uint32_t width = cols * cwidth, planar_limit = v->vram_size / 4;
    for (unsigned r = 0; r < rows; r++)
        for (unsigned c = 0; c < cols; c++) {
            uint32_t a = (start + r * stride + c) & 0xffff; /* 64 K cell address space */
            uint8_t ch = a < planar_limit ? v->vram[4 * a] : 0;
            uint8_t at = a < planar_limit ? v->vram[4 * a + 1] : 0;
            v->cells[r * cols + c] = (vt_text_cell){ch, at};
            uint32_t fg = palette[at & 0x0f], bg = palette[at >> 4];
            uint32_t glyph = ((at & 0x08) ? map_a : map_b) + ch * 32u;
            bool dup9 =
                cwidth == 9 && ch >= 0xc0 && ch <= 0xdf && (v->ar[AR_MODE] & AR_MODE_LINE_GRAPHICS);
            bool is_cursor = cursor_on && r * cols + c == cursor;
            for (unsigned y = 0; y < cheight; y++) {
                uint32_t g = glyph + y;
                unsigned bits = g < planar_limit ? v->vram[4 * g + 2] : 0;
                if (is_cursor && y >= cur_start && y <= cur_end) bits = 0xff;
                unsigned b9 = dup9 || (is_cursor && y >= cur_start && y <= cur_end) ? bits & 1 : 0;
                uint8_t *px = v->fb + ((size_t)(r * cheight + y) * width + c * cwidth) * 4;
                for (unsigned x = 0; x < 8; x++)
                    store_le32(px + 4 * x, (bits << x) & 0x80 ? fg : bg);
                if (cwidth == 9) store_le32(px + 32, b9 ? fg : bg);
            }
        }
    img->format = VT_PIX_XRGB8888;
    img->big_endian = false;
    img->width = width;
    img->height = rows * cheight;
    img->stride = width * 4;
    img->pixels = v->fb;
    img->cols = (uint16_t)cols;
    img->rows = (uint16_t)rows;
    img->cells = v->cells;
    img->cursor_visible = cursor_on && cursor < ncells;
    img->cursor_col = (uint16_t)(cursor_on && cursor < ncells ? cursor % cols : 0);
    img->cursor_row = (uint16_t)(cursor_on && cursor < ncells ? cursor / cols : 0);
}
