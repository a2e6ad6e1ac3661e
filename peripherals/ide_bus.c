/* One IDE channel: task-file registers latched by both drive positions, status/INTRQ, device
 * control (nIEN, SRST, HOB), and the data phase of a command: PIO blocks through the data port
 * (16- or 32-bit accesses) or DMA chunks moved by the controller. Commands complete at once in
 * emulated time (no seek or rotation delay). An absent drive reads status 0 and ignores
 * commands, with the signature 0xFF/0xFF, as QEMU's `pc` answers Linux's and SeaBIOS's probes.
 * Sources: ATA/ATAPI-6 (T13 1410D) §6.2 (registers), §9.5/9.7/9.10 (PIO in/out, DMA). */
#include "peripherals/ide_bus.h"

#include "core/block/block.h"
#include "core/log.h"
#include "core/savestate.h"
#include "peripherals/ata_cdrom.h"
#include "peripherals/ata_disk.h"

#include <stdio.h>

#define SECTOR 512u
#define CMD_DIAGNOSTIC 0x90 /* EXECUTE DEVICE DIAGNOSTIC: a channel-wide command */

static unsigned selected_unit(const vt_ide_bus *b) {
    return (b->drive[0].select & VT_ATA_DEV) ? 1 : 0;
}

/* The drive the host addresses now (register reads, new commands). */
static vt_ide_drive *selected(vt_ide_bus *b) {
    return &b->drive[selected_unit(b)];
}

/* The drive that runs the command in progress: the one selected when it was written, even if
 * the host selects the other position during the data phase. */
static vt_ide_drive *active(vt_ide_bus *b) {
    return &b->drive[b->unit];
}

static void update_irq(vt_ide_bus *b) {
    vt_irq_set(&b->irq, b->intrq && !(b->devctl & VT_ATA_NIEN));
}

static void assert_intrq(vt_ide_bus *b) {
    b->intrq = true;
    update_irq(b);
}

/* The signature a drive leaves in its registers after a reset or a diagnostic: cylinder 0 for
 * ATA, 0xEB14 for ATAPI (ATA-6 §9.12), 0xFFFF where there is no drive. */
void vt_ide_signature(vt_ide_drive *d) {
    d->nsector = d->sector = 1;
    d->lcyl = d->atapi ? 0x14 : d->present ? 0x00 : 0xff;
    d->hcyl = d->atapi ? 0xeb : d->present ? 0x00 : 0xff;
    d->select &= VT_ATA_DEV;
    d->error = 0x01; /* diagnostic passed (or, for an absent slave, nothing to report) */
    d->status = d->present ? VT_ATA_DRDY | VT_ATA_DSC : 0;
}

static void soft_reset(vt_ide_bus *b) {
    for (int i = 0; i < 2; i++) {
        vt_ide_signature(&b->drive[i]);
        vt_ata_disk_reset(&b->drive[i]);
    }
    b->phase = VT_IDE_IDLE;
    b->pos = b->end = 0;
    b->left = 0;
    b->intrq = false;
    update_irq(b);
}

void vt_ide_reset(vt_ide_bus *b) {
    b->devctl = 0;
    for (int i = 0; i < 2; i++) {
        b->drive[i].select = 0;
        b->drive[i].cd.sense = (vt_scsi_sense){0, 0, 0}; /* an ATAPI drive's pending sense */
    }
    soft_reset(b);
}

void vt_ide_attach_disk(vt_ide_bus *b, int unit, vt_block *blk, const char *serial) {
    vt_ide_drive *d = &b->drive[unit];
    d->present = blk != NULL;
    d->atapi = false;
    d->blk = blk;
    snprintf(d->serial, sizeof d->serial, "%s", serial);
    if (blk) vt_ata_disk_attach(d);
}

void vt_ide_attach_cdrom(vt_ide_bus *b, int unit, vt_block *medium, const char *serial, bool dma) {
    vt_ide_drive *d = &b->drive[unit];
    d->present = d->atapi = true;
    d->atapi_dma = dma;
    d->blk = NULL;
    d->cd.medium = medium;
    snprintf(d->serial, sizeof d->serial, "%s", serial);
}

