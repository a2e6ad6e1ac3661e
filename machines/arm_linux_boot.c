/* ARM Linux boot hand-over: reads zImage/initrd/DTB, builds the ATAG list or edits the DTB's
 * /chosen (bootargs, linux,initrd-start/-end) with libfdt, and lays everything out in RAM.
 * Sources: Linux Documentation/arm/booting.rst (registers, placement, tag layout),
 * arch/arm/include/uapi/asm/setup.h (ATAG numbers and sizes), arch/arm/boot/compressed/head.S
 * (zImage header, position independent); Devicetree spec 0.3, 3.6 (/chosen). */
#include "machines/arm_linux_boot.h"

#include <libfdt.h>
#include <stdlib.h>

#define KERNEL_OFFSET 0x8000u /* booting.rst: "base of physical RAM plus 0x8000" */
#define MIN_KERNEL 0x30u      /* a zImage's header alone (magic at 0x24) is this long */
#define CMDLINE_MAX 1024u     /* ARM COMMAND_LINE_SIZE */
#define DTB_MAX (2u << 20)
#define DTB_SLACK 4096u /* room for the /chosen properties we add */
#define PAGE_MASK 0xfffu

#define ATAG_CORE 0x54410001u
#define ATAG_MEM 0x54410002u
#define ATAG_INITRD2 0x54420005u
#define ATAG_CMDLINE 0x54410009u

static void put_tag(uint8_t **p, uint32_t tag, uint32_t words, const uint32_t *data) {
    store_le32(*p, words + 2);
    store_le32(*p + 4, tag);
    for (uint32_t i = 0; i < words; i++)
        store_le32(*p + 8 + 4 * i, data[i]);
    *p += 4 * (words + 2);
}

/* CORE, MEM, INITRD2 (when there is an initrd), CMDLINE (when there is one), NONE. */
static int build_atags(vt_arm_linux_boot *b, const vt_arm_linux_boot_args *a, vt_error *err) {
    size_t clen = a->cmdline ? strlen(a->cmdline) : 0;
    uint32_t cwords = (uint32_t)((clen + 4) / 4);
    size_t len = 4 * (7 + 6 + (b->initrd ? 6 : 0) + (a->cmdline ? 2 + cwords : 0) + 2);
    b->tags = calloc(1, len);
    if (!b->tags) return vt_fail(err, "out of memory");
    b->tags_len = len;
    uint8_t *p = b->tags;
    const uint32_t core[3] = {1, 4096, 0}; /* flags: read-only root; page size; root device */
    put_tag(&p, ATAG_CORE, 3, core);
    const uint32_t mem[2] = {(uint32_t)a->ram_size, a->ram_base};
    put_tag(&p, ATAG_MEM, 2, mem);
    if (b->initrd) {
        const uint32_t rd[2] = {b->initrd_addr, (uint32_t)b->initrd_len};
        put_tag(&p, ATAG_INITRD2, 2, rd);
    }
    if (a->cmdline) {
        store_le32(p, cwords + 2);
        store_le32(p + 4, ATAG_CMDLINE);
        memcpy(p + 8, a->cmdline, clen); /* the rest of the tag is already 0 */
        p += 4 * (cwords + 2);
    }
    /* ATAG_NONE ends the list with size 0 (the buffer is already zeroed) */
    b->tags_addr = a->ram_base + a->atag_offset;
    if (a->atag_offset + len > KERNEL_OFFSET)
        return vt_fail(err, "ATAG list at +0x%x (%zu bytes) overlaps the kernel at +0x%x",
                       a->atag_offset, len, KERNEL_OFFSET);
    return 0;
}

static int fdt_check(int rc, const char *path, const char *what, vt_error *err) {
    if (rc >= 0) return 0;
    return vt_fail(err, "dtb %s: %s: %s", path, what, fdt_strerror(rc));
}

/* A structural check of an untrusted blob before libfdt walks it (libfdt 1.6.1's own
 * fdt_check_full dereferences NULL on a property name outside the strings block): header
 * version 17+, blocks inside the blob, every token, node name and property inside the
 * structure block, every property name a NUL-terminated string of the strings block, nodes
 * balanced, FDT_END last. Devicetree Specification 0.3, chapter 5. */
