/* Nokia N800 board glue: the boot loader's Linux handover (the N800's NOLO loader does this on
 * the real device). A zImage goes to SDRAM, the initrd above it, the device tree (--dtb) after
 * the initrd with /chosen bootargs and linux,initrd-start/-end set; a 16-byte stub in the boot
 * ROM at address 0 (where the ARM1136 resets) enters the kernel with r0 = 0, r1 = ~0 (no machine
 * number: DT boot), r2 = the DTB address, MMU and caches off, SVC mode, IRQs masked.
 * Sources: Linux Documentation/arm/booting.rst (register and placement rules). */
#include "core/log.h"
#include "core/machine.h"
#include "machines/arm_linux_boot.h"

#include <stdio.h>
#include <stdlib.h>

static const vt_dev_key n800_keys[] = {
    {"ram", VT_KEY_STR, "ram", "name of the SDRAM region the kernel is loaded into"},
    {"kernel_offset", VT_KEY_U64, "0x10000", "zImage offset in SDRAM"},
    {"initrd_offset", VT_KEY_U64, "0x4000000", "initrd offset in SDRAM (the DTB follows it)"},
    {NULL, 0, NULL, NULL},
};

#define ARM_NO_MACHINE ~0u /* r1 for a DT boot (booting.rst) */

typedef struct n800_board {
    uint8_t *kernel, *initrd, *dtb;
    size_t kernel_len, initrd_len, dtb_len;
    vt_region *ram, *rom;
    uint32_t kernel_addr, initrd_addr, dtb_addr;
} n800_board;

static const char *board_str(vt_machine *m, const char *key) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "board");
    vt_cfg_entry *e = s ? vt_cfg_get(s, key) : NULL;
    if (e) return e->value;
    for (const vt_dev_key *k = n800_keys; k->name; k++)
        if (!strcmp(k->name, key)) return k->def;
    return NULL;
}

static int board_u32(vt_machine *m, const char *key, uint32_t *out, vt_error *err) {
    uint64_t v;
    if (vt_parse_u64(board_str(m, key), &v) || v > UINT32_MAX)
        return vt_fail(err, "nokia-n800: bad [board] %s '%s'", key, board_str(m, key));
    *out = (uint32_t)v;
    return 0;
}

static vt_region *find_ram(vt_machine *m, const char *name) {
    for (int i = 0; i < m->bus.nregions; i++)
        if (m->bus.regions[i]->kind == VT_REGION_RAM && !strcmp(m->bus.regions[i]->name, name))
            return m->bus.regions[i];
    return NULL;
}

/* Replaces the loaded DTB with a copy whose /chosen has bootargs and the initrd range. */
static int patch_dtb(n800_board *b, const char *path, const char *append, vt_error *err) {
    vt_fdt_chosen c = {.bootargs = append,
                       .initrd = b->initrd != NULL,
                       .initrd_start = b->initrd_addr,
                       .initrd_end = b->initrd_addr + (uint32_t)b->initrd_len};
    uint8_t *out;
    size_t out_len;
    if (vt_fdt_set_chosen(b->dtb, b->dtb_len, &c, path, &out, &out_len, err)) return -1;
    free(b->dtb);
    b->dtb = out;
    b->dtb_len = out_len;
    return 0;
}

static int place(n800_board *b, uint64_t ram_base, uint64_t ram_size, uint32_t koff, uint32_t ioff,
                 vt_error *err) {
    uint64_t kend = (uint64_t)koff + b->kernel_len;
    if (kend > ioff || ioff > ram_size)
        return vt_fail(err, "kernel: %zu bytes at SDRAM+0x%x do not fit below the initrd at +0x%x",
                       b->kernel_len, koff, ioff);
    uint64_t dtb_off = ((uint64_t)ioff + b->initrd_len + 0xfff) & ~0xfffull;
    if (dtb_off + b->dtb_len > ram_size)
        return vt_fail(err, "initrd and dtb (%zu + %zu bytes) do not fit in %llu MiB of SDRAM",
                       b->initrd_len, b->dtb_len, (unsigned long long)(ram_size >> 20));
    b->kernel_addr = (uint32_t)(ram_base + koff);
    b->initrd_addr = (uint32_t)(ram_base + ioff);
    b->dtb_addr = (uint32_t)(ram_base + dtb_off);
    return 0;
}

