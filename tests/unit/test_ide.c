/* PIIX3 IDE with an ATA disk on a CPU-less machine: the test drives the task file, the data
 * port and the bus master the way SeaBIOS and Linux's ata_piix do (IDENTIFY, PIO reads and
 * writes in CHS/LBA28/LBA48 form, MULTIPLE, DMA through PRD tables, errors, soft reset, the
 * absent slave) and checks the bytes on a raw image through the block layer. */
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
    "[machine]\nname = idetest\ncpu = none\n"                                                      \
    "[memory.ram]\nbase = 0\nsize = 1M\n"                                                          \
    "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"                    \
    "[device.ide]\ntype = piix3-ide\npci = pci\nslot = 1\nfunction = 1\nhda = 0\n"

#define SECTORS 8192u /* a 4 MiB disk: 8 cylinders of 16 x 63 */
#define TF 0x1f0
#define CTL 0x3f6
#define BM 0xc000
#define ST_BSY 0x80
#define ST_READY 0x50 /* DRDY | DSC */
#define ST_DRQ 0x58
#define ST_ERR 0x51

static char dir[64];
static char img[96];

typedef struct rig {
    vt_machine *m;
    vt_block *blk;
    int rises;
    bool level;
} rig;

static void irq_probe(void *opaque, int n, bool level) {
    rig *r = opaque;
    (void)n;
    if (level && !r->level) r->rises++;
    r->level = level;
}

static uint8_t pattern(uint64_t lba, unsigned i) {
    return (uint8_t)(lba * 7 + i * 13 + (i >> 8));
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-ide-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(img, sizeof img, "%s/disk.img", dir);
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    uint8_t s[512];
    for (uint64_t lba = 0; lba < SECTORS; lba++) {
        for (unsigned i = 0; i < 512; i++)
            s[i] = pattern(lba, i);
        assert_int_equal(fwrite(s, 1, 512, f), 512);
    }
    fclose(f);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void rig_open(rig *r, const char *profile) {
    memset(r, 0, sizeof *r);
    vt_error err;
    vt_block_opts bo = {.format = "raw"};
    if (vt_block_open(&r->blk, img, &bo, &err)) fail_msg("%s", err.msg);
    vt_machine_options o = {0};
    o.disks[0] = r->blk;
    r->m = fixture_machine(dir, profile, &o);
    vt_machine_device(r->m, "ide")->irq[0] = (vt_irq){irq_probe, r, 0};
}

static void rig_close(rig *r) {
    vt_machine_destroy(r->m);
    vt_error err;
    assert_int_equal(vt_block_close(r->blk, &err), 0);
}

static uint32_t in(rig *r, unsigned port, unsigned size) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&r->m->io, port, size, &v), VT_BUS_OK);
    return (uint32_t)v;
}

static void out(rig *r, unsigned port, unsigned size, uint32_t v) {
    assert_int_equal(vt_bus_write(&r->m->io, port, size, v), VT_BUS_OK);
}

static void outb(rig *r, unsigned port, uint8_t v) {
    out(r, port, 1, v);
}

static uint8_t inb(rig *r, unsigned port) {
    return (uint8_t)in(r, port, 1);
}

/* LBA28 task file: count, address, LBA mode on drive 0, then the command. */
static void lba28(rig *r, uint8_t cmd, uint32_t lba, uint8_t count) {
    outb(r, TF + 2, count);
    outb(r, TF + 3, (uint8_t)lba);
    outb(r, TF + 4, (uint8_t)(lba >> 8));
    outb(r, TF + 5, (uint8_t)(lba >> 16));
    outb(r, TF + 6, (uint8_t)(0xe0 | (lba >> 24 & 0x0f)));
    outb(r, TF + 7, cmd);
}

static void read_port(rig *r, unsigned port, uint8_t *buf, unsigned bytes, unsigned size) {
    for (unsigned i = 0; i < bytes; i += size) {
        uint32_t v = in(r, port, size);
        for (unsigned k = 0; k < size; k++)
            buf[i + k] = (uint8_t)(v >> 8 * k);
    }
}

