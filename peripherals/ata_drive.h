/* An ATA channel (one command block shared by a master and a slave position) with hard-disk
 * drives on the block layer and ATAPI CD-ROM drives (the SCSI CD-ROM model behind the PACKET
 * command): the task file, PIO data transfers, and a DMA side that a host controller's
 * bus-master engine drains or fills. Controller-independent: the controller maps the registers
 * and forwards accesses, and gives the interrupt line (INTRQ). */
#ifndef VT_ATA_DRIVE_H
#define VT_ATA_DRIVE_H

#include "core/irq.h"
#include "core/savestate.h"
#include "peripherals/scsi_cdrom.h"

struct vt_block;

/* Command-block register numbers (ATA-6 §7: the offsets of a PC's 0x1f0 block). */
enum {
    VT_ATA_DATA,
    VT_ATA_ERROR, /* write: features */
    VT_ATA_NSECT,
    VT_ATA_LBAL,
    VT_ATA_LBAM,
    VT_ATA_LBAH,
    VT_ATA_SELECT,
    VT_ATA_STATUS, /* write: command */
};

#define VT_ATA_MAX_MULTIPLE 16
#define VT_ATA_BUF (512 * VT_ATA_MAX_MULTIPLE)
#define VT_ATA_PKT_MAX (2u << 20) /* largest ATAPI data phase (above Linux's 1280 KiB) */

typedef enum {
    VT_ATA_IDLE,
    VT_ATA_PIO_IN,
    VT_ATA_PIO_OUT,
    VT_ATA_DMA_IN,
    VT_ATA_DMA_OUT,
    VT_ATA_PKT_CDB, /* PACKET: the host writes the 12-byte command */
    VT_ATA_PKT_IN,  /* its data-in phase by PIO, in byte-count-limited chunks */
    VT_ATA_PKT_DMA, /* its data-in phase by DMA */
} vt_ata_xfer;

typedef struct vt_ata_chan {
    struct vt_block *drive[2]; /* hard disk at that position (NULL: none) */
    vt_scsi_cdrom *atapi[2];   /* ATAPI CD-ROM at that position (NULL: none) */
    uint8_t *pkt;              /* VT_ATA_PKT_MAX bytes, needed when there is an ATAPI drive */
    const char *name;          /* for the log */
    vt_irq *intrq;
    /* task file (current and "previous content" for 48-bit commands) */
    uint8_t feature, nsect, lbal, lbam, lbah, select, status, error, devctl;
    uint8_t hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
    bool irq_pending;
    uint8_t multiple[2];                 /* SET MULTIPLE count per drive */
    uint8_t mwdma_mode[2], udma_mode[2]; /* SET FEATURES transfer mode; 0xff: none selected */
    /* the command in progress */
    vt_ata_xfer xfer;
    uint8_t command;
    uint64_t lba;       /* next sector to transfer */
    uint32_t remaining; /* sectors still to transfer after the buffer */
    uint32_t block;     /* sectors per DRQ block */
    uint32_t pos, len;  /* in buf */
    uint8_t buf[VT_ATA_BUF];
    /* the ATAPI command in progress */
    uint8_t cdb[12];
    bool pkt_dma;
    uint16_t pkt_limit; /* the host's byte count limit per PIO chunk */
    uint32_t pkt_pos, pkt_len, pkt_chunk_end;
} vt_ata_chan;

void vt_ata_reset(vt_ata_chan *c);
uint8_t vt_ata_read(vt_ata_chan *c, unsigned reg);
void vt_ata_write(vt_ata_chan *c, unsigned reg, uint8_t v);
/* The data register, 2 or 4 bytes at a time, first byte in the low bits. */
uint32_t vt_ata_read_data(vt_ata_chan *c, unsigned size);
void vt_ata_write_data(vt_ata_chan *c, uint32_t v, unsigned size);
/* Alternate status (no interrupt acknowledge) and device control. */
uint8_t vt_ata_alt_status(const vt_ata_chan *c);
void vt_ata_write_devctl(vt_ata_chan *c, uint8_t v);
/* DMA side: the direction of the data the command moves (true: drive to memory), and one
 * transfer of up to `len` bytes; returns the bytes moved (0: no DMA command in progress). The
 * command completes (INTRQ) when its last byte has moved. */
bool vt_ata_dma_active(const vt_ata_chan *c, bool *to_memory);
uint32_t vt_ata_dma(vt_ata_chan *c, uint8_t *buf, uint32_t len);

void vt_ata_save(const vt_ata_chan *c, vt_state_writer *w);
int vt_ata_load(vt_ata_chan *c, vt_state_reader *r) VT_MUST_CHECK;

#endif
