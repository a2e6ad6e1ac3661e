/* The ATAPI side of an ATA channel: a CD-ROM drive behind the PACKET command. IDENTIFY PACKET
 * DEVICE (CD-ROM, removable, no interrupt before the command packet, 12-byte packets), PACKET:
 * the 12-byte command runs on the SCSI CD-ROM model (scsi_cdrom.c), its data-in phase goes by
 * PIO in chunks of the host's byte count limit (interrupt reason CoD/IO in the sector count)
 * or by DMA, and CHECK CONDITION ends it with ERR and the sense key in the error register's
 * high nibble. Sources: ATA/ATAPI-6 (T13/1410D) §8.21 (IDENTIFY PACKET DEVICE), §8.23 and §9.8-9
 * (PACKET protocol, interrupt reason); Linux libata-sff.c (what a host checks). */
#include "core/log.h"
#include "peripherals/ata_internal.h"

/* IDENTIFY PACKET DEVICE: ATAPI, CD-ROM (type 5), removable, DRQ within 50 us (no interrupt
 * before the command packet), 12-byte packets. */
static void identify_packet(vt_ata_chan *c) {
    uint8_t *p = c->buf;
    vt_ata_identify_common(c, p, 0x85c0, "VITRINE CD-ROM");
    vt_ata_id_word(p, 82, 0x4010); /* PACKET feature set */
    vt_ata_id_word(p, 83, 0x4000);
    vt_ata_id_word(p, 84, 0x4000);
    vt_ata_id_word(p, 85, 0x4010);
    vt_ata_id_word(p, 87, 0x4000);
    vt_ata_identify_ready(c);
}

/* End of a PACKET command: interrupt reason "status", ERR with the sense key on failure. */
static void packet_done(vt_ata_chan *c, uint8_t sense_key) {
    c->nsect = VT_ATAPI_IO | VT_ATAPI_COD;
    c->pkt_pos = c->pkt_len = c->pkt_chunk_end = 0;
    if (sense_key)
        vt_ata_finish(c, VT_ATA_DRDY | VT_ATA_ERR, (uint8_t)(sense_key << 4 | VT_ATA_ABRT));
    else
        vt_ata_ok(c);
}

/* The next PIO chunk of a PACKET data-in phase: at most the host's byte count limit. */
static void packet_chunk(vt_ata_chan *c) {
    uint32_t limit = c->pkt_limit & ~1u;
    if (!limit) limit = 0xfffe;
    uint32_t n = c->pkt_len - c->pkt_pos < limit ? c->pkt_len - c->pkt_pos : limit;
    c->pkt_chunk_end = c->pkt_pos + n;
    c->lbam = (uint8_t)n;
    c->lbah = (uint8_t)(n >> 8);
    c->nsect = VT_ATAPI_IO;
    c->xfer = VT_ATA_PKT_IN;
    c->status = VT_ATA_DRDY | VT_ATA_DRQ;
    vt_ata_raise_irq(c);
}

/* The command packet is in: run it on the drive, then its data-in phase or its status. */
static void packet_run(vt_ata_chan *c) {
    vt_scsi_cdrom *cd = vt_ata_selected_atapi(c);
    vt_scsi_xfer x = {.data = c->pkt, .data_max = VT_ATA_PKT_MAX};
    uint8_t st = vt_scsi_cdrom_command(cd, 0, c->cdb, sizeof c->cdb, &x);
    if (st == VT_SCSI_GOOD && x.out_len) { /* a CD-ROM drive takes no data-out */
        vt_log(VT_LOG_DEV, "%s: ATAPI command 0x%02x wants data-out: aborted", c->name, c->cdb[0]);
        st = vt_scsi_check(&cd->sense, VT_SENSE_ILLEGAL_REQUEST, 0x20, 0);
    }
    if (st != VT_SCSI_GOOD) {
        packet_done(c, cd->sense.key ? cd->sense.key : VT_SENSE_ILLEGAL_REQUEST);
        return;
    }
    if (!x.data_len) {
        packet_done(c, 0);
        return;
    }
    c->pkt_pos = 0;
    c->pkt_len = (uint32_t)x.data_len;
    if (c->pkt_dma) { /* the controller's engine drains it (vt_ata_dma) */
        c->xfer = VT_ATA_PKT_DMA;
        c->nsect = VT_ATAPI_IO;
        c->status = VT_ATA_DRDY | VT_ATA_DRQ;
    } else {
        packet_chunk(c);
    }
}

void vt_ata_packet_command(vt_ata_chan *c, uint8_t cmd) {
    switch (cmd) {
    case 0xa0: /* PACKET */
        c->pkt_dma = c->feature & 1;
        c->pkt_limit = (uint16_t)(c->lbah << 8 | c->lbam);
        c->xfer = VT_ATA_PKT_CDB;
        c->pos = 0;
        c->len = sizeof c->cdb;
        c->nsect = VT_ATAPI_COD;
        c->status = VT_ATA_DRDY | VT_ATA_DRQ;
        break;
    case 0xa1:
        identify_packet(c);
        break;
    case 0xec: /* IDENTIFY DEVICE: aborted with the packet signature, so hosts look again */
        vt_ata_signature(c);
        vt_ata_fail(c, VT_ATA_ABRT);
        break;
    case 0x08: /* DEVICE RESET */
        vt_ata_signature(c);
        c->xfer = VT_ATA_IDLE;
        break;
    case 0x90:
        vt_ata_signature(c), vt_ata_raise_irq(c);
        break;
    case 0xef:
        vt_ata_set_features(c);
        break;
    case 0xe5:
        c->nsect = 0xff, vt_ata_ok(c);
        break;
    case 0xe0:
    case 0xe1:
    case 0xe2:
    case 0xe3:
    case 0xe7:
        vt_ata_ok(c);
        break;
    default:
        vt_log(VT_LOG_DEV, "%s: unsupported command 0x%02x for an ATAPI drive: aborted", c->name,
               cmd);
        vt_ata_fail(c, VT_ATA_ABRT);
        break;
    }
}

/* PACKET data-in by PIO: the next bytes of the current chunk. */
uint32_t vt_ata_packet_read(vt_ata_chan *c, unsigned size) {
    uint32_t v = 0;
    for (unsigned i = 0; i < size && c->pkt_pos < c->pkt_chunk_end; i++)
        v |= (uint32_t)c->pkt[c->pkt_pos++] << (8 * i);
    if (c->pkt_pos >= c->pkt_chunk_end) {
        if (c->pkt_pos < c->pkt_len)
            packet_chunk(c);
        else
            packet_done(c, 0);
    }
    return v;
}

void vt_ata_packet_write(vt_ata_chan *c, uint32_t v, unsigned size) {
    for (unsigned i = 0; i < size && c->pos < c->len; i++)
        c->cdb[c->pos++] = (uint8_t)(v >> (8 * i));
    if (c->pos == c->len) packet_run(c);
}

uint32_t vt_ata_packet_dma(vt_ata_chan *c, uint8_t *buf, uint32_t len) {
    uint32_t n = c->pkt_len - c->pkt_pos < len ? c->pkt_len - c->pkt_pos : len;
    memcpy(buf, c->pkt + c->pkt_pos, n);
    c->pkt_pos += n;
    if (c->pkt_pos == c->pkt_len) packet_done(c, 0);
    return n;
}
