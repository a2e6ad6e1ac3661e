/* Inside an ATA channel (ata_drive.c, ata_packet.c): register bits and the helpers the disk
 * and packet command sets share. Not for controllers: they use ata_drive.h. */
#ifndef VT_ATA_INTERNAL_H
#define VT_ATA_INTERNAL_H

#include "peripherals/ata_drive.h"
#include "peripherals/ata_regs.h"

#define SECTOR 512u
#define HEADS 16u
#define SPT 63u

/* The selected position (0 master, 1 slave) and its ATAPI drive, if it is one. */
static inline int vt_ata_unit(const vt_ata_chan *c) {
    return (c->select & VT_ATA_DEV) ? 1 : 0;
}
static inline vt_scsi_cdrom *vt_ata_selected_atapi(const vt_ata_chan *c) {
    return c->atapi[vt_ata_unit(c)];
}

void vt_ata_raise_irq(vt_ata_chan *c);
/* Ends the command: status and error, INTRQ. */
void vt_ata_finish(vt_ata_chan *c, uint8_t status, uint8_t error);
void vt_ata_ok(vt_ata_chan *c);
void vt_ata_fail(vt_ata_chan *c, uint8_t error);
/* The selected position's reset signature (ATA or packet), diagnostics passed. */
void vt_ata_signature(vt_ata_chan *c);
/* The IDENTIFY words disks and packet devices share; then the block as one PIO data-in. */
void vt_ata_identify_common(vt_ata_chan *c, uint8_t *p, uint16_t config, const char *model);
void vt_ata_identify_ready(vt_ata_chan *c);
void vt_ata_set_features(vt_ata_chan *c);

/* ata_packet.c: the commands of an ATAPI position, its data phases. */
void vt_ata_packet_command(vt_ata_chan *c, uint8_t cmd);
uint32_t vt_ata_packet_read(vt_ata_chan *c, unsigned size);
void vt_ata_packet_write(vt_ata_chan *c, uint32_t v, unsigned size);
uint32_t vt_ata_packet_dma(vt_ata_chan *c, uint8_t *buf, uint32_t len);

#endif
