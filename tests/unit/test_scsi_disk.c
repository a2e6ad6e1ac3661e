/* The scsi-disk target on a raw 1 MiB image: identity, capacity, WRITE(10)/READ(10) and READ(6)
 * round trips through the block layer, MODE SENSE(6) with all pages, CHECK CONDITION with the
 * right sense for an LBA out of range, an unknown opcode, another LUN, and a read-only image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/block/block.h"
#include "peripherals/scsi_disk.h"

static char path[64];
static uint8_t buf[8192];

static vt_block *open_image(bool read_only) {
    vt_block *b;
    vt_error err;
    vt_block_opts o = {.format = "raw", .read_only = read_only};
    if (vt_block_open(&b, path, &o, &err)) fail_msg("%s", err.msg);
    return b;
}

static uint8_t run(vt_scsi_disk *t, unsigned lun, const uint8_t *cdb, size_t len, vt_scsi_xfer *x) {
    *x = (vt_scsi_xfer){.data = buf, .data_max = sizeof buf};
    return vt_scsi_disk_command(t, lun, cdb, len, x);
}

static void expect_sense(vt_scsi_disk *t, uint8_t key, uint8_t asc) {
    static const uint8_t rs[6] = {0x03, 0, 0, 0, 18, 0};
    vt_scsi_xfer x;
    assert_int_equal(run(t, 0, rs, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 18);
    assert_int_equal(buf[0], 0x70);
    assert_int_equal(buf[2], key);
    assert_int_equal(buf[12], asc);
}

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "/tmp/vt-scsi-disk-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 1 << 20), 0);
    close(fd);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return unlink(path);
}

static void test_commands(void **state) {
    (void)state;
    vt_scsi_disk t = {.blk = open_image(false)};
    vt_scsi_xfer x;
    static const uint8_t inquiry[6] = {0x12, 0, 0, 0, 36, 0};
    assert_int_equal(run(&t, 0, inquiry, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 36);
    assert_int_equal(buf[0], 0x00); /* direct-access */
    assert_memory_equal(buf + 8, "VITRINE HARDDISK", 16);
    static const uint8_t capacity[10] = {0x25};
    assert_int_equal(run(&t, 0, capacity, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(load_be32(buf), 2047);
    assert_int_equal(load_be32(buf + 4), 512);
    /* WRITE(10) two blocks at LBA 5: data-out, then the data */
    static const uint8_t write10[10] = {0x2a, 0, 0, 0, 0, 5, 0, 0, 2, 0};
    assert_int_equal(run(&t, 0, write10, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.out_len, 1024);
    uint8_t data[1024];
    for (int i = 0; i < 1024; i++)
        data[i] = (uint8_t)(i * 7);
    assert_int_equal(vt_scsi_disk_write_data(&t, data, sizeof data), VT_SCSI_GOOD);
    static const uint8_t read10[10] = {0x28, 0, 0, 0, 0, 5, 0, 0, 2, 0};
    assert_int_equal(run(&t, 0, read10, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 1024);
    assert_memory_equal(buf, data, 1024);
    static const uint8_t read6[6] = {0x08, 0, 0, 6, 1, 0};
    assert_int_equal(run(&t, 0, read6, 6, &x), VT_SCSI_GOOD);
    assert_memory_equal(buf, data + 512, 512);
    static const uint8_t sync[10] = {0x35};
    assert_int_equal(run(&t, 0, sync, 10, &x), VT_SCSI_GOOD);
    /* MODE SENSE(6), all pages: header, block descriptor (2048 blocks of 512), pages 1,3,4,8 */
    static const uint8_t sense6[6] = {0x1a, 0, 0x3f, 0, 255, 0};
    assert_int_equal(run(&t, 0, sense6, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 4 + 8 + 12 + 24 + 24 + 20);
    assert_int_equal(buf[0], x.data_len - 1);
    assert_int_equal(buf[3], 8);
    assert_int_equal(load_be32(buf + 4), 2048);
    assert_int_equal(load_be32(buf + 8), 512);
    assert_int_equal(buf[12], 0x01);
    assert_int_equal(buf[24], 0x03);
    /* errors with sense */
    static const uint8_t past_end[10] = {0x28, 0, 0, 0, 0x07, 0xff, 0, 0, 2, 0};
    assert_int_equal(run(&t, 0, past_end, 10, &x), VT_SCSI_CHECK_CONDITION);
    expect_sense(&t, VT_SENSE_ILLEGAL_REQUEST, 0x21);
    static const uint8_t unknown[6] = {0x02};
    assert_int_equal(run(&t, 0, unknown, 6, &x), VT_SCSI_CHECK_CONDITION);
    expect_sense(&t, VT_SENSE_ILLEGAL_REQUEST, 0x20);
    static const uint8_t tur[6] = {0};
    assert_int_equal(run(&t, 1, tur, 6, &x), VT_SCSI_CHECK_CONDITION);
    assert_int_equal(run(&t, 0, tur, 6, &x), VT_SCSI_GOOD);
    vt_error err;
    assert_int_equal(vt_block_close(t.blk, &err), 0);
    /* a read-only image: writes are refused with DATA PROTECT, MODE SENSE shows WP */
    t = (vt_scsi_disk){.blk = open_image(true)};
    assert_int_equal(run(&t, 0, write10, 10, &x), VT_SCSI_CHECK_CONDITION);
    expect_sense(&t, VT_SENSE_DATA_PROTECT, 0x27);
    assert_int_equal(run(&t, 0, sense6, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(buf[2], 0x80);
    assert_int_equal(vt_block_close(t.blk, &err), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_commands)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
