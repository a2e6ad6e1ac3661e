/* One IDE (ATA) channel, controller-independent: the task-file registers both drive positions
 * latch, the status and interrupt (INTRQ) protocol, and the data phase a command starts (PIO
 * blocks through the data port, or DMA moved by the controller's engine). The command sets of
 * the drives live in ata_disk.c (hard disk) and ata_cdrom.c (ATAPI CD-ROM). Controllers
 * (piix3_ide.c on the PC, macio_ata.c on mac-io) map the command block and the control
 * register, give the channel its interrupt line, and move DMA data either all at once through
 * a descriptor walk (vt_ide_dma_run: PIIX bus master) or piecewise as their engine asks for it
 * (vt_ide_dma_xfer: DBDMA). Sources: ATA/ATAPI-6 (T13 1410D) §6 (register protocol), §8
 * (commands), §9 (PIO and DMA protocols). */
#ifndef VT_IDE_BUS_H
#define VT_IDE_BUS_H

#include "core/common.h"
#include "core/irq.h"
#include "peripherals/ata_regs.h"
#include "peripherals/scsi_cdrom.h"

struct vt_block;
struct vt_state_writer;
struct vt_state_reader;

/* Command-block register offsets (from 0x1F0 / 0x170). */
enum {
    VT_IDE_DATA = 0,
    VT_IDE_ERROR = 1, /* write: FEATURES */
    VT_IDE_NSECTOR = 2,
    VT_IDE_SECTOR = 3, /* LBA 7:0 */
    VT_IDE_LCYL = 4,   /* LBA 15:8 */
    VT_IDE_HCYL = 5,   /* LBA 23:16 */
    VT_IDE_SELECT = 6, /* DEVICE/HEAD */
    VT_IDE_STATUS = 7, /* write: COMMAND */
};

#define VT_IDE_BUF_SECTORS 256u /* sectors of one PIO block or DMA step at the most */
/* The data buffer: a sector chunk, or the whole data of one ATAPI packet (Linux's ata_piix
 * asks for up to 64 CD blocks, pata_macio for up to 1280 KiB). */
#define VT_IDE_BUF_BYTES (2u << 20)

typedef enum vt_ide_phase {
    VT_IDE_IDLE,
    VT_IDE_PIO_IN,   /* device -> host through the data port */
    VT_IDE_PIO_OUT,  /* host -> device through the data port */
    VT_IDE_DMA_IN,   /* device -> memory through the bus master */
    VT_IDE_DMA_OUT,  /* memory -> device */
    VT_IDE_PACKET,   /* ATAPI: host -> device, the 12-byte command packet */
    VT_IDE_ATAPI_IN, /* ATAPI: device -> host, the packet's data in byte-count-limited pieces */
    VT_IDE_ATAPI_DMA /* ATAPI: device -> memory, the packet's data by DMA */
} vt_ide_phase;

/* The registers a drive latches (each position keeps its own copy; writes go to both) and the
 * ATA disk state. */
typedef struct vt_ide_drive {
    bool present;
    bool atapi;           /* an ATAPI CD-ROM (cd), else an ATA disk (blk) */
    bool atapi_dma;       /* ATAPI: offers DMA for packet data (the controller can move it) */
    struct vt_block *blk; /* the ATA disk's image */
    vt_scsi_cdrom cd;     /* the ATAPI drive's command set and medium */
    uint8_t feature, nsector, sector, lcyl, hcyl, select;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl; /* previous values */
    uint8_t status, error;
    /* ATA disk: default and current (INITIALIZE DEVICE PARAMETERS) CHS translation */
    uint16_t cyls, heads, secs, cur_heads, cur_secs;
    uint8_t mult;      /* sectors per DRQ block of READ/WRITE MULTIPLE (0: disabled) */
    uint8_t xfer_mode; /* SET FEATURES 03h value: 0x08|n PIO, 0x20|n MWDMA, 0x40|n UDMA */
    bool write_cache;
    char serial[21];
} vt_ide_drive;

/* How a controller's bus master moves one chunk of a DMA command (to_memory: buf -> memory). */
typedef enum vt_ide_dma_result {
    VT_IDE_DMA_OK,    /* all len bytes moved */
    VT_IDE_DMA_SHORT, /* the descriptor table ended first */
    VT_IDE_DMA_FAULT, /* a descriptor or a data address is not memory */
} vt_ide_dma_result;
typedef vt_ide_dma_result (*vt_ide_dma_fn)(void *opaque, uint8_t *buf, uint32_t len,
                                           bool to_memory);

