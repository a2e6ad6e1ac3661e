/* Opening a ROM set: parse its manifest, find NAME/, NAME.zip, NAME.7z or NAME.tar.* in the
 * first ROM path directory that has one, read it into memory and check every file. Machines
 * use vt_romset_load() (every required file good) and vt_romset_file() for the bytes. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/log.h"
#include "romsets/romset_read.h"

/* Looked for in this order in each directory of the ROM path. */
static const char *const k_suffixes[] = {
    "", ".zip", ".7z", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar.zst",
};

/* Finds the set's container; kind stays ABSENT when no directory of the path has one. */
static int locate(vt_romset *set, const char *rom_path, vt_error *err) {
    const char *p = rom_path;
    while (*p) {
        size_t n = strcspn(p, ":");
        for (size_t s = 0; n && s < VT_ARRAY_LEN(k_suffixes); s++) {
            char cand[sizeof set->container];
            int w = snprintf(cand, sizeof cand, "%.*s/%s%s", (int)n, p, set->manifest.name,
                             k_suffixes[s]);
            if (w < 0 || (size_t)w >= sizeof cand) return vt_fail(err, "ROM path entry too long");
            struct stat st;
            if (stat(cand, &st)) {
                if (errno == ENOENT || errno == ENOTDIR) continue;
                return vt_fail(err, "%s: %s", cand, strerror(errno));
            }
            bool dir = s == 0;
            if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) continue;
            set->kind = dir ? VT_ROMSET_DIR : VT_ROMSET_ARCHIVE;
            memcpy(set->container, cand, (size_t)w + 1);
            return 0;
        }
        p += n;
        if (*p == ':') p++;
    }
    return 0;
}

void vt_romset_free(vt_romset *set) {
    if (!set) return;
    for (int i = 0; i < set->manifest.nfiles && set->found; i++)
        free(set->found[i].data);
    free(set->found);
    vt_rom_manifest_free(&set->manifest);
    free(set);
}

int vt_romset_open(const char *name_or_path, const char *rom_path, vt_romset **out, vt_error *err) {
    *out = NULL;
    char mpath[PATH_MAX], rpath[4096];
    if (vt_romset_manifest_path(name_or_path, mpath, sizeof mpath, err)) return -1;
    if (!rom_path) {
        if (vt_romset_rom_path(NULL, rpath, sizeof rpath, err)) return -1;
        rom_path = rpath;
    }
    vt_romset *set = calloc(1, sizeof *set);
    if (!set) return vt_fail(err, "out of memory");
    if (vt_rom_manifest_load(mpath, &set->manifest, err)) {
        free(set);
        return -1;
    }
    set->found = calloc((size_t)set->manifest.nfiles, sizeof *set->found);
    if (!set->found) {
        vt_romset_free(set);
        return vt_fail(err, "out of memory");
    }
    for (int i = 0; i < set->manifest.nfiles; i++)
        set->found[i].status = VT_ROM_NOT_FOUND;
    int rc = locate(set, rom_path, err);
    if (!rc && set->kind == VT_ROMSET_DIR) rc = vt_romset_read_dir(set, set->container, err);
    if (!rc && set->kind == VT_ROMSET_ARCHIVE)
        rc = vt_romset_read_archive(set, set->container, err);
    if (rc) {
        vt_romset_free(set);
        return -1;
    }
    vt_log(VT_LOG_ROM, "romset %s: %s", set->manifest.name,
           set->kind == VT_ROMSET_ABSENT ? "not found on the ROM path" : set->container);
    *out = set;
    return 0;
}

bool vt_romset_is_good(const vt_romset *set) {
    if (set->kind == VT_ROMSET_ABSENT) return false;
    for (int i = 0; i < set->manifest.nfiles; i++)
        if (set->manifest.files[i].required && set->found[i].status != VT_ROM_GOOD) return false;
    return true;
}

int vt_romset_load(const char *name_or_path, const char *rom_path, vt_romset **out, vt_error *err) {
    char rpath[4096];
    if (!rom_path) {
        if (vt_romset_rom_path(NULL, rpath, sizeof rpath, err)) return -1;
        rom_path = rpath;
    }
    if (vt_romset_open(name_or_path, rom_path, out, err)) return -1;
    vt_romset *set = *out;
    if (set->kind == VT_ROMSET_ABSENT) {
        vt_fail(err, "romset %s not found on the ROM path (%s); try `vitrine romset fetch %s`",
                set->manifest.name, rom_path, set->manifest.name);
    } else {
        for (int i = 0; i < set->manifest.nfiles; i++) {
            if (!set->manifest.files[i].required || set->found[i].status == VT_ROM_GOOD) continue;
            char why[512];
            vt_romset_status_text(set, i, why, sizeof why);
            vt_fail(err, "%s: %s: %s", set->container, set->manifest.files[i].name, why);
            break;
        }
    }
    if (vt_romset_is_good(set)) return 0;
    vt_romset_free(set);
    *out = NULL;
    return -1;
}

int vt_romset_file(const vt_romset *set, const char *name, const uint8_t **data, size_t *len) {
    int i = vt_romset_find_file(set, name);
    if (i < 0 || set->found[i].status != VT_ROM_GOOD) return -1;
    *data = set->found[i].data;
    *len = (size_t)set->found[i].size;
    return 0;
}

int vt_romset_file_load_addr(const vt_romset *set, const char *name, uint64_t *addr) {
    int i = vt_romset_find_file(set, name);
    if (i < 0 || !set->manifest.files[i].has_load) return -1;
    *addr = set->manifest.files[i].load;
    return 0;
}

const vt_rom_manifest_file *vt_romset_manifest_file(const vt_romset *set, const char *name) {
    int i = vt_romset_find_file(set, name);
    return i < 0 ? NULL : &set->manifest.files[i];
}
