/* Power Macintosh direct kernel boot as QEMU's g3beige does it: an ELF kernel's segments go to
 * (physical address & 0x0fffffff) + 0x01000000 (a raw image at 0x01000000), the initrd on the
 * first page boundary 1 MiB past the kernel's end, the command line on the page after the
 * initrd (or where the initrd would be). OpenBIOS-ppc reads the addresses from fw_cfg and jumps
 * to 0x01000000 with r3/r4 = initrd address/size and r5 = its client interface. Sources: QEMU
 * hw/ppc/mac_oldworld.c and mac.h (addresses, sizes: facts only); OpenBIOS arch/ppc/qemu. */
#include "machines/powermac_kernel.h"

#include <stdlib.h>

#define EM_PPC 20
#define PAGE 4096u

static uint64_t page_align(uint64_t a) {
    return (a + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static uint64_t elf_dest(uint64_t paddr) {
    return (paddr & 0x0fffffffu) + VT_POWERMAC_KERNEL_ADDR;
}

static int place_elf(vt_powermac_payload *p, const char *path, uint64_t ram_size, vt_error *err) {
    vt_elf_image *e = &p->elf;
    if (e->is64 || e->endian != VT_BIG_ENDIAN || e->machine != EM_PPC)
        return vt_fail(err, "kernel %s: not a 32-bit big-endian PowerPC ELF", path);
    uint64_t total = 0;
    for (int i = 0; i < e->nseg; i++) {
        const vt_elf_segment *s = &e->seg[i];
        if (elf_dest(s->paddr) + s->memsz > ram_size)
            return vt_fail(err, "kernel %s: segment at 0x%llx+0x%llx does not fit in RAM", path,
                           (unsigned long long)elf_dest(s->paddr), (unsigned long long)s->memsz);
        total += s->memsz;
    }
    p->kernel_size = (uint32_t)total;
    return 0;
}

int vt_powermac_payload_open(vt_powermac_payload *p, const vt_machine_options *o, uint64_t ram_size,
                             vt_error *err) {
    memset(p, 0, sizeof *p);
    if (!o->kernel) return 0;
    if (ram_size <= VT_POWERMAC_KERNEL_ADDR)
        return vt_fail(err, "kernel %s: no RAM at 0x%x", o->kernel, VT_POWERMAC_KERNEL_ADDR);
    uint64_t room = ram_size - VT_POWERMAC_KERNEL_ADDR;
    if (vt_read_file("kernel", o->kernel, UINT32_MAX, &p->kernel, &p->kernel_len, err)) return -1;
    if (p->kernel_len >= 4 && !memcmp(p->kernel,
                                      "\x7f"
                                      "ELF",
                                      4)) {
        p->is_elf = true;
        if (vt_elf_parse(p->kernel, p->kernel_len, &p->elf, err) ||
            place_elf(p, o->kernel, ram_size, err))
            goto fail;
    } else if (p->kernel_len > room) {
        vt_fail(err, "kernel %s: %zu bytes do not fit in RAM above 0x%x", o->kernel, p->kernel_len,
                VT_POWERMAC_KERNEL_ADDR);
        goto fail;
    } else {
        p->kernel_size = (uint32_t)p->kernel_len;
    }
    uint64_t next =
        page_align((uint64_t)VT_POWERMAC_KERNEL_ADDR + p->kernel_size + VT_POWERMAC_KERNEL_GAP);
    if (o->initrd) {
        if (next >= ram_size) {
            vt_fail(err, "initrd %s: no RAM left above the kernel", o->initrd);
            goto fail;
        }
        if (vt_read_file("initrd", o->initrd, ram_size - next, &p->initrd, &p->initrd_len, err))
            goto fail;
        p->initrd_addr = (uint32_t)next;
        next = page_align(next + p->initrd_len);
    }
    if (o->append) {
        if (strlen(o->append) >= VT_POWERMAC_CMDLINE_MAX) {
            vt_fail(err, "--append: command line longer than %u bytes",
                    VT_POWERMAC_CMDLINE_MAX - 1);
            goto fail;
        }
        if (next + VT_POWERMAC_CMDLINE_MAX > ram_size) {
            vt_fail(err, "--append: no RAM left for the command line");
            goto fail;
        }
        p->cmdline = o->append;
        p->cmdline_addr = (uint32_t)next;
    }
    return 0;
fail:
    vt_powermac_payload_free(p);
    return -1;
}

void vt_powermac_payload_place(const vt_powermac_payload *p, uint8_t *ram) {
    if (!p->kernel) return;
    if (p->is_elf) {
        for (int i = 0; i < p->elf.nseg; i++) {
            const vt_elf_segment *s = &p->elf.seg[i];
            uint8_t *dst = ram + elf_dest(s->paddr);
            memcpy(dst, s->data, s->filesz);
            memset(dst + s->filesz, 0, s->memsz - s->filesz);
        }
    } else {
        memcpy(ram + VT_POWERMAC_KERNEL_ADDR, p->kernel, p->kernel_len);
    }
    if (p->initrd) memcpy(ram + p->initrd_addr, p->initrd, p->initrd_len);
    if (p->cmdline) memcpy(ram + p->cmdline_addr, p->cmdline, strlen(p->cmdline) + 1);
}

void vt_powermac_payload_free(vt_powermac_payload *p) {
    free(p->kernel);
    free(p->initrd);
    memset(p, 0, sizeof *p);
}
