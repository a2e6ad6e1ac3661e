/* ATA hard-disk drives on a channel: the shared task file (values written reach both
 * positions; an absent selected drive reads status and error 0, as QEMU's IDE bus does, so a
 * host probing for a slave finds none), soft reset with the signature, IDENTIFY DEVICE, PIO and
 * multiple-block transfers, DMA transfers for a bus-master engine, 28- and 48-bit addressing,
 * SET FEATURES transfer modes, flush and power commands; unsupported commands are aborted
 * (ERR + ABRT) and logged. A position holding an ATAPI drive hands its commands and data to
 * ata_packet.c. Approximation: the task file is one per channel, so after a reset it holds the
 * selected position's signature. Sources: ATA/ATAPI-6 (T13/1410D) §6 (status, error, device
 * control bits), §8 (commands, IDENTIFY DEVICE words), §9 (PIO/DMA protocols); Linux libata
 * (what a host checks). */
#include "peripherals/ata_drive.h"

#include "core/block/block.h"
#include "core/log.h"
#include "peripherals/ata_internal.h"

#include <stdio.h>

static struct vt_block *selected(const vt_ata_chan *c) {
    return c->drive[(c->select & VT_ATA_DEV) ? 1 : 0];
}

static bool present(const vt_ata_chan *c) {
    return selected(c) || vt_ata_selected_atapi(c);
}

static bool any_drive(const vt_ata_chan *c) {
    return c->drive[0] || c->drive[1] || c->atapi[0] || c->atapi[1];
}

static void update_irq(vt_ata_chan *c) {
    vt_irq_set(c->intrq, c->irq_pending && !(c->devctl & VT_ATA_NIEN));
}

void vt_ata_raise_irq(vt_ata_chan *c) {
    c->irq_pending = true;
    update_irq(c);
}

void vt_ata_finish(vt_ata_chan *c, uint8_t status, uint8_t error) {
    c->xfer = VT_ATA_IDLE;
    c->status = status;
    c->error = error;
    c->pos = c->len = 0;
    vt_ata_raise_irq(c);
}

void vt_ata_ok(vt_ata_chan *c) {
    vt_ata_finish(c, VT_ATA_DRDY | VT_ATA_DSC, 0);
}

void vt_ata_fail(vt_ata_chan *c, uint8_t error) {
    vt_ata_finish(c, VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_ERR, error);
}

void vt_ata_signature(vt_ata_chan *c) {
    c->nsect = c->lbal = 1;
    c->lbam = vt_ata_selected_atapi(c) ? 0x14 : 0; /* packet device: 0x14, 0xeb */
    c->lbah = vt_ata_selected_atapi(c) ? 0xeb : 0;
    c->select &= VT_ATA_DEV | VT_ATA_SEL_OBSOLETE;
    c->error = VT_ATA_DIAG_OK;
    c->status = VT_ATA_DRDY | VT_ATA_DSC;
}

void vt_ata_reset(vt_ata_chan *c) {
    c->feature = c->devctl = 0;
    c->hob_feature = c->hob_nsect = c->hob_lbal = c->hob_lbam = c->hob_lbah = 0;
    c->select = VT_ATA_SEL_OBSOLETE;
    vt_ata_signature(c);
    c->xfer = VT_ATA_IDLE;
    c->pos = c->len = c->remaining = 0;
    c->irq_pending = false;
    for (int i = 0; i < 2; i++) {
        c->multiple[i] = VT_ATA_MAX_MULTIPLE; /* multiple mode on, as QEMU's drives start */
        c->mwdma_mode[i] = c->udma_mode[i] = 0xff;
    }
    update_irq(c);
}

static uint64_t sectors(const vt_ata_chan *c) {
    return vt_block_sectors(selected(c));
}

static uint32_t cylinders(uint64_t n) {
    uint64_t cyl = n / (HEADS * SPT);
    return cyl > 16383 ? 16383 : (uint32_t)cyl;
}

