/* Palm Tungsten|E board glue (TI OMAP310): the boot ROM at EMIFS CS0 (8 MiB of flash, erased
 * but for the hand-over code the Palm's boot loader leaves at the reset vector) and the Linux
 * hand-over with ATAGs at SDRAM + 0x100 and machine number 817 (MACH_TYPE_OMAP_PALMTE).
 * Sources: Linux 6.1 arch/arm/mach-omap1/board-palmte.c (flash at OMAP_CS0_PHYS, 8 MiB,
 * .atag_offset 0x100), arch/arm/tools/mach-types; hwdocs/omap310_palmte.md. */
#include "core/machine.h"
#include "machines/arm_linux_boot.h"

#include <stdlib.h>

static const vt_dev_key palmte_keys[] = {
    {"machine_nr", VT_KEY_U64, "817", "r1 at kernel entry (MACH_TYPE_OMAP_PALMTE)"},
    {"ram", VT_KEY_STR, "sdram", "name of the [memory.NAME] the kernel is loaded into"},
    {"flash_base", VT_KEY_U64, "0x0", "boot flash (EMIFS CS0) address"},
    {"flash_size", VT_KEY_U64, "8M", "boot flash size"},
    {"atag_offset", VT_KEY_U64, "0x100", "ATAG list offset from the start of SDRAM"},
    {NULL, 0, NULL, NULL},
};

typedef struct palmte {
    vt_arm_linux_boot boot;
    vt_region *ram, *flash;
} palmte;

static vt_region *region_named(vt_machine *m, const char *name) {
    for (int i = 0; i < m->bus.nregions; i++)
        if (!strcmp(m->bus.regions[i]->name, name) && m->bus.regions[i]->kind == VT_REGION_RAM)
            return m->bus.regions[i];
    return NULL;
}

static int palmte_init(vt_machine *m, vt_error *err) {
    if (!m->cpu || strcmp(m->cpu->ops->isa, "arm")) return vt_fail(err, "palm-te needs an ARM");
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "board");
    uint64_t nr, fbase, fsize, atag;
    if (vt_cfg_u64(s, "machine_nr", 817, &nr, err) || vt_cfg_u64(s, "flash_base", 0, &fbase, err) ||
        vt_cfg_u64(s, "flash_size", 8u << 20, &fsize, err) ||
        vt_cfg_u64(s, "atag_offset", 0x100, &atag, err))
        return -1;
    if (nr > UINT32_MAX || fsize < VT_ARM_LINUX_STUB_SIZE || fsize > (64u << 20) || atag > 0x4000 ||
        (atag & 3))
        return vt_fail(err, "palm-te: [board] machine_nr, flash_size or atag_offset out of range");
    const char *ram_name = vt_cfg_str(s, "ram", "sdram");
    palmte *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    m->board_priv = p;
    p->ram = region_named(m, ram_name);
    if (!p->ram) return vt_fail(err, "palm-te: no [memory.%s] region", ram_name);
    if (vt_bus_add_ram(&m->bus, "flash", fbase, fsize, true, &p->flash, err)) return -1;
    /* the flash holds no PalmOS image: erased flash would only run undefined instructions */
    if (!m->opts.kernel)
        return vt_fail(err, "palm-te boots Linux only: give --kernel (and --initrd/--append)");
    vt_arm_linux_boot_args a = {.kernel = m->opts.kernel,
                                .initrd = m->opts.initrd,
                                .cmdline = m->opts.append,
                                .machine_nr = (uint32_t)nr,
                                .ram_base = (uint32_t)p->ram->base,
                                .ram_size = p->ram->size,
                                .atag_offset = (uint32_t)atag};
    return vt_arm_linux_boot_open(&p->boot, &a, err);
}

/* Power-on and every reset: erased flash with the hand-over code at the reset vector, and the
 * payload afresh in SDRAM (as a boot loader would load it again). */
static void palmte_reset(vt_machine *m) {
    palmte *p = m->board_priv;
    if (!p) return;
    memset(p->flash->host, 0xff, p->flash->size);
    vt_arm_linux_boot_stub(&p->boot, p->flash->host);
    vt_arm_linux_boot_place(&p->boot, p->ram->host);
}

static void palmte_destroy(vt_machine *m) {
    palmte *p = m->board_priv;
    if (!p) return;
    vt_arm_linux_boot_free(&p->boot);
    free(p);
    m->board_priv = NULL;
}

const vt_board vt_board_palmte = {
    .name = "palmte",
    .keys = palmte_keys,
    .init = palmte_init,
    .reset = palmte_reset,
    .destroy = palmte_destroy,
    .boots_kernel = true,
};
