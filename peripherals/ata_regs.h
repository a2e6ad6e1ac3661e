/* ATA register bits and IDENTIFY block helpers of the ATA/ATAPI drive model (ide_bus.c,
 * ata_disk.c, ata_cdrom.c; used by the PC's PIIX3 and by mac-io): status, error, device/head
 * and device control bits, the ATAPI interrupt reason, and the IDENTIFY words, DMA mode words
 * and strings. Sources: ATA/ATAPI-6 (T13 1410D) §7 (register bits), §8.15/8.16 (IDENTIFY: little-
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

/* IDENTIFY word 63 (multiword DMA, kind 0x20) or 88 (Ultra DMA, kind 0x40): the `supported`
 * mode bits, and in the high byte the mode SET FEATURES selected (xfer_mode 0x20|n, 0x40|n). */
static inline uint16_t vt_ata_id_dma_modes(uint16_t supported, uint8_t xfer_mode, uint8_t kind) {
    return (uint16_t)(supported | ((xfer_mode & 0xf8) == kind ? 0x100u << (xfer_mode & 7) : 0));
}

/* An IDENTIFY string of `words` words from word `word` on. */
static inline void vt_ata_id_string(uint8_t *id, unsigned word, unsigned words, const char *s) {
    size_t n = strlen(s);
    for (unsigned i = 0; i < 2 * words; i++)
        id[2 * word + (i ^ 1)] = (uint8_t)(i < n ? s[i] : ' ');
}

#endif