/* The IDENTIFY words disks and packet devices share: identity, capabilities, transfer modes. */
void vt_ata_identify_common(vt_ata_chan *c, uint8_t *p, uint16_t config, const char *model) {
    int u = vt_ata_unit(c);
    char serial[21];
    snprintf(serial, sizeof serial, "VT%08u", (unsigned)u);
    memset(p, 0, SECTOR);
    vt_ata_id_word(p, 0, config);
    vt_ata_id_string(p, 10, 10, serial);
    vt_ata_id_string(p, 23, 4, "1.0");
    vt_ata_id_string(p, 27, 20, model);
    vt_ata_id_word(p, 49, 0x0b00); /* IORDY, LBA, DMA */
    vt_ata_id_word(p, 53, 0x0007); /* words 54-58, 64-70 and 88 valid */
    uint16_t mw = 0x0007;
    if (c->mwdma_mode[u] <= 2) mw |= (uint16_t)(0x100 << c->mwdma_mode[u]);
    vt_ata_id_word(p, 63, mw);
    vt_ata_id_word(p, 64, 0x0003); /* PIO 3 and 4 */
    for (unsigned w = 65; w <= 68; w++)
        vt_ata_id_word(p, w, 120); /* cycle times, ns */
    vt_ata_id_word(p, 80, 0x00f0); /* ATA-4 to ATA-7 */
    uint16_t ud = 0x003f;
    if (c->udma_mode[u] <= 5) ud |= (uint16_t)(0x100 << c->udma_mode[u]);
    vt_ata_id_word(p, 88, ud);
}

/* The identify block is ready: one PIO data-in block. */
void vt_ata_identify_ready(vt_ata_chan *c) {
    c->pos = 0;
    c->len = SECTOR;
    c->remaining = 0;
    c->xfer = VT_ATA_PIO_IN;
    c->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    vt_ata_raise_irq(c);
}

static void identify(vt_ata_chan *c) {
    uint8_t *p = c->buf;
    uint64_t n = sectors(c);
    uint32_t cyl = cylinders(n);
    int u = vt_ata_unit(c);
    vt_ata_identify_common(c, p, 0x0040, "VITRINE ATA DISK"); /* fixed disk, not removable */
    vt_ata_id_word(p, 1, (uint16_t)cyl);
    vt_ata_id_word(p, 3, HEADS);
    vt_ata_id_word(p, 6, SPT);
    vt_ata_id_word(p, 47, 0x8000 | VT_ATA_MAX_MULTIPLE);
    vt_ata_id_word(p, 50, 0x4000);
    vt_ata_id_word(p, 51, 0x0200);
    vt_ata_id_word(p, 54, (uint16_t)cyl);
    vt_ata_id_word(p, 55, HEADS);
    vt_ata_id_word(p, 56, SPT);
    uint32_t chs = cyl * HEADS * SPT;
    vt_ata_id_word(p, 57, (uint16_t)chs);
    vt_ata_id_word(p, 58, (uint16_t)(chs >> 16));
    if (c->multiple[u]) vt_ata_id_word(p, 59, 0x0100 | c->multiple[u]);
    uint32_t lba28 = n > 0x0fffffff ? 0x0fffffff : (uint32_t)n;
    vt_ata_id_word(p, 60, (uint16_t)lba28);
    vt_ata_id_word(p, 61, (uint16_t)(lba28 >> 16));
    vt_ata_id_word(p, 82, 0x4000);
    vt_ata_id_word(p, 83, 0x7400); /* FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses */
    vt_ata_id_word(p, 84, 0x4000);
    vt_ata_id_word(p, 85, 0x4000);
    vt_ata_id_word(p, 86, 0x3400);
    vt_ata_id_word(p, 87, 0x4000);
    for (unsigned w = 0; w < 4; w++)
        vt_ata_id_word(p, 100 + w, (uint16_t)(n >> (16 * w)));
    vt_ata_identify_ready(c);
}

