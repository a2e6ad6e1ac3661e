/* A SCSI CD-ROM drive target (no medium inserted) for SCSI host adapters. */
#ifndef VT_SCSI_CDROM_H
#define VT_SCSI_CDROM_H

#include "core/common.h"

typedef struct vt_scsi_cdrom {
    uint8_t sense_key, asc, ascq;
} vt_scsi_cdrom;

/* Executes one command (cdb, cdb_len) for logical unit `lun`. Fills up to `data_max` bytes of
 * data-in into `data` (*data_len) and returns the SCSI status byte (0 GOOD, 2 CHECK). */
uint8_t vt_scsi_cdrom_command(vt_scsi_cdrom *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              uint8_t *data, size_t data_max, size_t *data_len);

#endif
