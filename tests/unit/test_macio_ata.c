/* mac-io ATA with DBDMA on a CPU-less big-endian machine, driven through the bus the way Linux's
 * pata_macio does: soft reset and the ATA signature, an absent slave reading status 0,
 * IDENTIFY DEVICE by PIO (capacity, model), READ DMA and WRITE DMA through a DBDMA command list
 * (INPUT/OUTPUT_MORE, _LAST, STOP) with the descriptors' status written back and the channel
 * left RUN without ACTIVE, the interrupt reaching the Heathrow PIC, a request past the end
 * aborted with IDNF, a command list that branches to itself not holding the host, descriptors
 * or data outside memory stopping the channel (DEAD) without touching the host, and PIO
 * WRITE/READ MULTIPLE and 48-bit PIO reads in CHS-free LBA form; an ATAPI CD-ROM on the
 * second channel: packet signature, IDENTIFY DEVICE aborted, IDENTIFY PACKET DEVICE, PACKET
 * INQUIRY by PIO in byte-count-limited chunks, READ(10) by DMA, an error with its sense key;
 * device state saved and loaded in the middle of a disk and a packet PIO transfer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/block/block.h"
#include "core/machine.h"
#include "core/savestate.h"
#include "tests/unit/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROFILE                                                                                    \
    "[machine]\nname = atatest\nendian = big\n"                                                    \
    "[memory.ram]\nbase = 0\nsize = 1M\n"                                                          \
    "[device.pic]\ntype = heathrow-pic\nbase = 0xf3000000\nsize = 0x1000\n"                        \
    "[device.ata0]\ntype = macio-ata\nbase = 0xf3020000\nsize = 0x1000\ndbdma = 0xf3008b00\n"      \
    "disk = 0\nirq = pic.13\nirq1 = pic.2\n"                                                       \
    "[device.ata1]\ntype = macio-ata\nbase = 0xf3021000\nsize = 0x1000\ndbdma = 0xf3008d00\n"      \
    "cdrom = 0\nirq = pic.14\nirq1 = pic.3\n"

#define ATA 0xf3020000u
#define DBDMA 0xf3008b00u
#define SECTORS 64
enum { NSECT = 2, LBAL, LBAM, LBAH, SELECT, STATUS };
#define CTL 0x160
#define RUN 0x8000u
#define ACTIVE 0x0400u
#define DEAD 0x0800u
#define IDE0_BIT (1u << 13)

#define CD 0xf3021000u
#define CD_DBDMA 0xf3008d00u
#define CD_BLOCKS 4

static char dir[64], img[96], iso[96];
static vt_block *disk, *disc;

static vt_machine *make_machine(void) {
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    for (int s = 0; s < SECTORS; s++)
        for (int i = 0; i < 512; i++)
            fputc((s * 7 + i) & 0xff, f);
    fclose(f);
    f = fopen(iso, "wb");
    assert_non_null(f);
    for (int b = 0; b < CD_BLOCKS; b++)
        for (int i = 0; i < 2048; i++)
            fputc((b * 31 + i) & 0xff, f);
    fclose(f);
    vt_error err;
    vt_block_opts ro = {.read_only = true};
    assert_int_equal(vt_block_open(&disk, img, NULL, &err), 0);
    assert_int_equal(vt_block_open(&disc, iso, &ro, &err), 0);
    vt_machine_options o = {0};
    o.disks[0] = disk;
    o.cdroms[0] = disc;
    vt_machine *m = fixture_machine(dir, PROFILE, &o);
    vt_machine_reset(m);
    return m;
}

static void done(vt_machine *m) {
    vt_error err;
    vt_machine_destroy(m);
    assert_int_equal(vt_block_close(disk, &err), 0);
    assert_int_equal(vt_block_close(disc, &err), 0);
}

static uint32_t bswap32(uint32_t v) {
    return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

static uint8_t rd8(vt_machine *m, uint32_t a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 1, &v), 0);
    return (uint8_t)v;
}

static void wr8(vt_machine *m, uint32_t a, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 1, v), 0);
}

/* little-endian 32-bit registers, as in_le32/out_le32 see them */
static uint32_t rd_le32(vt_machine *m, uint32_t a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 4, &v), 0);
    return bswap32((uint32_t)v);
}

