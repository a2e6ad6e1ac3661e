/* The ATA command set of a hard disk on an IDE channel (ide_bus.h): IDENTIFY DEVICE, the
 * sector address in its CHS/LBA28/LBA48 forms, reads, writes and the setup commands. Which
 * commands and approximations: ata_disk.c; sources: hwdocs/pc.md. */
#ifndef VT_ATA_DISK_H
#define VT_ATA_DISK_H

#include "peripherals/ide_bus.h"

#define VT_ATA_MAX_MULT 16 /* sectors per block READ/WRITE MULTIPLE accepts */

/* Sets the default CHS translation from the image size (a drive was just attached). */
void vt_ata_disk_attach(vt_ide_drive *d);
/* Reset: current translation and multiple mode back to their defaults. */
void vt_ata_disk_reset(vt_ide_drive *d);
/* Executes command `cmd` written to the selected drive d. */
void vt_ata_disk_command(vt_ide_bus *b, vt_ide_drive *d, uint8_t cmd);
/* Writes sector address `lba` back into d's registers (LBA48, LBA28 or CHS, as addressed). */
void vt_ata_disk_set_address(vt_ide_drive *d, uint64_t lba, bool lba48);
/* A SET FEATURES transfer mode value (PIO 0-4, MWDMA 0-2, UDMA 0-5) the drives accept. */
bool vt_ata_valid_xfer_mode(uint8_t m);
/* Fills the 256-word IDENTIFY DEVICE block (little-endian words). */
void vt_ata_disk_identify(const vt_ide_drive *d, uint8_t out[512]);

#endif