void vt_ide_done(vt_ide_bus *b, uint8_t error) {
    vt_ide_drive *d = active(b);
    b->phase = VT_IDE_IDLE;
    b->pos = b->end = 0;
    d->error = error;
    d->status = VT_ATA_DRDY | VT_ATA_DSC | (error ? VT_ATA_ERR : 0);
    assert_intrq(b);
}

static uint32_t block_sectors(const vt_ide_bus *b) {
    return b->left < b->per_block ? b->left : b->per_block;
}

/* Sectors of the next DMA step. */
static uint32_t dma_chunk(const vt_ide_bus *b) {
    return b->left < VT_IDE_BUF_SECTORS ? b->left : VT_IDE_BUF_SECTORS;
}

/* Reads the next PIO block into the buffer and asserts DRQ with an interrupt. */
static void load_in_block(vt_ide_bus *b) {
    vt_ide_drive *d = active(b);
    uint32_t n = block_sectors(b);
    vt_error err;
    if (vt_block_read_sectors(d->blk, b->lba, n, b->buf, &err)) {
        vt_log(VT_LOG_BLOCK, "ide: read at lba %llu: %s", (unsigned long long)b->lba, err.msg);
        vt_ata_disk_set_address(d, b->lba, b->lba48);
        vt_ide_done(b, VT_ATA_UNC);
        return;
    }
    b->pos = 0;
    b->end = n * SECTOR;
    d->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    assert_intrq(b);
}

static void expect_out_block(vt_ide_bus *b) {
    b->pos = 0;
    b->end = block_sectors(b) * SECTOR;
    active(b)->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
}

void vt_ide_start_transfer(vt_ide_bus *b, vt_ide_phase phase, uint64_t lba, uint32_t count,
                           uint32_t per_block) {
    b->phase = phase;
    b->lba = lba;
    b->left = count;
    b->per_block = per_block < VT_IDE_BUF_SECTORS ? per_block : VT_IDE_BUF_SECTORS;
    switch (phase) {
    case VT_IDE_PIO_IN:
        load_in_block(b);
        break;
    case VT_IDE_PIO_OUT:
        expect_out_block(b); /* the first block is asked for without an interrupt */
        break;
    case VT_IDE_DMA_IN:
    case VT_IDE_DMA_OUT:
        b->pos = 0;
        b->end = phase == VT_IDE_DMA_OUT ? dma_chunk(b) * SECTOR : 0; /* in: read when asked */
        active(b)->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
        if (b->dma_ready) b->dma_ready(b->dma_opaque);
        break;
    default: /* IDLE; the ATAPI phases start elsewhere */
        break;
    }
}

void vt_ide_start_pio_in(vt_ide_bus *b, uint32_t len) {
    b->phase = VT_IDE_PIO_IN;
    b->left = 0; /* not a sector transfer */
    b->pos = 0;
    b->end = len;
    active(b)->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    assert_intrq(b);
}

void vt_ide_start_packet(vt_ide_bus *b, uint16_t limit) {
    vt_ide_drive *d = active(b);
    b->phase = VT_IDE_PACKET;
    b->limit = limit ? limit & 0xfffe : 0xfffe; /* even; 0 is taken as the largest */
    b->pos = 0;
    b->end = 12;
    d->nsector = VT_ATAPI_COD; /* the device wants the command packet */
    d->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
}

/* The next piece of ATAPI data-in: its length in the byte-count registers, DRQ, interrupt. */
static void atapi_piece(vt_ide_bus *b) {
    vt_ide_drive *d = active(b);
    uint32_t n = b->total - b->pos < b->limit ? b->total - b->pos : b->limit;
    b->end = b->pos + n;
    d->lcyl = (uint8_t)n, d->hcyl = (uint8_t)(n >> 8);
    d->nsector = VT_ATAPI_IO;
    d->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    assert_intrq(b);
}

void vt_ide_start_atapi_in(vt_ide_bus *b, uint32_t total) {
    b->phase = VT_IDE_ATAPI_IN;
    b->total = total;
    b->pos = 0;
    atapi_piece(b);
}

