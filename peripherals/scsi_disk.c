/* SCSI direct-access disk ("scsi-disk") over the block layer: TEST UNIT READY, REQUEST SENSE,
 * INQUIRY (type 0, "VITRINE HARDDISK"), READ CAPACITY(10), READ/WRITE(6) and (10), VERIFY(10),
 * MODE SENSE(6)/(10) with a block descriptor and the pages SunOS/Solaris/Linux ask for
 * (01 error recovery, 03 format device, 04 rigid disk geometry, 08 caching, 3f all), START
 * STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, SYNCHRONIZE CACHE(10) (flushes the image). Errors
 * answer CHECK CONDITION with sense: LBA out of range, invalid opcode/field, write protect,
 * unrecovered read error / write error when the image fails. Geometry is reported as 16 heads
 * x 63 sectors (a fiction: the image has none). Sources: SCSI Block Commands (SBC-2) and
 * SPC-2 (command layouts, mode page formats, sense codes). */
#include "peripherals/scsi_disk.h"

#include "core/block/block.h"
#include "core/log.h"

#define BLOCK 512u
#define HEADS 16u
#define SECTORS_PER_TRACK 63u

static const vt_scsi_identity identity = {0x00, false, "VITRINE HARDDISK        1.0 "};

static uint8_t range_ok(vt_scsi_disk *t, uint64_t lba, uint64_t count, const vt_scsi_xfer *x) {
    return vt_scsi_range(&t->sense, lba, count, vt_block_sectors(t->blk), BLOCK, x);
}

static uint8_t do_read(vt_scsi_disk *t, uint64_t lba, uint32_t count, vt_scsi_xfer *x) {
    uint8_t st = range_ok(t, lba, count, x);
    if (st) return st;
    vt_error err;
    if (count && vt_block_read_sectors(t->blk, lba, count, x->data, &err)) {
        vt_log(VT_LOG_BLOCK, "scsi-disk: read at lba %llu: %s", (unsigned long long)lba, err.msg);
        return vt_scsi_check(&t->sense, VT_SENSE_MEDIUM_ERROR, 0x11, 0); /* UNRECOVERED READ */
    }
    x->data_len = (size_t)count * BLOCK;
    return VT_SCSI_GOOD;
}

static uint8_t start_write(vt_scsi_disk *t, uint64_t lba, uint32_t count, vt_scsi_xfer *x) {
    if (vt_block_read_only(t->blk))
        return vt_scsi_check(&t->sense, VT_SENSE_DATA_PROTECT, 0x27, 0); /* WRITE PROTECTED */
    uint8_t st = range_ok(t, lba, count, x);
    if (st) return st;
    t->write_lba = lba;
    x->out_len = (size_t)count * BLOCK;
    return VT_SCSI_GOOD;
}

uint8_t vt_scsi_disk_write_data(vt_scsi_disk *t, const uint8_t *data, size_t len) {
    vt_error err;
    if (len % BLOCK) return vt_scsi_bad_field(&t->sense);
    if (len && vt_block_write_sectors(t->blk, t->write_lba, (uint32_t)(len / BLOCK), data, &err)) {
        vt_log(VT_LOG_BLOCK, "scsi-disk: write at lba %llu: %s", (unsigned long long)t->write_lba,
               err.msg);
        return vt_scsi_check(&t->sense, VT_SENSE_MEDIUM_ERROR, 0x0c, 0); /* WRITE ERROR */
    }
    return VT_SCSI_GOOD;
}

