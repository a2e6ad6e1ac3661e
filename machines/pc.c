/* PC board glue (pc-i440fx), what cannot be INI data: connects the x86 interrupt acknowledge to
 * the master 8259A and fills the fw_cfg items SeaBIOS reads on QEMU's `pc`: CPU counts, RAM size,
 * `etc/e820` (one RAM entry up to the end of the main memory, as QEMU gives it) and
 * `etc/boot-fail-wait` (QEMU's reboot-timeout, default -1: stop after a failed boot); with
 * --kernel the direct-boot items and loader ROM of pc_kernel.c. Sources:
 * QEMU docs/specs/fw_cfg.rst; SeaBIOS src/fw/paravirt.c (items read, e820 entry layout). */
#include "core/cpu/x86/x86.h"
#include "core/machine.h"
#include "peripherals/i8259_pic.h"
#include "machines/pc_kernel.h"
#include "peripherals/qemu_fw_cfg.h"

#define E820_RAM 1

static const vt_dev_key pc_keys[] = {
    {"pic", VT_KEY_STR, "pic1", "the master i8259 the CPU acknowledges interrupts from"},
    {"fw_cfg", VT_KEY_STR, "fwcfg", "the qemu-fw-cfg device"},
    {"ram", VT_KEY_STR, "ram", "the main memory region (its end is the RAM size)"},
    {"boot_fail_wait", VT_KEY_U64, "0xffffffff",
     "ms SeaBIOS waits before retrying a failed boot (0xffffffff = never, QEMU's default)"},
    {"linuxboot_romset", VT_KEY_STR, "linuxboot", "ROM set of the --kernel loader option ROM"},
    {"linuxboot_rom", VT_KEY_STR, "linuxboot_dma.bin", "the --kernel loader option ROM file"},
    {NULL, 0, NULL, NULL},
};

static const char *board_str(vt_machine *m, const char *key) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "board");
    for (const vt_dev_key *k = pc_keys; k->name; k++)
        if (!strcmp(k->name, key)) return s ? vt_cfg_str(s, key, k->def) : k->def;
    return NULL;
}

static vt_device *board_device(vt_machine *m, const char *key, const char *cls, vt_error *err) {
    vt_device *d = vt_machine_device(m, board_str(m, key));
    if (!d || strcmp(d->cls->name, cls)) {
        vt_fail(err, "pc: [board] %s: no %s device named '%s'", key, cls, board_str(m, key));
        return NULL;
    }
    return d;
}

static int fill_fw_cfg(vt_machine *m, vt_device *fw, vt_error *err) {
    uint64_t wait;
    const char *w = board_str(m, "boot_fail_wait");
    if (vt_parse_u64(w, &wait) || wait > 0xffffffffu) {
        vt_cfg_section *bs = vt_cfg_section_find(&m->cfg, "board");
        vt_cfg_entry *e = bs ? vt_cfg_get(bs, "boot_fail_wait") : NULL;
        return e ? vt_cfg_fail(err, e, "boot_fail_wait must be 0..0xffffffff, not '%s'", w)
                 : vt_fail(err, "pc: bad boot_fail_wait default");
    }
    uint8_t wait_le[4];
    store_le32(wait_le, (uint32_t)wait);
    const char *ram_name = board_str(m, "ram");
    uint64_t ram_end = 0;
    for (int i = 0; i < m->bus.nregions; i++) {
        const vt_region *r = m->bus.regions[i];
        if (r->kind == VT_REGION_RAM && !strcmp(r->name, ram_name)) ram_end = r->base + r->size;
    }
    if (!ram_end) return vt_fail(err, "pc: no memory region named '%s'", ram_name);
    uint8_t e820[20];
    store_le64(e820, 0);
    store_le64(e820 + 8, ram_end);
    store_le32(e820 + 16, E820_RAM);
    /* headless (QEMU's -nographic): SeaBIOS mirrors its console on COM1 (sercon) */
    uint8_t sercon[2];
    store_le16(sercon, 0x3f8);
    bool headless = m->opts.display == VT_DISPLAY_HEADLESS;
    if ((headless && vt_fw_cfg_add_file(fw, "etc/sercon-port", sercon, sizeof sercon)) ||
        vt_fw_cfg_add_i16(fw, VT_FW_CFG_NB_CPUS, 1) ||
        vt_fw_cfg_add_i16(fw, VT_FW_CFG_MAX_CPUS, 1) ||
        vt_fw_cfg_add_i64(fw, VT_FW_CFG_RAM_SIZE, ram_end) ||
        vt_fw_cfg_add_i16(fw, VT_FW_CFG_NOGRAPHIC, headless) ||
        vt_fw_cfg_add_file(fw, "etc/e820", e820, sizeof e820) ||
        vt_fw_cfg_add_file(fw, "etc/boot-fail-wait", wait_le, sizeof wait_le))
        return vt_fail(err, "pc: fw_cfg: out of memory or item slots");
    return vt_pc_kernel_setup(m, fw, ram_end, board_str(m, "linuxboot_romset"),
                              board_str(m, "linuxboot_rom"), err);
}

static int pc_init(vt_machine *m, vt_error *err) {
    if (!m->cpu || strcmp(m->cpu->ops->isa, "x86")) return vt_fail(err, "pc needs an x86 CPU");
    vt_device *pic = board_device(m, "pic", "i8259", err);
    vt_device *fw = pic ? board_device(m, "fw_cfg", "qemu-fw-cfg", err) : NULL;
    if (!fw) return -1;
    vt_x86_set_intack(m->cpu, vt_i8259_intack, pic);
    return fill_fw_cfg(m, fw, err);
}

const vt_board vt_board_pc = {
    .name = "pc",
    .keys = pc_keys,
    .init = pc_init,
    .boots_kernel = true,
};
