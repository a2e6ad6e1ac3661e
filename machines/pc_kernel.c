/* PC direct kernel boot the way QEMU's x86 loader does it: the bzImage's real-mode setup is
 * split from the protected-mode kernel by setup_sects, its boot header gets the loader fields
 * (type_of_loader, CAN_USE_HEAP + heap_end_ptr, cmd_line_ptr, ramdisk_image/size), the initrd
 * goes to the highest 4 KiB boundary below min(initrd_addr_max, RAM - 160 KiB), and fw_cfg
 * carries setup, kernel, initrd and command line plus the option ROM that loads them.
 * Sources: Linux Documentation/x86/boot.rst (header offsets, protocol 2.02+/2.03+/2.06+ fields);
 * QEMU hw/i386/x86.c x86_load_linux and docs/specs/fw_cfg.rst (addresses, items: facts only). */
#include "machines/pc_kernel.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/registry.h"
#include "peripherals/qemu_fw_cfg.h"

/* Boot header fields (boot.rst, "The real-mode kernel header"), offsets in the image. */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_MAGIC 0x202 /* "HdrS" */
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_CMDLINE_SIZE 0x238
#define HDR_END 0x240

#define HDRS_MAGIC 0x53726448u /* "HdrS" little-endian */
#define LOADED_HIGH 0x01       /* loadflags: protected-mode code at 0x100000 */
#define CAN_USE_HEAP 0x80      /* loadflags: heap_end_ptr is valid */
#define LOADER_QEMU 0xb0       /* type_of_loader QEMU writes (boot.rst loader ID 0xB) */
#define OLD_INITRD_MAX 0x37ffffffu
#define OLD_CMDLINE_MAX 255u
/* QEMU keeps the initrd below the top 128 + 32 KiB of RAM, where SeaBIOS puts its ACPI tables
 * (hw/i386/pc_piix.c acpi_data_size); the same placement keeps the guest's view identical. */
#define ACPI_DATA_SIZE 0x28000u

int vt_pc_linux_prepare(uint8_t *img, size_t len, const char *path, uint64_t ram_size,
                        size_t cmdline_len, size_t initrd_len, vt_pc_linux_layout *out,
                        vt_error *err) {
    if (len < HDR_END || load_le32(img + HDR_MAGIC) != HDRS_MAGIC)
        return vt_fail(err, "kernel %s: no Linux x86 boot header (\"HdrS\" at 0x202)", path);
    uint16_t version = load_le16(img + HDR_VERSION);
    if (version < 0x202 || !(img[HDR_LOADFLAGS] & LOADED_HIGH))
        return vt_fail(err,
                       "kernel %s: boot protocol %u.%02u %s; only bzImage kernels with protocol "
                       "2.02 or later are supported",
                       path, version >> 8, version & 0xff,
                       img[HDR_LOADFLAGS] & LOADED_HIGH ? "" : "(zImage, loaded low)");
    unsigned sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    uint32_t setup_size = (sects + 1) * 512u;
    if (setup_size >= len)
        return vt_fail(err, "kernel %s: setup_sects %u is past the end of the %zu-byte file", path,
                       sects, len);
    uint64_t kernel_size = len - setup_size;
    uint64_t cmdline_max = version >= 0x206 ? load_le32(img + HDR_CMDLINE_SIZE) : OLD_CMDLINE_MAX;
    if (cmdline_len > cmdline_max)
        return vt_fail(err, "--append: %zu bytes, the kernel takes at most %llu", cmdline_len,
                       (unsigned long long)cmdline_max);
    uint64_t initrd_max = version >= 0x203 ? load_le32(img + HDR_INITRD_ADDR_MAX) : OLD_INITRD_MAX;
    uint64_t below = ram_size > 0xffffffffu ? 0xffffffffu : ram_size;
    if (below < VT_PC_KERNEL_ADDR + kernel_size + ACPI_DATA_SIZE)
        return vt_fail(err, "kernel %s: %llu bytes do not fit in %llu bytes of RAM", path,
                       (unsigned long long)kernel_size, (unsigned long long)ram_size);
    if (initrd_max >= below - ACPI_DATA_SIZE) initrd_max = below - ACPI_DATA_SIZE - 1;
    uint32_t initrd_addr = 0;
    if (initrd_len) {
        uint64_t top = initrd_max + 1;
        if (initrd_len > top || ((top - initrd_len) & ~0xfffull) < VT_PC_KERNEL_ADDR + kernel_size)
            return vt_fail(err, "initrd: %zu bytes do not fit between the kernel and 0x%llx",
                           initrd_len, (unsigned long long)top);
        initrd_addr = (uint32_t)((top - initrd_len) & ~0xfffull);
    }
    img[HDR_TYPE_OF_LOADER] = LOADER_QEMU;
    img[HDR_LOADFLAGS] |= CAN_USE_HEAP;
    store_le16(img + HDR_HEAP_END_PTR, VT_PC_CMDLINE_ADDR - VT_PC_SETUP_ADDR - 0x200);
    store_le32(img + HDR_CMD_LINE_PTR, VT_PC_CMDLINE_ADDR);
    store_le32(img + HDR_RAMDISK_IMAGE, initrd_addr);
    store_le32(img + HDR_RAMDISK_SIZE, (uint32_t)initrd_len);
    *out = (vt_pc_linux_layout){setup_size, (uint32_t)kernel_size, initrd_addr, version};
    return 0;
}

