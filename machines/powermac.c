/* Power Macintosh G3 (Beige, QEMU's `g3beige`) board glue: what cannot be INI data. Sets the
 * PowerPC time base to bus clock / 4 and fills the fw_cfg items OpenBIOS-ppc reads (machine id
 * 2 = Heathrow, RAM size, console choice, boot device, screen geometry, and the PowerPC-local
 * clock items). Sources: QEMU docs/specs/fw_cfg.rst and hw/ppc g3beige (item keys and values,
 * facts only); OpenBIOS arch/ppc/qemu/init.c (which items it reads); MPC750 UM §2.2 (TB rate). */
#include "core/cpu/ppc/ppc.h"
#include "core/log.h"
#include "core/machine.h"
#include "machines/powermac_kernel.h"
#include "peripherals/chrp_nvram.h"
#include "peripherals/macio_nvram.h"
#include "peripherals/qemu_fw_cfg.h"

#include <stdlib.h>

/* PowerPC-local fw_cfg items (FW_CFG_ARCH_LOCAL + n), as QEMU's PowerPC machines define them. */
enum {
    PPC_WIDTH = VT_FW_CFG_ARCH_LOCAL + 0x00,
    PPC_HEIGHT = VT_FW_CFG_ARCH_LOCAL + 0x01,
    PPC_DEPTH = VT_FW_CFG_ARCH_LOCAL + 0x02,
    PPC_TBFREQ = VT_FW_CFG_ARCH_LOCAL + 0x03,
    PPC_CLOCKFREQ = VT_FW_CFG_ARCH_LOCAL + 0x04,
    PPC_IS_KVM = VT_FW_CFG_ARCH_LOCAL + 0x05,
    PPC_BUSFREQ = VT_FW_CFG_ARCH_LOCAL + 0x09,
};

static const vt_dev_key powermac_keys[] = {
    {"machine_id", VT_KEY_U64, "2", "OpenBIOS machine id (2 = Heathrow, Beige G3)"},
    {"bus_hz", VT_KEY_U64, "66000000", "60x bus clock; the time base counts bus_hz / 4"},
    {"nographic", VT_KEY_BOOL, "yes", "tell the firmware to use the serial console"},
    {"boot_device", VT_KEY_STR, "c", "boot device letter (c = disk, d = cdrom)"},
    {"width", VT_KEY_U64, "800", "screen width"},
    {"height", VT_KEY_U64, "600", "screen height"},
    {"depth", VT_KEY_U64, "32", "screen depth"},
    {"fw_cfg", VT_KEY_STR, "fwcfg", "name of the fw_cfg device"},
    {"nvram", VT_KEY_STR, "nvram", "name of the macio-nvram device"},
    {"nvram_system_size", VT_KEY_U64, "0xc10", "bytes of the CHRP 'system' partition"},
    {"ram", VT_KEY_STR, "ram", "name of the main memory region"},
    {NULL, 0, NULL, NULL},
};

static const char *board_str(vt_machine *m, const char *key, vt_cfg_entry **entry) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "board");
    *entry = s ? vt_cfg_get(s, key) : NULL;
    if (*entry) return (*entry)->value;
    for (const vt_dev_key *k = powermac_keys; k->name; k++)
        if (!strcmp(k->name, key)) return k->def;
    return NULL;
}

static int board_u64(vt_machine *m, const char *key, uint64_t *out, vt_error *err) {
    vt_cfg_entry *e;
    const char *v = board_str(m, key, &e);
    if (!v || vt_parse_u64(v, out))
        return e ? vt_cfg_fail(err, e, "bad number '%s' for '%s'", e->value, key)
                 : vt_fail(err, "powermac: bad default for %s", key);
    return 0;
}

static int board_bool(vt_machine *m, const char *key, bool *out, vt_error *err) {
    vt_cfg_entry *e;
    const char *v = board_str(m, key, &e);
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = false;
    else
        return e ? vt_cfg_fail(err, e, "'%s' must be yes or no", key) : -1;
    return 0;
}

/* The main memory: the RAM region the board's `ram` key names, at address 0. */
static const vt_region *main_ram(vt_machine *m) {
    vt_cfg_entry *e;
    const char *name = board_str(m, "ram", &e);
    for (int i = 0; i < m->bus.nregions; i++) {
        const vt_region *r = m->bus.regions[i];
        if (!strcmp(r->name, name) && r->kind == VT_REGION_RAM && r->base == 0) return r;
    }
    return NULL;
}

/* The core clock as the profile's [machine] clock key gives it (0 when absent). */
static uint64_t cpu_hz(vt_machine *m) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "machine");
    vt_cfg_entry *e = s ? vt_cfg_get(s, "clock") : NULL;
    uint64_t hz = 0;
    if (e && vt_parse_u64(e->value, &hz)) hz = 0;
    return hz;
}

/* Direct-boot items as QEMU's g3beige sets them; boot device 'm' (memory) makes OpenBIOS enter
 * the preloaded kernel. */
static int fw_cfg_kernel(vt_device *d, const vt_powermac_payload *p) {
    return vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_ADDR,
                             p->kernel.data ? VT_POWERMAC_KERNEL_ADDR : 0) |
           vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_SIZE, p->kernel_size) |
           vt_fw_cfg_add_i32(d, VT_FW_CFG_KERNEL_CMDLINE, p->cmdline_addr) |
           vt_fw_cfg_add_i32(d, VT_FW_CFG_CMDLINE_SIZE, 0) |
           vt_fw_cfg_add_i32(d, VT_FW_CFG_INITRD_ADDR, p->initrd_addr) |
           vt_fw_cfg_add_i32(d, VT_FW_CFG_INITRD_SIZE, (uint32_t)p->initrd_len);
}