static void wr_le32(vt_machine *m, uint32_t a, uint32_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 4, bswap32(v)), 0);
}

static uint8_t *ram(vt_machine *m) {
    return vt_bus_find(&m->bus, 0)->host;
}

static void reg(vt_machine *m, unsigned n, uint8_t v) {
    wr8(m, ATA + (n << 4), v);
}

static void soft_reset(vt_machine *m) {
    wr8(m, ATA + CTL, 0x04);
    assert_int_equal(rd8(m, ATA + CTL) & 0x80, 0x80); /* BSY while SRST is held */
    wr8(m, ATA + CTL, 0x00);
}

/* A DBDMA descriptor, little-endian in memory. */
static void desc(vt_machine *m, uint32_t at, uint16_t cmd, uint16_t req, uint32_t addr,
                 uint32_t dep) {
    uint8_t *p = ram(m) + at;
    memset(p, 0, 16);
    p[0] = (uint8_t)req, p[1] = (uint8_t)(req >> 8);
    p[2] = (uint8_t)cmd, p[3] = (uint8_t)(cmd >> 8);
    for (int i = 0; i < 4; i++) {
        p[4 + i] = (uint8_t)(addr >> (8 * i));
        p[8 + i] = (uint8_t)(dep >> (8 * i));
    }
}

static void lba_command(vt_machine *m, uint32_t lba, uint8_t count, uint8_t cmd) {
    reg(m, NSECT, count);
    reg(m, LBAL, (uint8_t)lba);
    reg(m, LBAM, (uint8_t)(lba >> 8));
    reg(m, LBAH, (uint8_t)(lba >> 16));
    reg(m, SELECT, 0xe0 | ((lba >> 24) & 0xf));
    reg(m, STATUS, cmd);
}

static uint8_t pattern(int s, int i) {
    return (uint8_t)((s * 7 + i) & 0xff);
}

static void test_signature_and_slave(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    soft_reset(m);
    assert_int_equal(rd8(m, ATA + (NSECT << 4)), 1);
    assert_int_equal(rd8(m, ATA + (LBAL << 4)), 1);
    assert_int_equal(rd8(m, ATA + (LBAM << 4)), 0);
    assert_int_equal(rd8(m, ATA + (LBAH << 4)), 0);
    assert_int_equal(rd8(m, ATA + 0x10), 0x01); /* diagnostics passed */
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    reg(m, SELECT, 0xb0); /* slave: absent */
    reg(m, NSECT, 0x55);
    assert_int_equal(rd8(m, ATA + (NSECT << 4)), 0x55); /* the channel latches it */
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0);
    done(m);
}

static void test_identify_pio(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    reg(m, SELECT, 0xa0);
    reg(m, STATUS, 0xec);
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x58); /* DRDY DSC DRQ */
    uint16_t id[256];
    for (int i = 0; i < 256; i++) {
        uint64_t v;
        assert_int_equal(vt_bus_read(&m->bus, ATA, 2, &v), 0);
        id[i] = (uint16_t)((v >> 8) | (v << 8)); /* le16 as the host's insw + le16_to_cpu */
    }
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    assert_int_equal(id[60] | (uint32_t)id[61] << 16, SECTORS);
    assert_int_equal(id[100], SECTORS);
    assert_int_equal(id[27], ('V' << 8) | 'I');
    assert_int_equal(id[49] & 0x0300, 0x0300); /* LBA and DMA */
    done(m);
}

