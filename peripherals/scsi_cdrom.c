/* SCSI CD-ROM drive with no medium, the target side of a SCSI bus: INQUIRY (peripheral type
 * 5, removable), REQUEST SENSE (fixed format), and every medium access answered with CHECK
 * CONDITION / NOT READY / MEDIUM NOT PRESENT; unsupported commands get ILLEGAL REQUEST /
 * INVALID COMMAND OPERATION CODE, other LUNs "not present". Identity: VITRINE CD-ROM.
 * Source: SCSI Primary Commands (SPC-2) and Multimedia Commands (MMC) - status, sense keys
 * and additional sense codes. */
#include "peripherals/scsi_cdrom.h"

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
    case 0x00: /* TEST UNIT READY */
    case 0x25: /* READ CAPACITY */
    case 0x08:
    case 0x28:
    case 0xa8:                                                        /* READ(6/10/12) */
    case 0x43:                                                        /* READ TOC */
    case 0x1b:                                                        /* START STOP UNIT */
    case 0x2b:                                                        /* SEEK */
        return vt_scsi_check(&t->sense, VT_SENSE_NOT_READY, 0x3a, 0); /* MEDIUM NOT PRESENT */
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
        return VT_SCSI_GOOD;
    default: /* INVALID COMMAND OPERATION CODE */
        return vt_scsi_check(&t->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
}
