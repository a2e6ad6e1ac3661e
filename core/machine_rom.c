/* [rom.NAME]: maps a ROM region and fills it from a file. `path = FILE` loads a single file
 * (relative to the profile's directory) — for homebrew or development images. Region size
 * defaults to the file size rounded up to a page; bytes past the file read as 0xff, like an
 * erased EPROM. */
#include "core/machine_rom.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static int read_whole_file(const char *path, uint64_t limit, uint8_t **data, size_t *len,
                           vt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return vt_fail(err, "cannot open ROM file %s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) break;
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0 || n > limit) break;
    }
    bool bad = ferror(f) || n > limit;
    fclose(f);
    if (bad || !buf) {
        free(buf);
        return vt_fail(err, "ROM file %s: %s", path, n > limit ? "larger than its region" : "read error");
    }
    *data = buf;
    *len = n;
    return 0;
}

int vt_machine_load_rom(vt_machine *m, vt_cfg_section *s, vt_error *err) {
    vt_cfg_entry *path_e = vt_cfg_get(s, "path"), *base_e;
    uint64_t base, size;
    if (vt_cfg_require(s, "base", &base_e, err) || vt_cfg_u64(s, "base", 0, &base, err) ||
        vt_cfg_u64(s, "size", 0, &size, err))
        return -1;
    if (!path_e) return vt_cfg_section_fail(err, s, "[%s] needs 'path'", s->name);
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
    if (read_whole_file(full, size ? size : (1ull << 32), &data, &len, &sub))
        return vt_cfg_fail(err, path_e, "%s", sub.msg);
    if (!size) size = (len + VT_PAGE_SIZE - 1) & ~(VT_PAGE_SIZE - 1);
    vt_region *r;
    if (vt_bus_add_ram(&m->bus, s->name + strlen("rom."), base, size ? size : VT_PAGE_SIZE, true,
                       &r, &sub)) {
        free(data);
        return vt_cfg_fail(err, base_e, "%s", sub.msg);
    }
    memset(r->host, 0xff, r->size);
    memcpy(r->host, data, len);
    free(data);
    return vt_cfg_check_unused(s, err);
}