static void n800_free(n800_board *b) {
    if (!b) return;
    free(b->kernel);
    free(b->initrd);
    free(b->dtb);
    free(b);
}

static int n800_load(vt_machine *m, n800_board *b, vt_error *err) {
    const vt_machine_options *o = &m->opts;
    uint32_t koff, ioff;
    if (board_u32(m, "kernel_offset", &koff, err) || board_u32(m, "initrd_offset", &ioff, err))
        return -1;
    b->ram = find_ram(m, board_str(m, "ram"));
    if (!b->ram || b->ram->base + b->ram->size > 0x100000000ull)
        return vt_fail(err, "nokia-n800: no RAM region '%s' below 4 GiB", board_str(m, "ram"));
    /* The loader's page at the reset vector (GPMC CS0, where the N800 boots from flash). */
    if (vt_bus_add_ram(&m->bus, "boot-loader", 0, VT_PAGE_SIZE, true, &b->rom, err)) return -1;
    if (!o->kernel) return 0;
    if (vt_read_file("kernel", o->kernel, b->ram->size, &b->kernel, &b->kernel_len, err)) return -1;
    if (o->initrd &&
        vt_read_file("initrd", o->initrd, b->ram->size, &b->initrd, &b->initrd_len, err))
        return -1;
    if (!o->dtb) return vt_fail(err, "nokia-n800: Linux boots with a device tree: give --dtb");
    if (vt_read_file("dtb", o->dtb, 1u << 20, &b->dtb, &b->dtb_len, err)) return -1;
    /* Place first with the unpatched size (for initrd_addr), then patch, then re-place. */
    if (place(b, b->ram->base, b->ram->size, koff, ioff, err) ||
        patch_dtb(b, o->dtb, o->append, err) ||
        place(b, b->ram->base, b->ram->size, koff, ioff, err))
        return -1;
    return 0;
}

static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The boot stub: ldr r0/r1/r2 and pc from the literals that follow (pc-relative: pc reads as
 * the instruction's address + 8). */
static void write_stub(n800_board *b) {
    static const uint32_t code[4] = {
        0xe59f0008, /* ldr r0, [pc, #8]  -> word 4 */
        0xe59f1008, /* ldr r1, [pc, #8]  -> word 5 */
        0xe59f2008, /* ldr r2, [pc, #8]  -> word 6 */
        0xe59ff008, /* ldr pc, [pc, #8]  -> word 7 */
    };
    const uint32_t lit[4] = {0, ARM_NO_MACHINE, b->dtb_addr, b->kernel_addr};
    for (int i = 0; i < 4; i++) {
        put_le32(b->rom->host + 4 * i, code[i]);
        put_le32(b->rom->host + 16 + 4 * i, lit[i]);
    }
}

static void n800_reset(vt_machine *m) {
    n800_board *b = m->board_priv;
    write_stub(b);
    if (!b->kernel) return;
    uint64_t base = b->ram->base;
    memcpy(b->ram->host + (b->kernel_addr - base), b->kernel, b->kernel_len);
    if (b->initrd) memcpy(b->ram->host + (b->initrd_addr - base), b->initrd, b->initrd_len);
    memcpy(b->ram->host + (b->dtb_addr - base), b->dtb, b->dtb_len);
}

static int n800_init(vt_machine *m, vt_error *err) {
    n800_board *b = calloc(1, sizeof *b);
    if (!b) return vt_fail(err, "out of memory");
    if (n800_load(m, b, err)) {
        n800_free(b);
        return -1;
    }
    m->board_priv = b;
    return 0;
}

static void n800_destroy(vt_machine *m) {
    n800_free(m->board_priv);
    m->board_priv = NULL;
}

const vt_board vt_board_n800 = {
    .name = "n800",
    .keys = n800_keys,
    .init = n800_init,
    .reset = n800_reset,
    .destroy = n800_destroy,
    .boots_kernel = true,
    .takes_dtb = true,
};
