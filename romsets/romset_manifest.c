/* ROM set manifests (romsets/NAME.ini), read with the INI layer of core/config.c so every error
 * says file:line. Strict: unknown sections and keys, bad numbers or hashes and unsafe file
 * names are errors. Format: romsets/README.md. */
#include "romsets/romset.h"

#include <ctype.h>
#include <stdlib.h>

#include "core/config.h"

uint64_t vt_rom_manifest_max_size(const vt_rom_manifest_file *f) {
    uint64_t m = 0;
    for (int i = 0; i < f->ndumps; i++)
        if (f->dumps[i].size > m) m = f->dumps[i].size;
    return m;
}

void vt_rom_manifest_free(vt_rom_manifest *m) {
    free(m->files);
    m->files = NULL;
    m->nfiles = 0;
}

/* A file name must name one plain entry: no directories, no "..", nothing odd. */
static bool safe_name(const char *s) {
    if (!*s || !strcmp(s, ".") || !strcmp(s, "..")) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._,+-", *s)) return false;
    return true;
}

static int parse_hex(const char *s, size_t nbytes, uint8_t *out) {
    for (size_t i = 0; i < nbytes; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            int d = isdigit((unsigned char)c) ? c - '0'
                    : (c >= 'a' && c <= 'f')  ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')  ? c - 'A' + 10
                                              : -1;
            if (d < 0) return -1;
            v = v << 4 | (unsigned)d;
        }
        out[i] = (uint8_t)v;
    }
    return s[2 * nbytes] ? -1 : 0;
}

static int parse_crc(const char *s, uint32_t *out) {
    uint8_t b[4];
    if (strlen(s) != 8 || parse_hex(s, 4, b)) return -1;
    *out = load_be32(b);
    return 0;
}

static int copy_str(char *dst, size_t len, const vt_cfg_entry *e, vt_error *err) {
    if (strlen(e->value) >= len)
        return vt_cfg_fail(err, e, "'%s' is too long (at most %zu characters)", e->key, len - 1);
    memcpy(dst, e->value, strlen(e->value) + 1);
    return 0;
}

/* "SIZE CRC32 SHA1 [label...]" of an alt line. */
static int parse_alt(const vt_cfg_entry *e, vt_rom_dump *d, vt_error *err) {
    char size[32], crc[16], sha[64];
    int label_at = 0;
    if (sscanf(e->value, "%31s %15s %63s %n", size, crc, sha, &label_at) < 3)
        return vt_cfg_fail(err, e, "'%s' needs SIZE CRC32 SHA1 [label]", e->key);
    if (vt_parse_u64(size, &d->size) || !d->size)
        return vt_cfg_fail(err, e, "bad size '%s' in '%s'", size, e->key);
    if (parse_crc(crc, &d->crc32))
        return vt_cfg_fail(err, e, "bad CRC32 '%s' in '%s' (8 hex digits)", crc, e->key);
    if (parse_hex(sha, 20, d->sha1) || strlen(sha) != 40)
        return vt_cfg_fail(err, e, "bad SHA-1 '%s' in '%s' (40 hex digits)", sha, e->key);
    const char *label = label_at ? e->value + label_at : "";
    if (strlen(label) >= sizeof d->label)
        return vt_cfg_fail(err, e, "label of '%s' is too long", e->key);
    snprintf(d->label, sizeof d->label, "%s", label);
    return 0;
}

static bool is_alt_key(const char *k) {
    if (strncmp(k, "alt", 3)) return false;
    for (k += 3; *k; k++)
        if (!isdigit((unsigned char)*k)) return false;
    return true;
}

