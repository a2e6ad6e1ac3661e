/* Unit tests of ROM sets (romsets/): manifests, loading from a directory, zip, 7z and tar.gz,
 * the audit verdicts (good, wrong length, bad checksum, missing) and every refusal (traversal,
 * absolute path, links, zip bombs, truncated archive, not an archive). Test archives are built
 * here with libarchive's writer in a temporary directory; the expected hashes were computed
 * independently (Python zlib/hashlib) for the deterministic contents below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <locale.h>
#include <unistd.h>

#include "romsets/romset.h"

#define A_SIZE 4096
#define B_SIZE 100

static const char k_manifest[] =
    "[romset]\n"
    "name = test\n"
    "description = unit-test set\n"
    "\n"
    "[file.a.rom]\n"
    "size = 4096\n"
    "crc32 = 5e4e1995\n"
    "sha1 = 6272f6754cd52a09ecc9c22764b6cc138a7c907b\n"
    "dump = test dump A\n"
    "load = 0xfff00000\n"
    "format = elf\n"
    "\n"
    "[file.b.rom]\n"
    "size = 100\n"
    "crc32 = c29372be\n"
    "sha1 = 3a8ee007ba60c198cb1f580463b2d0f3234f3c4d\n"
    "alt2 = 100 bd3acf8b 0ed2a6385a445836e0fa8705bcec323f990fa1e2 test alt dump\n"
    "\n"
    "[file.c.rom]\n"
    "size = 16\n"
    "crc32 = 00000000\n"
    "sha1 = 0000000000000000000000000000000000000000\n"
    "required = no\n";

typedef struct fixture {
    char root[64]; /* temp dir: manifest + roms/ */
    char manifest[128];
    char roms[128];
    uint8_t a[A_SIZE], b[B_SIZE];
} fixture;

typedef struct entry {
    const char *name;
    const uint8_t *data;
    size_t len;
    int type; /* AE_IFREG, AE_IFLNK; hardlink when `link` set and type == 0 */
    const char *link;
} entry;

static void write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->root, sizeof fx->root, "/tmp/vt_romset_XXXXXX");
    if (!mkdtemp(fx->root)) return -1;
    snprintf(fx->manifest, sizeof fx->manifest, "%s/test.ini", fx->root);
    snprintf(fx->roms, sizeof fx->roms, "%s/roms", fx->root);
    mkdir(fx->roms, 0755);
    write_file(fx->manifest, k_manifest, strlen(k_manifest));
    for (int i = 0; i < A_SIZE; i++)
        fx->a[i] = (uint8_t)(i * 7 + 3);
    for (int i = 0; i < B_SIZE; i++)
        fx->b[i] = (uint8_t)(255 - i);
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    fixture *fx = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->root);
    int rc = system(cmd);
    free(fx);
    return rc;
}

/* Writes an archive in `format` ("zip", "7zip", "tar.gz") at path, as a program running in a
 * UTF-8 locale would (entry names are UTF-8). */