static bool dtb_well_formed(const uint8_t *d, size_t len) {
    enum { BEGIN_NODE = 1, END_NODE = 2, PROP = 3, NOP = 4, END = 9 };
    if (len < 40 || load_be32(d) != 0xd00dfeedu) return false;
    uint32_t total = load_be32(d + 4), so = load_be32(d + 8), str = load_be32(d + 12);
    uint32_t rsv = load_be32(d + 16), ver = load_be32(d + 20);
    uint32_t nstr = load_be32(d + 32), nso = load_be32(d + 36);
    if (total > len || ver < 17 || so > total || nso > total - so || str > total ||
        nstr > total - str || rsv > total || (so & 3) || (rsv & 7))
        return false;
    for (uint64_t r = rsv;; r += 16) { /* memory reservations end with a zero entry */
        if (r + 16 > total) return false;
        if (!load_be64(d + r) && !load_be64(d + r + 8)) break;
    }
    const uint8_t *sb = d + so, *strs = d + str;
    uint64_t pos = 0;
    int depth = 0;
    bool seen_root = false;
    while (pos + 4 <= nso) {
        uint32_t tok = load_be32(sb + pos);
        pos += 4;
        if (tok == BEGIN_NODE) {
            const uint8_t *nul = memchr(sb + pos, 0, nso - pos);
            if (!nul || (depth == 0 && seen_root)) return false;
            pos = ((uint64_t)(nul - sb) + 1 + 3) & ~3ull;
            depth++, seen_root = true;
        } else if (tok == END_NODE) {
            if (--depth < 0) return false;
        } else if (tok == PROP) {
            if (pos + 8 > nso || depth == 0) return false;
            uint32_t plen = load_be32(sb + pos), nameoff = load_be32(sb + pos + 4);
            if (nameoff >= nstr || !memchr(strs + nameoff, 0, nstr - nameoff) ||
                plen > nso - pos - 8)
                return false;
            pos = (pos + 8 + plen + 3) & ~3ull;
        } else if (tok == END) {
            return depth == 0 && seen_root;
        } else if (tok != NOP) {
            return false;
        }
    }
    return false;
}

int vt_fdt_set_chosen(const uint8_t *dtb, size_t len, const vt_fdt_chosen *c, const char *what,
                      uint8_t **out, size_t *out_len, vt_error *err) {
    /* the whole structure is checked: libfdt's accessors trust a tree that passed this */
    if (len > DTB_MAX || !dtb_well_formed(dtb, len) || fdt_check_header(dtb) ||
        fdt_check_full(dtb, len))
        return vt_fail(err, "dtb %s: not a flattened device tree", what);
    size_t blen = c->bootargs ? strlen(c->bootargs) : 0;
    if (blen >= CMDLINE_MAX)
        return vt_fail(err, "dtb %s: bootargs longer than %u bytes", what, CMDLINE_MAX - 1);
    size_t cap = fdt_totalsize(dtb) + DTB_SLACK + blen;
    uint8_t *fdt = malloc(cap);
    if (!fdt) return vt_fail(err, "out of memory");
    int chosen = fdt_open_into(dtb, fdt, (int)cap);
    if (!chosen) chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND) chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (fdt_check(chosen, what, "/chosen", err) ||
        (c->bootargs && fdt_check(fdt_setprop_string(fdt, chosen, "bootargs", c->bootargs), what,
                                  "bootargs", err)) ||
        (c->initrd &&
         (fdt_check(fdt_setprop_u32(fdt, chosen, "linux,initrd-start", c->initrd_start), what,
                    "linux,initrd-start", err) ||
          fdt_check(fdt_setprop_u32(fdt, chosen, "linux,initrd-end", c->initrd_end), what,
                    "linux,initrd-end", err))) ||
        fdt_check(fdt_pack(fdt), what, "pack", err)) {
        free(fdt);
        return -1;
    }
    *out = fdt;
    *out_len = fdt_totalsize(fdt);
    return 0;
}

static int read_kernel(vt_arm_linux_boot *b, const vt_arm_linux_boot_args *a, vt_error *err) {
    if (!a->kernel) return vt_fail(err, "no kernel to boot");
    if (vt_read_file("kernel", a->kernel, a->ram_size, &b->kernel, &b->kernel_len, err)) return -1;
    if (b->kernel_len < MIN_KERNEL)
        return vt_fail(err, "kernel %s: %zu bytes is not an ARM kernel", a->kernel, b->kernel_len);
    if (b->kernel_len >= 4 && !memcmp(b->kernel,
                                      "\x7f"
                                      "ELF",
                                      4))
        return vt_fail(err, "kernel %s: an ELF file; give the zImage (arch/arm/boot/zImage)",
                       a->kernel);
    b->kernel_addr = a->ram_base + KERNEL_OFFSET;
    return 0;
}

