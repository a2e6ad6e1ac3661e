/* Block layer tests in one process: qcow2 overlays over raw and qcow2 bases (unaligned
 * writes, reopen, discard, check), 512-byte clusters, base-fingerprint refusal and
 * --force-base, writer exclusion between two opens, --snapshot, unknown header extensions kept
 * across a header rewrite, bad-header refusals. Interop with qemu-img lives in tests/img. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/block/block.h"
#include "core/block/qcow2.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static const char *path_of(const char *name) {
    static char buf[4][400];
    static int n;
    char *p = buf[n++ % 4];
    snprintf(p, 400, "%s/%s", dir, name);
    return p;
}

static void make_raw(const char *path, size_t size, uint8_t seed) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc((int)((i * 7 + seed) ^ (i >> 9)), f);
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-qcow2-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] != '.') unlink(path_of(e->d_name));
    }
    if (d) closedir(d);
    rmdir(dir);
    return 0;
}

static void pattern(uint8_t *b, size_t n, uint8_t v) {
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(v + i);
}

static void test_overlay_roundtrip(void **state) {
    (void)state;
    vt_error err;
    make_raw(path_of("base.raw"), 1 << 20, 3);
    vt_qcow2_create_opts o = {.cluster_bits = 12, .backing = "base.raw", .backing_fmt = "raw"};
    assert_int_equal(vt_qcow2_create(path_of("ov.qcow2"), &o, &err), 0);
    vt_block *b;
    assert_int_equal(vt_block_open(&b, path_of("ov.qcow2"), NULL, &err), 0);
    assert_int_equal(b->size, 1 << 20);
    static uint8_t w[20000], r[20000], base[20000];
    pattern(w, sizeof w, 9);
    assert_int_equal(vt_block_write(b, 4095, w, sizeof w, &err), 0); /* crosses 6 clusters */
    assert_int_equal(vt_block_read(b, 4095, r, sizeof r, &err), 0);
    assert_memory_equal(w, r, sizeof w);
    assert_int_equal(vt_block_discard(b, 8192, 4096, &err), 0);
    assert_int_equal(vt_block_read(b, 8192, r, 4096, &err), 0);
    memset(base, 0, 4096);
    assert_memory_equal(r, base, 4096);
    assert_int_not_equal(vt_block_write(b, (1 << 20) - 10, w, 20, &err), 0); /* past the end */
    assert_int_equal(vt_block_close(b, &err), 0);

    assert_int_equal(vt_block_open(&b, path_of("ov.qcow2"), NULL, &err), 0);
    assert_int_equal(vt_block_read(b, 0, r, 4095, &err), 0); /* untouched: from the base */
    int fd = open(path_of("base.raw"), O_RDONLY);
    assert_int_equal(pread(fd, base, 4095, 0), 4095);
    close(fd);
    assert_memory_equal(r, base, 4095);
    assert_int_equal(vt_block_read(b, 12288, r, 4096, &err), 0);
    assert_memory_equal(r, w + (12288 - 4095), 4096);
    vt_qcow2_check_result res;
    assert_int_equal(vt_qcow2_check(b, 0, &res, NULL, &err), 0);
    assert_int_equal(res.corruptions, 0);
    assert_int_equal(res.leaks, 0);
    assert_int_equal(vt_block_close(b, &err), 0);
}

static void test_small_clusters(void **state) {
    (void)state;
    vt_error err;
    /* 512-byte clusters: many L2 tables and refcount blocks (other refcount widths and
     * refcount-table growth are exercised on qemu-img images in tests/img) */
    vt_qcow2_create_opts o = {.size = 8 << 20, .cluster_bits = 9};
    assert_int_equal(vt_qcow2_create(path_of("small.qcow2"), &o, &err), 0);
    vt_block *b;
    assert_int_equal(vt_block_open(&b, path_of("small.qcow2"), NULL, &err), 0);
    static uint8_t w[65536];
    for (unsigned i = 0; i < 128; i++) {
        pattern(w, sizeof w, (uint8_t)i);
        assert_int_equal(vt_block_write(b, (uint64_t)i * 65536, w, sizeof w, &err), 0);
    }
    assert_int_equal(vt_block_flush(b, &err), 0);
    vt_qcow2_check_result res;
    assert_int_equal(vt_qcow2_check(b, 0, &res, NULL, &err), 0);
    assert_int_equal(res.corruptions + res.leaks, 0);
    assert_int_equal(vt_block_read(b, 77 * 65536, w, 512, &err), 0);
    assert_int_equal(w[0], 77);
    assert_int_equal(vt_block_close(b, &err), 0);
}

static void test_fingerprint(void **state) {
    (void)state;
    vt_error err;
    make_raw(path_of("fb.raw"), 300000, 1);
    vt_qcow2_create_opts o = {.backing = "fb.raw", .backing_fmt = "raw"};
    assert_int_equal(vt_qcow2_create(path_of("fo.qcow2"), &o, &err), 0);
    vt_block *b;
    assert_int_equal(vt_block_open(&b, path_of("fo.qcow2"), NULL, &err), 0);
    vt_qcow2_info in;
    vt_qcow2_get_info(b, &in);
    assert_int_equal(in.fp_status, VT_FP_MATCH);
    assert_int_equal(vt_block_close(b, &err), 0);
    int fd = open(path_of("fb.raw"), O_WRONLY);
    assert_int_equal(pwrite(fd, "!", 1, 123456), 1);
    close(fd);
    assert_int_not_equal(vt_block_open(&b, path_of("fo.qcow2"), NULL, &err), 0);
    assert_non_null(strstr(err.msg, "fb.raw has changed"));
    vt_block_opts force = {.force_base = true, .read_only = true};
    assert_int_equal(vt_block_open(&b, path_of("fo.qcow2"), &force, &err), 0);
    vt_qcow2_get_info(b, &in);
    assert_int_equal(in.fp_status, VT_FP_MISMATCH);
    assert_int_equal(vt_block_close(b, &err), 0);
}

