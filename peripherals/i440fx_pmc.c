/* Intel 82441FX PMC, the i440FX host bridge function (00:00.0): PCI identity, PAM0-PAM6 shadow
 * RAM for 0xC0000-0xFFFFF (per segment, reads and writes go to DRAM or the ROM/PCI side) and
 * SMRAM (0xA0000-0xBFFFF as DRAM while D_OPEN); other registers are stored only. `subsystem`
 * can carry QEMU's 1AF4:1100, by which SeaBIOS recognises QEMU's `pc`. Sources: Intel 82441FX
 * datasheet (290549) §3.2 (registers, PAM, SMRAM); QEMU `pc` (device 1237, revision 02). */
#include "core/device.h"
#include "core/log.h"
#include "core/pci.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define PCI_SUBSYSTEM_VENDOR 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PMC_PAM0 0x59  /* PAM0 bits 5:4 = 0xF0000-0xFFFFF; PAM1-6 two 16 KiB segments each */
#define PMC_SMRAM 0x72 /* SMRAM control */
#define PAM_RE 0x1     /* per nibble: reads go to DRAM */
#define PAM_WE 0x2     /* per nibble: writes go to DRAM */
#define SMRAM_D_OPEN 0x40
#define SMRAM_D_CLS 0x20
#define SMRAM_D_LCK 0x10
#define SMRAM_G_SMRAME 0x08
#define SMRAM_C_BASE_SEG 0x02 /* hardwired: SMRAM at 0xA0000 */
#define SMRAM_WRITABLE (SMRAM_D_OPEN | SMRAM_D_CLS | SMRAM_D_LCK | SMRAM_G_SMRAME)

#define SHADOW_BASE 0xc0000u
#define NSEG 13 /* 12 x 16 KiB at 0xC0000-0xEFFFF, 1 x 64 KiB at 0xF0000 */
#define SMRAM_BASE 0xa0000u
#define SMRAM_SIZE 0x20000u

/* One PAM segment: DRAM (rw), a read-only view of it, the ROM bytes reads see while RE is off
 * (only where the BIOS ROM is: 0xE0000-0xFFFFF), and the write-only case as MMIO. */
typedef struct pam_seg {
    uint32_t base, size;
    vt_region *ram, *ram_ro, *rom, *wo;
    unsigned attr; /* the RE/WE bits in effect */
} pam_seg;

typedef struct pmc {
    vt_device *dev;
    vt_pci_func *fn;
    vt_bus *mem;
    pam_seg seg[NSEG];
    vt_region *smram;
} pmc;

static uint64_t wo_read(void *opaque, uint64_t off, unsigned size) {
    const pam_seg *s = opaque;
    if (!s->rom) return size == 8 ? ~0ull : (1ull << 8 * size) - 1; /* PCI: nobody answers */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)s->rom->host[off + i] << 8 * i;
    return v;
}

static void wo_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    const pam_seg *s = opaque;
    for (unsigned i = 0; i < size; i++)
        s->ram->host[off + i] = (uint8_t)(v >> 8 * i);
}

static const vt_mmio_ops wo_ops = {wo_read, wo_write};

static unsigned seg_attr(const pmc *p, int i) {
    if (i == NSEG - 1) return (p->fn->config[PMC_PAM0] >> 4) & 3;
    uint8_t r = p->fn->config[PMC_PAM0 + 1 + i / 2];
    return (i & 1 ? r >> 4 : r) & 3;
}

/* Enables exactly the region that decodes the segment for its RE/WE bits. */
static void seg_apply(pmc *p, pam_seg *s, unsigned attr) {
    if (vt_log_enabled(VT_LOG_DEV))
        vt_log(VT_LOG_DEV, "%s: PAM 0x%05x-0x%05x reads %s, writes %s", p->dev->name, s->base,
               s->base + s->size - 1, attr & PAM_RE ? "DRAM" : "ROM/PCI",
               attr & PAM_WE ? "DRAM" : "ROM/PCI");
    vt_region *want = attr == (PAM_RE | PAM_WE) ? s->ram
                      : attr == PAM_RE          ? s->ram_ro
                      : attr == PAM_WE          ? s->wo
                                                : s->rom;
    vt_region *all[4] = {s->ram, s->ram_ro, s->rom, s->wo};
    for (int i = 0; i < 4; i++)
        if (all[i] && all[i] != want) vt_bus_disable(p->mem, all[i]);
    vt_error err;
    if (want && vt_bus_enable(p->mem, want, &err))
        vt_log(VT_LOG_DEV, "%s: PAM segment 0x%05x: %s", p->dev->name, s->base, err.msg);
    s->attr = attr;
}