/* The command's first sector and count from the task file. */
static void address(const vt_ata_chan *c, bool lba48, uint64_t *lba, uint32_t *count) {
    if (lba48) {
        *lba = (uint64_t)c->hob_lbah << 40 | (uint64_t)c->hob_lbam << 32 |
               (uint64_t)c->hob_lbal << 24 | (uint64_t)c->lbah << 16 | (uint64_t)c->lbam << 8 |
               c->lbal;
        *count = (uint32_t)c->hob_nsect << 8 | c->nsect;
        if (!*count) *count = 65536;
        return;
    }
    if (c->select & VT_ATA_LBA) {
        *lba = (uint64_t)(c->select & 0xf) << 24 | (uint64_t)c->lbah << 16 |
               (uint64_t)c->lbam << 8 | c->lbal;
    } else { /* cylinder, head, sector (from 1) in the drive's default geometry */
        uint64_t cyl = (uint64_t)c->lbah << 8 | c->lbam;
        *lba = (cyl * HEADS + (c->select & 0xf)) * SPT + c->lbal - 1;
    }
    *count = c->nsect ? c->nsect : 256;
}

/* Reads the next block (up to `block` sectors) into the buffer; false on a media error. */
static bool load(vt_ata_chan *c, uint32_t block) {
    uint32_t n = c->remaining < block ? c->remaining : block;
    vt_error err;
    if (vt_block_read_sectors(selected(c), c->lba, n, c->buf, &err)) {
        vt_log(VT_LOG_BLOCK, "%s: read at lba %llu: %s", c->name, (unsigned long long)c->lba,
               err.msg);
        vt_ata_fail(c, VT_ATA_UNC | VT_ATA_ABRT);
        return false;
    }
    c->lba += n;
    c->remaining -= n;
    c->pos = 0;
    c->len = n * SECTOR;
    return true;
}

/* Writes the buffer's sectors out; false on a media error. */
static bool store(vt_ata_chan *c) {
    vt_error err;
    uint32_t n = c->len / SECTOR;
    if (vt_block_write_sectors(selected(c), c->lba, n, c->buf, &err)) {
        vt_log(VT_LOG_BLOCK, "%s: write at lba %llu: %s", c->name, (unsigned long long)c->lba,
               err.msg);
        vt_ata_fail(c, VT_ATA_ABRT);
        return false;
    }
    c->lba += n;
    return true;
}

/* Sets up the next output block of up to `block` sectors. */
static void expect(vt_ata_chan *c, uint32_t block) {
    uint32_t n = c->remaining < block ? c->remaining : block;
    c->remaining -= n;
    c->pos = 0;
    c->len = n * SECTOR;
}

static void start_transfer(vt_ata_chan *c, vt_ata_xfer kind, bool lba48, uint32_t block) {
    uint64_t lba;
    uint32_t count;
    address(c, lba48, &lba, &count);
    if (lba + count > sectors(c)) {
        vt_ata_fail(c, VT_ATA_IDNF | VT_ATA_ABRT);
        return;
    }
    c->lba = lba;
    c->remaining = count;
    c->block = block;
    c->xfer = kind;
    c->status = VT_ATA_DRDY | VT_ATA_DSC | VT_ATA_DRQ;
    switch (kind) {
    case VT_ATA_PIO_IN:
        if (load(c, block)) vt_ata_raise_irq(c);
        break;
    case VT_ATA_PIO_OUT:
        expect(c, block); /* the host writes the first block without an interrupt */
        break;
    default: /* DMA: the controller's engine moves the data (vt_ata_dma) */
        c->pos = c->len = 0;
        break;
    }
}

