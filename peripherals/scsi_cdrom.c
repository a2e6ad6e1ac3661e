/* SCSI CD-ROM drive, the target side of a SCSI bus: INQUIRY (peripheral type 5, removable),
 * REQUEST SENSE (fixed format), PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT, MODE SENSE(6)/(10)
 * with the CD capabilities and mechanical status page (2Ah: a tray-loaded CD-ROM reader that
 * locks, no audio, 24x). Without a disc
 * every medium access answers CHECK CONDITION / NOT READY / MEDIUM NOT PRESENT. With one (an
 * image of 2048-byte blocks, one data track): TEST UNIT READY, READ CAPACITY(10), READ(6/10/12),
 * READ TOC format 0 (track 1 and the lead-out, LBA or MSF addresses). Unsupported commands get
 * ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE, other LUNs "not supported".
 * Identity: VITRINE CD-ROM. Source: SCSI Primary Commands (SPC-2) and Multimedia Commands
 * (MMC-2: READ TOC format 0 layout, MSF = LBA + 150 frames, 75 frames a second; mode page
 * 2Ah layout, speeds in kB/s with 1x = 176). */
#include "peripherals/scsi_cdrom.h"

#include "core/block/block.h"
#include "core/log.h"

#define CD_BLOCK 2048u
#define SPEED_1X 176u /* kB/s */

static const vt_scsi_identity identity = {0x05, true, "VITRINE CD-ROM          1.0 "};

static uint64_t blocks(const vt_scsi_cdrom *t) {
    return vt_block_size(t->medium) / CD_BLOCK;
}

static uint8_t cd_read(vt_scsi_cdrom *t, uint64_t lba, uint64_t count, vt_scsi_xfer *x) {
    uint8_t st = vt_scsi_range(&t->sense, lba, count, blocks(t), CD_BLOCK, x);
    if (st) return st;
    vt_error err;
    if (count && vt_block_read(t->medium, lba * CD_BLOCK, x->data, count * CD_BLOCK, &err)) {
        vt_log(VT_LOG_BLOCK, "scsi-cdrom: read at lba %llu: %s", (unsigned long long)lba, err.msg);
        return vt_scsi_check(&t->sense, VT_SENSE_MEDIUM_ERROR, 0x11, 0);
    }
    x->data_len = count * CD_BLOCK;
    return VT_SCSI_GOOD;
}

/* One TOC track descriptor: ADR 1 / control 4 (data track), number, start address. */
static void toc_entry(uint8_t *p, uint8_t track, uint64_t lba, bool msf) {
    p[0] = 0, p[1] = 0x14, p[2] = track, p[3] = 0;
    if (msf) {
        uint64_t f = lba + 150;
        p[4] = 0, p[5] = (uint8_t)(f / (75 * 60)), p[6] = (uint8_t)(f / 75 % 60),
        p[7] = (uint8_t)(f % 75);
    } else {
        store_be32(p + 4, (uint32_t)lba);
    }
}

static uint8_t read_toc(vt_scsi_cdrom *t, const uint8_t *cdb, vt_scsi_xfer *x) {
    bool msf = cdb[1] & 0x02;
    unsigned format = cdb[2] & 0x0f, start = cdb[6];
    if (format != 0 || (start > 1 && start != 0xaa))
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x24, 0);
    uint8_t r[4 + 2 * 8];
    size_t n = 4;
    if (start <= 1) toc_entry(r + n, 1, 0, msf), n += 8;
    toc_entry(r + n, 0xaa, blocks(t), msf); /* lead-out */
    n += 8;
    store_be16(r, (uint16_t)(n - 2));
    r[2] = 1, r[3] = 1; /* first and last track */
    return vt_scsi_reply(x, r, n, load_be16(cdb + 7));
}

/* Mode page 2Ah (MMC-2 "CD Capabilities and Mechanical Status"): reads CD-ROM media only
 * (bytes 2-5 zero: no CD-R/RW/DVD, no audio or CD-DA commands), byte 6: lock supported (PREVENT
 * ALLOW MEDIUM REMOVAL) with the tray loading mechanism (001b in bits 7:5), maximum and current
 * read speed 24x, no volume levels, no buffer reported. */
static size_t mode_page(const void *target, unsigned code, uint8_t *p) {
    (void)target;
    if (code != 0x2a) return 0;
    memset(p, 0, 20);
    p[0] = 0x2a, p[1] = 18;
    p[6] = 0x21;
    store_be16(p + 8, 24 * SPEED_1X);
    store_be16(p + 14, 24 * SPEED_1X);
    return 20;
}

static uint8_t mode_sense(vt_scsi_cdrom *t, const uint8_t *cdb, size_t cdb_len, vt_scsi_xfer *x) {
    static const uint8_t all[] = {0x2a};
    const vt_scsi_mode_info m = {.blocks = t->medium ? blocks(t) : 0,
                                 .block_len = CD_BLOCK,
                                 .write_protect = true,
                                 .all = all,
                                 .nall = sizeof all,
                                 .page = mode_page,
                                 .target = t};
    return vt_scsi_mode_sense(&t->sense, &m, cdb, cdb_len, x);
}

uint8_t vt_scsi_cdrom_command(vt_scsi_cdrom *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              vt_scsi_xfer *x) {
    uint8_t st;
    if (vt_scsi_common(&t->sense, &identity, lun, cdb, cdb_len, x, &st)) return st;
    switch (cdb[0]) {
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x1b: /* START STOP UNIT */
        return VT_SCSI_GOOD;
    case 0x1a: /* MODE SENSE(6), (10): with or without a disc */
    case 0x5a:
        return mode_sense(t, cdb, cdb_len, x);
    case 0x00: /* TEST UNIT READY */
    case 0x25: /* READ CAPACITY */
    case 0x08:
    case 0x28:
    case 0xa8: /* READ(6/10/12) */
    case 0x43: /* READ TOC */
    case 0x2b: /* SEEK */
        break;
    default: /* INVALID COMMAND OPERATION CODE */
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
    if (!t->medium) return vt_scsi_check(&t->sense, VT_SENSE_NOT_READY, 0x3a, 0); /* NO MEDIUM */
    size_t need = cdb[0] == 0xa8 ? 12 : cdb[0] >= 0x20 ? 10 : 6;
    if (cdb_len < need) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x24, 0);
    switch (cdb[0]) {
    case 0x25:
        return vt_scsi_read_capacity(x, blocks(t), CD_BLOCK);
    case 0x08:
        return cd_read(t, (uint64_t)(cdb[1] & 0x1f) << 16 | load_be16(cdb + 2),
                       cdb[4] ? cdb[4] : 256, x);
    case 0x28:
        return cd_read(t, load_be32(cdb + 2), load_be16(cdb + 7), x);
    case 0xa8:
        return cd_read(t, load_be32(cdb + 2), load_be32(cdb + 6), x);
    case 0x43:
        return read_toc(t, cdb, x);
    default:
        return VT_SCSI_GOOD; /* TEST UNIT READY, SEEK */
    }
}