void vt_ide_start_atapi_dma(vt_ide_bus *b, uint32_t total) {
    vt_ide_drive *d = active(b);
    b->phase = VT_IDE_ATAPI_DMA;
    b->total = total;
    b->pos = 0;
    b->end = total;
    d->nsector = VT_ATAPI_IO;
    d->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    if (b->dma_ready) b->dma_ready(b->dma_opaque);
}

void vt_ide_atapi_done(vt_ide_bus *b, uint8_t error) {
    vt_ide_done(b, error);
    active(b)->nsector = VT_ATAPI_IO | VT_ATAPI_COD; /* status phase */
}

/* The host has taken (PIO in) or given (PIO out) the whole block in the buffer. */
static void block_done(vt_ide_bus *b) {
    vt_ide_drive *d = active(b);
    uint32_t n = b->end / SECTOR;
    if (b->phase == VT_IDE_PACKET) {
        vt_ata_cdrom_packet(b, d);
        return;
    }
    if (b->phase == VT_IDE_ATAPI_IN) {
        if (b->pos < b->total)
            atapi_piece(b);
        else
            vt_ide_atapi_done(b, 0);
        return;
    }
    if (b->phase == VT_IDE_PIO_OUT) {
        vt_error err;
        if (vt_block_write_sectors(d->blk, b->lba, n, b->buf, &err)) {
            vt_log(VT_LOG_BLOCK, "ide: write at lba %llu: %s", (unsigned long long)b->lba, err.msg);
            vt_ata_disk_set_address(d, b->lba, b->lba48);
            vt_ide_done(b, VT_ATA_ABRT);
            return;
        }
    }
    if (!b->left) { /* IDENTIFY and other single-block data */
        b->phase = VT_IDE_IDLE;
        d->status = VT_ATA_DRDY | VT_ATA_DSC;
        return;
    }
    b->lba += n;
    b->left -= n;
    vt_ata_disk_set_address(d, b->lba - 1, b->lba48);
    if (b->left && b->phase == VT_IDE_PIO_IN) {
        load_in_block(b);
    } else if (b->left) {
        expect_out_block(b);
        assert_intrq(b);
    } else if (b->phase == VT_IDE_PIO_OUT) {
        vt_ide_done(b, 0); /* the interrupt after the last block written */
    } else {
        b->phase = VT_IDE_IDLE; /* the last block read: no further interrupt */
        d->status = VT_ATA_DRDY | VT_ATA_DSC;
    }
}

static uint32_t data_read(vt_ide_bus *b, unsigned size) {
    if (b->phase != VT_IDE_PIO_IN && b->phase != VT_IDE_ATAPI_IN) return 0;
    uint32_t v = 0;
    for (unsigned i = 0; i < size && b->pos < b->end; i++)
        v |= (uint32_t)b->buf[b->pos++] << 8 * i;
    if (b->pos >= b->end) block_done(b);
    return v;
}

static void data_write(vt_ide_bus *b, uint32_t v, unsigned size) {
    if (b->phase != VT_IDE_PIO_OUT && b->phase != VT_IDE_PACKET) return;
    for (unsigned i = 0; i < size && b->pos < b->end; i++)
        b->buf[b->pos++] = (uint8_t)(v >> 8 * i);
    if (b->pos >= b->end) block_done(b);
}

bool vt_ide_dma_pending(const vt_ide_bus *b) {
    return b->phase == VT_IDE_DMA_IN || b->phase == VT_IDE_DMA_OUT || b->phase == VT_IDE_ATAPI_DMA;
}

bool vt_ide_dma_to_memory(const vt_ide_bus *b) {
    return b->phase != VT_IDE_DMA_OUT;
}

/* DMA data moves through buf [pos, end) one step at a time: up to VT_IDE_BUF_SECTORS sectors
 * of a disk command (read when the engine first asks for them), or an ATAPI packet's data. */

