/* Software titles (frontend/title.h). A title INI:
 *   [title]   name, description, machine (profile name or path relative to the title),
 *             romsets (comma list, audited by `title verify`), snapshot (yes: default)
 *   [disk.N] / [cdrom.N]   file (relative to the title), sha1 (40 hex digits)
 *   [boot]    kernel, initrd, append, input (an input log to replay), until, speed, display
 * Unknown sections and keys are errors with file:line, like machine profiles. */
#include "frontend/title.h"

#include "core/config.h"

#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <nettle/sha1.h>
#include <stdlib.h>

/* v against the title's directory (absolute paths stay); false when it does not fit. */
static bool relative(const vt_title *t, const char *v, char *out, size_t len) {
    char buf[8192];
    int n = v[0] == '/' ? snprintf(buf, sizeof buf, "%s", v)
                        : snprintf(buf, sizeof buf, "%s/%s", t->dir, v);
    if (n < 0 || (size_t)n >= len) return false;
    memcpy(out, buf, (size_t)n + 1);
    return true;
}

static int copy_str(vt_cfg_section *s, const char *key, char *out, size_t len, vt_error *err) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    if (!e) return 0;
    if (strlen(e->value) >= len) return vt_cfg_fail(err, e, "'%s' is too long", key);
    snprintf(out, len, "%s", e->value);
    return 0;
}

static int path_key(vt_title *t, vt_cfg_section *s, const char *key, char *out, size_t len,
                    vt_error *err) {
    char v[4096] = "";
    if (copy_str(s, key, v, sizeof v, err)) return -1;
    if (*v && !relative(t, v, out, len))
        return vt_cfg_fail(err, vt_cfg_get(s, key), "path too long");
    return 0;
}

static int parse_title(vt_title *t, vt_cfg_section *s, vt_error *err) {
    char machine[4096] = "", romsets[512] = "";
    bool snapshot;
    if (copy_str(s, "name", t->name, sizeof t->name, err) ||
        copy_str(s, "description", t->description, sizeof t->description, err) ||
        copy_str(s, "machine", machine, sizeof machine, err) ||
        copy_str(s, "romsets", romsets, sizeof romsets, err) ||
        vt_cfg_bool(s, "snapshot", true, &snapshot, err))
        return -1;
    t->snapshot = snapshot;
    if (!*machine) return vt_cfg_section_fail(err, s, "[title] needs 'machine'");
    if (strchr(machine, '/') || strstr(machine, ".ini")) {
        if (!relative(t, machine, t->machine, sizeof t->machine))
            return vt_cfg_fail(err, vt_cfg_get(s, "machine"), "path too long");
    } else
        snprintf(t->machine, sizeof t->machine, "%s", machine);
    for (char *save, *r = strtok_r(romsets, ", ", &save); r; r = strtok_r(NULL, ", ", &save)) {
        if (t->nromsets == VT_TITLE_MAX_ROMSETS)
            return vt_cfg_section_fail(err, s, "at most %d ROM sets", VT_TITLE_MAX_ROMSETS);
        snprintf(t->romsets[t->nromsets++], sizeof t->romsets[0], "%s", r);
    }
    return vt_cfg_check_unused(s, err);
}

static int parse_media(vt_title *t, vt_cfg_section *s, bool cdrom, vt_error *err) {
    if (t->nmedia == VT_TITLE_MAX_MEDIA)
        return vt_cfg_section_fail(err, s, "at most %d disk and CD images", VT_TITLE_MAX_MEDIA);
    vt_title_media *m = &t->media[t->nmedia++];
    vt_cfg_entry *file;
    m->cdrom = cdrom;
    snprintf(m->where, sizeof m->where, "%s:%d", s->file, s->line);
    if (vt_cfg_require(s, "file", &file, err)) return -1;
    if (!relative(t, file->value, m->path, sizeof m->path))
        return vt_cfg_fail(err, file, "path too long");
    vt_cfg_entry *sha = vt_cfg_get(s, "sha1");
    if (sha) {
        if (strlen(sha->value) != 40 || strspn(sha->value, "0123456789abcdefABCDEF") != 40)
            return vt_cfg_fail(err, sha, "sha1 must be 40 hex digits");
        for (int i = 0; i < 40; i++)
            m->sha1[i] = (char)(sha->value[i] | 0x20); /* lowercase */
        snprintf(m->where, sizeof m->where, "%s:%d", sha->file, sha->line);
    }
    return vt_cfg_check_unused(s, err);
}

