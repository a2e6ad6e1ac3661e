/* Standard VGA with Bochs VBE as a PCI function ("vga-std", 1234:1111, class 0300, QEMU's
 * `-vga std`): BAR0 the VRAM (16 MiB by default), BAR2 the MMIO register window, the
 * expansion ROM BAR holding a VGA BIOS from a ROM set (SeaBIOS's vgabios-stdvga.bin on the
 * PC; none on the Power Mac, where OpenBIOS drives the card itself). `legacy` decodes the
 * ISA-compatible ports 0x3B0-0x3DF and the dispi ports 0x1CE-0x1D0 in the I/O space,
 * `legacy_window` the 0xA0000 memory window (not on the Mac, where RAM is there). Publishes one
 * screen: text, planar/chained or VBE linear, whichever is set. Sources: QEMU hw/display/vga-pci.c
 * (identity, BAR layout); hwdocs/vga.md. */
#include "peripherals/vga_std.h"

#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define BAR_VRAM 0
#define BAR_MMIO 2
#define MMIO_BAR_SIZE 0x1000
#define LEGACY_MEM 0xa0000
#define LEGACY_MEM_SIZE 0x20000

static uint64_t window_read(void *opaque, uint64_t off, unsigned size) {
    uint64_t r = 0;
    for (unsigned i = 0; i < size; i++)
        r |= (uint64_t)vt_vga_mem_read(opaque, (uint32_t)(off + i)) << 8 * i;
    return r;
}

static void window_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    for (unsigned i = 0; i < size; i++)
        vt_vga_mem_write(opaque, (uint32_t)(off + i), (uint8_t)(val >> 8 * i));
}

static const vt_mmio_ops window_ops = {window_read, window_write};

static uint64_t ports_read(void *opaque, uint64_t off, unsigned size) {
    uint64_t r = 0;
    for (unsigned i = 0; i < size; i++)
        r |= vt_vga_port_read(opaque, (unsigned)(off + i)) << 8 * i;
    return r;
}

static void ports_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    for (unsigned i = 0; i < size; i++)
        vt_vga_port_write(opaque, (unsigned)(off + i), (uint8_t)(val >> 8 * i));
}

static const vt_mmio_ops ports_ops = {ports_read, ports_write};

/* BAR0: the VRAM as linear memory (little-endian bytes; the bus swaps for big-endian CPUs). */
static uint64_t vram_read(void *opaque, uint64_t off, unsigned size) {
    vt_vga *v = opaque;
    uint64_t r = 0;
    for (unsigned i = 0; i < size && off + i < v->vram_size; i++)
        r |= (uint64_t)v->vram[off + i] << 8 * i;
    return r;
}

static void vram_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    vt_vga *v = opaque;
    for (unsigned i = 0; i < size && off + i < v->vram_size; i++)
        v->vram[off + i] = (uint8_t)(val >> 8 * i);
}

static const vt_mmio_ops vram_ops = {vram_read, vram_write};

static uint64_t rom_read(void *opaque, uint64_t off, unsigned size) {
    vt_vga *v = opaque;
    uint64_t r = 0;
    for (unsigned i = 0; i < size; i++)
        r |= (uint64_t)(off + i < v->rom_len ? v->rom[off + i] : 0xff) << 8 * i;
    return r;
}

static void rom_write(void *opaque, uint64_t off, uint64_t val, unsigned size) {
    vt_vga *v = opaque;
    vt_dev_log_unknown(v->dev, "expansion ROM write", off, size, val);
}

static const vt_mmio_ops rom_ops = {rom_read, rom_write};

static void vga_update(void *opaque, vt_screen_image *img) {
    vt_vga *v = opaque;
    img->blank = !(v->ar_index & AR_INDEX_PAS) || (v->sr[SR_CLOCKING] & SR_CLOCKING_SCREEN_OFF);
    if (img->blank) return; /* the last picture's geometry stays, shown black */
    if (vt_vbe_enabled(v))
        vt_vga_render_vbe(v, img);
    else if (v->gr[GR_MISC] & GR_MISC_GRAPHICS)
        vt_vga_render_planar(v, img);
    else
        vt_vga_render_text(v, img);
}

static const vt_screen_ops vga_screen_ops = {vga_update};

static uint64_t pow2_at_least(uint64_t n) {
    uint64_t p = 2048;
    while (p < n)
        p <<= 1;
    return p;
}