static void smram_apply(pmc *p) {
    uint8_t v = p->fn->config[PMC_SMRAM];
    /* without SMM in the core only D_OPEN makes SMRAM visible (datasheet table 3-10) */
    bool open = (v & SMRAM_G_SMRAME) && (v & SMRAM_D_OPEN) && !(v & SMRAM_D_LCK);
    vt_error err;
    if (!open)
        vt_bus_disable(p->mem, p->smram);
    else if (vt_bus_enable(p->mem, p->smram, &err))
        vt_log(VT_LOG_DEV, "%s: SMRAM open: %s", p->dev->name, err.msg);
}

static void pmc_update(pmc *p) {
    for (int i = 0; i < NSEG; i++)
        if (seg_attr(p, i) != p->seg[i].attr) seg_apply(p, &p->seg[i], seg_attr(p, i));
    smram_apply(p);
}

/* C_BASE_SEG is hardwired; D_LCK clears D_OPEN and leaves only D_CLS writable until reset. */
static void smram_fixup(pmc *p) {
    uint8_t *smram = &p->fn->config[PMC_SMRAM];
    *smram = (uint8_t)((*smram & ~7u) | SMRAM_C_BASE_SEG);
    if (*smram & SMRAM_D_LCK) *smram &= (uint8_t)~SMRAM_D_OPEN;
    p->fn->wmask[PMC_SMRAM] = *smram & SMRAM_D_LCK ? SMRAM_D_CLS : SMRAM_WRITABLE;
}

static void pmc_config_written(void *opaque, unsigned reg, unsigned size) {
    pmc *p = opaque;
    if (reg <= PMC_SMRAM && reg + size > PMC_SMRAM) smram_fixup(p);
    pmc_update(p);
}

static int add_segment(pmc *p, int i, vt_error *err) {
    pam_seg *s = &p->seg[i];
    s->base = i < NSEG - 1 ? SHADOW_BASE + 0x4000u * (unsigned)i : 0xf0000u;
    s->size = i < NSEG - 1 ? 0x4000u : 0x10000u;
    char name[48];
    snprintf(name, sizeof name, "%.24s.pam%05x", p->dev->name, s->base);
    if (vt_bus_add_ram(p->mem, name, s->base, s->size, false, &s->ram, err)) return -1;
    vt_bus_disable(p->mem, s->ram);
    if (vt_bus_add_view(p->mem, name, s->base, s->ram, 0, s->size, true, &s->ram_ro, err))
        return -1;
    vt_bus_disable(p->mem, s->ram_ro);
    vt_mmio_desc wo = {.name = name,
                       .base = s->base,
                       .size = s->size,
                       .ops = &wo_ops,
                       .dev = s,
                       .endian = VT_LITTLE_ENDIAN,
                       .disabled = true};
    return vt_bus_add_mmio_region(p->mem, &wo, &s->wo, err);
}

/* The BIOS ROM the profile mapped at `rom` (the manifest's alias of the top 128 KiB) is what
 * segments show while their RE bit is off: the bridge takes that window over (removing the
 * region, keeping its bytes) and maps one ROM region per segment, so each can give way to DRAM
 * on its own. */
static int take_rom(pmc *p, uint64_t rom_base, uint8_t **bytes, vt_error *err) {
    vt_region *r = vt_bus_find(p->mem, rom_base);
    if (!r || r->kind != VT_REGION_ROM || r->base != rom_base || rom_base < SHADOW_BASE ||
        r->base + r->size != 0x100000u)
        return vt_fail(err, "'rom' must name a ROM region from 0x%llx up to 0x100000",
                       (unsigned long long)rom_base);
    *bytes = malloc(r->size);
    if (!*bytes) return vt_fail(err, "out of memory");
    memcpy(*bytes, r->host, r->size);
    vt_bus_remove(p->mem, r);
    return 0;
}

