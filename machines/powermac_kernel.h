/* Power Macintosh direct kernel boot: the payload (--kernel/--initrd/--append) placed in RAM the
 * way QEMU's g3beige places it, for OpenBIOS-ppc to find through fw_cfg and enter
 * (hwdocs/powermac_g3.md, "Boot flow"). */
#ifndef VT_POWERMAC_KERNEL_H
#define VT_POWERMAC_KERNEL_H

#include "core/elf_image.h"
#include "core/machine.h"

/* Physical addresses and sizes (QEMU hw/ppc/mac.h KERNEL_LOAD_ADDR and KERNEL_GAP). */
#define VT_POWERMAC_KERNEL_ADDR 0x01000000u
#define VT_POWERMAC_KERNEL_GAP 0x00100000u
#define VT_POWERMAC_CMDLINE_MAX 4096u /* one page, as QEMU copies it */

typedef struct vt_powermac_payload {
    vt_kernel_image kernel; /* kernel.data NULL: no kernel */
    uint8_t *initrd;
    size_t initrd_len;
    uint32_t kernel_size;  /* bytes from KERNEL_ADDR the kernel occupies (FW_CFG_KERNEL_SIZE) */
    uint32_t initrd_addr;  /* 0: no initrd */
    uint32_t cmdline_addr; /* 0: no command line */
    const char *cmdline;
} vt_powermac_payload;

/* Reads and checks the files named in `o` against `ram_size` bytes of RAM at 0 (no kernel:
 * an empty payload). */
int vt_powermac_payload_open(vt_powermac_payload *p, const vt_machine_options *o, uint64_t ram_size,
                             vt_error *err) VT_MUST_CHECK;
/* Writes kernel, initrd and command line into RAM. */
void vt_powermac_payload_place(const vt_powermac_payload *p, uint8_t *ram);
void vt_powermac_payload_free(vt_powermac_payload *p);

#endif
