/* A SCSI CD-ROM drive target for SCSI host adapters: empty, or with a read-only medium (an
 * ISO 9660 image of 2048-byte blocks on the block layer). */
#ifndef VT_SCSI_CDROM_H
#define VT_SCSI_CDROM_H

#include "peripherals/scsi_target.h"

struct vt_block;

typedef struct vt_scsi_cdrom {
    struct vt_block *medium; /* NULL: no disc */
    vt_scsi_sense sense;
} vt_scsi_cdrom;

/* Executes one command (cdb, cdb_len) for logical unit `lun`; data-in goes to x. Returns the
 * SCSI status byte. */
uint8_t vt_scsi_cdrom_command(vt_scsi_cdrom *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                              vt_scsi_xfer *x);

#endif
