/* sun4m direct kernel boot: the payload (--kernel/--initrd/--append) placed in RAM where QEMU's
 * sun4m machines put it, so OpenBIOS finds it through fw_cfg (hwdocs/sparcstation5.md). */
#ifndef VT_SUN4M_KERNEL_H
#define VT_SUN4M_KERNEL_H

#include "core/elf_image.h"
#include "core/machine.h"

typedef struct vt_sun4m_payload {
    vt_kernel_image kernel; /* kernel.data NULL: no kernel */
    uint8_t *initrd;
    size_t initrd_len;
    uint32_t entry;       /* physical entry point (KERNEL_ADDR) */
    uint32_t kernel_size; /* bytes the kernel occupies (KERNEL_SIZE) */
    const char *cmdline;  /* NULL: none */
} vt_sun4m_payload;

/* Physical addresses (QEMU hw/sparc/sun4m.c: KERNEL_LOAD_ADDR, CMDLINE_ADDR, INITRD_LOAD_ADDR). */
#define VT_SUN4M_KERNEL_ADDR 0x4000u
#define VT_SUN4M_CMDLINE_ADDR 0x7ff000u
#define VT_SUN4M_CMDLINE_MAX 4096u
#define VT_SUN4M_INITRD_ADDR 0x800000u

/* Reads and checks the files named in m->opts against `ram_size` bytes of RAM at 0. */
int vt_sun4m_payload_open(vt_sun4m_payload *p, const vt_machine_options *o, uint64_t ram_size,
                          vt_error *err) VT_MUST_CHECK;
/* Writes kernel, initrd (and its address into the kernel's "HdrS" header) and command line. */
void vt_sun4m_payload_place(const vt_sun4m_payload *p, uint8_t *ram);
void vt_sun4m_payload_free(vt_sun4m_payload *p);

#endif
