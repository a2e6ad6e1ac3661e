/* SCSI CD-ROM drive with no medium, the target side of a SCSI bus: INQUIRY (peripheral type
 * 5, removable), REQUEST SENSE (fixed format), and every medium access answered with CHECK
 * CONDITION / NOT READY / MEDIUM NOT PRESENT; unsupported commands get ILLEGAL REQUEST /
 * INVALID COMMAND OPERATION CODE, other LUNs "not present". Identity: VITRINE CD-ROM.
 * Source: SCSI Primary Commands (SPC-2) and Multimedia Commands (MMC) - status, sense keys
 * and additional sense codes; INQUIRY data layout. */
#include "peripherals/scsi_cdrom.h"

#include <string.h>

static uint8_t check(vt_scsi_cdrom *t, uint8_t key, uint8_t asc, uint8_t ascq) {
    t->sense_key = key;
    t->asc = asc;
    t->ascq = ascq;
    return 2; /* CHECK CONDITION */
}

uint8_t vt_scsi_cdrom_command(vt_scsi_cdrom *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              uint8_t *data, size_t data_max, size_t *data_len) {
    *data_len = 0;
    if (!cdb_len) return check(t, 5, 0x20, 0);
    switch (cdb[0]) {
    case 0x12: { /* INQUIRY */
        uint8_t inq[36] = {0};
        inq[0] = lun ? 0x7f : 0x05; /* CD-ROM, or "no logical unit" */
        inq[1] = 0x80;              /* removable medium */
        inq[2] = 0x02;              /* SCSI-2 */
        inq[3] = 0x02;              /* response data format 2 */
        inq[4] = sizeof inq - 5;
        memcpy(inq + 8, "VITRINE CD-ROM          1.0 ", 28);
        size_t alloc = cdb_len > 4 ? cdb[4] : 0;
        size_t n = alloc < sizeof inq ? alloc : sizeof inq;
        if (n > data_max) n = data_max;
        memcpy(data, inq, n);
        *data_len = n;
        t->sense_key = t->asc = t->ascq = 0;
        return 0;
    }
    case 0x03: { /* REQUEST SENSE */
        uint8_t s[18] = {0x70, 0, t->sense_key, 0, 0, 0, 0, 10, 0, 0, 0, 0, t->asc, t->ascq};
        if (lun) s[2] = 5, s[12] = 0x25, s[13] = 0;
        size_t alloc = cdb_len > 4 ? cdb[4] : 0;
        size_t n = alloc < sizeof s ? alloc : sizeof s;
        if (n > data_max) n = data_max;
        memcpy(data, s, n);
        *data_len = n;
        t->sense_key = t->asc = t->ascq = 0;
        return 0;
    }
    default: break;
    }
    if (lun) return check(t, 5, 0x25, 0); /* LOGICAL UNIT NOT SUPPORTED */
    switch (cdb[0]) {
    case 0x00: /* TEST UNIT READY */
    case 0x25: /* READ CAPACITY */
    case 0x08: case 0x28: case 0xa8: /* READ(6/10/12) */
    case 0x43: /* READ TOC */
    case 0x1b: /* START STOP UNIT */
    case 0x2b: /* SEEK */
        return check(t, 2, 0x3a, 0); /* NOT READY, MEDIUM NOT PRESENT */
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
        return 0;
    default:
        return check(t, 5, 0x20, 0); /* ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE */
    }
}