static void read_words(rig *r, uint8_t *buf, unsigned bytes, unsigned size) {
    read_port(r, TF, buf, bytes, size);
}

static void write_words(rig *r, const uint8_t *buf, unsigned bytes) {
    for (unsigned i = 0; i < bytes; i += 2)
        out(r, TF, 2, (uint32_t)(buf[i] | buf[i + 1] << 8));
}

static void expect_sector(const uint8_t *buf, uint64_t lba) {
    for (unsigned i = 0; i < 512; i++)
        if (buf[i] != pattern(lba, i)) fail_msg("lba %llu byte %u", (unsigned long long)lba, i);
}

static void test_identify(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    outb(&r, TF + 6, 0xa0);
    outb(&r, TF + 7, 0xec);
    assert_int_equal(inb(&r, CTL), ST_DRQ); /* alternate status: no acknowledge */
    assert_true(r.level);
    uint8_t id[512];
    read_words(&r, id, 512, 2);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    assert_false(r.level); /* the status read acknowledged it */
    assert_int_equal(load_le16(id), 0x0040);
    assert_int_equal(load_le16(id + 2), SECTORS / (16 * 63)); /* cylinders */
    assert_int_equal(load_le16(id + 6), 16);
    assert_int_equal(load_le16(id + 12), 63);
    assert_int_equal(load_le16(id + 120) | load_le16(id + 122) << 16, SECTORS); /* LBA28 */
    assert_int_equal(load_le16(id + 200), SECTORS);                             /* LBA48 */
    assert_int_equal(load_le16(id + 98) & 0x0300, 0x0300);
    assert_int_equal(load_le16(id + 118), 0x0110); /* multiple mode on, 16 sectors */ /* LBA, DMA */
    assert_int_equal(load_le16(id + 166) & 0x0400, 0x0400); /* 48-bit supported */
    assert_memory_equal(id + 54, "IVRTNI E", 8);            /* "VITRINE " in ATA byte order */
    rig_close(&r);
}

static void test_pio_read_forms(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    uint8_t buf[1024];
    /* LBA28, two sectors, 32-bit data port: one interrupt per sector */
    lba28(&r, 0x20, 5, 2);
    assert_int_equal(inb(&r, TF + 7), ST_DRQ);
    read_words(&r, buf, 512, 4);
    assert_int_equal(inb(&r, TF + 7), ST_DRQ);
    read_words(&r, buf + 512, 512, 4);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    assert_int_equal(r.rises, 2);
    expect_sector(buf, 5);
    expect_sector(buf + 512, 6);
    assert_int_equal(inb(&r, TF + 3), 6); /* the last sector transferred */
    /* CHS: cylinder 2, head 3, sector 4 = (2 * 16 + 3) * 63 + 3 */
    outb(&r, TF + 2, 1), outb(&r, TF + 3, 4), outb(&r, TF + 4, 2), outb(&r, TF + 5, 0);
    outb(&r, TF + 6, 0xa3), outb(&r, TF + 7, 0x20);
    read_words(&r, buf, 512, 2);
    expect_sector(buf, (2 * 16 + 3) * 63 + 3);
    /* LBA48: READ SECTORS EXT, high bytes written first */
    outb(&r, TF + 2, 0), outb(&r, TF + 3, 0), outb(&r, TF + 4, 0), outb(&r, TF + 5, 0);
    outb(&r, TF + 2, 1), outb(&r, TF + 3, 0x34), outb(&r, TF + 4, 0x12), outb(&r, TF + 5, 0);
    outb(&r, TF + 6, 0x40), outb(&r, TF + 7, 0x24);
    read_words(&r, buf, 512, 2);
    expect_sector(buf, 0x1234);
    outb(&r, CTL, 0x80); /* HOB: the previous (high) bytes */
    assert_int_equal(inb(&r, TF + 4), 0);
    outb(&r, CTL, 0x00);
    assert_int_equal(inb(&r, TF + 4), 0x12);
    rig_close(&r);
}

