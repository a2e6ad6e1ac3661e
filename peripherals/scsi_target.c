/* Replies every SCSI target gives: CHECK CONDITION with sense data, REQUEST SENSE (fixed
 * format sense, 18 bytes), standard INQUIRY data (36 bytes, SCSI-2, response format 2), and
 * those of block devices: READ CAPACITY(10), MODE SENSE(6)/(10) headers and block descriptor.
 * Sources: SCSI Primary Commands (SPC-2): status codes, sense keys and additional sense codes,
 * INQUIRY, REQUEST SENSE and MODE SENSE data layouts; SBC-2 (READ CAPACITY). */
#include "peripherals/scsi_target.h"

#include <string.h>

uint8_t vt_scsi_check(vt_scsi_sense *s, uint8_t key, uint8_t asc, uint8_t ascq) {
    s->key = key;
    s->asc = asc;
    s->ascq = ascq;
    return VT_SCSI_CHECK_CONDITION;
}

uint8_t vt_scsi_reply(vt_scsi_xfer *x, const void *reply, size_t len, size_t alloc) {
    size_t n = len < alloc ? len : alloc;
    if (n > x->data_max) n = x->data_max;
    memcpy(x->data, reply, n);
    x->data_len = n;
    return VT_SCSI_GOOD;
}

uint8_t vt_scsi_request_sense(vt_scsi_sense *s, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              vt_scsi_xfer *x) {
    uint8_t r[18] = {0x70, 0, s->key, 0, 0, 0, 0, 10, 0, 0, 0, 0, s->asc, s->ascq};
    if (lun) r[2] = VT_SENSE_ILLEGAL_REQUEST, r[12] = 0x25, r[13] = 0;
    *s = (vt_scsi_sense){0, 0, 0};
    return vt_scsi_reply(x, r, sizeof r, cdb_len > 4 ? cdb[4] : 0);
}

uint8_t vt_scsi_inquiry(unsigned lun, uint8_t type, bool removable, const char ident[29],
                        const uint8_t *cdb, size_t cdb_len, vt_scsi_xfer *x) {
    uint8_t inq[36] = {0};
    inq[0] = lun ? 0x7f : type; /* 0x7f: no logical unit here */
    inq[1] = removable ? 0x80 : 0;
    inq[2] = 0x02; /* SCSI-2 */
    inq[3] = 0x02; /* response data format 2 */
    inq[4] = sizeof inq - 5;
    memcpy(inq + 8, ident, 28);
    return vt_scsi_reply(x, inq, sizeof inq, cdb_len > 4 ? cdb[4] : 0);
}

bool vt_scsi_common(vt_scsi_sense *s, const vt_scsi_identity *id, unsigned lun, const uint8_t *cdb,
                    size_t cdb_len, vt_scsi_xfer *x, uint8_t *status) {
    x->data_len = x->out_len = 0;
    if (!cdb_len) {
        *status = vt_scsi_check(s, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0); /* INVALID OPCODE */
    } else if (cdb[0] == 0x12) {                                       /* INQUIRY */
        *s = (vt_scsi_sense){0, 0, 0};
        *status = vt_scsi_inquiry(lun, id->type, id->removable, id->ident, cdb, cdb_len, x);
    } else if (cdb[0] == 0x03) {
        *status = vt_scsi_request_sense(s, lun, cdb, cdb_len, x);
    } else if (lun) {
        *status = vt_scsi_check(s, VT_SENSE_ILLEGAL_REQUEST, 0x25, 0);
    } else {
        return false;
    }
    return true;
}

uint8_t vt_scsi_bad_field(vt_scsi_sense *s) {
    return vt_scsi_check(s, VT_SENSE_ILLEGAL_REQUEST, 0x24, 0);
}

uint8_t vt_scsi_range(vt_scsi_sense *s, uint64_t lba, uint64_t count, uint64_t blocks,
                      uint32_t block_len, const vt_scsi_xfer *x) {
    if (lba > blocks || count > blocks - lba)
        return vt_scsi_check(s, VT_SENSE_ILLEGAL_REQUEST, 0x21, 0); /* LBA OUT OF RANGE */
    if (count * block_len > x->data_max) return vt_scsi_bad_field(s);
    return VT_SCSI_GOOD;
}

uint8_t vt_scsi_read_capacity(vt_scsi_xfer *x, uint64_t blocks, uint32_t block_len) {
    uint8_t r[8];
    uint64_t last = blocks ? blocks - 1 : 0;
    store_be32(r, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
    store_be32(r + 4, block_len);
    return vt_scsi_reply(x, r, sizeof r, sizeof r);
}

uint8_t vt_scsi_mode_sense(vt_scsi_sense *s, const vt_scsi_mode_info *m, const uint8_t *cdb,
                           size_t cdb_len, vt_scsi_xfer *x) {
    bool ten = cdb[0] == 0x5a;
    if (cdb_len < (ten ? 10u : 6u)) return vt_scsi_bad_field(s);
    unsigned page = cdb[2] & 0x3f, pc = cdb[2] >> 6;
    bool dbd = cdb[1] & 0x08;
    if (pc == 3) return vt_scsi_check(s, VT_SENSE_ILLEGAL_REQUEST, 0x39, 0); /* saving */
    uint8_t r[256];
    size_t hdr = ten ? 8 : 4, n = hdr;
    memset(r, 0, sizeof r);
    if (m->write_protect) r[ten ? 3 : 2] = 0x80; /* WP */
    if (!dbd) {
        uint8_t *bd = r + n;
        store_be32(bd, m->blocks > 0xffffff ? 0xffffff : (uint32_t)m->blocks); /* density 0 */
        store_be32(bd + 4, m->block_len);
        n += 8;
        r[ten ? 7 : 3] = 8;
    }
    if (page == 0x3f) {
        for (size_t i = 0; i < m->nall; i++)
            n += m->page(m->target, m->all[i], r + n);
    } else {
        size_t len = m->page(m->target, page, r + n);
        if (!len) return vt_scsi_bad_field(s);
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
