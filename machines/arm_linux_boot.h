/* ARM Linux hand-over as a boot loader does it (Linux Documentation/arm/booting.rst): a zImage in
 * RAM, an initrd, and either an ATAG list (CORE, MEM, INITRD2, CMDLINE) or a flattened device
 * tree whose /chosen carries the command line and initrd; the CPU enters the kernel in SVC mode,
 * MMU and caches off, IRQs and FIQs masked, with r0 = 0, r1 = machine number, r2 = tags/DTB.
 * Boards place the payload at every reset and put a small hand-over stub at their reset vector. */
#ifndef VT_ARM_LINUX_BOOT_H
#define VT_ARM_LINUX_BOOT_H

#include "core/common.h"

/* The hand-over stub: four loads from a literal pool (r0, r1, r2, pc). */
#define VT_ARM_LINUX_STUB_SIZE 32u

/* What a board asks for. Paths and command line may be NULL (none). */
typedef struct vt_arm_linux_boot_args {
    const char *kernel, *initrd, *cmdline, *dtb;
    uint32_t machine_nr; /* r1: the kernel's mach-types number (ignored by DT kernels) */
    uint32_t ram_base;   /* physical base of the RAM the payload goes to */
    uint64_t ram_size;
    uint32_t atag_offset; /* ATAG list at ram_base + atag_offset (board's .atag_offset) */
} vt_arm_linux_boot_args;

/* The payload, read and laid out once; placed into RAM at every reset. */
typedef struct vt_arm_linux_boot {
    uint8_t *kernel, *initrd, *tags; /* tags: the ATAG list, or the edited DTB */
    size_t kernel_len, initrd_len, tags_len;
    uint32_t ram_base;
    uint32_t machine_nr;
    uint32_t kernel_addr, initrd_addr, tags_addr; /* physical */
} vt_arm_linux_boot;

/* /chosen edits for a board that hands Linux a device tree (Devicetree spec 0.3, 3.6). */
typedef struct vt_fdt_chosen {
    const char *bootargs;              /* NULL: leave bootargs alone */
    bool initrd;                       /* set linux,initrd-start/-end */
    uint32_t initrd_start, initrd_end; /* physical, end exclusive */
} vt_fdt_chosen;

/* Checks the untrusted blob's whole structure (`what` names it in errors, e.g. the file),
 * copies it with room for the properties and sets them; *out is malloc'ed and packed,
 * *out_len its size. Used by vt_arm_linux_boot_open and by boards with their own layout. */
int vt_fdt_set_chosen(const uint8_t *dtb, size_t len, const vt_fdt_chosen *c, const char *what,
                      uint8_t **out, size_t *out_len, vt_error *err) VT_MUST_CHECK;

/* Reads the files and lays them out in RAM: zImage at ram_base + 0x8000, the DTB (when given)
 * then the initrd at the top of RAM, ATAGs at ram_base + atag_offset. Fails with a clear message
 * when something is missing, malformed or does not fit. args->kernel must be set. */
int vt_arm_linux_boot_open(vt_arm_linux_boot *b, const vt_arm_linux_boot_args *args,
                           vt_error *err) VT_MUST_CHECK;
/* Copies kernel, initrd and tags into `ram` (the host view of the RAM at ram_base). */
void vt_arm_linux_boot_place(const vt_arm_linux_boot *b, uint8_t *ram);
/* Writes the little-endian hand-over stub (run from the reset vector) into `out`. */
void vt_arm_linux_boot_stub(const vt_arm_linux_boot *b, uint8_t out[VT_ARM_LINUX_STUB_SIZE]);
void vt_arm_linux_boot_free(vt_arm_linux_boot *b);

#endif
