/* ELF program-header reader for firmware images; see elf_image.h. */
#include "core/elf_image.h"

enum { PT_LOAD = 1 };

int vt_elf_parse(const uint8_t *d, size_t len, vt_elf_image *out, vt_error *err) {
    memset(out, 0, sizeof *out);
    if (len < 52 || memcmp(d, "\177ELF", 4)) return vt_fail(err, "not an ELF image");
    if (d[4] != 1 && d[4] != 2) return vt_fail(err, "ELF: bad class %u", d[4]);
    if (d[5] != 1 && d[5] != 2) return vt_fail(err, "ELF: bad data encoding %u", d[5]);
    out->is64 = d[4] == 2;
    vt_endian e = out->endian = d[5] == 2 ? VT_BIG_ENDIAN : VT_LITTLE_ENDIAN;
    if (out->is64 && len < 64) return vt_fail(err, "ELF: truncated header");
    out->machine = (uint16_t)vt_load(d + 18, 2, e);
    uint64_t phoff, phentsize, phnum;
    if (out->is64) {
        out->entry = vt_load(d + 24, 8, e);
        phoff = vt_load(d + 32, 8, e);
        phentsize = vt_load(d + 54, 2, e);
        phnum = vt_load(d + 56, 2, e);
    } else {
        out->entry = vt_load(d + 24, 4, e);
        phoff = vt_load(d + 28, 4, e);
        phentsize = vt_load(d + 42, 2, e);
        phnum = vt_load(d + 44, 2, e);
    }
    if (phentsize < (out->is64 ? 56u : 32u) || phoff > len || phnum > (len - phoff) / phentsize)
        return vt_fail(err, "ELF: program headers out of range");
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * phentsize;
        if (vt_load(ph, 4, e) != PT_LOAD) continue;
        vt_elf_segment s;
        uint64_t off;
        if (out->is64) {
            off = vt_load(ph + 8, 8, e);
            s.vaddr = vt_load(ph + 16, 8, e);
            s.paddr = vt_load(ph + 24, 8, e);
            s.filesz = vt_load(ph + 32, 8, e);
            s.memsz = vt_load(ph + 40, 8, e);
        } else {
            off = vt_load(ph + 4, 4, e);
            s.vaddr = vt_load(ph + 8, 4, e);
            s.paddr = vt_load(ph + 12, 4, e);
            s.filesz = vt_load(ph + 16, 4, e);
            s.memsz = vt_load(ph + 20, 4, e);
        }
        if (!s.memsz) continue;
        if (s.filesz > s.memsz || off > len || s.filesz > len - off)
            return vt_fail(err, "ELF: segment %llu lies outside the file", (unsigned long long)i);
        if (out->nseg == VT_ELF_MAX_SEGMENTS) return vt_fail(err, "ELF: too many segments");
        s.data = d + off;
        out->seg[out->nseg++] = s;
    }
    if (!out->nseg) return vt_fail(err, "ELF: no loadable segments");
    return 0;
}