void vt_ata_set_features(vt_ata_chan *c) {
    int u = vt_ata_unit(c);
    if (c->feature != 0x03) { /* cache, defaults, retries: nothing to model */
        vt_ata_ok(c);
        return;
    }
    uint8_t mode = c->nsect;
    if (mode >> 3 == 0 || mode >> 3 == 1) { /* PIO default / PIO flow-control mode */
        vt_ata_ok(c);
    } else if (mode >> 3 == 4 && (mode & 7) <= 2) {
        c->mwdma_mode[u] = mode & 7;
        c->udma_mode[u] = 0xff;
        vt_ata_ok(c);
    } else if (mode >> 3 == 8 && (mode & 7) <= 5) {
        c->udma_mode[u] = mode & 7;
        c->mwdma_mode[u] = 0xff;
        vt_ata_ok(c);
    } else {
        vt_ata_fail(c, VT_ATA_ABRT);
    }
}

static void flush(vt_ata_chan *c) {
    vt_error err;
    if (vt_block_flush(selected(c), &err)) {
        vt_log(VT_LOG_BLOCK, "%s: flush: %s", c->name, err.msg);
        vt_ata_fail(c, VT_ATA_ABRT);
    } else {
        vt_ata_ok(c);
    }
}

static void command(vt_ata_chan *c, uint8_t cmd) {
    int u = vt_ata_unit(c);
    uint32_t mult = c->multiple[u];
    c->command = cmd;
    c->irq_pending = false;
    update_irq(c);
    if (vt_ata_selected_atapi(c)) {
        vt_ata_packet_command(c, cmd);
        return;
    }
    switch (cmd) {
    case 0x20:
    case 0x21:
        start_transfer(c, VT_ATA_PIO_IN, false, 1);
        break;
    case 0x24:
        start_transfer(c, VT_ATA_PIO_IN, true, 1);
        break;
    case 0x30:
    case 0x31:
        start_transfer(c, VT_ATA_PIO_OUT, false, 1);
        break;
    case 0x34:
        start_transfer(c, VT_ATA_PIO_OUT, true, 1);
        break;
    case 0xc4:
    case 0x29:
    case 0xc5:
    case 0x39:
        if (!mult) {
            vt_ata_fail(c, VT_ATA_ABRT); /* READ/WRITE MULTIPLE before SET MULTIPLE */
            break;
        }
        start_transfer(c, (cmd & 0x0f) == 4 || cmd == 0x29 ? VT_ATA_PIO_IN : VT_ATA_PIO_OUT,
                       cmd == 0x29 || cmd == 0x39, mult);
        break;
    case 0xc8:
    case 0xc9:
        start_transfer(c, VT_ATA_DMA_IN, false, 0);
        break;
    case 0x25:
        start_transfer(c, VT_ATA_DMA_IN, true, 0);
        break;
    case 0xca:
    case 0xcb:
        start_transfer(c, VT_ATA_DMA_OUT, false, 0);
        break;
    case 0x35:
        start_transfer(c, VT_ATA_DMA_OUT, true, 0);
        break;
    case 0x40:
    case 0x41:
    case 0x42: { /* READ VERIFY: check the range only */
        uint64_t lba;
        uint32_t count;
        address(c, cmd == 0x42, &lba, &count);
        if (lba + count > sectors(c))
            vt_ata_fail(c, VT_ATA_IDNF | VT_ATA_ABRT);
        else
            vt_ata_ok(c);
        break;
    }
    case 0xec:
        identify(c);
        break;
    case 0xef:
        vt_ata_set_features(c);
        break;
    case 0xc6: /* SET MULTIPLE: a power of two up to the maximum, 0 disables */
        if (c->nsect <= VT_ATA_MAX_MULTIPLE && !(c->nsect & (c->nsect - 1))) {
            c->multiple[u] = c->nsect;
            vt_ata_ok(c);
        } else {
            vt_ata_fail(c, VT_ATA_ABRT);
        }
        break;
    case 0xe7:
    case 0xea:
        flush(c);
        break;
    case 0xe5: /* CHECK POWER MODE: active or idle */
        c->nsect = 0xff;
        vt_ata_ok(c);
        break;
    case 0x90: /* EXECUTE DEVICE DIAGNOSTIC */
        vt_ata_signature(c);
        vt_ata_raise_irq(c);
        break;
    case 0x91:
    case 0x10:
    case 0xe0:
    case 0xe1:
    case 0xe2:
    case 0xe3:
        vt_ata_ok(c); /* geometry, recalibrate, power states: nothing to model on an image */
        break;
    default: /* packet commands (0xa0, 0xa1, 0x08) and the rest: not an ATAPI device */
        vt_log(VT_LOG_DEV, "%s: unsupported ATA command 0x%02x: aborted", c->name, cmd);
        vt_ata_fail(c, VT_ATA_ABRT);
        break;
    }
}

