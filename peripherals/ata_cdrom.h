/* The ATAPI (PACKET) command set of a CD-ROM drive on an IDE channel (ide_bus.h); the packets
 * are the SCSI MMC commands of scsi_cdrom.c. What is modelled: ata_cdrom.c; sources:
 * hwdocs/pc.md. */
#ifndef VT_ATA_CDROM_H
#define VT_ATA_CDROM_H

#include "peripherals/ide_bus.h"

/* Executes ATA command `cmd` written to the selected ATAPI drive d. */
void vt_ata_cdrom_command(vt_ide_bus *b, vt_ide_drive *d, uint8_t cmd);
/* Runs the 12-byte packet the host has written into b->buf. */
void vt_ata_cdrom_packet(vt_ide_bus *b, vt_ide_drive *d);
/* Fills the 256-word IDENTIFY PACKET DEVICE block. */
void vt_ata_cdrom_identify(const vt_ide_drive *d, uint8_t out[512]);

#endif
