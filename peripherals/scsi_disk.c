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

static uint8_t bad_field(vt_scsi_disk *t) {
    return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x24, 0); /* INVALID FIELD IN CDB */
}

/* Checks a transfer of `count` blocks at `lba` against the disk and the host buffer. */
static uint8_t range_ok(vt_scsi_disk *t, uint64_t lba, uint64_t count, const vt_scsi_xfer *x) {
    if (lba > vt_block_sectors(t->blk) || count > vt_block_sectors(t->blk) - lba)
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x21, 0); /* LBA OUT OF RANGE */
    if (count * BLOCK > x->data_max) return bad_field(t);
    return VT_SCSI_GOOD;
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
    if (len % BLOCK) return bad_field(t);
    if (len && vt_block_write_sectors(t->blk, t->write_lba, (uint32_t)(len / BLOCK), data, &err)) {
        vt_log(VT_LOG_BLOCK, "scsi-disk: write at lba %llu: %s", (unsigned long long)t->write_lba,
               err.msg);
        return vt_scsi_check(&t->sense, VT_SENSE_MEDIUM_ERROR, 0x0c, 0); /* WRITE ERROR */
    }
    return VT_SCSI_GOOD;
}

/* Appends mode page `code` at p; returns its length (0: no such page). */
static size_t mode_page(const vt_scsi_disk *t, unsigned code, uint8_t *p) {
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
    bool ten = cdb[0] == 0x5a;
    if (cdb_len < (ten ? 10u : 6u)) return bad_field(t);
    unsigned page = cdb[2] & 0x3f, pc = cdb[2] >> 6;
    bool dbd = cdb[1] & 0x08;
    if (pc == 3) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x39, 0); /* saving */
    uint8_t r[256];
    size_t hdr = ten ? 8 : 4, n = hdr;
    memset(r, 0, sizeof r);
    if (vt_block_read_only(t->blk)) r[ten ? 3 : 2] = 0x80; /* WP */
    if (!dbd) {
        uint64_t blocks = vt_block_sectors(t->blk);
        uint8_t *bd = r + n;
        store_be32(bd, blocks > 0xffffff ? 0xffffff : (uint32_t)blocks); /* density code 0 */
        store_be32(bd + 4, BLOCK);
        n += 8;
        r[ten ? 7 : 3] = 8;
    }
    static const uint8_t all[] = {0x01, 0x03, 0x04, 0x08};
    if (page == 0x3f) {
        for (size_t i = 0; i < sizeof all; i++)
            n += mode_page(t, all[i], r + n);
    } else {
        size_t len = mode_page(t, page, r + n);
        if (!len) return bad_field(t);
        n += len;
    }
    if (pc == 1) /* changeable values: none */
        memset(r + hdr + (dbd ? 0 : 8) + 2, 0, n - hdr - (dbd ? 0 : 8) - 2);
    if (ten)
        store_be16(r, (uint16_t)(n - 2));
    else
        r[0] = (uint8_t)(n - 1);
    size_t alloc = ten ? load_be16(cdb + 7) : cdb[4];
    return vt_scsi_reply(x, r, n, alloc);
}

uint8_t vt_scsi_disk_command(vt_scsi_disk *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                             vt_scsi_xfer *x) {
    x->data_len = x->out_len = 0;
    if (!cdb_len) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    switch (cdb[0]) {
    case 0x12: /* INQUIRY */
        t->sense = (vt_scsi_sense){0, 0, 0};
        return vt_scsi_inquiry(lun, 0x00, false, "VITRINE HARDDISK        1.0 ", cdb, cdb_len, x);
    case 0x03:
        return vt_scsi_request_sense(&t->sense, lun, cdb, cdb_len, x);
    default:
        break;
    }
    if (lun) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x25, 0);
    size_t need = (cdb[0] >> 5) == 0 ? 6 : (cdb[0] >> 5) <= 2 ? 10 : 12; /* group code */
    if (cdb_len < need) return bad_field(t);
    switch (cdb[0]) {
    case 0x00: /* TEST UNIT READY */
    case 0x1b: /* START STOP UNIT */
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x2f: /* VERIFY(10): the image has no unreadable blocks */
        return VT_SCSI_GOOD;
    case 0x25: { /* READ CAPACITY(10): last LBA, block length */
        uint8_t r[8];
        uint64_t last = vt_block_sectors(t->blk) ? vt_block_sectors(t->blk) - 1 : 0;
        store_be32(r, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
        store_be32(r + 4, BLOCK);
        return vt_scsi_reply(x, r, sizeof r, sizeof r);
    }
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
