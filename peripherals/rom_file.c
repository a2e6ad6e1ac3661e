/* Firmware file lookup for device models and board glue: a verified romset file first, then
 * an absolute path, the --rom-path directory, the profile's directory. */
#include "peripherals/rom_file.h"

#include "romsets/romset.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static int read_all(const char *path, uint64_t limit, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= limit + 1) break;
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) break;
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (!r) break;
        n += r;
    }
    fclose(f);
    if (!buf || n > limit) {
        free(buf);
        return n > limit ? -2 : -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* The file from an installed, verified romset; 1 when the set is not usable. */
static int from_romset(vt_machine *m, const char *romset, const char *name, uint64_t limit,
                       uint8_t **data, size_t *len, char *path, size_t pathlen, vt_error *why) {
    vt_romset *set = NULL;
    if (vt_romset_load(romset, m->opts.rom_path, &set, why)) return 1;
    const uint8_t *p;
    size_t n;
    int rc = 1;
    if (vt_romset_file(set, name, &p, &n)) {
        vt_fail(why, "romset %s has no file '%s'", romset, name);
    } else if (n > limit) {
        vt_fail(why, "romset %s: %s is larger than %llu bytes", romset, name,
                (unsigned long long)limit);
    } else if ((*data = malloc(n ? n : 1))) {
        memcpy(*data, p, n);
        *len = n;
        snprintf(path, pathlen, "%s:%s", set->container, name);
        rc = 0;
    }
    vt_romset_free(set);
    return rc;
}

int vt_rom_file_read(vt_machine *m, const char *romset, const char *name, uint64_t limit,
                     uint8_t **data, size_t *len, char *path, size_t pathlen, vt_error *err) {
    vt_error why = {""};
    if (romset && romset[0] &&
        !from_romset(m, romset, name, limit, data, len, path, pathlen, &why))
        return 0;
    char dir[PATH_MAX];
    const char *dirs[3] = {NULL, m->opts.rom_path, NULL};
    snprintf(dir, sizeof dir, "%s", m->cfg.nfiles ? m->cfg.files[0] : ".");
    dirs[2] = dirname(dir);
    for (int i = 0; i < 3; i++) {
        if (i == 0 && name[0] != '/') continue;
        if (i > 0 && (!dirs[i] || name[0] == '/')) continue;
        if (i == 0)
            snprintf(path, pathlen, "%s", name);
        else
            snprintf(path, pathlen, "%s/%s", dirs[i], name);
        int rc = read_all(path, limit, data, len);
        if (rc == -2) return vt_fail(err, "%s: larger than %llu bytes", path, (unsigned long long)limit);
        if (rc == 0) return 0;
    }
    if (why.msg[0]) return vt_fail(err, "%s (`vitrine romset fetch %s` installs it)", why.msg, romset);
    return vt_fail(err, "cannot find ROM file '%s' (give --rom-path DIR)", name);
}
