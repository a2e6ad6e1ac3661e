/* Replies every SCSI target gives: CHECK CONDITION with sense data, REQUEST SENSE (fixed
 * format sense, 18 bytes) and standard INQUIRY data (36 bytes, SCSI-2, response format 2).
 * Source: SCSI Primary Commands (SPC-2): status codes, sense keys and additional sense codes,
 * INQUIRY and REQUEST SENSE data layouts. */
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
