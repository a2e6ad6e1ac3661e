/* [rom.NAME]: maps a read-only region and fills it with firmware. Either from an audited ROM
 * set (`romset = SET`, `file = NAME`: the set must audit good; the machine's registry loads it) or
 * from a single file (`path = FILE`, relative to the profile — homebrew or development images).
 * `base` defaults to the manifest's load address; `size` to the image size rounded up to 4 KiB;
 * bytes past the image read 0xff like an erased EPROM. Files the manifest marks `format = elf`
 * are placed segment by segment at base + (vaddr - lowest vaddr); a manifest `alias` maps a
 * second read-only copy (e.g. the PC BIOS below 1 MiB). */
#include "core/machine_rom.h"

#include "core/elf_image.h"
#include "core/log.h"
#include "core/registry.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#define ROM_FILE_MAX (32u << 20) /* a single `path =` image; as large as a ROM-set file may be */

/* The bytes to place and how. */
typedef struct rom_image {
    const uint8_t *data;
    size_t len;
    bool elf;
} rom_image;

/* Span of the image once placed: raw length, or lowest..highest ELF segment address. */
static int image_span(const rom_image *img, vt_elf_image *elf, uint64_t *span, vt_error *err) {
    if (!img->elf) {
        *span = img->len;
        return 0;
    }
    if (vt_elf_parse(img->data, img->len, elf, err)) return -1;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < elf->nseg; i++) {
        if (elf->seg[i].vaddr < lo) lo = elf->seg[i].vaddr;
        if (elf->seg[i].vaddr + elf->seg[i].memsz > hi) hi = elf->seg[i].vaddr + elf->seg[i].memsz;
    }
    if (hi - lo > (1ull << 32)) return vt_fail(err, "ELF segments span more than 4 GiB");
    for (int i = 0; i < elf->nseg; i++)
        elf->seg[i].vaddr -= lo; /* now offsets in the region */
    *span = hi - lo;
    return 0;
}

static void place(vt_region *r, const rom_image *img, const vt_elf_image *elf) {
    memset(r->host, 0xff, r->size);
    if (!img->elf) {
        memcpy(r->host, img->data, img->len);
        return;
    }
    for (int i = 0; i < elf->nseg; i++) {
        const vt_elf_segment *s = &elf->seg[i];
        memcpy(r->host + s->vaddr, s->data, s->filesz);
        memset(r->host + s->vaddr + s->filesz, 0, s->memsz - s->filesz);
    }
}

static int map_image(vt_machine *m, vt_cfg_section *s, const rom_image *img, uint64_t base,
                     uint64_t size, const char *suffix, vt_cfg_entry *at, vt_error *err) {
    vt_elf_image elf;
    uint64_t span = 0;
    vt_error sub;
    if (image_span(img, &elf, &span, &sub)) return vt_cfg_fail(err, at, "%s", sub.msg);
    if (!size) size = (span + VT_PAGE_SIZE - 1) & ~(VT_PAGE_SIZE - 1);
    if (!size) size = VT_PAGE_SIZE;
    if (span > size)
        return vt_cfg_fail(err, at, "image (%llu bytes) is larger than the region (size %llu)",
                           (unsigned long long)span, (unsigned long long)size);
    char name[48];
    snprintf(name, sizeof name, "%s%s", s->name + strlen("rom."), suffix);
    vt_region *r;
    if (vt_bus_add_ram(&m->bus, name, base, size, true, &r, &sub))
        return vt_cfg_fail(err, at, "%s", sub.msg);
    place(r, img, &elf);
    return 0;
}

static int load_from_romset(vt_machine *m, vt_cfg_section *s, vt_cfg_entry *set_e, vt_error *err) {
    vt_cfg_entry *file_e;
    if (vt_cfg_require(s, "file", &file_e, err)) return -1;
    vt_rom_file f;
    vt_error sub;
    int st = m->registry->rom_open(set_e->value, file_e->value, m->opts.rom_path, &f, &sub);
    if (st) return vt_cfg_fail(err, st == VT_ROM_NO_FILE ? file_e : set_e, "%s", sub.msg);
    int rc = -1;
    rom_image img = {f.data, f.len, f.elf};
    uint64_t base, size;
    vt_cfg_entry *base_e = vt_cfg_get(s, "base");
    if (vt_cfg_u64(s, "base", f.load, &base, err) || vt_cfg_u64(s, "size", 0, &size, err)) goto out;
    if (!base_e && !f.has_load) {
        vt_cfg_section_fail(err, s, "[%s] needs 'base' (the manifest gives no load address)",
                            s->name);
        goto out;
    }
    if (map_image(m, s, &img, base, size, "", base_e ? base_e : file_e, err)) goto out;
    if (f.has_alias && map_image(m, s, &img, f.alias, 0, ".alias", file_e, err)) goto out;
    vt_log(VT_LOG_ROM, "%s: %s from %s at 0x%llx", s->name, file_e->value, f.container,
           (unsigned long long)base);
    rc = 0;
out:
    m->registry->rom_close(&f);
    return rc;
}

static int load_from_path(vt_machine *m, vt_cfg_section *s, vt_cfg_entry *path_e, vt_error *err) {
    vt_cfg_entry *base_e;
    uint64_t base, size;
    if (vt_cfg_require(s, "base", &base_e, err) || vt_cfg_u64(s, "base", 0, &base, err) ||
        vt_cfg_u64(s, "size", 0, &size, err))
        return -1;
    char full[PATH_MAX];
    if (path_e->value[0] == '/') {
        snprintf(full, sizeof full, "%s", path_e->value);
    } else {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", path_e->file);
        snprintf(full, sizeof full, "%s/%s", dirname(dir), path_e->value);
    }
    uint8_t *data = NULL;
    size_t len = 0;
    vt_error sub;
    if (vt_read_file("ROM file", full, size ? size : ROM_FILE_MAX, &data, &len, &sub))
        return vt_cfg_fail(err, path_e, "%s", sub.msg);
    rom_image img = {data, len, false};
    int rc = map_image(m, s, &img, base, size, "", base_e, err);
    free(data);
    return rc;
}

int vt_machine_load_rom(vt_machine *m, vt_cfg_section *s, vt_error *err) {
    vt_cfg_entry *set_e = vt_cfg_get(s, "romset"), *path_e = vt_cfg_get(s, "path");
    int rc;
    if (set_e && path_e)
        rc = vt_cfg_fail(err, path_e, "[%s] takes either 'romset' + 'file' or 'path', not both",
                         s->name);
    else if (set_e)
        rc = load_from_romset(m, s, set_e, err);
    else if (path_e)
        rc = load_from_path(m, s, path_e, err);
    else
        rc = vt_cfg_section_fail(err, s, "[%s] needs 'romset' + 'file', or 'path'", s->name);
    return rc ? rc : vt_cfg_check_unused(s, err);
}
