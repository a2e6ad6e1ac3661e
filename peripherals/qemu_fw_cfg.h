/* QEMU firmware-configuration device (fw_cfg), memory-mapped or I/O-port form: the board glue
 * fills its items and files; the guest firmware selects an item and reads its bytes. */
#ifndef VT_QEMU_FW_CFG_H
#define VT_QEMU_FW_CFG_H

#include "core/device.h"

/* Item keys used by OpenBIOS and SeaBIOS's Linux loader (QEMU docs/specs/fw_cfg.rst). */
enum {
    VT_FW_CFG_SIGNATURE = 0x00,
    VT_FW_CFG_ID = 0x01,
    VT_FW_CFG_UUID = 0x02,
    VT_FW_CFG_RAM_SIZE = 0x03,
    VT_FW_CFG_NOGRAPHIC = 0x04,
    VT_FW_CFG_NB_CPUS = 0x05,
    VT_FW_CFG_MACHINE_ID = 0x06,
    VT_FW_CFG_KERNEL_ADDR = 0x07,
    VT_FW_CFG_KERNEL_SIZE = 0x08,
    VT_FW_CFG_KERNEL_CMDLINE = 0x09,
    VT_FW_CFG_INITRD_ADDR = 0x0a,
    VT_FW_CFG_INITRD_SIZE = 0x0b,
    VT_FW_CFG_BOOT_DEVICE = 0x0c,
    VT_FW_CFG_BOOT_MENU = 0x0e,
    VT_FW_CFG_MAX_CPUS = 0x0f,
    VT_FW_CFG_KERNEL_DATA = 0x11,
    VT_FW_CFG_INITRD_DATA = 0x12,
    VT_FW_CFG_CMDLINE_ADDR = 0x13,
    VT_FW_CFG_CMDLINE_SIZE = 0x14,
    VT_FW_CFG_CMDLINE_DATA = 0x15,
    VT_FW_CFG_SETUP_ADDR = 0x16,
    VT_FW_CFG_SETUP_SIZE = 0x17,
    VT_FW_CFG_SETUP_DATA = 0x18,
    VT_FW_CFG_FILE_DIR = 0x19,
    VT_FW_CFG_ARCH_LOCAL = 0x8000,
};

/* Adds (or replaces) an item; integers are stored little-endian as QEMU does. */
int vt_fw_cfg_add_bytes(vt_device *d, uint16_t key, const void *data, size_t len) VT_MUST_CHECK;
int vt_fw_cfg_add_i16(vt_device *d, uint16_t key, uint16_t v) VT_MUST_CHECK;
int vt_fw_cfg_add_i32(vt_device *d, uint16_t key, uint32_t v) VT_MUST_CHECK;
int vt_fw_cfg_add_i64(vt_device *d, uint16_t key, uint64_t v) VT_MUST_CHECK;
/* Adds a named file ("etc/e820") with the next free key and lists it in the file directory. */
int vt_fw_cfg_add_file(vt_device *d, const char *name, const void *data, size_t len) VT_MUST_CHECK;

#endif