static int fill_fw_cfg(vt_machine *m, uint64_t bus_hz, const vt_powermac_payload *p,
                       vt_error *err) {
    vt_cfg_entry *e;
    const char *name = board_str(m, "fw_cfg", &e);
    vt_device *d = vt_machine_device(m, name);
    if (!d || strcmp(d->cls->name, "qemu-fw-cfg"))
        return vt_fail(err, "powermac: no qemu-fw-cfg device named '%s'", name);
    uint64_t ram_size = main_ram(m)->size;
    uint64_t id, w, h, depth;
    bool nographic = true;
    if (board_u64(m, "machine_id", &id, err) || board_u64(m, "width", &w, err) ||
        board_u64(m, "height", &h, err) || board_u64(m, "depth", &depth, err) ||
        board_bool(m, "nographic", &nographic, err))
        return -1;
    vt_cfg_entry *ng;
    board_str(m, "nographic", &ng);
    if (!ng) nographic = m->opts.display == VT_DISPLAY_HEADLESS; /* QEMU: -nographic or not */
    static const uint8_t uuid[16];
    const char *boot = board_str(m, "boot_device", &e);
    int rc =
        vt_fw_cfg_add_bytes(d, VT_FW_CFG_UUID, uuid, 16) |
        vt_fw_cfg_add_i16(d, VT_FW_CFG_NOGRAPHIC, nographic) |
        vt_fw_cfg_add_i16(d, VT_FW_CFG_BOOT_MENU, 0) | vt_fw_cfg_add_i16(d, VT_FW_CFG_NB_CPUS, 1) |
        vt_fw_cfg_add_i16(d, VT_FW_CFG_MAX_CPUS, 1) |
        vt_fw_cfg_add_i64(d, VT_FW_CFG_RAM_SIZE, ram_size) |
        vt_fw_cfg_add_i16(d, VT_FW_CFG_MACHINE_ID, (uint16_t)id) | fw_cfg_kernel(d, p) |
        vt_fw_cfg_add_i16(d, VT_FW_CFG_BOOT_DEVICE,
                          p->kernel.data ? 'm' : (uint16_t)(uint8_t)boot[0]) |
        vt_fw_cfg_add_i16(d, PPC_WIDTH, (uint16_t)w) |
        vt_fw_cfg_add_i16(d, PPC_HEIGHT, (uint16_t)h) |
        vt_fw_cfg_add_i16(d, PPC_DEPTH, (uint16_t)depth) |
        vt_fw_cfg_add_i32(d, PPC_TBFREQ, (uint32_t)(bus_hz / 4)) |
        vt_fw_cfg_add_i32(d, PPC_CLOCKFREQ, (uint32_t)cpu_hz(m)) |
        vt_fw_cfg_add_i32(d, PPC_BUSFREQ, (uint32_t)bus_hz) | vt_fw_cfg_add_i32(d, PPC_IS_KVM, 0);
    if (rc) return vt_fail(err, "powermac: fw_cfg: out of item slots");
    return 0;
}

/* A new machine's NVRAM: OpenBIOS's variables partition ("system"), the rest free. */
static int fill_nvram(vt_machine *m, vt_error *err) {
    vt_cfg_entry *e;
    const char *name = board_str(m, "nvram", &e);
    vt_device *d = vt_machine_device(m, name);
    if (!d || strcmp(d->cls->name, "macio-nvram"))
        return vt_fail(err, "powermac: no macio-nvram device named '%s'", name);
    uint64_t sys;
    if (board_u64(m, "nvram_system_size", &sys, err)) return -1;
    size_t len;
    uint8_t *nv = vt_macio_nvram_mem(d, &len);
    if (sys < 16 || sys % 16 || sys + 16 > len)
        return vt_fail(err, "powermac: nvram_system_size must be a multiple of 16 below 0x%zx",
                       len - 16);
    memset(nv, 0, len);
    vt_chrp_nvram_partition(nv, VT_CHRP_SIG_SYSTEM, "system", (uint32_t)sys);
    vt_chrp_nvram_partition(nv + sys, VT_CHRP_SIG_FREE, "free", (uint32_t)(len - sys));
    return 0;
}

static int powermac_init(vt_machine *m, vt_error *err) {
    uint64_t bus_hz;
    if (!m->cpu) return vt_fail(err, "powermac needs a CPU");
    if (board_u64(m, "bus_hz", &bus_hz, err)) return -1;
    if (bus_hz < 4 || vt_ppc_set_timebase_hz(m->cpu, bus_hz / 4))
        return vt_fail(err, "powermac needs a PowerPC CPU and a bus clock of at least 4 Hz");
    vt_cfg_entry *e;
    const vt_region *ram = main_ram(m);
    if (!ram)
        return vt_fail(err, "powermac: no RAM region named '%s' at address 0",
                       board_str(m, "ram", &e));
    vt_powermac_payload *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    m->board_priv = p;
    if (vt_powermac_payload_open(p, &m->opts, ram->size, err)) return -1;
    return fill_fw_cfg(m, bus_hz, p, err) || fill_nvram(m, err) ? -1 : 0;
}

/* Like QEMU, a reset (power-on or a guest reboot) places the direct-boot payload afresh. */
static void powermac_reset(vt_machine *m) {
    const vt_region *ram = main_ram(m);
    if (ram && m->board_priv) vt_powermac_payload_place(m->board_priv, ram->host);
}

static void powermac_destroy(vt_machine *m) {
    if (!m->board_priv) return;
    vt_powermac_payload_free(m->board_priv);
    free(m->board_priv);
    m->board_priv = NULL;
}

const vt_board vt_board_powermac = {
    .name = "powermac",
    .keys = powermac_keys,
    .init = powermac_init,
    .reset = powermac_reset,
    .destroy = powermac_destroy,
    .boots_kernel = true,
};
