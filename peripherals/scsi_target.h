/* The target side of a SCSI bus, shared by the disk and CD-ROM models: sense data, the replies
 * every target gives (CHECK CONDITION with sense, REQUEST SENSE, INQUIRY, the LUN check), the
 * block-device ones (READ CAPACITY, the range check of a transfer, the MODE SENSE framework),
 * and the interface a host adapter drives (a command, then data-in bytes or a data-out phase). */
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

/* What a target's INQUIRY data says: peripheral type, removable medium, vendor/product/rev. */
typedef struct vt_scsi_identity {
    uint8_t type;
    bool removable;
    const char *ident; /* 28 characters */
} vt_scsi_identity;

/* Starts a command the way every target does: clears x, then answers an empty CDB (invalid
 * opcode), INQUIRY, REQUEST SENSE, and anything else for lun != 0 (LOGICAL UNIT NOT
 * SUPPORTED). Returns true with the status in *status when it answered. */
bool vt_scsi_common(vt_scsi_sense *s, const vt_scsi_identity *id, unsigned lun, const uint8_t *cdb,
                    size_t cdb_len, vt_scsi_xfer *x, uint8_t *status);
/* INVALID FIELD IN CDB. */
uint8_t vt_scsi_bad_field(vt_scsi_sense *s);
/* A transfer of `count` blocks of `block_len` at `lba`: inside the medium (`blocks` long) and
 * the host's buffer, or CHECK CONDITION (LBA OUT OF RANGE / INVALID FIELD IN CDB). */
uint8_t vt_scsi_range(vt_scsi_sense *s, uint64_t lba, uint64_t count, uint64_t blocks,
                      uint32_t block_len, const vt_scsi_xfer *x);
/* READ CAPACITY(10) data: the last block's address (capped at 0xffffffff), the block length. */
uint8_t vt_scsi_read_capacity(vt_scsi_xfer *x, uint64_t blocks, uint32_t block_len);

/* MODE SENSE(6)/(10): the header, a block descriptor unless DBD, then the pages `page` fills
 * (page code 0x3f: each of `all`). `page` writes page `code` at p and returns its length, 0
 * for a page the target lacks. Page control 1 (changeable) reports nothing changeable, 3
 * (saved) is refused (SAVING PARAMETERS NOT SUPPORTED). */
typedef struct vt_scsi_mode_info {
    uint64_t blocks; /* block descriptor: number of blocks (capped at 0xffffff), length */
    uint32_t block_len;
    bool write_protect;
    const uint8_t *all;
    size_t nall;
    size_t (*page)(const void *target, unsigned code, uint8_t *p);
    const void *target;
} vt_scsi_mode_info;
uint8_t vt_scsi_mode_sense(vt_scsi_sense *s, const vt_scsi_mode_info *m, const uint8_t *cdb,
                           size_t cdb_len, vt_scsi_xfer *x);

#endif
