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

static int place_elf(vt_sun4m_payload *p, const char *path, uint64_t limit, vt_error *err) {
    vt_elf_image *e = &p->elf;
    if (e->is64 || e->endian != VT_BIG_ENDIAN || e->machine != EM_SPARC)
        return vt_fail(err, "kernel %s: not a 32-bit big-endian SPARC ELF", path);
    uint64_t total = 0;
    for (int i = 0; i < e->nseg; i++) {
        const vt_elf_segment *s = &e->seg[i];
        if (s->paddr < KERNBASE || s->paddr - KERNBASE + s->memsz > limit)
            return vt_fail(err, "kernel %s: segment at 0x%llx+0x%llx is outside 0x%x..0x%llx", path,
                           (unsigned long long)s->paddr, (unsigned long long)s->memsz, KERNBASE,
                           (unsigned long long)(KERNBASE + limit));
        total += s->memsz;
    }
    if (e->entry < KERNBASE || e->entry - KERNBASE >= limit)
        return vt_fail(err, "kernel %s: entry point 0x%llx outside the kernel", path,
                       (unsigned long long)e->entry);
    p->entry = (uint32_t)(e->entry - KERNBASE);
    p->kernel_size = (uint32_t)total;
    return 0;
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
    if (vt_read_file("kernel", o->kernel, UINT32_MAX, &p->kernel, &p->kernel_len, err)) return -1;
    if (p->kernel_len >= 4 && !memcmp(p->kernel,
                                      "\x7f"
                                      "ELF",
                                      4)) {
        p->is_elf = true;
        if (vt_elf_parse(p->kernel, p->kernel_len, &p->elf, err) ||
            place_elf(p, o->kernel, limit, err))
            goto fail;
    } else {
        if (VT_SUN4M_KERNEL_ADDR + p->kernel_len > limit) {
            vt_fail(err, "kernel %s: %zu bytes do not fit below 0x%llx", o->kernel, p->kernel_len,
                    (unsigned long long)limit);
            goto fail;
        }
        p->entry = VT_SUN4M_KERNEL_ADDR;
        p->kernel_size = (uint32_t)p->kernel_len;
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
    if (!p->kernel) return;
    if (p->is_elf) {
        for (int i = 0; i < p->elf.nseg; i++) {
            const vt_elf_segment *s = &p->elf.seg[i];
            uint8_t *dst = ram + (s->paddr - KERNBASE);
            memcpy(dst, s->data, s->filesz);
            memset(dst + s->filesz, 0, s->memsz - s->filesz);
        }
    } else {
        memcpy(ram + VT_SUN4M_KERNEL_ADDR, p->kernel, p->kernel_len);
    }
    if (p->cmdline) memcpy(ram + VT_SUN4M_CMDLINE_ADDR, p->cmdline, strlen(p->cmdline) + 1);
    if (p->initrd) {
        memcpy(ram + VT_SUN4M_INITRD_ADDR, p->initrd, p->initrd_len);
        patch_hdrs(p, ram);
    }
}

void vt_sun4m_payload_free(vt_sun4m_payload *p) {
    free(p->kernel);
    free(p->initrd);
    memset(p, 0, sizeof *p);
}
