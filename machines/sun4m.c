/* sun4m board glue (SPARCstation 5): what cannot be INI data. Points the CPU's boot mode at
 * the PROM region (loaded by [rom.prom]), writes the NVRAM layout OpenBIOS reads (a CHRP "system"
 * partition, a free partition and the Sun IDPROM at 0x1fd8) and fills the fw_cfg items
 * (RAM size, machine id, console choice, boot device, framebuffer geometry, and the direct-boot
 * kernel, initrd and command line placed by sun4m_kernel.c).
 * Sources: QEMU hw/sparc/sun4m.c and hw/nvram/chrp_nvram.c (layout facts only); OpenBIOS
 * arch/sparc32 (which items it reads); Sun IDPROM format (type, machine, MAC, date, serial). */
#include "peripherals/chrp_nvram.h"
#include "core/cpu/sparc/sparc.h"
#include "core/log.h"
#include "core/machine.h"
#include "peripherals/m48t59_nvram.h"
#include "machines/sun4m_kernel.h"
#include "peripherals/qemu_fw_cfg.h"

#include <stdio.h>
#include <stdlib.h>

static const vt_dev_key sun4m_keys[] = {
    {"prom", VT_KEY_STR, "prom", "the [rom.NAME] region boot mode fetches from"},
    {"machine_id", VT_KEY_U64, "32", "QEMU machine id (32 = SPARCstation 5)"},
    {"idprom_machine", VT_KEY_U64, "0x80", "IDPROM machine type byte (0x80 = sun4m)"},
    {"mac", VT_KEY_STR, "52:54:00:12:34:56", "Ethernet address in the IDPROM"},
    {"nographic", VT_KEY_BOOL, "yes", "tell the firmware to use the serial console"},
    {"boot_device", VT_KEY_STR, "c", "boot device letter (c = disk, d = cdrom, n = net)"},
    {"width", VT_KEY_U64, "1024", "framebuffer width"},
    {"height", VT_KEY_U64, "768", "framebuffer height"},
    {"depth", VT_KEY_U64, "8", "framebuffer depth"},
    {"nvram", VT_KEY_STR, "nvram", "name of the NVRAM device"},
    {"fw_cfg", VT_KEY_STR, "fwcfg", "name of the fw_cfg device"},
    {"ram", VT_KEY_STR, "ram", "name of the main memory region"},
    {NULL, 0, NULL, NULL},
};

static vt_cfg_entry *board_entry(vt_machine *m, const char *key) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "board");
    return s ? vt_cfg_get(s, key) : NULL;
}

static const char *board_str(vt_machine *m, const char *key) {
    vt_cfg_entry *e = board_entry(m, key);
    if (e) return e->value;
    for (const vt_dev_key *k = sun4m_keys; k->name; k++)
        if (!strcmp(k->name, key)) return k->def;
    return NULL;
}

static int board_u64(vt_machine *m, const char *key, uint64_t *out, vt_error *err) {
    const char *v = board_str(m, key);
    if (!v || vt_parse_u64(v, out)) {
        vt_cfg_entry *e = board_entry(m, key);
        return e ? vt_cfg_fail(err, e, "bad number '%s' for '%s'", e->value, key)
                 : vt_fail(err, "sun4m: bad default for %s", key);
    }
    return 0;
}

/* Points the CPU's boot mode at the PROM region named by `prom` (an INI [rom.NAME]). */
static int boot_prom(vt_machine *m, vt_error *err) {
    const char *name = board_str(m, "prom");
    for (int i = 0; i < m->bus.nregions; i++) {
        const vt_region *r = m->bus.regions[i];
        if (r->kind != VT_REGION_ROM || strcmp(r->name, name)) continue;
        if (vt_sparc_set_boot_prom(m->cpu, r->base)) return vt_fail(err, "sun4m needs a SPARC CPU");
        return 0;
    }
    return vt_fail(err, "sun4m: no ROM region [rom.%s] for the boot PROM", name);
}

static int parse_mac(const char *s, uint8_t mac[6]) {
    unsigned v[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) return -1;
    for (int i = 0; i < 6; i++) {
        if (v[i] > 255) return -1;
        mac[i] = (uint8_t)v[i];
    }
    return 0;
}

static int fill_nvram(vt_machine *m, vt_error *err) {
    vt_device *d = vt_machine_device(m, board_str(m, "nvram"));
    if (!d || (strcmp(d->cls->name, "m48t08") && strcmp(d->cls->name, "m48t59")))
        return vt_fail(err, "sun4m: no m48t08/m48t59 device named '%s'", board_str(m, "nvram"));
    size_t len;
    uint8_t *nv = vt_m48t59_mem(d, &len);
    uint64_t idm;
    uint8_t mac[6];
    if (board_u64(m, "idprom_machine", &idm, err)) return -1;
    if (parse_mac(board_str(m, "mac"), mac))
        return vt_fail(err, "sun4m: bad mac '%s'", board_str(m, "mac"));
    memset(nv, 0, 0x1ff0);
    /* An empty "system" partition (OpenBIOS keeps its variables there) and a free partition
     * up to 0x1fd0, then the IDPROM. */
    vt_chrp_nvram_partition(nv, VT_CHRP_SIG_SYSTEM, "system", 32);
    vt_chrp_nvram_partition(nv + 32, VT_CHRP_SIG_FREE, "free", 0x1fd0 - 32);
    uint8_t *id = nv + 0x1fd8;
    id[0] = 1;            /* IDPROM format */
    id[1] = (uint8_t)idm; /* machine type */
    memcpy(id + 2, mac, 6);
    memset(id + 8, 0, 4);        /* manufacturing date */
    memcpy(id + 12, mac + 3, 3); /* serial number */
    uint8_t x = 0;
    for (int i = 0; i < 15; i++)
        x ^= id[i];
    id[15] = x;
    return 0;
}