static void test_writer_exclusion(void **state) {
    (void)state;
    vt_error err;
    vt_qcow2_create_opts o = {.size = 1 << 20};
    assert_int_equal(vt_qcow2_create(path_of("lk.qcow2"), &o, &err), 0);
    vt_block *a, *b, *c;
    assert_int_equal(vt_block_open(&a, path_of("lk.qcow2"), NULL, &err), 0);
    assert_int_not_equal(vt_block_open(&b, path_of("lk.qcow2"), NULL, &err), 0);
    assert_non_null(strstr(err.msg, "lock"));
    vt_block_opts ro = {.read_only = true};
    assert_int_not_equal(vt_block_open(&b, path_of("lk.qcow2"), &ro, &err), 0);
    assert_int_equal(vt_block_close(a, &err), 0);
    assert_int_equal(vt_block_open(&b, path_of("lk.qcow2"), &ro, &err), 0);
    assert_int_equal(vt_block_open(&c, path_of("lk.qcow2"), &ro, &err), 0); /* readers share */
    assert_int_equal(vt_block_close(b, &err), 0);
    assert_int_equal(vt_block_close(c, &err), 0);
}

static void test_snapshot(void **state) {
    (void)state;
    vt_error err;
    make_raw(path_of("sb.raw"), 65536, 5);
    setenv("TMPDIR", dir, 1);
    vt_block *b;
    assert_int_equal(vt_block_open_snapshot(&b, path_of("sb.raw"), NULL, &err), 0);
    uint8_t w[100], r[100];
    memset(w, 0xee, sizeof w);
    assert_int_equal(vt_block_write(b, 10, w, sizeof w, &err), 0);
    assert_int_equal(vt_block_read(b, 10, r, sizeof r, &err), 0);
    assert_memory_equal(w, r, sizeof w);
    assert_int_equal(vt_block_close(b, &err), 0);
    unsetenv("TMPDIR");
    int fd = open(path_of("sb.raw"), O_RDONLY);
    assert_int_equal(pread(fd, r, 1, 10), 1);
    close(fd);
    assert_int_not_equal(r[0], 0xee);
    DIR *d = opendir(dir);
    struct dirent *e;
    int left = 0;
    while ((e = readdir(d)))
        left += strncmp(e->d_name, "vitrine-snapshot", 16) == 0;
    closedir(d);
    assert_int_equal(left, 0);
}

static void test_unknown_extension_kept(void **state) {
    (void)state;
    vt_error err;
    vt_qcow2_create_opts o = {.size = 1 << 20};
    assert_int_equal(vt_qcow2_create(path_of("ext.qcow2"), &o, &err), 0);
    int fd = open(path_of("ext.qcow2"), O_RDWR);
    uint8_t ext[24] = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 4, 'a', 'b', 'c', 'd'};
    assert_int_equal(pwrite(fd, ext, sizeof ext, 112), (ssize_t)sizeof ext);
    uint8_t autoclear[8] = {0, 0, 0, 0, 0, 0, 0, 1}; /* bitmaps bit: cleared on writable open */
    assert_int_equal(pwrite(fd, autoclear, 8, 88), 8);
    vt_block *b;
    assert_int_equal(vt_block_open(&b, path_of("ext.qcow2"), NULL, &err), 0);
    assert_int_equal(vt_block_close(b, &err), 0);
    uint8_t h[256];
    assert_int_equal(pread(fd, h, sizeof h, 0), (ssize_t)sizeof h);
    close(fd);
    assert_int_equal(load_be64(h + 88), 0);
    assert_memory_equal(h + 112, ext, 12);
}

static void test_bad_headers(void **state) {
    (void)state;
    vt_error err;
    vt_qcow2_create_opts o = {.size = 1 << 20};
    static const struct {
        unsigned off, len;
        uint64_t val;
        const char *msg;
    } cases[] = {
        {20, 4, 30, "cluster_bits"},
        {36, 4, 0x7fffffff, "L1 table"},
        {48, 8, 1ull << 40, "refcount table"},
        {72, 8, 1u << 7, "feature bit 7"},
        {4, 4, 4, "version"},
    };
    for (size_t i = 0; i < VT_ARRAY_LEN(cases); i++) {
        assert_int_equal(vt_qcow2_create(path_of("bad.qcow2"), &o, &err), 0);
        int fd = open(path_of("bad.qcow2"), O_RDWR);
        uint8_t v[8];
        if (cases[i].len == 4)
            store_be32(v, (uint32_t)cases[i].val);
        else
            store_be64(v, cases[i].val);
        assert_int_equal(pwrite(fd, v, cases[i].len, cases[i].off), (ssize_t)cases[i].len);
        close(fd);
        vt_block *b;
        vt_block_opts ro = {.read_only = true};
        assert_int_not_equal(vt_block_open(&b, path_of("bad.qcow2"), &ro, &err), 0);
        if (!strstr(err.msg, cases[i].msg)) fail_msg("case %zu: %s", i, err.msg);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_roundtrip), cmocka_unit_test(test_small_clusters),
        cmocka_unit_test(test_fingerprint),       cmocka_unit_test(test_writer_exclusion),
        cmocka_unit_test(test_snapshot),          cmocka_unit_test(test_unknown_extension_kept),
        cmocka_unit_test(test_bad_headers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
