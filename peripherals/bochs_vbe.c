/* Bochs VBE "dispi" interface of the standard VGA: index port 0x1CE, data ports 0x1CF and
 * 0x1D0 (16-bit), registers ID, XRES, YRES, BPP, ENABLE (with GETCAPS, 8-bit DAC, no-clear),
 * BANK, virtual width/height, X/Y offset and VRAM size; enabling a mode programs the VGA
 * registers for a linear chained picture, as the Bochs/QEMU implementations do. Also the
 * PCI MMIO BAR (BAR2, 4 KiB): VGA ports 0x3C0-0x3DF at 0x400, dispi registers at 0x500 + 2 *
 * index, QEMU's extension at 0x600 (region size, framebuffer byte order).
 * Sources: Bochs iodev/vga.h + vbe.h (register numbers and flags); QEMU hw/display/vga.c,
 * vga-pci.c and docs/specs/standard-vga.rst (BAR2 layout, mode-set side effects). */
#include "peripherals/vga_std.h"

#define QEXT_SIZE 0x600
#define QEXT_BYTEORDER 0x604
#define QEXT_BIG 0xbebebebeu
#define QEXT_LITTLE 0x1e1e1e1eu

bool vt_vbe_enabled(const vt_vga *v) {
    return v->vbe[VBE_ENABLE] & VBE_ENABLED;
}

static unsigned bytes_pp(const vt_vga *v) {
    return v->vbe[VBE_BPP] ? (v->vbe[VBE_BPP] + 7u) / 8u : 1u; /* BPP 0 (reset) means 8 */
}

static void update_layout(vt_vga *v) {
    v->vbe_line_offset = (uint32_t)v->vbe[VBE_VIRT_WIDTH] * bytes_pp(v);
    v->vbe_start = v->vbe_line_offset * v->vbe[VBE_Y_OFFSET] + v->vbe[VBE_X_OFFSET] * bytes_pp(v);
}

uint16_t vt_vbe_read(vt_vga *v, unsigned index) {
    if (index >= VBE_NREGS) return 0;
    if (v->vbe[VBE_ENABLE] & VBE_GETCAPS) {
        if (index == VBE_XRES) return VBE_MAX_XRES;
        if (index == VBE_YRES) return VBE_MAX_YRES;
        if (index == VBE_BPP) return VBE_MAX_BPP;
    }
    if (index == VBE_VIDEO_MEMORY_64K) return (uint16_t)(v->vram_size >> 16);
    return v->vbe[index];
}

/* Mode set: the VGA side of a linear chained picture (QEMU and Bochs do the same). */
static void enable(vt_vga *v, uint16_t val) {
    uint32_t xres = v->vbe[VBE_XRES], yres = v->vbe[VBE_YRES];
    v->vbe[VBE_VIRT_WIDTH] = (uint16_t)xres;
    v->vbe[VBE_VIRT_HEIGHT] = (uint16_t)yres;
    v->vbe[VBE_X_OFFSET] = v->vbe[VBE_Y_OFFSET] = 0;
    update_layout(v);
    uint64_t bytes = (uint64_t)v->vbe_line_offset * yres;
    if (!(val & VBE_NOCLEARMEM)) memset(v->vram, 0, bytes < v->vram_size ? bytes : v->vram_size);
    v->gr[GR_MISC] = (uint8_t)((v->gr[GR_MISC] & ~0x0c) | 0x04 | GR_MISC_GRAPHICS);
    v->cr[0x17] |= 3; /* mode control: no CGA/Hercules address wrapping */
    v->cr[CR_OFFSET] = (uint8_t)(v->vbe_line_offset >> 3);
    v->cr[CR_H_DISPLAY_END] = (uint8_t)((xres >> 3) - 1);
    uint32_t h = yres - 1;
    v->cr[CR_V_DISPLAY_END] = (uint8_t)h;
    v->cr[CR_OVERFLOW] =
        (uint8_t)((v->cr[CR_OVERFLOW] & ~0x42) | ((h >> 7) & 0x02) | ((h >> 3) & 0x40));
    v->sr[SR_MEMORY_MODE] |= SR_MEMORY_MODE_CHAIN4;
    v->sr[SR_MAP_MASK] = 0x0f; /* all planes: the banked window writes every byte */
    v->gr[GR_MODE] = (uint8_t)((v->gr[GR_MODE] & ~0x60) | 0x40);
    v->cr[CR_MAX_SCAN] &= (uint8_t)~0x9f;
}

