/* An ATA channel (one command block shared by a master and a slave position) with hard-disk
 * drives on the block layer: the task file, PIO data transfers, and a DMA side that a host
 * controller's bus-master engine drains or fills. Controller-independent: the controller maps
 * the registers and forwards accesses, and gives the interrupt line (INTRQ). */
#ifndef VT_ATA_DRIVE_H
#define VT_ATA_DRIVE_H

#include "core/irq.h"
#include "core/savestate.h"

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

typedef enum {
    VT_ATA_IDLE,
    VT_ATA_PIO_IN,
    VT_ATA_PIO_OUT,
    VT_ATA_DMA_IN,
    VT_ATA_DMA_OUT
} vt_ata_xfer;

typedef struct vt_ata_chan {
    struct vt_block *drive[2]; /* NULL: no drive at that position */
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