static void test_dma_read_write(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    wr_le32(m, 0xf3000024, IDE0_BIT); /* PIC: enable the IDE 0 input */
    /* READ DMA of sectors 5-6 into 0x10000 and 0x10200 */
    desc(m, 0x8000, 0x2000, 512, 0x10000, 0); /* INPUT_MORE */
    desc(m, 0x8010, 0x3000, 512, 0x10200, 0); /* INPUT_LAST */
    desc(m, 0x8020, 0x7000, 0, 0, 0);         /* STOP */
    wr_le32(m, DBDMA + 0x0c, 0x8000);
    lba_command(m, 5, 2, 0xc8);
    assert_int_equal(rd_le32(m, DBDMA + 4) & ACTIVE, 0); /* not started yet: nothing moved */
    wr_le32(m, DBDMA, (RUN << 16) | RUN);
    assert_int_equal(rd_le32(m, DBDMA + 4) & (RUN | ACTIVE | DEAD), RUN); /* at the STOP */
    for (int i = 0; i < 1024; i++)
        assert_int_equal(ram(m)[0x10000 + i], pattern(5 + i / 512, i % 512));
    assert_int_equal(load_le16(ram(m) + 0x801c), 0);               /* res_count */
    assert_int_equal(load_le16(ram(m) + 0x801e) & RUN, RUN);       /* xfer_status */
    assert_int_equal(rd_le32(m, 0xf300002c) & IDE0_BIT, IDE0_BIT); /* INTRQ up */
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    assert_int_equal(rd_le32(m, 0xf300002c) & IDE0_BIT, 0); /* status read acknowledged it */
    wr_le32(m, DBDMA, (RUN | 0x1000 | DEAD) << 16);         /* stop, as bmdma_stop does */
    /* WRITE DMA of one sector from 0x20000 to sector 9 */
    for (int i = 0; i < 512; i++)
        ram(m)[0x20000 + i] = (uint8_t)(0xa5 ^ i);
    desc(m, 0x8000, 0x1000, 512, 0x20000, 0); /* OUTPUT_LAST */
    desc(m, 0x8010, 0x7000, 0, 0, 0);
    wr_le32(m, DBDMA + 0x0c, 0x8000);
    lba_command(m, 9, 1, 0xca);
    wr_le32(m, DBDMA, (RUN << 16) | RUN);
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    uint8_t back[512];
    vt_error err;
    assert_int_equal(vt_block_read_sectors(disk, 9, 1, back, &err), 0);
    for (int i = 0; i < 512; i++)
        assert_int_equal(back[i], (uint8_t)(0xa5 ^ i));
    done(m);
}

static void test_errors_and_loops(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    lba_command(m, SECTORS - 1, 2, 0xc8); /* one sector past the end */
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x51);
    assert_int_equal(rd8(m, ATA + 0x10), 0x14); /* IDNF, ABRT */
    reg(m, STATUS, 0xa0);                       /* PACKET: not an ATAPI device */
    assert_int_equal(rd8(m, ATA + 0x10), 0x04);
    desc(m, 0x8000, 0x600c, 0, 0, 0x8000); /* NOP, branch always: to itself */
    wr_le32(m, DBDMA + 0x0c, 0x8000);
    wr_le32(m, DBDMA, (RUN << 16) | RUN); /* returns: the list runs in bounded slices */
    assert_int_equal(rd_le32(m, DBDMA + 4) & (RUN | ACTIVE), RUN | ACTIVE);
    wr_le32(m, DBDMA, RUN << 16);
    assert_int_equal(rd_le32(m, DBDMA + 4) & (RUN | ACTIVE), 0);
    done(m);
}

static void test_dma_outside_memory(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    wr_le32(m, DBDMA + 0x0c, 0x00f00000); /* command list past the 1 MiB of RAM */
    lba_command(m, 0, 1, 0xc8);
    wr_le32(m, DBDMA, (RUN << 16) | RUN);
    assert_int_equal(rd_le32(m, DBDMA + 4) & (RUN | ACTIVE | DEAD), RUN | DEAD);
    wr_le32(m, DBDMA, (RUN | DEAD) << 16);
    desc(m, 0x8000, 0x3000, 512, 0x00fffe00, 0); /* INPUT_LAST into no memory */
    wr_le32(m, DBDMA + 0x0c, 0x8000);
    wr_le32(m, DBDMA, (RUN << 16) | RUN);
    assert_int_equal(rd_le32(m, DBDMA + 4) & (ACTIVE | DEAD), DEAD);
    done(m);
}

static uint16_t data16(vt_machine *m) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, ATA, 2, &v), 0);
    return (uint16_t)v;
}

