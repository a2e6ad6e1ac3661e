/* SCSI CD-ROM drive, the target side of a SCSI bus: INQUIRY (peripheral type 5, removable),
 * REQUEST SENSE (fixed format), PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT. Without a disc
 * every medium access answers CHECK CONDITION / NOT READY / MEDIUM NOT PRESENT. With one (an
 * image of 2048-byte blocks, one data track): TEST UNIT READY, READ CAPACITY(10), READ(6/10/12),
 * READ TOC format 0 (track 1 and the lead-out, LBA or MSF addresses). Unsupported commands get
 * ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE, other LUNs "not supported".
 * Identity: VITRINE CD-ROM. Source: SCSI Primary Commands (SPC-2) and Multimedia Commands
 * (MMC-2: READ TOC format 0 layout, MSF = LBA + 150 frames, 75 frames a second). */
#include "peripherals/scsi_cdrom.h"

#include "core/block/block.h"
#include "core/log.h"

#define CD_BLOCK 2048u

static uint64_t blocks(const vt_scsi_cdrom *t) {
    return vt_block_size(t->medium) / CD_BLOCK;
}

static uint8_t cd_read(vt_scsi_cdrom *t, uint64_t lba, uint64_t count, vt_scsi_xfer *x) {
    if (lba > blocks(t) || count > blocks(t) - lba)
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x21, 0); /* LBA OUT OF RANGE */
    if (count * CD_BLOCK > x->data_max)
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x24, 0);
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

uint8_t vt_scsi_cdrom_command(vt_scsi_cdrom *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              vt_scsi_xfer *x) {
    x->data_len = x->out_len = 0;
    if (!cdb_len) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    switch (cdb[0]) {
    case 0x12: /* INQUIRY */
        t->sense = (vt_scsi_sense){0, 0, 0};
        return vt_scsi_inquiry(lun, 0x05, true, "VITRINE CD-ROM          1.0 ", cdb, cdb_len, x);
    case 0x03:
        return vt_scsi_request_sense(&t->sense, lun, cdb, cdb_len, x);
    default:
        break;
    }
    if (lun) return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x25, 0);
    switch (cdb[0]) {
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x1b: /* START STOP UNIT */
        return VT_SCSI_GOOD;
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
    case 0x25: {
        uint8_t r[8];
        store_be32(r, blocks(t) ? (uint32_t)(blocks(t) - 1) : 0);
        store_be32(r + 4, CD_BLOCK);
        return vt_scsi_reply(x, r, sizeof r, sizeof r);
    }
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