/* The step's data is there to move; false when the command ended instead (a read error). */
static bool dma_step_ready(vt_ide_bus *b) {
    if (b->phase != VT_IDE_DMA_IN || b->pos < b->end) return true;
    vt_ide_drive *d = active(b);
    uint32_t n = dma_chunk(b);
    vt_error err;
    if (vt_block_read_sectors(d->blk, b->lba, n, b->buf, &err)) {
        vt_log(VT_LOG_BLOCK, "ide: dma read at lba %llu: %s", (unsigned long long)b->lba, err.msg);
        vt_ata_disk_set_address(d, b->lba, b->lba48);
        vt_ide_done(b, VT_ATA_UNC);
        return false;
    }
    b->pos = 0;
    b->end = n * SECTOR;
    return true;
}

/* The step's data has all moved: write it out (DMA out), then the next step or the end. */
static void dma_step_done(vt_ide_bus *b) {
    if (b->phase == VT_IDE_ATAPI_DMA) {
        vt_ide_atapi_done(b, 0);
        return;
    }
    vt_ide_drive *d = active(b);
    uint32_t n = b->end / SECTOR;
    vt_error err;
    if (b->phase == VT_IDE_DMA_OUT && vt_block_write_sectors(d->blk, b->lba, n, b->buf, &err)) {
        vt_log(VT_LOG_BLOCK, "ide: dma write at lba %llu: %s", (unsigned long long)b->lba, err.msg);
        vt_ata_disk_set_address(d, b->lba, b->lba48);
        vt_ide_done(b, VT_ATA_ABRT);
        return;
    }
    b->lba += n;
    b->left -= n;
    if (!b->left) {
        vt_ata_disk_set_address(d, b->lba - 1, b->lba48);
        vt_ide_done(b, 0);
        return;
    }
    b->pos = 0;
    b->end = b->phase == VT_IDE_DMA_OUT ? dma_chunk(b) * SECTOR : 0;
}

vt_ide_dma_result vt_ide_dma_run(vt_ide_bus *b, vt_ide_dma_fn move, void *opaque) {
    while (vt_ide_dma_pending(b) && dma_step_ready(b)) {
        vt_ide_dma_result r =
            move(opaque, b->buf + b->pos, b->end - b->pos, vt_ide_dma_to_memory(b));
        if (r != VT_IDE_DMA_OK) {
            vt_ide_done(b, VT_ATA_ABRT);
            return r;
        }
        b->pos = b->end;
        dma_step_done(b);
    }
    return VT_IDE_DMA_OK;
}

uint32_t vt_ide_dma_xfer(vt_ide_bus *b, uint8_t *buf, uint32_t len) {
    uint32_t moved = 0;
    while (moved < len && vt_ide_dma_pending(b) && dma_step_ready(b)) {
        uint32_t n = b->end - b->pos < len - moved ? b->end - b->pos : len - moved;
        if (vt_ide_dma_to_memory(b))
            memcpy(buf + moved, b->buf + b->pos, n);
        else
            memcpy(b->buf + b->pos, buf + moved, n);
        b->pos += n;
        moved += n;
        if (b->pos == b->end) dma_step_done(b);
    }
    return moved;
}

static uint8_t reg_of(const vt_ide_drive *d, unsigned reg, bool hob) {
    switch (reg) {
    case VT_IDE_ERROR:
        return hob ? d->hob_feature : d->error;
    case VT_IDE_NSECTOR:
        return hob ? d->hob_nsector : d->nsector;
    case VT_IDE_SECTOR:
        return hob ? d->hob_sector : d->sector;
    case VT_IDE_LCYL:
        return hob ? d->hob_lcyl : d->lcyl;
    case VT_IDE_HCYL:
        return hob ? d->hob_hcyl : d->hcyl;
    case VT_IDE_SELECT:
        return d->select | 0xa0; /* bits 7 and 5 read as one (obsolete) */
    default:
        return d->status;
    }
}

uint32_t vt_ide_read(vt_ide_bus *b, unsigned reg, unsigned size) {
    if (reg == VT_IDE_DATA) return data_read(b, size);
    if (!b->drive[0].present && !b->drive[1].present) return 0; /* no drive: the pull-downs */
    vt_ide_drive *d = selected(b);
    if (reg == VT_IDE_STATUS) {
        if (!d->present) return 0;
        b->intrq = false; /* reading the status acknowledges the interrupt */
        update_irq(b);
    }
    return reg_of(d, reg, b->devctl & VT_ATA_HOB);
}

