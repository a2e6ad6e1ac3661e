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

int vt_powermac_payload_open(vt_powermac_payload *p, const vt_machine_options *o, uint64_t ram_size,
                             vt_error *err) {
    memset(p, 0, sizeof *p);
    if (!o->kernel) return 0;
    if (ram_size <= VT_POWERMAC_KERNEL_ADDR)
        return vt_fail(err, "kernel %s: no RAM at 0x%x", o->kernel, VT_POWERMAC_KERNEL_ADDR);
    uint64_t room = ram_size - VT_POWERMAC_KERNEL_ADDR;
    vt_kernel_image *k = &p->kernel;
    if (vt_kernel_image_read(k, o->kernel, EM_PPC, VT_BIG_ENDIAN, "PowerPC", err)) return -1;
    if (k->is_elf) {
        if (vt_kernel_image_fit(k, o->kernel, elf_dest, ram_size, &p->kernel_size, err)) goto fail;
    } else if (k->len > room) {
        vt_fail(err, "kernel %s: %zu bytes do not fit in RAM above 0x%x", o->kernel, k->len,
                VT_POWERMAC_KERNEL_ADDR);
        goto fail;
    } else {
        p->kernel_size = (uint32_t)k->len;
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
    if (!p->kernel.data) return;
    vt_kernel_image_place(&p->kernel, ram, elf_dest, VT_POWERMAC_KERNEL_ADDR);
    if (p->initrd) memcpy(ram + p->initrd_addr, p->initrd, p->initrd_len);
    if (p->cmdline) memcpy(ram + p->cmdline_addr, p->cmdline, strlen(p->cmdline) + 1);
}

void vt_powermac_payload_free(vt_powermac_payload *p) {
    vt_kernel_image_free(&p->kernel);
    free(p->initrd);
    memset(p, 0, sizeof *p);
}