static void test_pio_write_multiple(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    uint8_t data[8 * 512], back[8 * 512];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 5 + 1);
    /* WRITE SECTORS: DRQ for the first block without an interrupt, then one after it */
    lba28(&r, 0x30, 100, 1);
    assert_int_equal(inb(&r, CTL), ST_DRQ);
    assert_int_equal(r.rises, 0);
    write_words(&r, data, 512);
    assert_int_equal(r.rises, 1);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    vt_error err;
    assert_int_equal(vt_block_read_sectors(r.blk, 100, 1, back, &err), 0);
    assert_memory_equal(back, data, 512);
    /* READ MULTIPLE with multiple mode disabled aborts; bad block sizes abort */
    outb(&r, TF + 2, 0), outb(&r, TF + 7, 0xc6);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    lba28(&r, 0xc4, 0, 1);
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    assert_int_equal(inb(&r, TF + 1), 0x04);
    outb(&r, TF + 2, 3), outb(&r, TF + 7, 0xc6);
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    outb(&r, TF + 2, 4), outb(&r, TF + 7, 0xc6);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    /* WRITE MULTIPLE of 8 sectors in blocks of 4: two interrupts */
    r.rises = 0;
    lba28(&r, 0xc5, 200, 8);
    write_words(&r, data, 4 * 512);
    assert_int_equal(inb(&r, TF + 7), ST_DRQ);
    write_words(&r, data + 4 * 512, 4 * 512);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    assert_int_equal(r.rises, 2);
    assert_int_equal(vt_block_read_sectors(r.blk, 200, 8, back, &err), 0);
    assert_memory_equal(back, data, sizeof data);
    /* READ MULTIPLE reads them back in the same blocks */
    lba28(&r, 0xc4, 200, 8);
    read_words(&r, back, 4 * 512, 2);
    assert_int_equal(inb(&r, TF + 7), ST_DRQ);
    read_words(&r, back + 4 * 512, 4 * 512, 2);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    assert_memory_equal(back, data, sizeof data);
    rig_close(&r);
}

static void test_errors_reset_slave(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    lba28(&r, 0x20, SECTORS - 1, 2); /* runs past the end */
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    assert_int_equal(inb(&r, TF + 1), 0x14); /* IDNF, ABRT */
    assert_int_equal(r.rises, 1);
    outb(&r, TF + 7, 0xa1); /* IDENTIFY PACKET DEVICE: not an ATAPI device */
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    assert_int_equal(inb(&r, TF + 1), 0x04);
    outb(&r, TF + 1, 0x03), outb(&r, TF + 2, 0x22), outb(&r, TF + 7, 0xef); /* MWDMA 2 */
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    outb(&r, TF + 1, 0x03), outb(&r, TF + 2, 0x27), outb(&r, TF + 7, 0xef); /* no MWDMA 7 */
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    /* the absent slave: status 0, latched registers, commands ignored */
    outb(&r, TF + 6, 0xb0);
    assert_int_equal(inb(&r, TF + 7), 0);
    outb(&r, TF + 2, 0x55);
    assert_int_equal(inb(&r, TF + 2), 0x55);
    outb(&r, TF + 7, 0xec);
    assert_int_equal(inb(&r, CTL), 0);
    /* soft reset: BSY while SRST is set, then the signatures */
    outb(&r, CTL, 0x04);
    outb(&r, TF + 6, 0xa0);
    assert_int_equal(inb(&r, CTL) & ST_BSY, ST_BSY);
    outb(&r, CTL, 0x00);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    assert_int_equal(inb(&r, TF + 1), 0x01);
    assert_int_equal(inb(&r, TF + 2), 1);
    assert_int_equal(inb(&r, TF + 3), 1);
    assert_int_equal(inb(&r, TF + 4), 0);
    assert_int_equal(inb(&r, TF + 5), 0);
    outb(&r, TF + 6, 0xb0);
    assert_int_equal(inb(&r, TF + 4), 0xff); /* no device 1 */
    assert_int_equal(inb(&r, TF + 1), 0x01);
    /* nIEN masks the line */
    outb(&r, TF + 6, 0xa0);
    outb(&r, CTL, 0x02);
    r.rises = 0;
    outb(&r, TF + 7, 0xe7); /* FLUSH CACHE */
    assert_int_equal(r.rises, 0);
    outb(&r, CTL, 0x00);
    assert_int_equal(r.rises, 1);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    rig_close(&r);
}

