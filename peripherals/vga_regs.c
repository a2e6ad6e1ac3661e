/* Standard VGA registers and memory: the sequencer, CRT controller, graphics controller,
 * attribute controller, DAC and miscellaneous ports at 0x3B0-0x3DF, and the host window at
 * 0xA0000-0xBFFFF with chain-4, odd/even and planar access (read modes 0/1, write modes 0-3,
 * set/reset, rotate, logical operation, bit mask, map mask). Sources: IBM VGA Technical
 * Reference (registers, write modes); FreeVGA "VGA Hardware" pages (latches, odd/even);
 * QEMU hw/display/vga.c (6-bit DAC to 8-bit expansion, input status toggling). */
#include "peripherals/vga_std.h"

/* Input status 1 toggles retrace and display-disable on every read, as QEMU does: firmware
 * that waits for a retrace edge proceeds at once, and the result depends on no host clock. */
static uint8_t input_status1(vt_vga *v) {
    v->st1 ^= ST1_V_RETRACE | ST1_DISPLAY_DISABLED;
    v->ar_flip = false;
    return v->st1;
}

static bool crtc_port(const vt_vga *v, unsigned port) {
    return (v->misc & MISC_COLOR_IO) ? (port & 0xfff0) == 0x3d0 : (port & 0xfff0) == 0x3b0;
}

uint64_t vt_vga_port_read(vt_vga *v, unsigned off) {
    unsigned port = 0x3b0 + off;
    if ((port == 0x3b4 || port == 0x3b5 || port == 0x3ba || port == 0x3d4 || port == 0x3d5 ||
         port == 0x3da) &&
        !crtc_port(v, port))
        return 0xff; /* the other (mono/colour) CRTC address is not decoded */
    switch (port) {
    case 0x3c0:
        return v->ar_index;
    case 0x3c1:
        return v->ar_index % 32 < AR_COUNT ? v->ar[v->ar_index % 32] : 0;
    case 0x3c2:
        return 0; /* input status 0 */
    case 0x3c4:
        return v->sr_index;
    case 0x3c5:
        return v->sr[v->sr_index % SR_COUNT];
    case 0x3c6:
        return v->pel_mask;
    case 0x3c7:
        return v->dac_state;
    case 0x3c8:
        return v->dac_write;
    case 0x3c9: {
        uint8_t b = v->dac[v->dac_read * 3 + v->dac_sub];
        if (++v->dac_sub == 3) v->dac_sub = 0, v->dac_read++;
        return b;
    }
    case 0x3ca:
        return 0; /* feature control */
    case 0x3cc:
        return v->misc;
    case 0x3ce:
        return v->gr_index;
    case 0x3cf:
        return v->gr[v->gr_index % GR_COUNT];
    case 0x3b4:
    case 0x3d4:
        return v->cr_index;
    case 0x3b5:
    case 0x3d5:
        return v->cr[v->cr_index];
    case 0x3ba:
    case 0x3da:
        return input_status1(v);
    default:
        vt_dev_log_unknown(v->dev, "port read", port, 1, 0);
        return 0xff;
    }
}

void vt_vga_port_write(vt_vga *v, unsigned off, uint8_t val) {
    unsigned port = 0x3b0 + off;
    if ((port == 0x3b4 || port == 0x3b5 || port == 0x3ba || port == 0x3d4 || port == 0x3d5 ||
         port == 0x3da) &&
        !crtc_port(v, port))
        return;
    switch (port) {
    case 0x3c0:
        if (!v->ar_flip)
            v->ar_index = val & 0x3f;
        else if (v->ar_index % 32 < AR_COUNT)
            v->ar[v->ar_index % 32] = val;
        v->ar_flip = !v->ar_flip;
        break;
    case 0x3c2:
        v->misc = val;
        break;
    case 0x3c4:
        v->sr_index = val & 7;
        break;
    case 0x3c5:
        v->sr[v->sr_index % SR_COUNT] = val;
        break;
    case 0x3c6:
        v->pel_mask = val;
        break;
    case 0x3c7:
        v->dac_read = val;
        v->dac_sub = 0;
        v->dac_state = 3;
        break;
    case 0x3c8:
        v->dac_write = val;
        v->dac_sub = 0;
        v->dac_state = 0;
        break;
    case 0x3c9:
        v->dac_latch[v->dac_sub++] = val;
        if (v->dac_sub == 3) {
            memcpy(&v->dac[v->dac_write * 3], v->dac_latch, 3);
            v->dac_sub = 0;
            v->dac_write++;
        }
        break;
    case 0x3ce:
        v->gr_index = val & 0x0f;
        break;
    case 0x3cf:
        v->gr[v->gr_index % GR_COUNT] = val;
        break;
    case 0x3b4:
    case 0x3d4:
        v->cr_index = val;
        break;
    case 0x3b5:
    case 0x3d5:
        v->cr[v->cr_index] = val;
        break;
    case 0x3ba:
    case 0x3da:
        break; /* feature control write: no features */
    default:
        vt_dev_log_unknown(v->dev, "port write", port, 1, val);
        break;
    }
}

/* --- palette ------------------------------------------------------------------------------ */

static uint32_t c6_to_8(uint8_t c) {
    c &= 0x3f; /* 6-bit DAC value, low bit replicated into the two new ones (as QEMU) */
    return (uint32_t)(c << 2 | (c & 1) << 1 | (c & 1));
}