static int vga_create(vt_device *d, vt_error *err) {
    vt_vga *v = calloc(1, sizeof *v);
    if (!v) return vt_fail(err, "out of memory");
    d->priv = v;
    v->dev = d;
    uint64_t vram;
    bool legacy, window;
    if (vt_dev_u64(d, "vram_size", &vram, err) || vt_dev_bool(d, "legacy", &legacy, err) ||
        vt_dev_bool(d, "legacy_window", &window, err) ||
        vt_dev_bool(d, "big_endian_fb", &v->big_endian_fb, err) ||
        vt_dev_romfile(d, "romset", "romfile", &v->rom, &v->rom_len, err))
        return -1;
    if (vram < (1u << 20) || vram > (256u << 20) || (vram & (vram - 1)))
        return vt_fail(err, "vram_size must be a power of two from 1 MiB to 256 MiB");
    v->vram_size = (uint32_t)vram;
    v->vram = calloc(1, vram);
    if (!v->vram) return vt_fail(err, "out of memory");
    vt_pci_func_def def = {
        .vendor = 0x1234,
        .device = 0x1111,
        .revision = 2,
        .class_code = 0x030000,
        .bars = {[BAR_VRAM] = {vram, false, &vram_ops, v, VT_LITTLE_ENDIAN},
                 [BAR_MMIO] = {MMIO_BAR_SIZE, false, &vt_vga_mmio_bar_ops, v, VT_LITTLE_ENDIAN}},
    };
    if (v->rom)
        def.rom = (vt_pci_bar_def){pow2_at_least(v->rom_len), false, &rom_ops, v, VT_LITTLE_ENDIAN};
    if (vt_pci_attach(d, &def, &v->pci, err)) return -1;
    if (legacy) {
        char name[64];
        snprintf(name, sizeof name, "%s.ports", d->name);
        vt_bus *io = vt_dev_io_bus(d);
        if (vt_bus_add_mmio(io, name, 0x3b0, 0x30, &ports_ops, v, VT_LITTLE_ENDIAN, err)) return -1;
        snprintf(name, sizeof name, "%s.dispi", d->name);
        if (vt_bus_add_mmio(io, name, 0x1ce, 4, &vt_vbe_port_ops, v, VT_LITTLE_ENDIAN, err))
            return -1;
    }
    if (window) {
        char name[64];
        snprintf(name, sizeof name, "%s.window", d->name);
        if (vt_bus_add_mmio(vt_dev_bus(d), name, LEGACY_MEM, LEGACY_MEM_SIZE, &window_ops, v,
                            VT_LITTLE_ENDIAN, err))
            return -1;
    }
    return vt_display_add_screen(vt_dev_display(d), d->name, &vga_screen_ops, v, &v->screen, err);
}

static void vga_reset(vt_device *d) {
    vt_vga *v = d->priv;
    vt_pci_func_reset(v->pci);
    v->misc = v->st1 = 0;
    v->sr_index = v->gr_index = v->ar_index = v->cr_index = 0;
    memset(v->sr, 0, sizeof v->sr);
    memset(v->gr, 0, sizeof v->gr);
    memset(v->ar, 0, sizeof v->ar);
    memset(v->cr, 0, sizeof v->cr);
    v->ar_flip = false;
    v->dac_read = v->dac_write = v->dac_sub = v->dac_state = 0;
    v->pel_mask = 0xff;
    v->latch = 0;
    v->vbe_index = 0;
    memset(v->vbe, 0, sizeof v->vbe);
    v->vbe[VBE_ID] = VBE_ID5;
    v->vbe_start = v->vbe_line_offset = v->bank_offset = 0;
}

static void vga_save(const vt_device *d, vt_state_writer *w) {
    const vt_vga *v = d->priv;
    vt_state_begin(w, "VGA ", 1);
    vt_pci_func_save(v->pci, w);
    const uint8_t regs[] = {v->misc,      v->st1,     v->sr_index,  v->gr_index,
                            v->ar_index,  v->ar_flip, v->cr_index,  v->dac_read,
                            v->dac_write, v->dac_sub, v->dac_state, v->pel_mask};
    vt_state_put_bytes(w, regs, sizeof regs);
    vt_state_put_bytes(w, v->sr, sizeof v->sr);
    vt_state_put_bytes(w, v->gr, sizeof v->gr);
    vt_state_put_bytes(w, v->ar, sizeof v->ar);
    vt_state_put_bytes(w, v->cr, sizeof v->cr);
    vt_state_put_bytes(w, v->dac_latch, sizeof v->dac_latch);
    vt_state_put_bytes(w, v->dac, sizeof v->dac);
    vt_state_put_u32(w, v->latch);
    vt_state_put_u32(w, v->vbe_index);
    for (int i = 0; i < VBE_NREGS; i++)
        vt_state_put_u32(w, v->vbe[i]);
    vt_state_put_u8(w, v->big_endian_fb);
    vt_state_put_bytes(w, v->vram, v->vram_size);
    vt_state_end(w);
}