static int parse_boot(vt_title *t, vt_cfg_section *s, vt_error *err) {
    if (path_key(t, s, "kernel", t->kernel, sizeof t->kernel, err) ||
        path_key(t, s, "initrd", t->initrd, sizeof t->initrd, err) ||
        path_key(t, s, "input", t->input, sizeof t->input, err) ||
        copy_str(s, "append", t->append, sizeof t->append, err) ||
        copy_str(s, "until", t->until, sizeof t->until, err) ||
        copy_str(s, "speed", t->speed, sizeof t->speed, err) ||
        copy_str(s, "display", t->display, sizeof t->display, err))
        return -1;
    return vt_cfg_check_unused(s, err);
}

static int parse(vt_title *t, const char *ini, vt_error *err) {
    vt_cfg cfg = {0};
    if (vt_cfg_load(&cfg, ini, err)) return -1;
    int rc = 0;
    bool have_title = false;
    for (int i = 0; i < cfg.nsections && !rc; i++) {
        vt_cfg_section *s = &cfg.sections[i];
        if (!strcmp(s->name, "title")) {
            have_title = true;
            rc = parse_title(t, s, err);
        } else if (!strncmp(s->name, "disk.", 5)) {
            rc = parse_media(t, s, false, err);
        } else if (!strncmp(s->name, "cdrom.", 6)) {
            rc = parse_media(t, s, true, err);
        } else if (!strcmp(s->name, "boot")) {
            rc = parse_boot(t, s, err);
        } else {
            rc = vt_cfg_section_fail(err, s,
                                     "unknown section [%s] (a title has [title], [disk.N], "
                                     "[cdrom.N], [boot])",
                                     s->name);
        }
    }
    if (!rc && !have_title) rc = vt_fail(err, "%s: no [title] section", ini);
    vt_cfg_free(&cfg);
    return rc;
}

int vt_title_load(const char *file, vt_title *t, vt_error *err) {
    memset(t, 0, sizeof *t);
    char ini[8192];
    size_t len = strlen(file);
    if (len > 4 && !strcmp(file + len - 4, ".zip")) {
        if (vt_title_unzip(file, t->tmpdir, sizeof t->tmpdir, ini, sizeof ini, err)) {
            vt_title_free(t);
            return -1;
        }
    } else {
        snprintf(ini, sizeof ini, "%s", file);
    }
    char d[8192];
    snprintf(d, sizeof d, "%s", ini);
    snprintf(t->dir, sizeof t->dir, "%s", dirname(d));
    if (parse(t, ini, err)) {
        vt_title_free(t);
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    VT_UNUSED(st);
    VT_UNUSED(flag);
    VT_UNUSED(ftw);
    return remove(path);
}

void vt_title_free(vt_title *t) {
    if (t->tmpdir[0]) nftw(t->tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    t->tmpdir[0] = 0;
}

int vt_title_file_sha1(const char *path, char hex[41], vt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return vt_fail(err, "%s: %s", path, strerror(errno));
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    uint8_t buf[65536], digest[SHA1_DIGEST_SIZE];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha1_update(&ctx, n, buf);
    int bad = ferror(f);
    fclose(f);
    if (bad) return vt_fail(err, "%s: read error", path);
    sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);
    for (int i = 0; i < SHA1_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return 0;
}

int vt_title_verify(const vt_title *t, FILE *out, vt_error *err) {
    int rc = 0;
    for (int i = 0; i < t->nmedia; i++) {
        const vt_title_media *m = &t->media[i];
        char hex[41];
        vt_error sub;
        if (vt_title_file_sha1(m->path, hex, &sub)) {
            if (out) fprintf(out, "%s: missing (%s)\n", m->path, sub.msg);
            if (!rc) rc = vt_fail(err, "%s: %s", m->where, sub.msg);
            continue;
        }
        bool ok = !m->sha1[0] || !strcmp(hex, m->sha1);
        if (out)
            fprintf(out, "%s: %s (sha1 %s)\n", m->path,
                    !m->sha1[0] ? "no checksum in the title"
                    : ok        ? "good"
                                : "BAD",
                    hex);
        if (!ok && !rc)
            rc = vt_fail(err, "%s: %s has SHA-1 %s, the title expects %s", m->where, m->path, hex,
                         m->sha1);
    }
    return rc;
}