uint8_t vt_ata_read(vt_ata_chan *c, unsigned reg) {
    if (!any_drive(c)) return 0;
    bool hob = c->devctl & VT_ATA_HOB;
    switch (reg) {
    case VT_ATA_ERROR:
        return present(c) ? (hob ? c->hob_feature : c->error) : 0;
    case VT_ATA_NSECT:
        return hob ? c->hob_nsect : c->nsect;
    case VT_ATA_LBAL:
        return hob ? c->hob_lbal : c->lbal;
    case VT_ATA_LBAM:
        return hob ? c->hob_lbam : c->lbam;
    case VT_ATA_LBAH:
        return hob ? c->hob_lbah : c->lbah;
    case VT_ATA_SELECT:
        return c->select;
    case VT_ATA_STATUS:
        if (!present(c)) return 0;
        c->irq_pending = false; /* reading status acknowledges INTRQ */
        update_irq(c);
        return c->status;
    default:
        return (uint8_t)vt_ata_read_data(c, 1);
    }
}

void vt_ata_write(vt_ata_chan *c, unsigned reg, uint8_t v) {
    c->devctl &= (uint8_t)~VT_ATA_HOB; /* a register write clears HOB (ATA-6 §7.9) */
    switch (reg) {
    case VT_ATA_ERROR:
        c->hob_feature = c->feature;
        c->feature = v;
        break;
    case VT_ATA_NSECT:
        c->hob_nsect = c->nsect;
        c->nsect = v;
        break;
    case VT_ATA_LBAL:
        c->hob_lbal = c->lbal;
        c->lbal = v;
        break;
    case VT_ATA_LBAM:
        c->hob_lbam = c->lbam;
        c->lbam = v;
        break;
    case VT_ATA_LBAH:
        c->hob_lbah = c->lbah;
        c->lbah = v;
        break;
    case VT_ATA_SELECT:
        c->select = v | VT_ATA_SEL_OBSOLETE;
        update_irq(c);
        break;
    case VT_ATA_STATUS:
        if (present(c) && !(c->status & VT_ATA_BSY)) command(c, v);
        break;
    default:
        vt_ata_write_data(c, v, 1);
        break;
    }
}

uint32_t vt_ata_read_data(vt_ata_chan *c, unsigned size) {
    if (c->xfer == VT_ATA_PKT_IN && present(c)) return vt_ata_packet_read(c, size);
    if (c->xfer != VT_ATA_PIO_IN || !present(c)) return 0;
    uint32_t v = 0;
    for (unsigned i = 0; i < size && c->pos < c->len; i++)
        v |= (uint32_t)c->buf[c->pos++] << (8 * i);
    if (c->pos >= c->len) {
        if (c->remaining) {
            if (load(c, c->block)) vt_ata_raise_irq(c);
        } else {
            c->xfer = VT_ATA_IDLE;
            c->status = VT_ATA_DRDY | VT_ATA_DSC;
        }
    }
    return v;
}

void vt_ata_write_data(vt_ata_chan *c, uint32_t v, unsigned size) {
    if (c->xfer == VT_ATA_PKT_CDB && vt_ata_selected_atapi(c)) {
        vt_ata_packet_write(c, v, size);
        return;
    }
    if (c->xfer != VT_ATA_PIO_OUT || !selected(c)) return;
    for (unsigned i = 0; i < size && c->pos < c->len; i++)
        c->buf[c->pos++] = (uint8_t)(v >> (8 * i));
    if (c->pos < c->len || !store(c)) return;
    if (c->remaining) {
        expect(c, c->block);
        vt_ata_raise_irq(c);
    } else {
        vt_ata_ok(c);
    }
}