void vt_vbe_write(vt_vga *v, unsigned index, uint16_t val) {
    bool on = vt_vbe_enabled(v);
    switch (index) {
    case VBE_ID:
        if (val >= 0xb0c0 && val <= VBE_ID5) v->vbe[VBE_ID] = val;
        break;
    case VBE_XRES:
        if (!on && val && val <= VBE_MAX_XRES && !(val & 7)) v->vbe[VBE_XRES] = val;
        break;
    case VBE_YRES:
        if (!on && val && val <= VBE_MAX_YRES) v->vbe[VBE_YRES] = val;
        break;
    case VBE_BPP:
        if (!val) val = 8;
        if (!on && (val == 8 || val == 15 || val == 16 || val == 24 || val == 32))
            v->vbe[VBE_BPP] = val;
        break;
    case VBE_BANK:
        if (((uint32_t)val << 16) < v->vram_size) {
            v->vbe[VBE_BANK] = val;
            v->bank_offset = (uint32_t)val << 16;
        }
        break;
    case VBE_ENABLE:
        if ((val & VBE_ENABLED) && !on && v->vbe[VBE_XRES] && v->vbe[VBE_YRES])
            enable(v, val);
        else if (!(val & VBE_ENABLED))
            v->bank_offset = 0;
        v->vbe[VBE_ENABLE] =
            val & (VBE_ENABLED | VBE_GETCAPS | VBE_8BIT_DAC | VBE_LFB_ENABLED | VBE_NOCLEARMEM);
        break;
    case VBE_VIRT_WIDTH:
        if (val && val >= v->vbe[VBE_XRES] &&
            (uint64_t)val * bytes_pp(v) * v->vbe[VBE_YRES] <= v->vram_size) {
            v->vbe[VBE_VIRT_WIDTH] = val;
            v->vbe[VBE_VIRT_HEIGHT] =
                (uint16_t)(v->vram_size / ((uint32_t)val * bytes_pp(v)) > 0xffff
                               ? 0xffff
                               : v->vram_size / ((uint32_t)val * bytes_pp(v)));
            update_layout(v);
        }
        break;
    case VBE_X_OFFSET:
    case VBE_Y_OFFSET:
        v->vbe[index] = val;
        update_layout(v);
        break;
    case VBE_VIRT_HEIGHT:
    case VBE_VIDEO_MEMORY_64K:
        break; /* read-only (virtual height follows the width) */
    default:
        vt_dev_log_unknown(v->dev, "dispi write", index, 2, val);
        break;
    }
}

/* Ports 0x1CE (index), 0x1CF and 0x1D0 (data; 16-bit accesses, 0x1D0 on non-x86 hosts). */
static uint64_t port_read(void *opaque, uint64_t off, unsigned size) {
    VT_UNUSED(size);
    vt_vga *v = opaque;
    return off == 0 ? v->vbe_index : vt_vbe_read(v, v->vbe_index);
}

static void port_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    VT_UNUSED(size);
    vt_vga *v = opaque;
    if (off == 0)
        v->vbe_index = (uint16_t)val;
    else
        vt_vbe_write(v, v->vbe_index, (uint16_t)val);
}

const vt_mmio_ops vt_vbe_port_ops = {port_read, port_write};

static uint64_t bar_read(void *opaque, uint64_t off, unsigned size) {
    vt_vga *v = opaque;
    if (off >= 0x400 && off + size <= 0x420) {
        uint64_t r = 0;
        for (unsigned i = 0; i < size; i++)
            r |= vt_vga_port_read(v, (unsigned)(off - 0x400 + 0x10 + i)) << 8 * i;
        return r;
    }
    if (off >= 0x500 && off < 0x500 + 2 * VBE_NREGS && size == 2 && !(off & 1))
        return vt_vbe_read(v, (unsigned)(off - 0x500) / 2);
    if (off == QEXT_SIZE && size == 4) return 8;
    if (off == QEXT_BYTEORDER && size == 4) return v->big_endian_fb ? QEXT_BIG : QEXT_LITTLE;
    vt_dev_log_unknown(v->dev, "mmio bar read", off, size, 0);
    return 0;
}

static void bar_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    vt_vga *v = opaque;
    if (off >= 0x400 && off + size <= 0x420) {
        for (unsigned i = 0; i < size; i++)
            vt_vga_port_write(v, (unsigned)(off - 0x400 + 0x10 + i), (uint8_t)(val >> 8 * i));
        return;
    }
    if (off >= 0x500 && off < 0x500 + 2 * VBE_NREGS && size == 2 && !(off & 1)) {
        vt_vbe_write(v, (unsigned)(off - 0x500) / 2, (uint16_t)val);
        return;
    }
    if (off == QEXT_BYTEORDER && size == 4 && (val == QEXT_BIG || val == QEXT_LITTLE)) {
        v->big_endian_fb = val == QEXT_BIG;
        return;
    }
    vt_dev_log_unknown(v->dev, "mmio bar write", off, size, val);
}

const vt_mmio_ops vt_vga_mmio_bar_ops = {bar_read, bar_write};
