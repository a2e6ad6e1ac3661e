/* Reads a ROM set from a zip, 7z or tar(.gz/.xz/.bz2/.zst) archive with libarchive, into
 * memory only. Every entry name is checked before anything else: absolute paths, '..'
 * components, backslashes and links refuse the whole archive. Known files are read up to
 * their manifest size + 1 byte (to detect too-long dumps); everything read counts against
 * VT_ROMSET_MAX_TOTAL and the entries against VT_ROMSET_MAX_ENTRIES, so a bomb stops early. */
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "romsets/romset_read.h"

typedef struct reader {
    struct archive *a;
    const char *path;
    uint64_t total;
    vt_error *err;
} reader;

/* True when the file starts like a zip, 7z, tar or a compressed stream: a read failure then
 * means a damaged archive rather than something that never was one. */
static bool archive_magic(const char *path) {
    static const struct {
        size_t off, len;
        const char *magic;
    } k[] = {
        {0, 2, "PK"},
        {0, 6, "7z\xbc\xaf\x27\x1c"},
        {257, 5, "ustar"},
        {0, 2, "\x1f\x8b"},
        {0, 6,
         "\xfd"
         "7zXZ\0"},
        {0, 3, "BZh"},
        {0, 4, "\x28\xb5\x2f\xfd"},
    };
    uint8_t head[512] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    for (size_t i = 0; i < VT_ARRAY_LEN(k); i++)
        if (n >= k[i].off + k[i].len && !memcmp(head + k[i].off, k[i].magic, k[i].len)) return true;
    return false;
}

/* A failure from libarchive, worded by whether the file looked like an archive at all. */
static int archive_fail(reader *r, const char *what) {
    const char *why = archive_error_string(r->a);
    if (!why) why = "unknown error";
    if (!archive_magic(r->path))
        return vt_fail(r->err, "%s: not a zip, 7z or tar archive (%s)", r->path, why);
    return vt_fail(r->err, "%s: truncated or corrupt archive while %s: %s", r->path, what, why);
}

/* Rejects names that could point outside the set if anyone ever extracted it. */
static int check_name(reader *r, const char *name) {
    if (!name || !*name)
        return vt_fail(r->err, "%s: an entry has no readable name; archive refused", r->path);
    if (strchr(name, '\\'))
        return vt_fail(r->err, "%s: entry '%s' contains a backslash; archive refused", r->path,
                       name);
    if (name[0] == '/' || (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':'))
        return vt_fail(r->err, "%s: entry '%s' is an absolute path; archive refused", r->path,
                       name);
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return vt_fail(r->err, "%s: entry '%s' contains '..' (path traversal); archive refused",
                           r->path, name);
        p += n;
        while (*p == '/')
            p++;
    }
    return 0;
}

/* Reads at most `cap` bytes of the current entry into buf; returns the count or -1. */
static int64_t read_data(reader *r, uint8_t *buf, uint64_t cap, const char *name) {
    uint64_t got = 0;
    while (got < cap) {
        size_t want = cap - got > (1u << 20) ? (1u << 20) : (size_t)(cap - got);
        la_ssize_t n = archive_read_data(r->a, buf + got, want);
        if (n < 0) {
            char what[128];
            snprintf(what, sizeof what, "reading '%s'", name);
            return archive_fail(r, what);
        }
        if (n == 0) break;
        got += (uint64_t)n;
        r->total += (uint64_t)n;
        if (r->total > VT_ROMSET_MAX_TOTAL)
            return vt_fail(r->err, "%s: archive expands to more than %u MiB; refused (a zip bomb?)",
                           r->path, VT_ROMSET_MAX_TOTAL >> 20);
    }
    return (int64_t)got;
}

/* Reads an entry nobody asked for, only to keep it inside the byte budget. */
static int drain(reader *r, const char *name) {
    uint8_t *scratch = malloc(1u << 16);
    if (!scratch) return vt_fail(r->err, "out of memory");
    int64_t n;
    do
        n = read_data(r, scratch, 1u << 16, name);
    while (n > 0);
    free(scratch);
    return n < 0 ? -1 : 0;
}