uint8_t vt_ata_alt_status(const vt_ata_chan *c) {
    return present(c) ? c->status : 0;
}

void vt_ata_write_devctl(vt_ata_chan *c, uint8_t v) {
    bool was_reset = c->devctl & VT_ATA_SRST;
    c->devctl = v;
    if (v & VT_ATA_SRST) {
        c->xfer = VT_ATA_IDLE;
        c->status = VT_ATA_BSY;
        c->irq_pending = false;
    } else if (was_reset) { /* end of a soft reset: diagnostics passed, ATA signature */
        vt_ata_signature(c);
        for (int i = 0; i < 2; i++)
            c->multiple[i] = VT_ATA_MAX_MULTIPLE;
    }
    update_irq(c);
}

bool vt_ata_dma_active(const vt_ata_chan *c, bool *to_memory) {
    *to_memory = c->xfer == VT_ATA_DMA_IN || c->xfer == VT_ATA_PKT_DMA;
    return c->xfer == VT_ATA_DMA_IN || c->xfer == VT_ATA_DMA_OUT || c->xfer == VT_ATA_PKT_DMA;
}

uint32_t vt_ata_dma(vt_ata_chan *c, uint8_t *buf, uint32_t len) {
    uint32_t moved = 0;
    if (c->xfer == VT_ATA_PKT_DMA) return vt_ata_packet_dma(c, buf, len);
    const uint32_t block = VT_ATA_BUF / SECTOR;
    while (moved < len) {
        if (c->xfer == VT_ATA_DMA_IN) {
            if (c->pos == c->len && (!c->remaining || !load(c, block))) break;
            uint32_t n = c->len - c->pos < len - moved ? c->len - c->pos : len - moved;
            memcpy(buf + moved, c->buf + c->pos, n);
            c->pos += n;
            moved += n;
        } else if (c->xfer == VT_ATA_DMA_OUT) {
            if (c->pos == c->len) { /* a full block: out to the disk unless it is the last */
                if (!c->remaining || (c->len && !store(c))) break;
                expect(c, block);
            }
            uint32_t n = c->len - c->pos < len - moved ? c->len - c->pos : len - moved;
            memcpy(c->buf + c->pos, buf + moved, n);
            c->pos += n;
            moved += n;
        } else {
            break;
        }
    }
    /* the command ends with its last byte (a write's last block goes out first) */
    if (c->xfer == VT_ATA_DMA_IN && c->pos == c->len && !c->remaining) vt_ata_ok(c);
    if (c->xfer == VT_ATA_DMA_OUT && c->pos == c->len && !c->remaining && store(c)) vt_ata_ok(c);
    return moved;
}

void vt_ata_save(const vt_ata_chan *c, vt_state_writer *w) {
    vt_state_begin(w, "ATAC", 2);
    const uint8_t regs[] = {c->feature,      c->nsect,         c->lbal,          c->lbam,
                            c->lbah,         c->select,        c->status,        c->error,
                            c->devctl,       c->hob_feature,   c->hob_nsect,     c->hob_lbal,
                            c->hob_lbam,     c->hob_lbah,      c->irq_pending,   c->multiple[0],
                            c->multiple[1],  c->mwdma_mode[0], c->mwdma_mode[1], c->udma_mode[0],
                            c->udma_mode[1], (uint8_t)c->xfer, c->command};
    vt_state_put_bytes(w, regs, sizeof regs);
    vt_state_put_u64(w, c->lba);
    vt_state_put_u32(w, c->remaining);
    vt_state_put_u32(w, c->block);
    vt_state_put_u32(w, c->pos);
    vt_state_put_u32(w, c->len);
    vt_state_put_bytes(w, c->buf, c->len);
    /* version 2: the PACKET command in progress and the ATAPI drives' sense data */
    vt_state_put_bytes(w, c->cdb, sizeof c->cdb);
    vt_state_put_u8(w, c->pkt_dma);
    vt_state_put_u16(w, c->pkt_limit);
    vt_state_put_u32(w, c->pkt_pos);
    vt_state_put_u32(w, c->pkt_chunk_end);
    vt_state_put_u32(w, c->pkt_len);
    if (c->pkt) vt_state_put_bytes(w, c->pkt, c->pkt_len);
    for (int i = 0; i < 2; i++) {
        const vt_scsi_sense z = {0, 0, 0}, *sense = c->atapi[i] ? &c->atapi[i]->sense : &z;
        vt_state_put_u8(w, sense->key);
        vt_state_put_u8(w, sense->asc);
        vt_state_put_u8(w, sense->ascq);
    }
    vt_state_end(w);
}