static void write_archive(const char *path, const char *format, const entry *e, int n) {
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    assert_non_null(utf8);
    locale_t old = uselocale(utf8);
    struct archive *a = archive_write_new();
    if (!strcmp(format, "zip")) {
        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    } else if (!strcmp(format, "7zip")) {
        assert_int_equal(archive_write_set_format_7zip(a), ARCHIVE_OK);
    } else {
        assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
        assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    }
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (int i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_perm(ae, 0644);
        if (e[i].type == AE_IFLNK) {
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_symlink(ae, e[i].link);
        } else if (e[i].link) {
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_hardlink(ae, e[i].link);
        } else {
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_size(ae, (la_int64_t)e[i].len);
        }
        assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
        if (e[i].type != AE_IFLNK && !e[i].link && e[i].len) {
            if (e[i].data) {
                assert_int_equal(archive_write_data(a, e[i].data, e[i].len), (la_ssize_t)e[i].len);
            } else { /* NULL data: that many zero bytes, written in chunks */
                static const uint8_t zeros[1 << 16];
                for (size_t done = 0; done < e[i].len; done += sizeof zeros)
                    assert_true(archive_write_data(a, zeros, sizeof zeros) > 0);
            }
        }
        archive_entry_free(ae);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    uselocale(old);
    freelocale(utf8);
}

static void good_archive(fixture *fx, const char *format, const char *suffix) {
    char path[192];
    snprintf(path, sizeof path, "%s/test%s", fx->roms, suffix);
    entry e[] = {{"a.rom", fx->a, A_SIZE, 0, NULL}, {"b.rom", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, format, e, 2);
}

/* Opens the fixture's set; asserts success. */
static vt_romset *open_ok(fixture *fx) {
    vt_romset *set = NULL;
    vt_error err = {{0}};
    int rc = vt_romset_open(fx->manifest, fx->roms, &set, &err);
    if (rc) fail_msg("vt_romset_open: %s", err.msg);
    return set;
}

/* Opens the fixture's set; asserts failure with `needle` in the message. */
static void open_fails(fixture *fx, const char *needle) {
    vt_romset *set = NULL;
    vt_error err = {{0}};
    assert_int_equal(vt_romset_open(fx->manifest, fx->roms, &set, &err), -1);
    assert_null(set);
    if (!strstr(err.msg, needle)) fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void assert_good_set(fixture *fx, vt_romset_container kind) {
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->kind, kind);
    assert_int_equal(set->found[0].status, VT_ROM_GOOD);
    assert_int_equal(set->found[1].status, VT_ROM_GOOD);
    assert_int_equal(set->found[2].status, VT_ROM_NOT_FOUND); /* optional */
    assert_true(vt_romset_is_good(set));
    const uint8_t *d;
    size_t len;
    assert_int_equal(vt_romset_file(set, "a.rom", &d, &len), 0);
    assert_int_equal(len, A_SIZE);
    assert_memory_equal(d, fx->a, A_SIZE);
    assert_int_equal(vt_romset_file(set, "c.rom", &d, &len), -1);
    uint64_t addr;
    assert_int_equal(vt_romset_file_load_addr(set, "a.rom", &addr), 0);
    assert_int_equal(addr, 0xfff00000);
    assert_int_equal(vt_romset_file_load_addr(set, "b.rom", &addr), -1);
    assert_true(vt_romset_manifest_file(set, "a.rom")->elf);
    char text[512];
    vt_romset_status_text(set, 0, text, sizeof text);
    assert_string_equal(text, "good (test dump A)");
    vt_romset_status_text(set, 2, text, sizeof text);
    assert_string_equal(text, "NOT FOUND (optional)");
    vt_romset_free(set);
    /* vt_romset_load accepts it too */
    vt_error err;
    assert_int_equal(vt_romset_load(fx->manifest, fx->roms, &set, &err), 0);
    vt_romset_free(set);
}

static void test_good_dir(void **state) {
    fixture *fx = *state;
    char dir[192], path[256];
    snprintf(dir, sizeof dir, "%s/test", fx->roms);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/a.rom", dir);
    write_file(path, fx->a, A_SIZE);
    snprintf(path, sizeof path, "%s/b.rom", dir);
    write_file(path, fx->b, B_SIZE);
    assert_good_set(fx, VT_ROMSET_DIR);
}

static void test_good_zip(void **state) {
    good_archive(*state, "zip", ".zip");
    assert_good_set(*state, VT_ROMSET_ARCHIVE);
}

static void test_good_7z(void **state) {
    good_archive(*state, "7zip", ".7z");
    assert_good_set(*state, VT_ROMSET_ARCHIVE);
}

static void test_good_tar_gz(void **state) {
    good_archive(*state, "tar.gz", ".tar.gz");
    assert_good_set(*state, VT_ROMSET_ARCHIVE);
}

/* Entries inside a "test/" directory and with "./" are accepted; extra files are ignored. */
static void test_subdir_and_extra_entries(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    entry e[] = {{"test/a.rom", fx->a, A_SIZE, 0, NULL},
                 {"./b.rom", fx->b, B_SIZE, 0, NULL},
                 {"README.txt", (const uint8_t *)"hello", 5, 0, NULL}};
    write_archive(path, "zip", e, 3);
    assert_good_set(fx, VT_ROMSET_ARCHIVE);
}

/* A non-ASCII (UTF-8) entry name beside the set's files is read, whatever the locale
 * (none is set here): zip and 7z store such names as UTF-8 / UTF-16 (issue 9.10). */
static void test_utf8_entry_names(void **state) {
    fixture *fx = *state;
    static const char *const forms[][2] = {{"zip", ".zip"}, {"7zip", ".7z"}, {"tar.gz", ".tar.gz"}};
    for (size_t f = 0; f < VT_ARRAY_LEN(forms); f++) {
        char path[192];
        snprintf(path, sizeof path, "%s/test%s", fx->roms, forms[f][1]);
        entry e[] = {{"b\xc3\xafos-notes.txt", (const uint8_t *)"hello", 5, 0, NULL},
                     {"a.rom", fx->a, A_SIZE, 0, NULL},
                     {"b.rom", fx->b, B_SIZE, 0, NULL}};
        write_archive(path, forms[f][0], e, 3);
        assert_good_set(fx, VT_ROMSET_ARCHIVE);
        unlink(path);
    }
}

static void test_alt_dump(void **state) {
    fixture *fx = *state;
    fx->b[0] = 0x00; /* the alternative known-good dump */
    good_archive(fx, "zip", ".zip");
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->found[1].status, VT_ROM_GOOD);
    assert_int_equal(set->found[1].dump, 1);
    char text[256];
    vt_romset_status_text(set, 1, text, sizeof text);
    assert_string_equal(text, "good (test alt dump)");
    vt_romset_free(set);
}

static void test_wrong_size(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    uint8_t longer[A_SIZE + 1];
    memcpy(longer, fx->a, A_SIZE);
    longer[A_SIZE] = 0x55;
    entry e[] = {{"a.rom", longer, A_SIZE + 1, 0, NULL}, {"b.rom", fx->b, B_SIZE - 1, 0, NULL}};
    write_archive(path, "zip", e, 2);
    vt_romset *set = open_ok(fx);
    char text[256];
    assert_int_equal(set->found[0].status, VT_ROM_WRONG_LENGTH);
    vt_romset_status_text(set, 0, text, sizeof text);
    assert_string_equal(text, "wrong length (expected 4096, found 4097)");
    assert_int_equal(set->found[1].status, VT_ROM_WRONG_LENGTH);
    vt_romset_status_text(set, 1, text, sizeof text);
    assert_string_equal(text, "wrong length (expected 100, found 99)");
    assert_false(vt_romset_is_good(set));
    vt_romset_free(set);
}

static void test_bad_hash(void **state) {
    fixture *fx = *state;
    fx->a[1234] ^= 0x01;
    good_archive(fx, "zip", ".zip");
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->found[0].status, VT_ROM_BAD_CHECKSUM);
    char text[512], found[41];
    vt_romset_status_text(set, 0, text, sizeof text);
    vt_sha1_hex(set->found[0].sha1, found);
    assert_non_null(strstr(text, "bad checksum: expected CRC32 5e4e1995 SHA1 "
                                 "6272f6754cd52a09ecc9c22764b6cc138a7c907b, found CRC32 "));
    assert_non_null(strstr(text, found));
    assert_string_not_equal(found, "6272f6754cd52a09ecc9c22764b6cc138a7c907b");
    vt_romset_free(set);
    /* A machine cannot load it: the message names the file and the problem. */
    vt_error err;
    assert_int_equal(vt_romset_load(fx->manifest, fx->roms, &set, &err), -1);
    assert_null(set);
    assert_non_null(strstr(err.msg, "a.rom: bad checksum"));
}

