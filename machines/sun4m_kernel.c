/* sun4m direct kernel boot, the way QEMU's sun4m machines hand a kernel to OpenBIOS: an ELF
 * kernel linked at 0xf0000000 is placed at its address minus 0xf0000000 (a raw image at
 * 0x4000), the initrd at 0x800000 with its address and size written at +16/+20 of the kernel's
 * "HdrS" boot header (looked for at each of the first 64 pages from 0x4000), the command line
 * at 0x7ff000. Sources: QEMU hw/sparc/sun4m.c (addresses, header search: facts only); Linux
 * arch/sparc/kernel/head_32.S (HdrS header: sparc_ramdisk_image/size at +16/+20). */
#include "machines/sun4m_kernel.h"

#include <stdlib.h>

#define KERNBASE 0xf0000000u /* sparc32 Linux's link base (arch/sparc/include/asm/page_32.h) */
#define EM_SPARC 2
#define HDRS_MAGIC 0x48647253u /* "HdrS" */
#define HDRS_PAGES 64
#define HDRS_RAMDISK_IMAGE 16
#define HDRS_RAMDISK_SIZE 20
#define PAGE 4096u

static uint64_t elf_dest(uint64_t paddr) {
    return paddr < KERNBASE ? UINT64_MAX : paddr - KERNBASE;
}

int vt_sun4m_payload_open(vt_sun4m_payload *p, const vt_machine_options *o, uint64_t ram_size,
                          vt_error *err) {
    memset(p, 0, sizeof *p);
    if (!o->kernel) return 0;
    /* What the kernel may occupy: below the command line / initrd when they are present. */
    uint64_t limit = o->append   ? VT_SUN4M_CMDLINE_ADDR
                     : o->initrd ? VT_SUN4M_INITRD_ADDR
                                 : ram_size;
    if (limit > ram_size) limit = ram_size;
    vt_kernel_image *k = &p->kernel;
    if (vt_kernel_image_read(k, o->kernel, EM_SPARC, VT_BIG_ENDIAN, "SPARC", err)) return -1;
    if (k->is_elf) {
        if (vt_kernel_image_fit(k, o->kernel, elf_dest, limit, &p->kernel_size, err)) goto fail;
        if (elf_dest(k->elf.entry) >= limit) {
            vt_fail(err, "kernel %s: entry point 0x%llx outside the kernel", o->kernel,
                    (unsigned long long)k->elf.entry);
            goto fail;
        }
        p->entry = (uint32_t)elf_dest(k->elf.entry);
    } else {
        if (VT_SUN4M_KERNEL_ADDR + k->len > limit) {
            vt_fail(err, "kernel %s: %zu bytes do not fit below 0x%llx", o->kernel, k->len,
                    (unsigned long long)limit);
            goto fail;
        }
        p->entry = VT_SUN4M_KERNEL_ADDR;
        p->kernel_size = (uint32_t)k->len;
    }
    if (o->append && strlen(o->append) >= VT_SUN4M_CMDLINE_MAX) {
        vt_fail(err, "--append: command line longer than %u bytes", VT_SUN4M_CMDLINE_MAX - 1);
        goto fail;
    }
    p->cmdline = o->append;
    if (o->initrd) {
        if (ram_size <= VT_SUN4M_INITRD_ADDR) {
            vt_fail(err, "initrd %s: no RAM at 0x%x", o->initrd, VT_SUN4M_INITRD_ADDR);
            goto fail;
        }
        if (vt_read_file("initrd", o->initrd, ram_size - VT_SUN4M_INITRD_ADDR, &p->initrd,
                         &p->initrd_len, err))
            goto fail;
    }
    return 0;
fail:
    vt_sun4m_payload_free(p);
    return -1;
}

/* Tells the kernel where its initrd is, in the boot header it carries for loaders. */
static void patch_hdrs(const vt_sun4m_payload *p, uint8_t *ram) {
    for (uint32_t i = 0; i < HDRS_PAGES * PAGE; i += PAGE) {
        uint32_t a = VT_SUN4M_KERNEL_ADDR + i;
        if (a + HDRS_RAMDISK_SIZE + 4 > VT_SUN4M_KERNEL_ADDR + p->kernel_size) return;
        if (load_be32(ram + a) != HDRS_MAGIC) continue;
        store_be32(ram + a + HDRS_RAMDISK_IMAGE, VT_SUN4M_INITRD_ADDR);
        store_be32(ram + a + HDRS_RAMDISK_SIZE, (uint32_t)p->initrd_len);
        return;
    }
}

void vt_sun4m_payload_place(const vt_sun4m_payload *p, uint8_t *ram) {
    if (!p->kernel.data) return;
    vt_kernel_image_place(&p->kernel, ram, elf_dest, VT_SUN4M_KERNEL_ADDR);
    if (p->cmdline) memcpy(ram + VT_SUN4M_CMDLINE_ADDR, p->cmdline, strlen(p->cmdline) + 1);
    if (p->initrd) {
        memcpy(ram + VT_SUN4M_INITRD_ADDR, p->initrd, p->initrd_len);
        patch_hdrs(p, ram);
    }
}

void vt_sun4m_payload_free(vt_sun4m_payload *p) {
    vt_kernel_image_free(&p->kernel);
    free(p->initrd);
    memset(p, 0, sizeof *p);
}
