/* ATAPI CD-ROM drive: IDENTIFY PACKET DEVICE (CD-ROM, removable, 12-byte packets; PIO only, or
 * also multiword DMA 0-2 / Ultra DMA 0-5 where the controller moves packet data by DMA), PACKET
 * with byte-count-limited PIO data-in or DMA data-in, DEVICE RESET, SET FEATURES (transfer
 * mode), power commands; IDENTIFY DEVICE aborts leaving the ATAPI signature. Packets run on the
 * SCSI CD-ROM model (scsi_cdrom.c); CHECK CONDITION ends with ERR and the sense key in error
 * bits 7:4. Data-out packets are not modelled. Sources: ATA/ATAPI-6 (T13 1410D) §8.16, §8.17
 * (IDENTIFY PACKET DEVICE, PACKET), §9.11 (PACKET protocol: interrupt reason, byte count);
 * SFF-8020i (ATAPI CD-ROM). */
#include "peripherals/ata_cdrom.h"

#include "core/log.h"
#include "peripherals/ata_disk.h"

enum {
    CMD_DEVICE_RESET = 0x08,
    CMD_PACKET = 0xa0,
    CMD_IDENTIFY_PACKET = 0xa1,
    CMD_STANDBY_IMMEDIATE = 0xe0,
    CMD_IDLE_IMMEDIATE = 0xe1,
    CMD_CHECK_POWER = 0xe5,
    CMD_IDENTIFY = 0xec,
    CMD_SET_FEATURES = 0xef,
};
#define SF_XFER_MODE 0x03
#define PACKET_DMA 0x01 /* FEATURES bit 0 of PACKET: the data goes by DMA */

void vt_ata_cdrom_identify(const vt_ide_drive *d, uint8_t id[512]) {
    memset(id, 0, 512);
    vt_ata_id_word(id, 0, 0x85c0); /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets */
    vt_ata_id_string(id, 10, 10, d->serial);
    vt_ata_id_string(id, 23, 4, "1.0");
    vt_ata_id_string(id, 27, 20, "VITRINE CD-ROM");
    vt_ata_id_word(id, 49, d->atapi_dma ? 0x0300 : 0x0200); /* LBA, DMA if offered */
    vt_ata_id_word(id, 53, d->atapi_dma ? 0x0006 : 0x0002); /* words 64-70 (and 88) valid */
    if (d->atapi_dma) {
        vt_ata_id_word(id, 63, vt_ata_id_dma_modes(0x0007, d->xfer_mode, 0x20)); /* MWDMA 0-2 */
        vt_ata_id_word(id, 88, vt_ata_id_dma_modes(0x003f, d->xfer_mode, 0x40)); /* UDMA 0-5 */
    }
    vt_ata_id_word(id, 64, 0x0003); /* PIO 3 and 4 */
    for (unsigned w = 65; w <= 68; w++)
        vt_ata_id_word(id, w, 120);
    vt_ata_id_word(id, 80, 0x007e); /* ATA-1 to ATA-6 */
    vt_ata_id_word(id, 82, 0x0010); /* PACKET command feature set */
    vt_ata_id_word(id, 83, 0x4000);
    vt_ata_id_word(id, 84, 0x4000);
    vt_ata_id_word(id, 85, 0x0010);
    vt_ata_id_word(id, 87, 0x4000);
}

void vt_ata_cdrom_packet(vt_ide_bus *b, vt_ide_drive *d) {
    uint8_t cdb[12];
    memcpy(cdb, b->buf, sizeof cdb);
    vt_scsi_xfer x = {.data = b->buf, .data_max = sizeof b->buf};
    uint8_t st = vt_scsi_cdrom_command(&d->cd, 0, cdb, sizeof cdb, &x);
    if (st == VT_SCSI_GOOD && x.out_len) { /* data-out (MODE SELECT...): not modelled */
        vt_log(VT_LOG_DEV, "ata-cdrom: data-out packet 0x%02x not supported", cdb[0]);
        st = vt_scsi_check(&d->cd.sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
    if (st != VT_SCSI_GOOD)
        vt_ide_atapi_done(b, (uint8_t)(d->cd.sense.key << 4 | VT_ATA_ABRT));
    else if (x.data_len && (d->feature & PACKET_DMA)) /* the PACKET's features still hold */
        vt_ide_start_atapi_dma(b, (uint32_t)x.data_len);
    else if (x.data_len)
        vt_ide_start_atapi_in(b, (uint32_t)x.data_len);
    else
        vt_ide_atapi_done(b, 0);
}

void vt_ata_cdrom_command(vt_ide_bus *b, vt_ide_drive *d, uint8_t cmd) {
    switch (cmd) {
    case CMD_IDENTIFY_PACKET:
        vt_ata_cdrom_identify(d, b->buf);
        vt_ide_start_pio_in(b, 512);
        return;
    case CMD_PACKET:
        if ((d->feature & PACKET_DMA) && !d->atapi_dma) {
            vt_ide_atapi_done(b, VT_ATA_ABRT); /* no DMA offered in IDENTIFY PACKET */
            return;
        }
        vt_ide_start_packet(b, (uint16_t)(d->hcyl << 8 | d->lcyl));
        return;
    case CMD_IDENTIFY: /* not an ATA device: abort, showing the ATAPI signature */
        vt_ide_done(b, VT_ATA_ABRT);
        d->nsector = d->sector = 1;
        d->lcyl = 0x14, d->hcyl = 0xeb;
        return;
    case CMD_DEVICE_RESET: /* completes without an interrupt (ATA-6 §8.7) */
        vt_ide_signature(d);
        return;
    case CMD_SET_FEATURES:
        if (d->feature != SF_XFER_MODE ||
            ((d->nsector & 0xf8) > 0x08 && !(d->atapi_dma && vt_ata_valid_xfer_mode(d->nsector)))) {
            vt_ide_done(b, VT_ATA_ABRT); /* PIO modes; DMA modes where DMA is offered */
            return;
        }
        d->xfer_mode = d->nsector;
        vt_ide_done(b, 0);
        return;
    case CMD_CHECK_POWER:
        d->nsector = 0xff;
        vt_ide_done(b, 0);
        return;
    case CMD_STANDBY_IMMEDIATE:
    case CMD_IDLE_IMMEDIATE:
        vt_ide_done(b, 0);
        return;
    default:
        vt_log(VT_LOG_DEV, "ata-cdrom: command 0x%02x not supported, aborted", cmd);
        vt_ide_done(b, VT_ATA_ABRT);
        return;
    }
}