/* Appends mode page `code` at p; returns its length (0: no such page). */
static size_t mode_page(const void *target, unsigned code, uint8_t *p) {
    const vt_scsi_disk *t = target;
    uint64_t cyl = vt_block_sectors(t->blk) / (HEADS * SECTORS_PER_TRACK);
    switch (code) {
    case 0x01: /* read-write error recovery: defaults */
        memset(p, 0, 12);
        p[0] = 0x01, p[1] = 10;
        return 12;
    case 0x03: /* format device: sectors per track, bytes per sector */
        memset(p, 0, 24);
        p[0] = 0x03, p[1] = 22;
        store_be16(p + 10, SECTORS_PER_TRACK);
        store_be16(p + 12, BLOCK);
        return 24;
    case 0x04: /* rigid disk geometry: cylinders (24 bits), heads, 5400 rpm */
        memset(p, 0, 24);
        p[0] = 0x04, p[1] = 22;
        p[2] = (uint8_t)(cyl >> 16), p[3] = (uint8_t)(cyl >> 8), p[4] = (uint8_t)cyl;
        p[5] = HEADS;
        store_be16(p + 20, 5400);
        return 24;
    case 0x08: /* caching: write cache enabled (SYNCHRONIZE CACHE flushes the image) */
        memset(p, 0, 20);
        p[0] = 0x08, p[1] = 18, p[2] = 0x04;
        return 20;
    default:
        return 0;
    }
}

static uint8_t mode_sense(vt_scsi_disk *t, const uint8_t *cdb, size_t cdb_len, vt_scsi_xfer *x) {
    static const uint8_t all[] = {0x01, 0x03, 0x04, 0x08};
    const vt_scsi_mode_info m = {.blocks = vt_block_sectors(t->blk),
                                 .block_len = BLOCK,
                                 .write_protect = vt_block_read_only(t->blk),
                                 .all = all,
                                 .nall = sizeof all,
                                 .page = mode_page,
                                 .target = t};
    return vt_scsi_mode_sense(&t->sense, &m, cdb, cdb_len, x);
}

uint8_t vt_scsi_disk_command(vt_scsi_disk *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                             vt_scsi_xfer *x) {
    uint8_t st;
    if (vt_scsi_common(&t->sense, &identity, lun, cdb, cdb_len, x, &st)) return st;
    size_t need = (cdb[0] >> 5) == 0 ? 6 : (cdb[0] >> 5) <= 2 ? 10 : 12; /* group code */
    if (cdb_len < need) return vt_scsi_bad_field(&t->sense);
    switch (cdb[0]) {
    case 0x00: /* TEST UNIT READY */
    case 0x1b: /* START STOP UNIT */
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x2f: /* VERIFY(10): the image has no unreadable blocks */
        return VT_SCSI_GOOD;
    case 0x25: /* READ CAPACITY(10) */
        return vt_scsi_read_capacity(x, vt_block_sectors(t->blk), BLOCK);
    case 0x08:   /* READ(6): 21-bit LBA, 0 blocks means 256 */
    case 0x0a: { /* WRITE(6) */
        uint64_t lba = (uint64_t)(cdb[1] & 0x1f) << 16 | load_be16(cdb + 2);
        uint32_t count = cdb[4] ? cdb[4] : 256;
        return cdb[0] == 0x08 ? do_read(t, lba, count, x) : start_write(t, lba, count, x);
    }
    case 0x28: /* READ(10) */
    case 0x2a: /* WRITE(10) */
        return cdb[0] == 0x28 ? do_read(t, load_be32(cdb + 2), load_be16(cdb + 7), x)
                              : start_write(t, load_be32(cdb + 2), load_be16(cdb + 7), x);
    case 0x1a: /* MODE SENSE(6) */
    case 0x5a: /* MODE SENSE(10) */
        return mode_sense(t, cdb, cdb_len, x);
    case 0x35: { /* SYNCHRONIZE CACHE(10) */
        vt_error err;
        if (vt_block_flush(t->blk, &err)) {
            vt_log(VT_LOG_BLOCK, "scsi-disk: flush: %s", err.msg);
            return vt_scsi_check(&t->sense, VT_SENSE_MEDIUM_ERROR, 0x0c, 0);
        }
        return VT_SCSI_GOOD;
    }
    default: /* INVALID COMMAND OPERATION CODE */
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
}