/* The option ROM, audited through its ROM set, as fw_cfg file genroms/FILE, first in the boot
 * order (QEMU gives the loader ROM bootindex 0). */
static int add_option_rom(vt_machine *m, vt_device *fw, const char *romset, const char *file,
                          vt_error *err) {
    const vt_registry *reg = m->registry;
    vt_rom_file rom;
    if (reg->rom_open(romset, file, m->opts.rom_path, &rom, err) < 0) return -1;
    char name[64], order[80];
    int bad = snprintf(name, sizeof name, "genroms/%s", file) >= (int)sizeof name;
    snprintf(order, sizeof order, "/rom@%s", name);
    bad = bad || vt_fw_cfg_add_file(fw, name, rom.data, rom.len) ||
          vt_fw_cfg_add_file(fw, "bootorder", order, strlen(order) + 1);
    reg->rom_close(&rom);
    return bad ? vt_fail(err, "pc: fw_cfg: cannot add option ROM %s", file) : 0;
}

int vt_pc_kernel_setup(vt_machine *m, vt_device *fw, uint64_t ram_size, const char *romset,
                       const char *rom_file, vt_error *err) {
    const vt_machine_options *o = &m->opts;
    if (!o->kernel) return 0;
    uint8_t *img = NULL, *initrd = NULL;
    size_t len = 0, initrd_len = 0;
    const char *cmdline = o->append ? o->append : "";
    vt_pc_linux_layout l;
    int rc = -1;
    if (vt_read_file("kernel", o->kernel, ram_size, &img, &len, err) ||
        (o->initrd && vt_read_file("initrd", o->initrd, ram_size, &initrd, &initrd_len, err)) ||
        vt_pc_linux_prepare(img, len, o->kernel, ram_size, strlen(cmdline), initrd_len, &l, err))
        goto out;
    if (vt_fw_cfg_add_i32(fw, VT_FW_CFG_SETUP_ADDR, VT_PC_SETUP_ADDR) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_SETUP_SIZE, l.setup_size) ||
        vt_fw_cfg_add_bytes(fw, VT_FW_CFG_SETUP_DATA, img, l.setup_size) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_KERNEL_ADDR, VT_PC_KERNEL_ADDR) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_KERNEL_SIZE, l.kernel_size) ||
        vt_fw_cfg_add_bytes(fw, VT_FW_CFG_KERNEL_DATA, img + l.setup_size, l.kernel_size) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_INITRD_ADDR, l.initrd_addr) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_INITRD_SIZE, (uint32_t)initrd_len) ||
        vt_fw_cfg_add_bytes(fw, VT_FW_CFG_INITRD_DATA, initrd, initrd_len) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_CMDLINE_ADDR, VT_PC_CMDLINE_ADDR) ||
        vt_fw_cfg_add_i32(fw, VT_FW_CFG_CMDLINE_SIZE, (uint32_t)strlen(cmdline) + 1) ||
        vt_fw_cfg_add_bytes(fw, VT_FW_CFG_CMDLINE_DATA, cmdline, strlen(cmdline) + 1)) {
        vt_fail(err, "pc: fw_cfg: out of memory or item slots");
        goto out;
    }
    rc = add_option_rom(m, fw, romset, rom_file, err);
out:
    free(img);
    free(initrd);
    return rc;
}
