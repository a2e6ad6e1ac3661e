/* The target side of a SCSI bus, shared by the disk and CD-ROM models: sense data and the
 * replies every target gives (CHECK CONDITION with sense, REQUEST SENSE, INQUIRY), and the
 * interface a host adapter drives (a command, then data-in bytes or a data-out phase). */
#ifndef VT_SCSI_TARGET_H
#define VT_SCSI_TARGET_H

#include "core/common.h"

enum { VT_SCSI_GOOD = 0x00, VT_SCSI_CHECK_CONDITION = 0x02 };
/* Sense keys (SPC-2 table 107). */
enum {
    VT_SENSE_NOT_READY = 2,
    VT_SENSE_MEDIUM_ERROR = 3,
    VT_SENSE_ILLEGAL_REQUEST = 5,
    VT_SENSE_DATA_PROTECT = 7
};

typedef struct vt_scsi_sense {
    uint8_t key, asc, ascq;
} vt_scsi_sense;

/* One command's data phase, filled by a target: data-in bytes (data_len of them in data), or
 * out_len > 0: the target expects that many data-out bytes, then completes with write_data. */
typedef struct vt_scsi_xfer {
    uint8_t *data;
    size_t data_max, data_len, out_len;
} vt_scsi_xfer;

/* Records sense and returns CHECK CONDITION. */
uint8_t vt_scsi_check(vt_scsi_sense *s, uint8_t key, uint8_t asc, uint8_t ascq);
/* Copies a reply of `len` bytes, cut to the allocation length and the buffer; returns GOOD. */
uint8_t vt_scsi_reply(vt_scsi_xfer *x, const void *reply, size_t len, size_t alloc);
/* REQUEST SENSE (fixed format; "logical unit not supported" for lun != 0), clears the sense. */
uint8_t vt_scsi_request_sense(vt_scsi_sense *s, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              vt_scsi_xfer *x);
/* Standard INQUIRY data: peripheral `type` (0x7f for lun != 0), removable bit, and the 28-byte
 * vendor/product/revision string. */
uint8_t vt_scsi_inquiry(unsigned lun, uint8_t type, bool removable, const char ident[29],
                        const uint8_t *cdb, size_t cdb_len, vt_scsi_xfer *x);

#endif