static void test_missing(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    entry e[] = {{"a.rom", fx->a, A_SIZE, 0, NULL}};
    write_archive(path, "zip", e, 1);
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->found[1].status, VT_ROM_NOT_FOUND);
    char *buf;
    size_t len;
    FILE *mem = open_memstream(&buf, &len);
    assert_false(vt_romset_audit_print(set, mem));
    fclose(mem);
    assert_string_equal(buf, "a.rom: good (test dump A)\n"
                             "b.rom: NOT FOUND\n"
                             "c.rom: NOT FOUND (optional)\n"
                             "romset test is bad\n");
    free(buf);
    vt_romset_free(set);
}

static void test_set_absent(void **state) {
    fixture *fx = *state;
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->kind, VT_ROMSET_ABSENT);
    char *buf;
    size_t len;
    FILE *mem = open_memstream(&buf, &len);
    assert_false(vt_romset_audit_print(set, mem));
    fclose(mem);
    assert_string_equal(buf, "romset test not found\n");
    free(buf);
    vt_romset_free(set);
    vt_error err;
    assert_int_equal(vt_romset_load(fx->manifest, fx->roms, &set, &err), -1);
    assert_non_null(strstr(err.msg, "romset test not found"));
}

static void test_traversal(void **state) {
    fixture *fx = *state;
    char path[192], evil[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    entry e[] = {{"a.rom", fx->a, A_SIZE, 0, NULL}, {"../evil", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "zip", e, 2);
    open_fails(fx, "entry '../evil' contains '..' (path traversal); archive refused");
    snprintf(evil, sizeof evil, "%s/evil", fx->root);
    assert_int_equal(access(evil, F_OK), -1); /* nothing written */
    entry e2[] = {{"test/../../evil", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "zip", e2, 1);
    open_fails(fx, "path traversal");
}

static void test_absolute_path(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.tar.gz", fx->roms);
    entry e[] = {{"/tmp/evil", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "tar.gz", e, 1);
    open_fails(fx, "entry '/tmp/evil' is an absolute path; archive refused");
    entry e2[] = {{"C:/evil", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "tar.gz", e2, 1);
    open_fails(fx, "entry 'C:/evil' is an absolute path; archive refused");
    entry e3[] = {{"..\\evil", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "tar.gz", e3, 1);
    open_fails(fx, "contains a backslash; archive refused");
}

static void test_symlink(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    entry e[] = {{"a.rom", NULL, 0, AE_IFLNK, "/etc/passwd"}};
    write_archive(path, "zip", e, 1);
    open_fails(fx, "entry 'a.rom' is a link; archive refused");
}

static void test_hardlink(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.tar.gz", fx->roms);
    entry e[] = {{"b.rom", fx->b, B_SIZE, 0, NULL}, {"a.rom", NULL, 0, 0, "b.rom"}};
    write_archive(path, "tar.gz", e, 2);
    open_fails(fx, "entry 'a.rom' is a link; archive refused");
}

static void test_symlink_in_dir(void **state) {
    fixture *fx = *state;
    char dir[192], path[256];
    snprintf(dir, sizeof dir, "%s/test", fx->roms);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/a.rom", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    open_fails(fx, "a.rom: is a symbolic link; refused");
}

/* A 1 MiB entry under a 4 KiB name: only size + 1 bytes are ever read. */
static void test_bomb_huge_entry(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    entry e[] = {{"a.rom", NULL, 1u << 20, 0, NULL}, {"b.rom", fx->b, B_SIZE, 0, NULL}};
    write_archive(path, "zip", e, 2);
    vt_romset *set = open_ok(fx);
    assert_int_equal(set->found[0].status, VT_ROM_WRONG_LENGTH);
    char text[256];
    vt_romset_status_text(set, 0, text, sizeof text);
    assert_string_equal(text, "wrong length (expected 4096, found 1048576)");
    assert_int_equal(set->found[1].status, VT_ROM_GOOD);
    vt_romset_free(set);
}

/* An unlisted entry that expands past the total budget refuses the archive. */
static void test_bomb_total_bytes(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.tar.gz", fx->roms);
    entry e[] = {{"junk.bin", NULL, VT_ROMSET_MAX_TOTAL + (1u << 16), 0, NULL}};
    write_archive(path, "tar.gz", e, 1);
    open_fails(fx, "archive expands to more than 64 MiB; refused (a zip bomb?)");
}

static void test_bomb_many_entries(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    enum { N = VT_ROMSET_MAX_ENTRIES + 1 };
    static entry e[N];
    static char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        e[i] = (entry){names[i], (const uint8_t *)"x", 1, 0, NULL};
    }
    write_archive(path, "zip", e, N);
    open_fails(fx, "more than 256 entries; refused (a zip bomb?)");
}

static void test_duplicate_entry(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.tar.gz", fx->roms);
    entry e[] = {{"a.rom", fx->a, A_SIZE, 0, NULL}, {"a.rom", fx->a, A_SIZE, 0, NULL}};
    write_archive(path, "tar.gz", e, 2);
    open_fails(fx, "'a.rom' appears twice");
}

static void truncate_half(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size / 2), 0);
}

static void test_truncated_zip(void **state) {
    fixture *fx = *state;
    char path[192];
    good_archive(fx, "zip", ".zip");
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    truncate_half(path);
    open_fails(fx, "truncated or corrupt archive");
}

static void test_truncated_tar_gz(void **state) {
    fixture *fx = *state;
    char path[192];
    good_archive(fx, "tar.gz", ".tar.gz");
    snprintf(path, sizeof path, "%s/test.tar.gz", fx->roms);
    truncate_half(path);
    open_fails(fx, "truncated or corrupt archive");
}

static void test_not_an_archive(void **state) {
    fixture *fx = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/test.zip", fx->roms);
    static const char text[] = "this is a text file, not a zip archive\n";
    write_file(path, text, sizeof text - 1);
    open_fails(fx, "test.zip: not a zip, 7z or tar archive");
}

/* Manifest errors name the file and line. */
static void manifest_fails(fixture *fx, const char *text, const char *needle) {
    write_file(fx->manifest, text, strlen(text));
    vt_rom_manifest m;
    vt_error err = {{0}};
    assert_int_equal(vt_rom_manifest_load(fx->manifest, &m, &err), -1);
    const char *msg = err.msg;
    if (!strncmp(msg, fx->manifest, strlen(fx->manifest))) msg += strlen(fx->manifest);
    if (!strstr(msg, needle)) fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_manifest_errors(void **state) {
    fixture *fx = *state;
    manifest_fails(fx,
                   "[romset]\nname = x\n[file.a]\nsize = 1\ncrc32 = 00000000\n"
                   "sha1 = 0000000000000000000000000000000000000000\nsise = 2\n",
                   ":7: unknown key 'sise' in [file.a]");
    manifest_fails(fx, "[romset]\nname = x\n[file.a]\nsize = 1\ncrc32 = 00000000\nsha1 = 12\n",
                   ":6: bad SHA-1 '12' (40 hex digits)");
    manifest_fails(fx, "[romset]\nname = x\n[file.a]\nsize = 1\ncrc32 = xyz\n",
                   ":5: bad CRC32 'xyz' (8 hex digits)");
    manifest_fails(fx, "[romset]\nname = x\n[file.../evil]\nsize = 1\n",
                   ":3: bad file name '../evil'");
    manifest_fails(fx, "[romset]\nname = x\n[files.a]\nsize = 1\n",
                   ":3: unknown section [files.a]");
    manifest_fails(fx, "[romset]\nname = x\nsource = ftp:x\n[file.a]\n",
                   ":3: unknown source 'ftp:x'");
    manifest_fails(fx,
                   "[romset]\nname = x\n[file.a]\nsize = 1\ncrc32 = 00000000\n"
                   "sha1 = 0000000000000000000000000000000000000000\nalt = 1 zz\n",
                   ":7: 'alt' needs SIZE CRC32 SHA1 [label]");
    manifest_fails(fx,
                   "[romset]\nname = x\n[file.a]\nsize = 1\ncrc32 = 00000000\n"
                   "sha1 = 0000000000000000000000000000000000000000\nformat = coff\n",
                   ":7: unknown format 'coff' (raw or elf)");
    manifest_fails(fx,
                   "[romset]\nname = other\n[file.a]\nsize = 1\ncrc32 = 00000000\n"
                   "sha1 = 0000000000000000000000000000000000000000\n",
                   ":2: set name 'other' does not match the file name test.ini");
}

/* Two sets at once, and the ROM path's first directory holding the set wins. */
static void test_rom_path_search(void **state) {
    fixture *fx = *state;
    char empty[192], path[512];
    snprintf(empty, sizeof empty, "%s/empty", fx->root);
    mkdir(empty, 0755);
    good_archive(fx, "zip", ".zip");
    snprintf(path, sizeof path, "%s:%s", empty, fx->roms);
    vt_romset *s1, *s2;
    vt_error err;
    assert_int_equal(vt_romset_load(fx->manifest, path, &s1, &err), 0);
    assert_int_equal(vt_romset_load(fx->manifest, path, &s2, &err), 0);
    assert_non_null(strstr(s1->container, "/roms/test.zip"));
    vt_romset_free(s1);
    vt_romset_free(s2);
}

static void test_rom_path_default(void **state) {
    VT_UNUSED(state);
    char out[512];
    vt_error err;
    setenv("VITRINE_ROM_PATH", "/x/roms", 1);
    assert_int_equal(vt_romset_rom_path("/cli", out, sizeof out, &err), 0);
    assert_string_equal(out, "/cli");
    assert_int_equal(vt_romset_rom_path(NULL, out, sizeof out, &err), 0);
    assert_string_equal(out, "/x/roms");
    unsetenv("VITRINE_ROM_PATH");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    assert_int_equal(vt_romset_rom_path(NULL, out, sizeof out, &err), 0);
    assert_string_equal(out, "/xdg/vitrine/roms");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/u", 1);
    assert_int_equal(vt_romset_rom_path(NULL, out, sizeof out, &err), 0);
    assert_string_equal(out, "/home/u/.local/share/vitrine/roms");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_good_dir),
        T(test_good_zip),
        T(test_good_7z),
        T(test_good_tar_gz),
        T(test_subdir_and_extra_entries),
        T(test_utf8_entry_names),
        T(test_alt_dump),
        T(test_wrong_size),
        T(test_bad_hash),
        T(test_missing),
        T(test_set_absent),
        T(test_traversal),
        T(test_absolute_path),
        T(test_symlink),
        T(test_hardlink),
        T(test_symlink_in_dir),
        T(test_bomb_huge_entry),
        T(test_bomb_total_bytes),
        T(test_bomb_many_entries),
        T(test_duplicate_entry),
        T(test_truncated_zip),
        T(test_truncated_tar_gz),
        T(test_not_an_archive),
        T(test_manifest_errors),
        T(test_rom_path_search),
        cmocka_unit_test(test_rom_path_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
