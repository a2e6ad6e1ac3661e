/* ELF header and program-header reader; see elf_image.h. */
#include "core/elf_image.h"

#include <stdlib.h>

enum { PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6 };

/* One program header in class-independent form. */
typedef struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz;
} phdr;

static phdr read_phdr(const vt_elf_image *im, const uint8_t *ph) {
    vt_endian e = im->endian;
    phdr h = {.type = (uint32_t)vt_load(ph, 4, e)};
    if (im->is64) {
        h.flags = (uint32_t)vt_load(ph + 4, 4, e);
        h.offset = vt_load(ph + 8, 8, e);
        h.vaddr = vt_load(ph + 16, 8, e);
        h.paddr = vt_load(ph + 24, 8, e);
        h.filesz = vt_load(ph + 32, 8, e);
        h.memsz = vt_load(ph + 40, 8, e);
    } else {
        h.offset = vt_load(ph + 4, 4, e);
        h.vaddr = vt_load(ph + 8, 4, e);
        h.paddr = vt_load(ph + 12, 4, e);
        h.filesz = vt_load(ph + 16, 4, e);
        h.memsz = vt_load(ph + 20, 4, e);
        h.flags = (uint32_t)vt_load(ph + 24, 4, e);
    }
    return h;
}

static bool in_file(uint64_t off, uint64_t size, size_t len) {
    return off <= len && size <= len - off;
}

int vt_elf_parse(const uint8_t *d, size_t len, vt_elf_image *out, vt_error *err) {
    memset(out, 0, sizeof *out);
    if (len < 52 || memcmp(d, "\177ELF", 4)) return vt_fail(err, "not an ELF image");
    if (d[4] != 1 && d[4] != 2) return vt_fail(err, "ELF: bad class %u", d[4]);
    if (d[5] != 1 && d[5] != 2) return vt_fail(err, "ELF: bad data encoding %u", d[5]);
    out->is64 = d[4] == 2;
    vt_endian e = out->endian = d[5] == 2 ? VT_BIG_ENDIAN : VT_LITTLE_ENDIAN;
    if (out->is64 && len < 64) return vt_fail(err, "ELF: truncated header");
    out->type = (uint16_t)vt_load(d + 16, 2, e);
    out->machine = (uint16_t)vt_load(d + 18, 2, e);
    if (out->is64) {
        out->entry = vt_load(d + 24, 8, e);
        out->phoff = vt_load(d + 32, 8, e);
        out->phentsize = (uint16_t)vt_load(d + 54, 2, e);
        out->phnum = (uint16_t)vt_load(d + 56, 2, e);
    } else {
        out->entry = vt_load(d + 24, 4, e);
        out->phoff = vt_load(d + 28, 4, e);
        out->phentsize = (uint16_t)vt_load(d + 42, 2, e);
        out->phnum = (uint16_t)vt_load(d + 44, 2, e);
    }
    if (out->phentsize < (out->is64 ? 56u : 32u) ||
        !in_file(out->phoff, (uint64_t)out->phnum * out->phentsize, len))
        return vt_fail(err, "ELF: program headers out of range");
    for (unsigned i = 0; i < out->phnum; i++) {
        phdr h = read_phdr(out, d + out->phoff + (uint64_t)i * out->phentsize);
        if (h.type == PT_PHDR) {
            out->has_phdr = true;
            out->phdr_vaddr = h.vaddr;
        }
        if (h.type == PT_INTERP) {
            /* a NUL-terminated path, as Linux's load_elf_binary requires */
            if (out->interp || !h.filesz || !in_file(h.offset, h.filesz, len) ||
                d[h.offset + h.filesz - 1] != 0)
                return vt_fail(err, "ELF: bad PT_INTERP");
            out->interp = (const char *)d + h.offset;
        }
        if (h.type != PT_LOAD || !h.memsz) continue;
        if (h.filesz > h.memsz || !in_file(h.offset, h.filesz, len))
            return vt_fail(err, "ELF: segment %u lies outside the file", i);
        if (out->nseg == VT_ELF_MAX_SEGMENTS) return vt_fail(err, "ELF: too many segments");
        out->seg[out->nseg++] = (vt_elf_segment){.vaddr = h.vaddr,
                                                 .paddr = h.paddr,
                                                 .memsz = h.memsz,
                                                 .data = d + h.offset,
                                                 .filesz = h.filesz,
                                                 .offset = h.offset,
                                                 .flags = h.flags};
    }
    if (!out->nseg) return vt_fail(err, "ELF: no loadable segments");
    return 0;
}

int vt_kernel_image_read(vt_kernel_image *k, const char *path, uint16_t machine, vt_endian endian,
                         const char *arch, vt_error *err) {
    memset(k, 0, sizeof *k);
    if (vt_read_file("kernel", path, UINT32_MAX, &k->data, &k->len, err)) return -1;
    if (k->len < 4 || memcmp(k->data,
                             "\x7f"
                             "ELF",
                             4))
        return 0; /* a raw image */
    k->is_elf = true;
    vt_elf_image *e = &k->elf;
    if (vt_elf_parse(k->data, k->len, e, err)) goto fail;
    if (e->is64 || e->endian != endian || e->machine != machine) {
        vt_fail(err, "kernel %s: not a 32-bit %s-endian %s ELF", path,
                endian == VT_BIG_ENDIAN ? "big" : "little", arch);
        goto fail;
    }
    return 0;
fail:
    vt_kernel_image_free(k);
    return -1;
}

int vt_kernel_image_fit(const vt_kernel_image *k, const char *path, vt_kernel_dest_fn dest,
                        uint64_t limit, uint32_t *size, vt_error *err) {
    uint64_t total = 0;
    for (int i = 0; i < k->elf.nseg; i++) {
        const vt_elf_segment *s = &k->elf.seg[i];
        uint64_t at = dest(s->paddr);
        if (at == UINT64_MAX || at > limit || s->memsz > limit - at)
            return vt_fail(err, "kernel %s: segment at 0x%llx+0x%llx does not fit below 0x%llx",
                           path, (unsigned long long)s->paddr, (unsigned long long)s->memsz,
                           (unsigned long long)limit);
        total += s->memsz;
    }
    *size = (uint32_t)total;
    return 0;
}

void vt_kernel_image_place(const vt_kernel_image *k, uint8_t *ram, vt_kernel_dest_fn dest,
                           uint64_t raw_offset) {
    if (!k->is_elf) {
        memcpy(ram + raw_offset, k->data, k->len);
        return;
    }
    for (int i = 0; i < k->elf.nseg; i++) {
        const vt_elf_segment *s = &k->elf.seg[i];
        uint8_t *dst = ram + dest(s->paddr);
        memcpy(dst, s->data, s->filesz);
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
}

void vt_kernel_image_free(vt_kernel_image *k) {
    free(k->data);
    memset(k, 0, sizeof *k);
}