static int read_known(reader *r, vt_romset *set, int i, struct archive_entry *ae,
                      const char *name) {
    if (set->found[i].status != VT_ROM_NOT_FOUND)
        return vt_fail(r->err, "%s: '%s' appears twice; archive refused", r->path, name);
    uint64_t cap = vt_rom_manifest_max_size(&set->manifest.files[i]);
    uint8_t *buf = malloc(cap + 1);
    if (!buf) return vt_fail(r->err, "out of memory");
    int64_t n = read_data(r, buf, cap + 1, name);
    if (n < 0) {
        free(buf);
        return -1;
    }
    bool more = (uint64_t)n > cap;
    uint64_t declared = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0
                            ? (uint64_t)archive_entry_size(ae)
                            : 0;
    vt_romset_classify(set, i, buf, more ? cap : (uint64_t)n, more, declared);
    return 0;
}

/* Strips "./" and an optional leading "SETNAME/" directory from an entry name. */
static const char *member_name(const vt_romset *set, const char *name) {
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    size_t n = strlen(set->manifest.name);
    if (!strncmp(name, set->manifest.name, n) && name[n] == '/') name += n + 1;
    return name;
}

/* An entry's name as UTF-8 (the reader runs under a UTF-8 LC_CTYPE, see below); the raw bytes
 * when the archive's names are in no known encoding (e.g. Latin-1 in an old tar). */
static const char *entry_name(struct archive_entry *ae) {
    const char *name = archive_entry_pathname_utf8(ae);
    return name ? name : archive_entry_pathname(ae);
}

static int read_entries(reader *r, vt_romset *set) {
    for (int entries = 0;; entries++) {
        struct archive_entry *ae;
        int rc = archive_read_next_header(r->a, &ae);
        if (rc == ARCHIVE_EOF) return 0;
        if (rc < ARCHIVE_WARN) return archive_fail(r, "reading the entry list");
        if (entries == VT_ROMSET_MAX_ENTRIES)
            return vt_fail(r->err, "%s: more than %d entries; refused (a zip bomb?)", r->path,
                           VT_ROMSET_MAX_ENTRIES);
        const char *name = entry_name(ae);
        if (check_name(r, name)) return -1;
        if (archive_entry_hardlink(ae) || archive_entry_symlink(ae) ||
            archive_entry_filetype(ae) == AE_IFLNK)
            return vt_fail(r->err, "%s: entry '%s' is a link; archive refused", r->path, name);
        if (archive_entry_filetype(ae) == AE_IFDIR) continue;
        if (archive_entry_filetype(ae) != AE_IFREG)
            return vt_fail(r->err, "%s: entry '%s' is not a regular file; archive refused", r->path,
                           name);
        int i = vt_romset_find_file(set, member_name(set, name));
        if (i < 0 ? drain(r, name) : read_known(r, set, i, ae, name)) return -1;
    }
}

int vt_romset_read_archive(vt_romset *set, const char *path, vt_error *err) {
    /* libarchive converts zip and 7z names (UTF-8, UTF-16) to the locale's charset while
     * reading the header and drops a name it cannot convert. The process keeps the "C" locale,
     * so this thread alone reads archives under C.UTF-8: non-ASCII names survive. */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
    reader r = {.a = archive_read_new(), .path = path, .err = err};
    int rc;
    if (!r.a) {
        rc = vt_fail(err, "out of memory");
        goto out;
    }
    archive_read_support_filter_all(r.a);
    archive_read_support_format_zip(r.a);
    archive_read_support_format_7zip(r.a);
    archive_read_support_format_tar(r.a);
    if (archive_read_open_filename(r.a, path, 1u << 16) != ARCHIVE_OK)
        rc = archive_fail(&r, "opening it");
    else
        rc = read_entries(&r, set);
    archive_read_free(r.a);
out:
    if (utf8) {
        uselocale(old);
        freelocale(utf8);
    }
    return rc;
}
