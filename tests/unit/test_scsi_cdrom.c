/* The scsi-cdrom target: without a disc (NOT READY, MEDIUM NOT PRESENT), and with a 100-block
 * image of 2048-byte blocks: READ CAPACITY, READ(10) of a marked block, READ TOC format 0 in
 * LBA and MSF form, LBA out of range with sense. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/block/block.h"
#include "peripherals/scsi_cdrom.h"

static char path[64];
static uint8_t buf[8192];

static uint8_t run(vt_scsi_cdrom *t, const uint8_t *cdb, size_t len, vt_scsi_xfer *x) {
    *x = (vt_scsi_xfer){.data = buf, .data_max = sizeof buf};
    return vt_scsi_cdrom_command(t, 0, cdb, len, x);
}

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "/tmp/vt-scsi-cdrom-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100 * 2048), 0);
    assert_int_equal(pwrite(fd, "\001CD001", 6, 16 * 2048), 6);
    close(fd);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return unlink(path);
}

static void test_cdrom(void **state) {
    (void)state;
    vt_scsi_cdrom t = {0};
    vt_scsi_xfer x;
    static const uint8_t capacity[10] = {0x25};
    static const uint8_t sense[6] = {0x03, 0, 0, 0, 18, 0};
    assert_int_equal(run(&t, capacity, 10, &x), VT_SCSI_CHECK_CONDITION);
    assert_int_equal(run(&t, sense, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(buf[2], VT_SENSE_NOT_READY);
    assert_int_equal(buf[12], 0x3a);
    vt_error err;
    vt_block_opts o = {.format = "raw", .read_only = true};
    if (vt_block_open(&t.medium, path, &o, &err)) fail_msg("%s", err.msg);
    assert_int_equal(run(&t, capacity, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(load_be32(buf), 99);
    assert_int_equal(load_be32(buf + 4), 2048);
    static const uint8_t read10[10] = {0x28, 0, 0, 0, 0, 16, 0, 0, 1, 0};
    assert_int_equal(run(&t, read10, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 2048);
    assert_memory_equal(buf, "\001CD001", 6);
    static const uint8_t toc[10] = {0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0};
    assert_int_equal(run(&t, toc, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 20);
    assert_int_equal(load_be16(buf), 18);
    assert_int_equal(buf[6], 1);                /* track 1 */
    assert_int_equal(load_be32(buf + 8), 0);    /* at LBA 0 */
    assert_int_equal(buf[14], 0xaa);            /* lead-out */
    assert_int_equal(load_be32(buf + 16), 100); /* after the last block */
    static const uint8_t toc_msf[10] = {0x43, 0x02, 0, 0, 0, 0, 0xaa, 0, 100, 0};
    assert_int_equal(run(&t, toc_msf, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 12);
    assert_int_equal(buf[9], 0);   /* 250 frames = 0 min */
    assert_int_equal(buf[10], 3);  /* 3 s */
    assert_int_equal(buf[11], 25); /* 25 frames */
    static const uint8_t past_end[10] = {0x28, 0, 0, 0, 0, 99, 0, 0, 2, 0};
    assert_int_equal(run(&t, past_end, 10, &x), VT_SCSI_CHECK_CONDITION);
    assert_int_equal(run(&t, sense, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(buf[12], 0x21);
    assert_int_equal(vt_block_close(t.medium, &err), 0);
}

/* MODE SENSE: the capabilities page 2Ah (what Linux's sr driver reads at probe), also without
 * a disc; a page the drive lacks and saved values are refused. */
static void test_mode_sense(void **state) {
    (void)state;
    vt_scsi_cdrom t = {0};
    vt_scsi_xfer x;
    static const uint8_t caps10[10] = {0x5a, 0x08, 0x2a, 0, 0, 0, 0, 0, 128, 0}; /* DBD */
    assert_int_equal(run(&t, caps10, 10, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 8 + 20);
    assert_int_equal(load_be16(buf), 8 + 20 - 2); /* mode data length */
    assert_int_equal(buf[3] & 0x80, 0x80);        /* write-protected */
    assert_int_equal(buf[8], 0x2a);
    assert_int_equal(buf[9], 18);
    assert_int_equal(buf[8 + 6] >> 5, 1);           /* tray */
    assert_int_equal(buf[8 + 6] & 1, 1);            /* lock supported */
    assert_int_equal(load_be16(buf + 8 + 8), 4224); /* 24x, kB/s */
    vt_error err;
    vt_block_opts o = {.format = "raw", .read_only = true};
    if (vt_block_open(&t.medium, path, &o, &err)) fail_msg("%s", err.msg);
    static const uint8_t all6[6] = {0x1a, 0, 0x3f, 0, 255, 0}; /* with a block descriptor */
    assert_int_equal(run(&t, all6, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(x.data_len, 4 + 8 + 20);
    assert_int_equal(buf[0], 4 + 8 + 20 - 1);
    assert_int_equal(buf[3], 8);
    assert_int_equal(load_be32(buf + 4), 100);  /* blocks */
    assert_int_equal(load_be32(buf + 8), 2048); /* block length */
    assert_int_equal(buf[12], 0x2a);
    static const uint8_t geometry[6] = {0x1a, 0x08, 0x04, 0, 255, 0};
    static const uint8_t saved[6] = {0x1a, 0x08, 0xea, 0, 255, 0};
    static const uint8_t sense[6] = {0x03, 0, 0, 0, 18, 0};
    assert_int_equal(run(&t, geometry, 6, &x), VT_SCSI_CHECK_CONDITION);
    assert_int_equal(run(&t, sense, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(buf[12], 0x24);
    assert_int_equal(run(&t, saved, 6, &x), VT_SCSI_CHECK_CONDITION);
    assert_int_equal(run(&t, sense, 6, &x), VT_SCSI_GOOD);
    assert_int_equal(buf[12], 0x39);
    assert_int_equal(vt_block_close(t.medium, &err), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cdrom),
                                       cmocka_unit_test(test_mode_sense)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