/* Regression: selecting the absent slave during a data phase crashed the host (the transfer
 * went on with the selected drive's missing image); the transfer belongs to its drive. */
static void test_select_during_transfer(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    uint8_t buf[512];
    lba28(&r, 0x20, 7, 1);
    read_words(&r, buf, 100, 2);
    outb(&r, TF + 6, 0xb0);
    assert_int_equal(inb(&r, TF + 7), 0); /* the slave answers: absent */
    read_words(&r, buf + 100, 412, 2);
    expect_sector(buf, 7);
    outb(&r, TF + 6, 0xa0);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    lba28(&r, 0x30, 8, 1); /* a write whose data arrives with the slave selected */
    outb(&r, TF + 6, 0xb0);
    write_words(&r, buf, 512);
    outb(&r, TF + 6, 0xa0);
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    rig_close(&r);
}

/* --- ATAPI CD-ROM at the secondary master ----------------------------------------------- */

#define TF2 0x170

static void packet(rig *r, const uint8_t cdb[12], uint16_t limit) {
    outb(r, TF2 + 1, 0);
    outb(r, TF2 + 4, (uint8_t)limit), outb(r, TF2 + 5, (uint8_t)(limit >> 8));
    outb(r, TF2 + 7, 0xa0);
    assert_int_equal(inb(r, TF2 + 7), ST_DRQ);
    assert_int_equal(inb(r, TF2 + 2), 0x01); /* C/D: the packet, please */
    for (unsigned i = 0; i < 12; i += 2)
        out(r, TF2, 2, (uint32_t)(cdb[i] | cdb[i + 1] << 8));
}