int vt_arm_linux_boot_open(vt_arm_linux_boot *b, const vt_arm_linux_boot_args *a, vt_error *err) {
    memset(b, 0, sizeof *b);
    b->ram_base = a->ram_base;
    b->machine_nr = a->machine_nr;
    uint8_t *dtb = NULL;
    size_t dtb_len = 0;
    if (a->ram_size <= KERNEL_OFFSET || a->ram_base + a->ram_size - 1 > UINT32_MAX) {
        vt_fail(err, "arm boot: RAM 0x%x+0x%llx unusable", a->ram_base,
                (unsigned long long)a->ram_size);
        goto fail;
    }
    if (a->cmdline && strlen(a->cmdline) >= CMDLINE_MAX) {
        vt_fail(err, "--append: command line longer than %u bytes", CMDLINE_MAX - 1);
        goto fail;
    }
    if (read_kernel(b, a, err)) goto fail;
    uint64_t top = a->ram_base + a->ram_size; /* payloads go down from here */
    if (a->dtb) {
        if (vt_read_file("dtb", a->dtb, DTB_MAX, &dtb, &dtb_len, err)) goto fail;
        top -= DTB_MAX + DTB_SLACK + CMDLINE_MAX; /* the edited tree's slot, at the very top */
    }
    if (a->initrd) {
        if (vt_read_file("initrd", a->initrd, a->ram_size, &b->initrd, &b->initrd_len, err))
            goto fail;
        b->initrd_addr = (uint32_t)((top - b->initrd_len) & ~(uint64_t)PAGE_MASK);
    }
    uint64_t low = b->initrd ? b->initrd_addr : top;
    if (b->kernel_addr + b->kernel_len > low || low > top) {
        vt_fail(err, "kernel %s (%zu bytes) and initrd (%zu bytes) do not fit in %llu MiB of RAM",
                a->kernel, b->kernel_len, b->initrd_len, (unsigned long long)(a->ram_size >> 20));
        goto fail;
    }
    if (a->dtb) {
        vt_fdt_chosen c = {.bootargs = a->cmdline,
                           .initrd = b->initrd != NULL,
                           .initrd_start = b->initrd_addr,
                           .initrd_end = b->initrd_addr + (uint32_t)b->initrd_len};
        if (vt_fdt_set_chosen(dtb, dtb_len, &c, a->dtb, &b->tags, &b->tags_len, err)) goto fail;
        b->tags_addr = (uint32_t)(a->ram_base + a->ram_size - DTB_MAX - DTB_SLACK - CMDLINE_MAX);
    } else if (build_atags(b, a, err)) {
        goto fail;
    }
    free(dtb);
    return 0;
fail:
    free(dtb);
    vt_arm_linux_boot_free(b);
    return -1;
}

void vt_arm_linux_boot_place(const vt_arm_linux_boot *b, uint8_t *ram) {
    if (!b->kernel) return;
    memcpy(ram + (b->kernel_addr - b->ram_base), b->kernel, b->kernel_len);
    if (b->initrd) memcpy(ram + (b->initrd_addr - b->ram_base), b->initrd, b->initrd_len);
    memcpy(ram + (b->tags_addr - b->ram_base), b->tags, b->tags_len);
}

void vt_arm_linux_boot_stub(const vt_arm_linux_boot *b, uint8_t out[VT_ARM_LINUX_STUB_SIZE]) {
    /* ldr r0/r1/r2/pc, [pc, #8]: each loads the word 16 bytes after itself (ARM ARM A5.2.2). */
    static const uint32_t code[4] = {0xe59f0008u, 0xe59f1008u, 0xe59f2008u, 0xe59ff008u};
    const uint32_t pool[4] = {0, b->machine_nr, b->tags_addr, b->kernel_addr};
    for (int i = 0; i < 4; i++) {
        store_le32(out + 4 * i, code[i]);
        store_le32(out + 16 + 4 * i, pool[i]);
    }
}

void vt_arm_linux_boot_free(vt_arm_linux_boot *b) {
    free(b->kernel);
    free(b->initrd);
    free(b->tags);
    memset(b, 0, sizeof *b);
}