uint8_t vt_ide_alt_status(vt_ide_bus *b) {
    const vt_ide_drive *d = selected(b);
    return d->present ? d->status : 0;
}

static void latch(vt_ide_drive *d, unsigned reg, uint8_t v) {
    switch (reg) {
    case VT_IDE_ERROR:
        d->hob_feature = d->feature, d->feature = v;
        break;
    case VT_IDE_NSECTOR:
        d->hob_nsector = d->nsector, d->nsector = v;
        break;
    case VT_IDE_SECTOR:
        d->hob_sector = d->sector, d->sector = v;
        break;
    case VT_IDE_LCYL:
        d->hob_lcyl = d->lcyl, d->lcyl = v;
        break;
    case VT_IDE_HCYL:
        d->hob_hcyl = d->hcyl, d->hcyl = v;
        break;
    default:
        d->select = v & 0x5f;
        break; /* LBA, DEV, head */
    }
}

static void command(vt_ide_bus *b, uint8_t cmd) {
    vt_ide_drive *d = selected(b);
    if (!d->present || (d->status & VT_ATA_BSY)) return;
    b->intrq = false;
    update_irq(b);
    b->phase = VT_IDE_IDLE;
    b->unit = (uint8_t)selected_unit(b);
    if (cmd == CMD_DIAGNOSTIC) { /* both drives run it and show their signatures */
        for (int i = 0; i < 2; i++)
            vt_ide_signature(&b->drive[i]);
        vt_ide_done(b, 0);
        d->error = 0x01; /* the diagnostic code: passed */
        return;
    }
    if (d->atapi)
        vt_ata_cdrom_command(b, d, cmd);
    else
        vt_ata_disk_command(b, d, cmd);
}

void vt_ide_write(vt_ide_bus *b, unsigned reg, uint32_t v, unsigned size) {
    if (reg == VT_IDE_DATA) {
        data_write(b, v, size);
        return;
    }
    b->devctl &= (uint8_t)~VT_ATA_HOB; /* any register write clears HOB */
    if (reg == VT_IDE_STATUS) {
        command(b, (uint8_t)v);
        return;
    }
    for (int i = 0; i < 2; i++)
        latch(&b->drive[i], reg, (uint8_t)v);
}

void vt_ide_write_devctl(vt_ide_bus *b, uint8_t v) {
    bool was_reset = b->devctl & VT_ATA_SRST;
    b->devctl = v & (VT_ATA_HOB | VT_ATA_SRST | VT_ATA_NIEN);
    if (v & VT_ATA_SRST) {
        for (int i = 0; i < 2; i++)
            if (b->drive[i].present) b->drive[i].status = VT_ATA_BSY;
        b->phase = VT_IDE_IDLE;
    } else if (was_reset) {
        soft_reset(b); /* the drives finish their reset when SRST is released */
    }
    update_irq(b);
}

/* An ATAPI data phase: its whole data (total bytes) is in the buffer. */
static bool atapi_data(const vt_ide_bus *b) {
    return b->phase == VT_IDE_ATAPI_IN || b->phase == VT_IDE_ATAPI_DMA;
}

void vt_ide_save(const vt_ide_bus *b, vt_state_writer *w) {
    vt_state_begin(w, "IDEB", 1);
    for (int i = 0; i < 2; i++) {
        const vt_ide_drive *d = &b->drive[i];
        const uint8_t regs[] = {d->feature,    d->nsector,  d->sector,      d->lcyl,
                                d->hcyl,       d->select,   d->hob_feature, d->hob_nsector,
                                d->hob_sector, d->hob_lcyl, d->hob_hcyl,    d->status,
                                d->error,      d->mult,     d->xfer_mode,   d->write_cache};
        vt_state_put_bytes(w, regs, sizeof regs);
        vt_state_put_u16(w, d->cur_heads);
        vt_state_put_u16(w, d->cur_secs);
    }
    vt_state_put_u8(w, b->devctl);
    vt_state_put_u8(w, b->intrq);
    vt_state_put_u32(w, (uint32_t)b->phase);
    vt_state_put_u32(w, b->unit);
    vt_state_put_u8(w, b->lba48);
    vt_state_put_u64(w, b->lba);
    vt_state_put_u32(w, b->left);
    vt_state_put_u32(w, b->per_block);
    vt_state_put_u32(w, b->pos);
    vt_state_put_u32(w, b->end);
    vt_state_put_u32(w, b->total);
    vt_state_put_u16(w, b->limit);
    vt_state_put_bytes(w, b->buf, atapi_data(b) ? b->total : b->end);
    vt_state_end(w);
}