uint32_t vt_vga_dac_rgb(const vt_vga *v, unsigned i) {
    const uint8_t *p = &v->dac[(i & 0xff) * 3];
    if (v->vbe[VBE_ENABLE] & VBE_8BIT_DAC) return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return c6_to_8(p[0]) << 16 | c6_to_8(p[1]) << 8 | c6_to_8(p[2]);
}

unsigned vt_vga_ar_color(const vt_vga *v, unsigned c) {
    unsigned x = v->ar[c & 0x0f];
    if (v->ar[AR_MODE] & AR_MODE_P54S) return (v->ar[AR_COLOR_SELECT] & 0x0f) << 4 | (x & 0x0f);
    return (v->ar[AR_COLOR_SELECT] & 0x0c) << 4 | (x & 0x3f);
}

/* --- the host window ---------------------------------------------------------------------- */

/* Each bit n of a 4-bit plane mask as byte n of a 32-bit word. */
static uint32_t expand4(unsigned m) {
    return (m & 1 ? 0xffu : 0) | (m & 2 ? 0xff00u : 0) | (m & 4 ? 0xff0000u : 0) |
           (m & 8 ? 0xff000000u : 0);
}

/* Offset of addr (from 0xA0000) in the window GR6 selects, or -1 when outside it. */
static int64_t window_offset(const vt_vga *v, uint32_t addr) {
    switch ((v->gr[GR_MISC] >> 2) & 3) {
    case 0:
        return addr;
    case 1:
        return addr < 0x10000 ? (int64_t)addr + v->bank_offset : -1;
    case 2:
        return addr >= 0x10000 && addr < 0x18000 ? (int64_t)addr - 0x10000 : -1;
    default:
        return addr >= 0x18000 ? (int64_t)addr - 0x18000 : -1;
    }
}

uint8_t vt_vga_mem_read(vt_vga *v, uint32_t addr) {
    int64_t off = window_offset(v, addr);
    if (off < 0) return 0xff;
    uint64_t a = (uint64_t)off;
    if (v->sr[SR_MEMORY_MODE] & SR_MEMORY_MODE_CHAIN4) return a < v->vram_size ? v->vram[a] : 0xff;
    if (v->gr[GR_MODE] & GR_MODE_ODD_EVEN) {
        uint64_t i = (a & ~1ull) << 1 | ((v->gr[GR_READ_MAP] & 2) | (a & 1));
        return i < v->vram_size ? v->vram[i] : 0xff;
    }
    if (a * 4 + 4 > v->vram_size) return 0xff;
    v->latch = load_le32(v->vram + a * 4);
    if (!(v->gr[GR_MODE] & GR_MODE_READ1))
        return (uint8_t)(v->latch >> 8 * (v->gr[GR_READ_MAP] & 3));
    /* read mode 1: colour compare across the planes the don't-care register keeps */
    uint32_t d = (v->latch ^ expand4(v->gr[GR_COLOR_COMPARE])) & expand4(v->gr[GR_COLOR_DONT_CARE]);
    d |= d >> 16;
    d |= d >> 8;
    return (uint8_t)~d;
}

void vt_vga_mem_write(vt_vga *v, uint32_t addr, uint8_t val) {
    int64_t off = window_offset(v, addr);
    if (off < 0) return;
    uint64_t a = (uint64_t)off;
    unsigned map_mask = v->sr[SR_MAP_MASK] & 0x0f;
    if (v->sr[SR_MEMORY_MODE] & SR_MEMORY_MODE_CHAIN4) {
        if (a < v->vram_size && (map_mask & (1u << (a & 3)))) v->vram[a] = val;
        return;
    }
    if (v->gr[GR_MODE] & GR_MODE_ODD_EVEN) {
        unsigned plane = (v->gr[GR_READ_MAP] & 2) | (a & 1);
        uint64_t i = (a & ~1ull) << 1 | plane;
        if (i < v->vram_size && (map_mask & (1u << plane))) v->vram[i] = val;
        return;
    }
    if (a * 4 + 4 > v->vram_size) return;
    unsigned rot = v->gr[GR_DATA_ROTATE] & 7;
    uint32_t bit_mask = v->gr[GR_BIT_MASK], x;
    switch (v->gr[GR_MODE] & 3) {
    case 0: {
        uint8_t r = (uint8_t)((val >> rot) | (val << ((8 - rot) & 7)));
        x = r * 0x01010101u;
        uint32_t sr_mask = expand4(v->gr[GR_ENABLE_SET_RESET]);
        x = (x & ~sr_mask) | (expand4(v->gr[GR_SET_RESET]) & sr_mask);
        break;
    }
    case 1:
        x = v->latch;
        goto store;
    case 2:
        x = expand4(val);
        break;
    default: {
        uint8_t r = (uint8_t)((val >> rot) | (val << ((8 - rot) & 7)));
        bit_mask &= r;
        x = expand4(v->gr[GR_SET_RESET]);
        break;
    }
    }
    switch ((v->gr[GR_DATA_ROTATE] >> 3) & 3) {
    case 1:
        x &= v->latch;
        break;
    case 2:
        x |= v->latch;
        break;
    case 3:
        x ^= v->latch;
        break;
    default:
        break;
    }
    bit_mask *= 0x01010101u;
    x = (x & bit_mask) | (v->latch & ~bit_mask);
store:;
    uint32_t wm = expand4(map_mask);
    uint8_t *p = v->vram + a * 4;
    store_le32(p, (load_le32(p) & ~wm) | (x & wm));
}