int vt_ata_load(vt_ata_chan *c, vt_state_reader *r) {
    uint32_t version;
    if (vt_state_open(r, "ATAC", 2, &version)) return -1;
    uint8_t regs[23];
    vt_state_get_bytes(r, regs, sizeof regs);
    c->feature = regs[0], c->nsect = regs[1], c->lbal = regs[2], c->lbam = regs[3];
    c->lbah = regs[4], c->select = regs[5], c->status = regs[6], c->error = regs[7];
    c->devctl = regs[8], c->hob_feature = regs[9], c->hob_nsect = regs[10];
    c->hob_lbal = regs[11], c->hob_lbam = regs[12], c->hob_lbah = regs[13];
    c->irq_pending = regs[14] != 0;
    for (int i = 0; i < 2; i++) {
        c->multiple[i] = regs[15 + i] <= VT_ATA_MAX_MULTIPLE ? regs[15 + i] : 0;
        c->mwdma_mode[i] = regs[17 + i];
        c->udma_mode[i] = regs[19 + i];
    }
    c->xfer = regs[21] <= VT_ATA_PKT_DMA ? (vt_ata_xfer)regs[21] : VT_ATA_IDLE;
    c->command = regs[22];
    c->lba = vt_state_get_u64(r);
    c->remaining = vt_state_get_u32(r);
    c->block = vt_state_get_index(r, VT_ATA_MAX_MULTIPLE + 1);
    c->pos = vt_state_get_index(r, VT_ATA_BUF + 1);
    c->len = vt_state_get_index(r, VT_ATA_BUF + 1);
    if (c->pos > c->len) vt_state_fail(r, "ATA buffer position past its length");
    if (vt_state_ok(r)) vt_state_get_bytes(r, c->buf, c->len);
    c->pkt_pos = c->pkt_len = c->pkt_chunk_end = 0;
    if (version >= 2) {
        vt_state_get_bytes(r, c->cdb, sizeof c->cdb);
        c->pkt_dma = vt_state_get_u8(r) != 0;
        c->pkt_limit = vt_state_get_u16(r);
        uint32_t pos = vt_state_get_u32(r), end = vt_state_get_u32(r), len = vt_state_get_u32(r);
        if (len > (c->pkt ? VT_ATA_PKT_MAX : 0) || pos > end || end > len)
            vt_state_fail(r, "ATAPI data phase out of range");
        else if (c->pkt)
            vt_state_get_bytes(r, c->pkt, len);
        c->pkt_pos = pos, c->pkt_chunk_end = end, c->pkt_len = len;
        for (int i = 0; i < 2; i++) {
            vt_scsi_sense sense;
            sense.key = vt_state_get_u8(r);
            sense.asc = vt_state_get_u8(r);
            sense.ascq = vt_state_get_u8(r);
            if (c->atapi[i]) c->atapi[i]->sense = sense;
        }
    }
    if (c->xfer >= VT_ATA_PKT_CDB && !c->pkt) vt_state_fail(r, "ATAPI phase without a drive");
    if (vt_state_close(r)) return -1;
    update_irq(c);
    return 0;
}