static void test_atapi_cdrom(void **state) {
    (void)state;
    rig r;
    memset(&r, 0, sizeof r);
    vt_error err;
    vt_block_opts bo = {.format = "raw", .read_only = true};
    vt_block *medium;
    if (vt_block_open(&medium, img, &bo, &err)) fail_msg("%s", err.msg); /* 2048 CD blocks */
    char path[128];
    snprintf(path, sizeof path, "%s/cd.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[machine]\nname = cd\ncpu = none\n[device.pci]\ntype = pci-host-type1\nspace = io\n"
          "base = 0xcf8\nsize = 8\n[device.ide]\ntype = piix3-ide\npci = pci\nslot = 1\n"
          "function = 1\nhda = none\ncdrom = 0\n",
          f);
    fclose(f);
    vt_machine_options o = {0};
    o.cdroms[0] = medium;
    if (vt_machine_create(&r.m, path, &o, &err)) fail_msg("%s", err.msg);
    vt_machine_device(r.m, "ide")->irq[1] = (vt_irq){irq_probe, &r, 1};
    /* the ATAPI signature; IDENTIFY DEVICE aborts and leaves it */
    outb(&r, TF2 + 6, 0xa0);
    assert_int_equal(inb(&r, TF2 + 4), 0x14);
    assert_int_equal(inb(&r, TF2 + 5), 0xeb);
    outb(&r, TF2 + 7, 0xec);
    assert_int_equal(inb(&r, TF2 + 7), ST_ERR);
    assert_int_equal(inb(&r, TF2 + 5), 0xeb);
    /* IDENTIFY PACKET DEVICE */
    outb(&r, TF2 + 7, 0xa1);
    uint8_t buf[4096];
    read_port(&r, TF2, buf, 512, 2);
    assert_int_equal(load_le16(buf), 0x85c0);
    assert_memory_equal(buf + 54, "IVRTNI E", 8);
    /* READ(10) of two blocks at LBA 3 with a 3000-byte limit: pieces of 3000 and 1096 bytes */
    const uint8_t read10[12] = {0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0, 0, 0};
    r.rises = 0;
    packet(&r, read10, 3000);
    assert_int_equal(r.rises, 1);
    assert_int_equal(inb(&r, TF2 + 7), ST_DRQ);
    assert_int_equal(inb(&r, TF2 + 2), 0x02); /* I/O: data to the host */
    assert_int_equal(inb(&r, TF2 + 4) | inb(&r, TF2 + 5) << 8, 3000);
    read_port(&r, TF2, buf, 3000, 2);
    assert_int_equal(inb(&r, TF2 + 7), ST_DRQ); /* the host acknowledges each piece */
    assert_int_equal(inb(&r, TF2 + 4) | inb(&r, TF2 + 5) << 8, 1096);
    read_port(&r, TF2, buf + 3000, 1096, 2);
    assert_int_equal(inb(&r, TF2 + 7), ST_READY);
    assert_int_equal(inb(&r, TF2 + 2), 0x03); /* status phase */
    assert_int_equal(r.rises, 3);
    for (unsigned k = 0; k < 8; k++)
        expect_sector(buf + 512 * k, 12 + k); /* CD block 3 = 512-byte sectors 12..15 */
    /* a READ past the disc: CHECK CONDITION, sense key 5 in the error register, REQUEST SENSE */
    const uint8_t past[12] = {0x28, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0};
    packet(&r, past, 2048);
    assert_int_equal(inb(&r, TF2 + 7), ST_ERR);
    assert_int_equal(inb(&r, TF2 + 1), 0x54);
    const uint8_t sense[12] = {0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0};
    packet(&r, sense, 18);
    read_port(&r, TF2, buf, 18, 2);
    assert_int_equal(buf[2] & 0x0f, 5);
    assert_int_equal(inb(&r, TF2 + 7), ST_READY);
    /* a packet asking for DMA aborts: none is offered */
    outb(&r, TF2 + 1, 0x01), outb(&r, TF2 + 7, 0xa0);
    assert_int_equal(inb(&r, TF2 + 7), ST_ERR);
    vt_machine_destroy(r.m);
    assert_int_equal(vt_block_close(medium, &err), 0);
}

/* --- bus-master DMA -------------------------------------------------------------------------- */

static void cfg_write(rig *r, unsigned reg, unsigned size, uint32_t v) {
    out(r, 0xcf8, 4, 0x80000000u | (1u << 11) | (1u << 8) | (reg & 0xfc));
    out(r, 0xcfc + (reg & 3), size, v);
}

static void bm_enable(rig *r, bool master) {
    cfg_write(r, 0x20, 4, BM); /* BAR4 */
    cfg_write(r, 0x04, 2, master ? 0x05 : 0x01);
}

static void prd(rig *r, uint32_t at, uint32_t addr, uint32_t len, bool eot) {
    uint8_t e[8];
    store_le32(e, addr);
    store_le32(e + 4, (len & 0xffff) | (eot ? 0x80000000u : 0));
    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(vt_bus_write(&r->m->bus, at + i, 1, e[i]), VT_BUS_OK);
}

static void mem_read(rig *r, uint32_t at, uint8_t *buf, unsigned len) {
    for (unsigned i = 0; i < len; i++) {
        uint64_t v;
        assert_int_equal(vt_bus_read(&r->m->bus, at + i, 1, &v), VT_BUS_OK);
        buf[i] = (uint8_t)v;
    }
}