static int add_rom_segments(pmc *p, uint64_t rom_base, const uint8_t *bytes, vt_error *err) {
    for (int i = 0; i < NSEG; i++) {
        pam_seg *s = &p->seg[i];
        if (s->base < rom_base) continue;
        char name[48];
        snprintf(name, sizeof name, "%.24s.rom%05x", p->dev->name, s->base);
        if (vt_bus_add_ram(p->mem, name, s->base, s->size, true, &s->rom, err)) return -1;
        memcpy(s->rom->host, bytes + (s->base - rom_base), s->size);
        vt_bus_disable(p->mem, s->rom);
    }
    return 0;
}

static int pmc_create(vt_device *d, vt_error *err) {
    uint64_t rom_base, subsys;
    if (vt_dev_u64(d, "rom", &rom_base, err) || vt_dev_u64(d, "subsystem", &subsys, err)) return -1;
    if (subsys > 0xffffffffu) return vt_fail(err, "subsystem is vendor << 16 | device (32 bits)");
    pmc *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    p->mem = vt_dev_bus(d);
    const vt_pci_func_def def = {.vendor = 0x8086,
                                 .device = 0x1237,
                                 .revision = 0x02,
                                 .class_code = 0x060000, /* host bridge */
                                 .config_written = pmc_config_written,
                                 .opaque = p};
    if (vt_pci_attach(d, &def, &p->fn, err)) return -1;
    store_le16(p->fn->config + PCI_SUBSYSTEM_VENDOR, (uint16_t)(subsys >> 16));
    store_le16(p->fn->config + PCI_SUBSYSTEM_ID, (uint16_t)subsys);
    for (unsigned r = 0x50; r < 0x80; r++)
        p->fn->wmask[r] = 0xff;
    p->fn->wmask[PMC_PAM0] = 0x30;
    p->fn->wmask[PMC_SMRAM] = SMRAM_WRITABLE;
    uint8_t *rom = NULL;
    if (take_rom(p, rom_base, &rom, err)) return -1;
    int rc = 0;
    for (int i = 0; i < NSEG && !rc; i++)
        rc = add_segment(p, i, err);
    if (!rc) rc = add_rom_segments(p, rom_base, rom, err);
    free(rom);
    if (rc) return -1;
    char name[48];
    snprintf(name, sizeof name, "%.32s.smram", d->name);
    if (vt_bus_add_ram(p->mem, name, SMRAM_BASE, SMRAM_SIZE, false, &p->smram, err)) return -1;
    vt_bus_disable(p->mem, p->smram);
    return 0;
}

static void pmc_reset(vt_device *d) {
    pmc *p = d->priv;
    vt_pci_func_reset(p->fn);
    for (unsigned r = 0x50; r < 0x80; r++)
        p->fn->config[r] = 0;
    p->fn->config[PMC_SMRAM] = SMRAM_C_BASE_SEG;
    p->fn->wmask[PMC_SMRAM] = SMRAM_WRITABLE;
    for (int i = 0; i < NSEG; i++)
        seg_apply(p, &p->seg[i], 0);
    smram_apply(p);
}

/* Everything the bridge holds is configuration space (PCIF chunk); load re-decodes it. */
static void pmc_save(const vt_device *d, vt_state_writer *w) {
    const pmc *p = d->priv;
    vt_pci_func_save(p->fn, w);
}

static int pmc_load(vt_device *d, vt_state_reader *r) {
    pmc *p = d->priv;
    if (vt_pci_func_load(p->fn, r)) return -1;
    p->fn->config[PMC_PAM0] &= 0x30;
    smram_fixup(p);
    pmc_update(p);
    return 0;
}

static void pmc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_i440fx_pmc = {
    .name = "i440fx-pmc",
    .description = "Intel 82441FX host bridge function (PAM shadow RAM, SMRAM)",
    .keys =
        (const vt_dev_key[]){
            VT_PCI_DEV_KEYS,
            {"rom", VT_KEY_U64, "0xe0000",
             "start of the BIOS ROM region below 1 MiB that PAM segments read while not shadowed"},
            {"subsystem", VT_KEY_U64, "0",
             "subsystem vendor << 16 | subsystem ID (0 on the chip; QEMU's pc: 0x1af41100)"},
            {NULL, 0, NULL, NULL},
        },
    .create = pmc_create,
    .reset = pmc_reset,
    .save = pmc_save,
    .load = pmc_load,
    .destroy = pmc_destroy,
};