static void test_pio_multiple_and_lba48(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    lba_command(m, 20, 3, 0xc5); /* WRITE MULTIPLE (multiple 16 from power-on) */
    assert_int_equal(rd8(m, ATA + CTL), 0x58);
    for (int i = 0; i < 3 * 256; i++)
        assert_int_equal(vt_bus_write(&m->bus, ATA, 2, (uint16_t)(0x1234 + i)), 0);
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    /* READ SECTORS EXT of the same three: high-order bytes first, then low (HOB) */
    reg(m, NSECT, 0), reg(m, LBAL, 0), reg(m, LBAM, 0), reg(m, LBAH, 0);
    reg(m, NSECT, 3), reg(m, LBAL, 20), reg(m, LBAM, 0), reg(m, LBAH, 0);
    reg(m, SELECT, 0xe0);
    reg(m, STATUS, 0x24);
    for (int s = 0; s < 3; s++) {
        assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x58); /* one DRQ block per sector */
        for (int i = 0; i < 256; i++)
            assert_int_equal(data16(m), (uint16_t)(0x1234 + s * 256 + i));
    }
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x50);
    /* each write pushes the previous byte into the HOB half: LBA 20 << 24, 256 sectors */
    reg(m, NSECT, 0x01), reg(m, LBAL, 0), reg(m, LBAM, 0), reg(m, LBAH, 0);
    reg(m, NSECT, 0x00), reg(m, STATUS, 0x24);
    assert_int_equal(rd8(m, ATA + (STATUS << 4)), 0x51);
    done(m);
}

static void cd_reg(vt_machine *m, unsigned n, uint8_t v) {
    wr8(m, CD + (n << 4), v);
}

static uint8_t cd_rd(vt_machine *m, unsigned n) {
    return rd8(m, CD + (n << 4));
}

/* PACKET with byte count limit `limit`, DMA or PIO, then the 12-byte command by 16-bit writes. */
static void packet(vt_machine *m, const uint8_t cdb[12], uint16_t limit, bool dma) {
    cd_reg(m, 1, dma);
    cd_reg(m, LBAM, (uint8_t)limit);
    cd_reg(m, LBAH, (uint8_t)(limit >> 8));
    cd_reg(m, SELECT, 0xa0);
    cd_reg(m, STATUS, 0xa0);
    assert_int_equal(cd_rd(m, NSECT) & 3, 1); /* command packet wanted */
    assert_int_equal(rd8(m, CD + CTL) & 0x88, 0x08);
    for (int i = 0; i < 12; i += 2)
        assert_int_equal(vt_bus_write(&m->bus, CD, 2, (uint64_t)cdb[i] << 8 | cdb[i + 1]), 0);
}