int vt_ide_load(vt_ide_bus *b, vt_state_reader *r) {
    uint32_t version;
    if (vt_state_open(r, "IDEB", 1, &version)) return -1;
    for (int i = 0; i < 2; i++) {
        vt_ide_drive *d = &b->drive[i];
        uint8_t regs[16];
        vt_state_get_bytes(r, regs, sizeof regs);
        d->feature = regs[0], d->nsector = regs[1], d->sector = regs[2], d->lcyl = regs[3];
        d->hcyl = regs[4], d->select = regs[5] & 0x5f, d->hob_feature = regs[6];
        d->hob_nsector = regs[7], d->hob_sector = regs[8], d->hob_lcyl = regs[9];
        d->hob_hcyl = regs[10], d->status = regs[11], d->error = regs[12], d->mult = regs[13];
        d->xfer_mode = regs[14], d->write_cache = regs[15] != 0;
        d->cur_heads = vt_state_get_u16(r);
        d->cur_secs = vt_state_get_u16(r);
        bool bad_chs = d->blk && (!d->cur_heads || d->cur_heads > 16 || !d->cur_secs);
        if (bad_chs || d->mult > VT_ATA_MAX_MULT) vt_state_fail(r, "ide: bad drive parameters");
    }
    b->devctl = vt_state_get_u8(r) & (VT_ATA_HOB | VT_ATA_SRST | VT_ATA_NIEN);
    b->intrq = vt_state_get_u8(r) != 0;
    b->phase = (vt_ide_phase)vt_state_get_index(r, VT_IDE_ATAPI_DMA + 1);
    b->unit = (uint8_t)vt_state_get_index(r, 2);
    b->lba48 = vt_state_get_u8(r) != 0;
    b->lba = vt_state_get_u64(r);
    b->left = vt_state_get_u32(r);
    b->per_block = vt_state_get_index(r, VT_IDE_BUF_SECTORS + 1);
    b->pos = vt_state_get_index(r, sizeof b->buf + 1);
    b->end = vt_state_get_index(r, sizeof b->buf + 1);
    b->total = vt_state_get_index(r, sizeof b->buf + 1);
    b->limit = vt_state_get_u16(r);
    if (b->pos > b->end) vt_state_fail(r, "ide: data position %u past its end %u", b->pos, b->end);
    if (b->phase == VT_IDE_ATAPI_IN && (b->end > b->total || !b->limit))
        vt_state_fail(r, "ide: ATAPI data piece past its data");
    if (b->phase == VT_IDE_ATAPI_DMA && b->end != b->total)
        vt_state_fail(r, "ide: ATAPI DMA data of the wrong length");
    if ((b->phase == VT_IDE_DMA_IN || b->phase == VT_IDE_DMA_OUT) &&
        (b->end % SECTOR || b->end > dma_chunk(b) * SECTOR))
        vt_state_fail(r, "ide: DMA step past its command");
    const vt_ide_drive *a = active(b);
    bool atapi_phase = b->phase == VT_IDE_PACKET || atapi_data(b) ||
                       (b->phase == VT_IDE_PIO_IN && !b->left); /* IDENTIFY PACKET DEVICE */
    bool disk_phase = b->phase != VT_IDE_PACKET && !atapi_data(b);
    if (b->phase != VT_IDE_IDLE && (!a->present || (a->atapi ? !atapi_phase : !disk_phase)))
        vt_state_fail(r, "ide: a transfer the drive cannot be in");
    if (vt_state_ok(r)) vt_state_get_bytes(r, b->buf, atapi_data(b) ? b->total : b->end);
    if (vt_state_close(r)) return -1;
    update_irq(b);
    return 0;
}