static void test_bus_master_dma(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    bm_enable(&r, true);
    /* READ DMA of 3 sectors into two PRDs (512 + 1024 bytes): an exact fit ends Active */
    prd(&r, 0x1000, 0x2000, 512, false);
    prd(&r, 0x1008, 0x3000, 1024, true);
    out(&r, BM + 4, 4, 0x1000);
    lba28(&r, 0xc8, 10, 3);
    assert_int_equal(r.rises, 0); /* the drive waits for the bus master */
    outb(&r, BM, 0x09);           /* start, bus master writes memory */
    assert_int_equal(r.rises, 1);
    assert_int_equal(inb(&r, BM + 2), 0x04); /* interrupt, not active, no error */
    assert_int_equal(inb(&r, TF + 7), ST_READY);
    uint8_t buf[1024];
    mem_read(&r, 0x2000, buf, 512);
    expect_sector(buf, 10);
    mem_read(&r, 0x3000, buf, 1024);
    expect_sector(buf, 11);
    expect_sector(buf + 512, 12);
    outb(&r, BM, 0x00);
    outb(&r, BM + 2, 0x04); /* write one to clear */
    assert_int_equal(inb(&r, BM + 2), 0x00);
    /* WRITE DMA from memory, with a PRD larger than the transfer: Active stays set */
    prd(&r, 0x1000, 0x3000, 0, true); /* 0 = 64 KiB */
    out(&r, BM + 4, 4, 0x1000);
    outb(&r, BM, 0x01); /* started first, then the command */
    lba28(&r, 0xca, 300, 2);
    assert_int_equal(inb(&r, BM + 2), 0x05);
    uint8_t back[1024];
    vt_error err;
    assert_int_equal(vt_block_read_sectors(r.blk, 300, 2, back, &err), 0);
    expect_sector(back, 11);
    expect_sector(back + 512, 12);
    outb(&r, BM, 0x00);
    outb(&r, BM + 2, 0x04);
    /* a PRD table too short: the command aborts, Active clears */
    prd(&r, 0x1000, 0x2000, 512, true);
    outb(&r, BM, 0x09);
    lba28(&r, 0xc8, 0, 2);
    assert_int_equal(inb(&r, BM + 2) & 0x03, 0x00);
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    outb(&r, BM, 0x00);
    outb(&r, BM + 2, 0x06);
    /* a PRD outside memory: bus-master error, nothing written past RAM */
    prd(&r, 0x1000, 0x200000, 512, true);
    outb(&r, BM, 0x09);
    lba28(&r, 0xc8, 0, 1);
    assert_int_equal(inb(&r, BM + 2) & 0x07, 0x06);
    assert_int_equal(inb(&r, TF + 7), ST_ERR);
    outb(&r, BM, 0x00);
    outb(&r, BM + 2, 0x06);
    /* bus mastering disabled in the PCI command register: refused */
    bm_enable(&r, false);
    prd(&r, 0x1000, 0x2000, 512, true);
    outb(&r, BM, 0x09);
    lba28(&r, 0xc8, 0, 1);
    assert_int_equal(inb(&r, BM + 2) & 0x02, 0x02);
    rig_close(&r);
}

static void test_save_load_mid_transfer(void **state) {
    (void)state;
    rig r;
    rig_open(&r, PROFILE);
    lba28(&r, 0x20, 40, 2);
    uint8_t buf[1024];
    read_words(&r, buf, 100, 2);
    vt_device *d = vt_machine_device(r.m, "ide");
    vt_state_writer w1, w2;
    vt_state_writer_init(&w1);
    vt_state_writer_init(&w2);
    d->cls->save(d, &w1);
    read_words(&r, buf + 100, 300, 2); /* move on, then go back to the saved point */
    vt_state_reader rd;
    vt_state_reader_init(&rd, w1.buf, w1.len);
    if (d->cls->load(d, &rd)) fail_msg("load: %s", vt_state_error(&rd));
    d->cls->save(d, &w2);
    assert_int_equal(w1.len, w2.len);
    assert_memory_equal(w1.buf, w2.buf, w1.len);
    read_words(&r, buf + 100, 1024 - 100, 2);
    expect_sector(buf, 40);
    expect_sector(buf + 512, 41);
    vt_state_writer_free(&w1);
    vt_state_writer_free(&w2);
    rig_close(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identify),
        cmocka_unit_test(test_pio_read_forms),
        cmocka_unit_test(test_pio_write_multiple),
        cmocka_unit_test(test_errors_reset_slave),
        cmocka_unit_test(test_select_during_transfer),
        cmocka_unit_test(test_atapi_cdrom),
        cmocka_unit_test(test_bus_master_dma),
        cmocka_unit_test(test_save_load_mid_transfer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