/* The main memory region, which starts at physical 0 on sun4m. */
static const vt_region *main_ram(vt_machine *m, vt_error *err) {
    const char *ram_name = board_str(m, "ram");
    for (int i = 0; i < m->bus.nregions; i++) {
        const vt_region *r = m->bus.regions[i];
        if (!strcmp(r->name, ram_name) && r->kind == VT_REGION_RAM && r->base == 0) return r;
    }
    vt_fail(err, "sun4m: no RAM region named '%s' at address 0", ram_name);
    return NULL;
}

/* Direct-boot items (QEMU docs/specs/fw_cfg.rst keys; values as QEMU's sun4m sets them). */
static int fw_cfg_kernel(vt_device *d, const vt_sun4m_payload *p) {
    const char *cl = p->cmdline;
    int rc = vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_ADDR,
                               p->kernel.data ? p->entry : VT_SUN4M_KERNEL_ADDR) |
             vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_SIZE, p->kernel_size) |
             vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_CMDLINE, cl ? VT_SUN4M_CMDLINE_ADDR : 0) |
             vt_fw_cfg_add_i32(d, VT_FW_CFG_CMDLINE_SIZE, cl ? (uint32_t)strlen(cl) + 1 : 0) |
             vt_fw_cfg_add_i32(d, VT_FW_CFG_INITRD_ADDR, p->initrd ? VT_SUN4M_INITRD_ADDR : 0) |
             vt_fw_cfg_add_i32(d, VT_FW_CFG_INITRD_SIZE, (uint32_t)p->initrd_len);
    if (cl) rc |= vt_fw_cfg_add_bytes(d, VT_FW_CFG_CMDLINE_DATA, cl, strlen(cl) + 1);
    return rc;
}

static int fill_fw_cfg(vt_machine *m, const vt_sun4m_payload *p, vt_error *err) {
    vt_device *d = vt_machine_device(m, board_str(m, "fw_cfg"));
    if (!d || strcmp(d->cls->name, "qemu-fw-cfg"))
        return vt_fail(err, "sun4m: no qemu-fw-cfg device named '%s'", board_str(m, "fw_cfg"));
    const vt_region *ram = main_ram(m, err);
    if (!ram) return -1;
    uint64_t ram_size = ram->size;
    uint64_t machine_id, w, h, depth;
    bool nographic;
    vt_cfg_entry *e = board_entry(m, "nographic");
    nographic = m->opts.display == VT_DISPLAY_HEADLESS; /* QEMU: -nographic vs a display */
    if (e && vt_cfg_bool(vt_cfg_section_find(&m->cfg, "board"), "nographic", true, &nographic, err))
        return -1;
    if (board_u64(m, "machine_id", &machine_id, err) || board_u64(m, "width", &w, err) ||
        board_u64(m, "height", &h, err) || board_u64(m, "depth", &depth, err))
        return -1;
    static const uint8_t uuid[16];
    const char *boot = board_str(m, "boot_device");
    int rc = vt_fw_cfg_add_bytes(d, VT_FW_CFG_UUID, uuid, 16) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_NOGRAPHIC, nographic) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_BOOT_MENU, 0) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_NB_CPUS, 1) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_MAX_CPUS, 1) |
             vt_fw_cfg_add_i64(d, VT_FW_CFG_RAM_SIZE, ram_size) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_MACHINE_ID, (uint16_t)machine_id) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_ARCH_LOCAL + 0, (uint16_t)depth) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_ARCH_LOCAL + 1, (uint16_t)w) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_ARCH_LOCAL + 2, (uint16_t)h) | fw_cfg_kernel(d, p) |
             vt_fw_cfg_add_i16(d, VT_FW_CFG_BOOT_DEVICE, (uint16_t)(uint8_t)boot[0]);
    if (rc) return vt_fail(err, "sun4m: fw_cfg: out of item slots");
    return 0;
}

static int sun4m_init(vt_machine *m, vt_error *err) {
    if (!m->cpu) return vt_fail(err, "sun4m needs a CPU");
    const vt_region *ram = main_ram(m, err);
    if (!ram) return -1;
    vt_sun4m_payload *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    m->board_priv = p;
    if (vt_sun4m_payload_open(p, &m->opts, ram->size, err)) return -1;
    if (boot_prom(m, err) || fill_nvram(m, err) || fill_fw_cfg(m, p, err)) return -1;
    return 0;
}

/* Like QEMU, a reset (power-on or a guest reboot) places the direct-boot payload afresh. */
static void sun4m_reset(vt_machine *m) {
    vt_error err;
    const vt_region *ram = main_ram(m, &err);
    if (ram && m->board_priv) vt_sun4m_payload_place(m->board_priv, ram->host);
}

static void sun4m_destroy(vt_machine *m) {
    if (!m->board_priv) return;
    vt_sun4m_payload_free(m->board_priv);
    free(m->board_priv);
    m->board_priv = NULL;
}

const vt_board vt_board_sun4m = {
    .name = "sun4m",
    .keys = sun4m_keys,
    .init = sun4m_init,
    .reset = sun4m_reset,
    .destroy = sun4m_destroy,
    .boots_kernel = true,
};
