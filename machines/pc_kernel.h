/* PC direct kernel boot (--kernel/--initrd/--append on pc-i440fx): the Linux x86 boot protocol
 * header is read and completed as QEMU's loader does, and the pieces are handed to SeaBIOS
 * through fw_cfg with QEMU's linuxboot_dma option ROM (hwdocs/pc.md, "Direct kernel boot"). */
#ifndef VT_PC_KERNEL_H
#define VT_PC_KERNEL_H

#include "core/machine.h"

/* Where the pieces go (QEMU's addresses for a protocol >= 2.02 bzImage). */
#define VT_PC_SETUP_ADDR 0x10000u   /* real-mode setup code and the boot header */
#define VT_PC_CMDLINE_ADDR 0x20000u /* command line */
#define VT_PC_KERNEL_ADDR 0x100000u /* protected-mode kernel (bzImage: loaded high) */

typedef struct vt_pc_linux_layout {
    uint32_t setup_size;  /* bytes of the image that are the real-mode part */
    uint32_t kernel_size; /* the rest: the protected-mode kernel */
    uint32_t initrd_addr; /* 0 without an initrd */
    uint16_t protocol;    /* boot protocol version, e.g. 0x020f */
} vt_pc_linux_layout;

/* Checks the bzImage `img` (len bytes) for `ram_size` bytes of RAM, a command line of
 * `cmdline_len` bytes (without NUL) and an initrd of `initrd_len` bytes (0: none), and fills
 * the setup header's loader fields in place. Errors name `path`. */
int vt_pc_linux_prepare(uint8_t *img, size_t len, const char *path, uint64_t ram_size,
                        size_t cmdline_len, size_t initrd_len, vt_pc_linux_layout *out,
                        vt_error *err) VT_MUST_CHECK;

/* Reads m->opts.kernel/initrd/append and fills the fw_cfg device `fw` with them and with the
 * option ROM `rom_file` of ROM set `romset` (nothing when there is no --kernel). */
int vt_pc_kernel_setup(vt_machine *m, vt_device *fw, uint64_t ram_size, const char *romset,
                       const char *rom_file, vt_error *err) VT_MUST_CHECK;

#endif