static int vga_load(vt_device *d, vt_state_reader *r) {
    vt_vga *v = d->priv;
    uint32_t version;
    if (vt_state_open(r, "VGA ", 1, &version) || vt_pci_func_load(v->pci, r)) return -1;
    uint8_t regs[12];
    vt_state_get_bytes(r, regs, sizeof regs);
    v->misc = regs[0], v->st1 = regs[1], v->sr_index = regs[2] % SR_COUNT;
    v->gr_index = regs[3] % GR_COUNT, v->ar_index = regs[4] & 0x3f, v->ar_flip = regs[5] & 1;
    v->cr_index = regs[6], v->dac_read = regs[7], v->dac_write = regs[8];
    v->dac_sub = regs[9] % 3, v->dac_state = regs[10], v->pel_mask = regs[11];
    vt_state_get_bytes(r, v->sr, sizeof v->sr);
    vt_state_get_bytes(r, v->gr, sizeof v->gr);
    vt_state_get_bytes(r, v->ar, sizeof v->ar);
    vt_state_get_bytes(r, v->cr, sizeof v->cr);
    vt_state_get_bytes(r, v->dac_latch, sizeof v->dac_latch);
    vt_state_get_bytes(r, v->dac, sizeof v->dac);
    v->latch = vt_state_get_u32(r);
    v->vbe_index = (uint16_t)vt_state_get_u32(r);
    for (int i = 0; i < VBE_NREGS; i++)
        v->vbe[i] = (uint16_t)vt_state_get_u32(r);
    v->big_endian_fb = vt_state_get_u8(r) & 1;
    vt_state_get_bytes(r, v->vram, v->vram_size);
    /* derived values, recomputed and bounded like a guest write would be */
    uint32_t bytes = (v->vbe[VBE_BPP] + 7u) / 8u;
    v->vbe_line_offset = (uint32_t)v->vbe[VBE_VIRT_WIDTH] * bytes;
    v->vbe_start = v->vbe_line_offset * v->vbe[VBE_Y_OFFSET] + v->vbe[VBE_X_OFFSET] * bytes;
    v->bank_offset =
        ((uint32_t)v->vbe[VBE_BANK] << 16) < v->vram_size ? (uint32_t)v->vbe[VBE_BANK] << 16 : 0;
    return vt_state_close(r);
}

static void vga_destroy(vt_device *d) {
    vt_vga *v = d->priv;
    if (!v) return;
    free(v->vram);
    free(v->rom);
    free(v->fb);
    free(v->cells);
    free(v);
}

static const vt_dev_key vga_keys[] = {
    VT_PCI_DEV_KEYS,
    {"vram_size", VT_KEY_U64, "16M", "video memory (power of two, 1 MiB to 256 MiB)"},
    {"legacy", VT_KEY_BOOL, "yes", "decode the I/O ports 0x3B0-0x3DF and 0x1CE-0x1D0"},
    {"legacy_window", VT_KEY_BOOL, "yes", "decode the memory window 0xA0000-0xBFFFF"},
    {"big_endian_fb", VT_KEY_BOOL, "no", "VBE pixels as big-endian words (QEMU on PowerPC)"},
    {"romset", VT_KEY_STR, "none", "ROM set holding the VGA BIOS for the expansion ROM, or none"},
    {"romfile", VT_KEY_STR, "vgabios-stdvga.bin", "the VGA BIOS file in that set"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_vga_std = {
    .name = "vga-std",
    .description = "standard VGA with Bochs VBE extensions (PCI 1234:1111)",
    .keys = vga_keys,
    .create = vga_create,
    .reset = vga_reset,
    .save = vga_save,
    .load = vga_load,
    .destroy = vga_destroy,
};
