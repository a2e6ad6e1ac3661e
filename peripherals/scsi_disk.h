/* A SCSI direct-access disk target on a block-layer image (raw or qcow2), 512-byte blocks. */
#ifndef VT_SCSI_DISK_H
#define VT_SCSI_DISK_H

#include "peripherals/scsi_target.h"

struct vt_block;

typedef struct vt_scsi_disk {
    struct vt_block *blk;
    vt_scsi_sense sense;
    uint64_t write_lba; /* a WRITE waiting for its data-out bytes */
} vt_scsi_disk;

/* Executes one command for logical unit `lun`: data-in bytes go to x (x->data_len), or
 * x->out_len announces the data-out bytes vt_scsi_disk_write_data then takes. Returns the
 * SCSI status byte. */
uint8_t vt_scsi_disk_command(vt_scsi_disk *t, unsigned lun, const uint8_t *cdb, size_t cdb_len,
                             vt_scsi_xfer *x);
uint8_t vt_scsi_disk_write_data(vt_scsi_disk *t, const uint8_t *data, size_t len);

#endif