typedef struct vt_ide_bus {
    vt_ide_drive drive[2];
    uint8_t devctl;
    bool intrq;         /* the selected drive's pending interrupt (before nIEN) */
    vt_irq irq;         /* INTRQ after nIEN, to the controller */
    vt_ide_phase phase; /* of the command in progress */
    uint8_t unit;       /* the drive running it (0 master, 1 slave) */
    bool lba48;
    uint64_t lba;                    /* next sector of the command */
    uint32_t left;                   /* sectors the command still has to move */
    uint32_t per_block;              /* sectors per DRQ block (PIO) */
    uint32_t pos, end;               /* data port position within buf */
    uint32_t total;                  /* ATAPI data-in: bytes the packet returns */
    uint16_t limit;                  /* ATAPI byte count limit per DRQ piece */
    void (*dma_ready)(void *opaque); /* the drive waits for the bus master */
    void *dma_opaque;
    uint8_t buf[VT_IDE_BUF_BYTES];
} vt_ide_bus;

/* Attaches a hard disk (blk may be NULL: no drive) to position `unit` (0 master, 1 slave). */
void vt_ide_attach_disk(vt_ide_bus *b, int unit, struct vt_block *blk, const char *serial);
/* Attaches an ATAPI CD-ROM drive with its medium (NULL: empty) to position `unit`; with `dma`
 * it offers DMA for packet data (the controller moves it with vt_ide_dma_run/_xfer). */
void vt_ide_attach_cdrom(vt_ide_bus *b, int unit, struct vt_block *medium, const char *serial,
                         bool dma);
/* Power-on / hardware reset of the channel (drive signatures, default translation). */
void vt_ide_reset(vt_ide_bus *b);

uint32_t vt_ide_read(vt_ide_bus *b, unsigned reg, unsigned size);
void vt_ide_write(vt_ide_bus *b, unsigned reg, uint32_t v, unsigned size);
uint8_t vt_ide_alt_status(vt_ide_bus *b);
void vt_ide_write_devctl(vt_ide_bus *b, uint8_t v);

/* True while the active drive waits for its DMA data; its direction (true: drive to memory).
 * vt_ide_dma_run moves all of it with `move` (the controller's descriptor walk) and completes
 * or aborts the command. */
bool vt_ide_dma_pending(const vt_ide_bus *b);
bool vt_ide_dma_to_memory(const vt_ide_bus *b);
vt_ide_dma_result vt_ide_dma_run(vt_ide_bus *b, vt_ide_dma_fn move, void *opaque);
/* One piece of a DMA transfer for an engine that asks the drive for data: up to `len` bytes
 * into buf (to memory) or out of it; returns the bytes moved (0: no DMA phase). The command
 * completes (INTRQ) with its last byte. */
uint32_t vt_ide_dma_xfer(vt_ide_bus *b, uint8_t *buf, uint32_t len);

void vt_ide_save(const vt_ide_bus *b, struct vt_state_writer *w);
int vt_ide_load(vt_ide_bus *b, struct vt_state_reader *r) VT_MUST_CHECK;

/* --- for the command sets (ata_disk.c) ------------------------------------------------- */
/* Ends the command of the active drive: status DRDY|DSC (|ERR with `error`), interrupt. */
void vt_ide_done(vt_ide_bus *b, uint8_t error);
/* Starts a sector transfer of `count` sectors at `lba` in `phase`. */
void vt_ide_start_transfer(vt_ide_bus *b, vt_ide_phase phase, uint64_t lba, uint32_t count,
                           uint32_t per_block);
/* Starts a PIO data-in of len bytes already in b->buf (IDENTIFY). */
void vt_ide_start_pio_in(vt_ide_bus *b, uint32_t len);
/* ATAPI: asks for the 12-byte packet (PACKET command), then hands it to the command set. */
void vt_ide_start_packet(vt_ide_bus *b, uint16_t limit);
/* ATAPI: the packet's total bytes of data-in (in b->buf) go out in pieces of the limit, or by
 * DMA. */
void vt_ide_start_atapi_in(vt_ide_bus *b, uint32_t total);
void vt_ide_start_atapi_dma(vt_ide_bus *b, uint32_t total);
/* ATAPI: the packet ends (interrupt reason I/O + C/D), with ERR and `error` when nonzero. */
void vt_ide_atapi_done(vt_ide_bus *b, uint8_t error);
/* The reset signature of a drive (also what an ATAPI drive leaves after IDENTIFY DEVICE). */
void vt_ide_signature(vt_ide_drive *d);

#endif
