/* ATA register bits and IDENTIFY block helpers shared by every ATA drive model (ide_bus.c with
 * ata_disk.c / ata_cdrom.c on the PC, ata_drive.c / ata_packet.c on mac-io): status, error,
 * device/head and device control bits, the ATAPI interrupt reason, and the IDENTIFY words and
 * strings. Sources: ATA/ATAPI-6 (T13 1410D) §7 (register bits), §8.15/8.16 (IDENTIFY: little-
 * endian words; strings two characters a word, the first in the high byte, space-padded). */
#ifndef VT_ATA_REGS_H
#define VT_ATA_REGS_H

#include "core/common.h"

/* Status register bits (ATA-6 §7.15). */
#define VT_ATA_ERR 0x01
#define VT_ATA_DRQ 0x08
#define VT_ATA_DSC 0x10 /* seek complete (obsolete, still reported) */
#define VT_ATA_DF 0x20
#define VT_ATA_DRDY 0x40
#define VT_ATA_BSY 0x80
/* Error register bits. */
#define VT_ATA_DIAG_OK 0x01 /* after a reset or EXECUTE DEVICE DIAGNOSTIC: passed */
#define VT_ATA_ABRT 0x04
#define VT_ATA_IDNF 0x10
#define VT_ATA_UNC 0x40
/* Device/head register. */
#define VT_ATA_DEV 0x10
#define VT_ATA_LBA 0x40
#define VT_ATA_SEL_OBSOLETE 0xa0 /* bits 7 and 5, read as one */
/* ATAPI interrupt reason (in the sector count register). */
#define VT_ATAPI_COD 0x01 /* command (packet or status), else data */
#define VT_ATAPI_IO 0x02  /* to the host */
/* Device control register. */
#define VT_ATA_NIEN 0x02
#define VT_ATA_SRST 0x04
#define VT_ATA_HOB 0x80

/* One IDENTIFY word. */
static inline void vt_ata_id_word(uint8_t *id, unsigned word, uint16_t v) {
    store_le16(id + 2 * word, v);
}

/* An IDENTIFY string of `words` words from word `word` on. */
static inline void vt_ata_id_string(uint8_t *id, unsigned word, unsigned words, const char *s) {
    size_t n = strlen(s);
    for (unsigned i = 0; i < 2 * words; i++)
        id[2 * word + (i ^ 1)] = (uint8_t)(i < n ? s[i] : ' ');
}

#endif