static void test_atapi(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    wr8(m, CD + CTL, 0x04);
    wr8(m, CD + CTL, 0x00);
    assert_int_equal(cd_rd(m, LBAM), 0x14); /* packet signature */
    assert_int_equal(cd_rd(m, LBAH), 0xeb);
    cd_reg(m, STATUS, 0xec); /* IDENTIFY DEVICE: not for a packet device */
    assert_int_equal(cd_rd(m, STATUS) & 1, 1);
    cd_reg(m, STATUS, 0xa1);
    uint64_t v;
    for (int i = 0; i < 256; i++) {
        assert_int_equal(vt_bus_read(&m->bus, CD, 2, &v), 0);
        uint16_t w = (uint16_t)(v >> 8 | v << 8);
        if (i == 0) assert_int_equal(w, 0x85c0);
        if (i == 49) assert_int_equal(w & 0x0100, 0x0100); /* DMA offered on mac-io */
        if (i == 88) assert_int_equal(w & 0x00ff, 0x003f); /* UDMA 0-5 (Linux: max UDMA/100) */
    }
    /* INQUIRY, 36 bytes, in chunks of at most 16 */
    const uint8_t inquiry[12] = {0x12, 0, 0, 0, 36, 0};
    packet(m, inquiry, 16, false);
    uint8_t got[36];
    int n = 0;
    unsigned chunks[3] = {0};
    for (int c = 0; c < 3; c++) {
        assert_int_equal(cd_rd(m, STATUS), 0x58); /* DRDY DSC DRQ (as test_ide.c) */
        assert_int_equal(cd_rd(m, NSECT) & 3, 2); /* data to the host */
        chunks[c] = cd_rd(m, LBAM) | cd_rd(m, LBAH) << 8;
        for (unsigned i = 0; i < chunks[c]; i += 2) {
            assert_int_equal(vt_bus_read(&m->bus, CD, 2, &v), 0);
            got[n++] = (uint8_t)(v >> 8), got[n++] = (uint8_t)v;
        }
    }
    assert_int_equal(chunks[0], 16);
    assert_int_equal(chunks[2], 4);
    assert_int_equal(got[0], 0x05); /* CD-ROM */
    assert_memory_equal(got + 8, "VITRINE CD-ROM", 14);
    assert_int_equal(cd_rd(m, NSECT) & 3, 3); /* status */
    assert_int_equal(cd_rd(m, STATUS), 0x50);
    /* READ(10) of blocks 1-2 by DMA into 0x30000 */
    desc(m, 0x9000, 0x3000, 4096, 0x30000, 0);
    desc(m, 0x9010, 0x7000, 0, 0, 0);
    wr_le32(m, CD_DBDMA + 0x0c, 0x9000);
    const uint8_t read10[12] = {0x28, 0, 0, 0, 0, 1, 0, 0, 2, 0};
    packet(m, read10, 0, true);
    wr_le32(m, CD_DBDMA, (RUN << 16) | RUN);
    assert_int_equal(rd_le32(m, CD_DBDMA + 4) & (RUN | ACTIVE | DEAD), RUN);
    for (int i = 0; i < 4096; i++)
        assert_int_equal(ram(m)[0x30000 + i], (uint8_t)(((1 + i / 2048) * 31 + i % 2048) & 0xff));
    assert_int_equal(cd_rd(m, STATUS), 0x50);
    /* READ(10) past the end: ERR, ILLEGAL REQUEST (5) in the error register's high nibble */
    const uint8_t bad[12] = {0x28, 0, 0, 0, 0, CD_BLOCKS, 0, 0, 1, 0};
    packet(m, bad, 0, false);
    assert_int_equal(cd_rd(m, STATUS), 0x51); /* DRDY DSC ERR */
    assert_int_equal(cd_rd(m, 1), 0x54);
    done(m);
}

static void test_state_round_trip(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    lba_command(m, 3, 2, 0x20); /* READ SECTORS, stopped after 100 bytes */
    for (int i = 0; i < 50; i++)
        data16(m);
    const uint8_t inquiry[12] = {0x12, 0, 0, 0, 36, 0};
    packet(m, inquiry, 16, false); /* and an INQUIRY after its first 8 bytes */
    for (int i = 0; i < 4; i++)
        assert_int_equal(vt_bus_read(&m->bus, CD, 2, &(uint64_t){0}), 0);
    fixture_round_trip(m);
    uint16_t w = data16(m); /* byte 100 of sector 3 goes on */
    assert_int_equal(w, pattern(3, 100) << 8 | pattern(3, 101));
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, CD, 2, &v), 0);
    assert_int_equal(v, ('V' << 8) | 'I'); /* INQUIRY bytes 8-9: the vendor */
    done(m);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt_ata_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(img, sizeof img, "%s/disk.img", dir);
    snprintf(iso, sizeof iso, "%s/disc.iso", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signature_and_slave),
        cmocka_unit_test(test_identify_pio),
        cmocka_unit_test(test_dma_read_write),
        cmocka_unit_test(test_errors_and_loops),
        cmocka_unit_test(test_dma_outside_memory),
        cmocka_unit_test(test_pio_multiple_and_lba48),
        cmocka_unit_test(test_atapi),
        cmocka_unit_test(test_state_round_trip),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/p.ini", dir); /* fixture_machine's profile */
    unlink(path);
    unlink(img);
    unlink(iso);
    rmdir(dir);
    return rc;
}