static int parse_file(vt_cfg_section *s, vt_rom_manifest_file *f, vt_error *err) {
    const char *name = s->name + strlen("file.");
    if (!safe_name(name) || strlen(name) >= sizeof f->name)
        return vt_cfg_section_fail(err, s,
                                   "bad file name '%s' (letters, digits and . _ , + - only)", name);
    snprintf(f->name, sizeof f->name, "%s", name);

    vt_rom_dump *d = &f->dumps[0];
    vt_cfg_entry *e;
    if (vt_cfg_require(s, "size", &e, err)) return -1;
    if (vt_parse_u64(e->value, &d->size))
        return vt_cfg_fail(err, e, "bad number '%s' for 'size'", e->value);
    if (!d->size || d->size > VT_ROMSET_MAX_FILE)
        return vt_cfg_fail(err, e, "size must be 1..%u bytes", VT_ROMSET_MAX_FILE);
    if (vt_cfg_require(s, "crc32", &e, err)) return -1;
    if (parse_crc(e->value, &d->crc32))
        return vt_cfg_fail(err, e, "bad CRC32 '%s' (8 hex digits)", e->value);
    if (vt_cfg_require(s, "sha1", &e, err)) return -1;
    if (strlen(e->value) != 40 || parse_hex(e->value, 20, d->sha1))
        return vt_cfg_fail(err, e, "bad SHA-1 '%s' (40 hex digits)", e->value);
    if ((e = vt_cfg_get(s, "dump")) && copy_str(d->label, sizeof d->label, e, err)) return -1;
    f->ndumps = 1;

    for (int i = 0; i < s->nentries; i++) {
        e = &s->entries[i];
        if (!is_alt_key(e->key)) continue;
        e->used = true;
        if (f->ndumps == VT_ROMSET_MAX_DUMPS)
            return vt_cfg_fail(err, e, "at most %d dumps per file", VT_ROMSET_MAX_DUMPS);
        if (parse_alt(e, &f->dumps[f->ndumps], err)) return -1;
        if (f->dumps[f->ndumps].size > VT_ROMSET_MAX_FILE)
            return vt_cfg_fail(err, e, "size must be 1..%u bytes", VT_ROMSET_MAX_FILE);
        f->ndumps++;
    }

    f->has_load = vt_cfg_get(s, "load") != NULL;
    if (vt_cfg_u64(s, "load", 0, &f->load, err)) return -1;
    f->has_alias = vt_cfg_get(s, "alias") != NULL;
    if (vt_cfg_u64(s, "alias", 0, &f->alias, err)) return -1;
    if ((e = vt_cfg_get(s, "format"))) {
        if (strcmp(e->value, "raw") && strcmp(e->value, "elf"))
            return vt_cfg_fail(err, e, "unknown format '%s' (raw or elf)", e->value);
        f->elf = !strcmp(e->value, "elf");
    }
    if (vt_cfg_bool(s, "required", true, &f->required, err)) return -1;
    if ((e = vt_cfg_get(s, "package_path")) &&
        copy_str(f->package_path, sizeof f->package_path, e, err))
        return -1;
    if (e && (f->package_path[0] == '/' || strstr(f->package_path, "..")))
        return vt_cfg_fail(err, e, "package_path must be relative and without '..'");
    return vt_cfg_check_unused(s, err);
}

static int parse_manifest(vt_cfg *cfg, vt_rom_manifest *m, vt_error *err) {
    vt_cfg_section *set = vt_cfg_section_find(cfg, "romset");
    if (!set) return vt_fail(err, "%s: no [romset] section", m->path);
    vt_cfg_entry *e;
    if (vt_cfg_require(set, "name", &e, err) || copy_str(m->name, sizeof m->name, e, err))
        return -1;
    if (!safe_name(m->name)) return vt_cfg_fail(err, e, "bad set name '%s'", m->name);
    if ((e = vt_cfg_get(set, "description")) &&
        copy_str(m->description, sizeof m->description, e, err))
        return -1;
    if ((e = vt_cfg_get(set, "source"))) {
        if (copy_str(m->source, sizeof m->source, e, err)) return -1;
        if (strncmp(m->source, "debian:", 7) || !m->source[7])
            return vt_cfg_fail(err, e, "unknown source '%s' (expected debian:PACKAGE)", m->source);
    }
    if (vt_cfg_check_unused(set, err)) return -1;

    for (int i = 0; i < cfg->nsections; i++) {
        vt_cfg_section *s = &cfg->sections[i];
        if (s == set) continue;
        if (strncmp(s->name, "file.", 5))
            return vt_cfg_section_fail(
                err, s, "unknown section [%s] (expected [romset] or [file.NAME])", s->name);
        m->nfiles++;
    }
    if (!m->nfiles) return vt_fail(err, "%s: the set lists no [file.NAME] sections", m->path);
    m->files = calloc((size_t)m->nfiles, sizeof *m->files);
    if (!m->files) return vt_fail(err, "out of memory");
    int n = 0;
    for (int i = 0; i < cfg->nsections; i++) {
        vt_cfg_section *s = &cfg->sections[i];
        if (s != set && parse_file(s, &m->files[n++], err)) return -1;
    }
    /* romsets/NAME.ini must describe the set NAME: `romset audit NAME` looks for NAME.zip. */
    const char *base = strrchr(m->path, '/');
    base = base ? base + 1 : m->path;
    size_t bl = strlen(base);
    if (bl > 4 && !strcmp(base + bl - 4, ".ini") &&
        (bl - 4 != strlen(m->name) || strncmp(base, m->name, bl - 4)))
        return vt_cfg_fail(err, vt_cfg_get(set, "name"),
                           "set name '%s' does not match the file name %s", m->name, base);
    return 0;
}

int vt_rom_manifest_load(const char *path, vt_rom_manifest *m, vt_error *err) {
    memset(m, 0, sizeof *m);
    if (strlen(path) >= sizeof m->path) return vt_fail(err, "%s: path too long", path);
    snprintf(m->path, sizeof m->path, "%s", path);
    vt_cfg cfg;
    int rc = vt_cfg_load(&cfg, path, err);
    if (!rc) rc = parse_manifest(&cfg, m, err);
    vt_cfg_free(&cfg);
    if (rc) vt_rom_manifest_free(m);
    return rc;
}
