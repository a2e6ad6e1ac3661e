/* ATA hard disk on the block layer: IDENTIFY DEVICE (CHS, LBA28/48, PIO 0-4, MWDMA 0-2, UDMA
 * 0-5, write cache, FLUSH CACHE (EXT)), READ/WRITE SECTORS, MULTIPLE and DMA (all with EXT),
 * READ VERIFY, SEEK, RECALIBRATE, INITIALIZE DEVICE PARAMETERS, SET MULTIPLE MODE, SET FEATURES
 * (transfer mode, write cache, look-ahead), power commands (always active); anything else
 * aborts (ERR, ABRT) and is logged. Default 16 heads x 63 sectors, multiple mode 16 sectors.
 * Sources: ATA/ATAPI-6 (T13 1410D) §8, table 27 (IDENTIFY DEVICE). */
#include "peripherals/ata_disk.h"

#include "core/block/block.h"
#include "core/log.h"

#define HEADS 16u
#define SPT 63u
#define MAX_CYLS 16383u
#define LBA28_MAX 0x0fffffffu

/* ATA command opcodes (ATA-6 table 26). */
enum {
    CMD_RECALIBRATE = 0x10, /* 0x10-0x1F */
    CMD_READ_SECTORS = 0x20,
    CMD_READ_SECTORS_NORETRY = 0x21,
    CMD_READ_SECTORS_EXT = 0x24,
    CMD_READ_DMA_EXT = 0x25,
    CMD_READ_MULTIPLE_EXT = 0x29,
    CMD_WRITE_SECTORS = 0x30,
    CMD_WRITE_SECTORS_NORETRY = 0x31,
    CMD_WRITE_SECTORS_EXT = 0x34,
    CMD_WRITE_DMA_EXT = 0x35,
    CMD_WRITE_MULTIPLE_EXT = 0x39,
    CMD_VERIFY = 0x40,
    CMD_VERIFY_NORETRY = 0x41,
    CMD_VERIFY_EXT = 0x42,
    CMD_SEEK = 0x70, /* 0x70-0x7F */
    CMD_INIT_PARAMS = 0x91,
    CMD_READ_MULTIPLE = 0xc4,
    CMD_WRITE_MULTIPLE = 0xc5,
    CMD_SET_MULTIPLE = 0xc6,
    CMD_READ_DMA = 0xc8,
    CMD_READ_DMA_NORETRY = 0xc9,
    CMD_WRITE_DMA = 0xca,
    CMD_WRITE_DMA_NORETRY = 0xcb,
    CMD_STANDBY_IMMEDIATE = 0xe0,
    CMD_IDLE_IMMEDIATE = 0xe1,
    CMD_STANDBY = 0xe2,
    CMD_IDLE = 0xe3,
    CMD_CHECK_POWER = 0xe5,
    CMD_FLUSH_CACHE = 0xe7,
    CMD_FLUSH_CACHE_EXT = 0xea,
    CMD_IDENTIFY = 0xec,
    CMD_SET_FEATURES = 0xef,
};

/* SET FEATURES subcommands (FEATURES register). */
enum {
    SF_WCACHE_ON = 0x02,
    SF_XFER_MODE = 0x03,
    SF_LOOKAHEAD_OFF = 0x55,
    SF_KEEP_SETTINGS_OFF = 0x66,
    SF_WCACHE_OFF = 0x82,
    SF_LOOKAHEAD_ON = 0xaa,
    SF_KEEP_SETTINGS_ON = 0xcc,
};

void vt_ata_disk_attach(vt_ide_drive *d) {
    uint64_t sectors = vt_block_sectors(d->blk);
    uint64_t cyls = sectors / (HEADS * SPT);
    d->heads = HEADS;
    d->secs = SPT;
    d->cyls = (uint16_t)(cyls > MAX_CYLS ? MAX_CYLS : cyls ? cyls : 1);
    d->write_cache = true;
    vt_ata_disk_reset(d);
}

void vt_ata_disk_reset(vt_ide_drive *d) {
    d->cur_heads = d->heads;
    d->cur_secs = d->secs;
    d->mult = VT_ATA_MAX_MULT; /* the power-on setting is the drive's choice; QEMU's is 16 */
}

static uint64_t cur_capacity(const vt_ide_drive *d) {
    uint64_t chs = (uint64_t)d->cyls * d->cur_heads * d->cur_secs;
    uint64_t sectors = vt_block_sectors(d->blk);
    return chs < sectors ? chs : sectors;
}

void vt_ata_disk_identify(const vt_ide_drive *d, uint8_t id[512]) {
    uint64_t sectors = vt_block_sectors(d->blk);
    uint64_t cap = cur_capacity(d);
    memset(id, 0, 512);
    vt_ata_id_word(id, 0, 0x0040); /* fixed disk */
    vt_ata_id_word(id, 1, d->cyls);
    vt_ata_id_word(id, 3, d->heads);
    vt_ata_id_word(id, 6, d->secs);
    vt_ata_id_string(id, 10, 10, d->serial);
    vt_ata_id_string(id, 23, 4, "1.0");
    vt_ata_id_string(id, 27, 20, "VITRINE HARDDISK");
    vt_ata_id_word(id, 47, 0x8000 | VT_ATA_MAX_MULT);
    vt_ata_id_word(id, 49, 0x0b00); /* IORDY supported, LBA, DMA */
    vt_ata_id_word(id, 50, 0x4000);
    vt_ata_id_word(id, 51, 0x0200); /* PIO timing mode 2 (obsolete word) */
    vt_ata_id_word(id, 53, 0x0007); /* words 54-58, 64-70 and 88 valid */
    vt_ata_id_word(id, 54, d->cyls);
    vt_ata_id_word(id, 55, d->cur_heads);
    vt_ata_id_word(id, 56, d->cur_secs);
    vt_ata_id_word(id, 57, (uint16_t)cap);
    vt_ata_id_word(id, 58, (uint16_t)(cap >> 16));
    vt_ata_id_word(id, 59, d->mult ? 0x0100 | d->mult : 0);
    uint64_t lba28 = sectors < LBA28_MAX ? sectors : LBA28_MAX;
    vt_ata_id_word(id, 60, (uint16_t)lba28);
    vt_ata_id_word(id, 61, (uint16_t)(lba28 >> 16));
    vt_ata_id_word(id, 63, vt_ata_id_dma_modes(0x0007, d->xfer_mode, 0x20)); /* MWDMA 0-2 */
    vt_ata_id_word(id, 64, 0x0003);                                          /* PIO 3 and 4 */
    for (unsigned w = 65; w <= 68; w++)
        vt_ata_id_word(id, w, 120); /* cycle times in ns (PIO 4 / MWDMA 2) */
    vt_ata_id_word(id, 80, 0x007e); /* ATA-1 to ATA-6 */
    vt_ata_id_word(id, 82, 0x0060); /* look-ahead, write cache */
    vt_ata_id_word(id, 83, 0x7400); /* FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses */
    vt_ata_id_word(id, 84, 0x4000);
    vt_ata_id_word(id, 85, 0x0040 | (d->write_cache ? 0x0020 : 0));
    vt_ata_id_word(id, 86, 0x3400);
    vt_ata_id_word(id, 87, 0x4000);
    vt_ata_id_word(id, 88, vt_ata_id_dma_modes(0x003f, d->xfer_mode, 0x40)); /* UDMA 0-5 */
    vt_ata_id_word(id, 93, 0x4001); /* device 0 by jumper */
    for (unsigned i = 0; i < 4; i++)
        vt_ata_id_word(id, 100 + i, (uint16_t)(sectors >> 16 * i));
}

/* The first sector a command addresses, from the registers in its addressing form. */
static bool get_address(const vt_ide_drive *d, bool lba48, uint64_t *lba) {
    if (lba48) {
        *lba = (uint64_t)d->hob_hcyl << 40 | (uint64_t)d->hob_lcyl << 32 |
               (uint64_t)d->hob_sector << 24 | (uint64_t)d->hcyl << 16 | (uint64_t)d->lcyl << 8 |
               d->sector;
    } else if (d->select & VT_ATA_LBA) {
        *lba = (uint64_t)(d->select & 0x0f) << 24 | (uint64_t)d->hcyl << 16 |
               (uint64_t)d->lcyl << 8 | d->sector;
    } else {
        unsigned cyl = (unsigned)d->hcyl << 8 | d->lcyl, head = d->select & 0x0f;
        if (!d->sector || d->sector > d->cur_secs || head >= d->cur_heads) return false;
        *lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_secs + d->sector - 1;
    }
    return true;
}

void vt_ata_disk_set_address(vt_ide_drive *d, uint64_t lba, bool lba48) {
    if (lba48) {
        d->sector = (uint8_t)lba, d->lcyl = (uint8_t)(lba >> 8), d->hcyl = (uint8_t)(lba >> 16);
        d->hob_sector = (uint8_t)(lba >> 24), d->hob_lcyl = (uint8_t)(lba >> 32);
        d->hob_hcyl = (uint8_t)(lba >> 40);
    } else if (d->select & VT_ATA_LBA) {
        d->sector = (uint8_t)lba, d->lcyl = (uint8_t)(lba >> 8), d->hcyl = (uint8_t)(lba >> 16);
        d->select = (uint8_t)((d->select & 0xf0) | ((lba >> 24) & 0x0f));
    } else {
        uint64_t track = lba / d->cur_secs;
        unsigned cyl = (unsigned)(track / d->cur_heads);
        d->sector = (uint8_t)(lba % d->cur_secs + 1);
        d->lcyl = (uint8_t)cyl, d->hcyl = (uint8_t)(cyl >> 8);
        d->select = (uint8_t)((d->select & 0xf0) | (track % d->cur_heads));
    }
}

/* Sector count of a command: 0 means 256 (LBA28/CHS) or 65536 (LBA48). */
static uint32_t get_count(const vt_ide_drive *d, bool lba48) {
    uint32_t n = lba48 ? (uint32_t)d->hob_nsector << 8 | d->nsector : d->nsector;
    return n ? n : lba48 ? 65536u : 256u;
}

/* Reads, writes and verifies: address checks, then the data phase. */
static void rw_command(vt_ide_bus *b, vt_ide_drive *d, vt_ide_phase phase, bool lba48,
                       uint32_t per_block) {
    uint64_t lba;
    uint32_t count = get_count(d, lba48);
    b->lba48 = lba48;
    if (!get_address(d, lba48, &lba) || lba > vt_block_sectors(d->blk) ||
        count > vt_block_sectors(d->blk) - lba) {
        vt_ide_done(b, VT_ATA_IDNF | VT_ATA_ABRT);
        return;
    }
    if (phase == VT_IDE_IDLE) { /* READ VERIFY: nothing moves */
        vt_ata_disk_set_address(d, lba + count - 1, lba48);
        vt_ide_done(b, 0);
        return;
    }
    vt_ide_start_transfer(b, phase, lba, count, per_block);
}

static void multiple(vt_ide_bus *b, vt_ide_drive *d, vt_ide_phase phase, bool lba48) {
    if (!d->mult) {
        vt_ide_done(b, VT_ATA_ABRT); /* SET MULTIPLE MODE not done yet */
        return;
    }
    rw_command(b, d, phase, lba48, d->mult);
}

bool vt_ata_valid_xfer_mode(uint8_t m) {
    unsigned n = m & 7;
    switch (m & 0xf8) {
    case 0x00:
        return n <= 1; /* PIO default (with or without IORDY) */
    case 0x08:
        return n <= 4; /* PIO flow control mode n */
    case 0x20:
        return n <= 2; /* multiword DMA */
    case 0x40:
        return n <= 5; /* Ultra DMA */
    default:
        return false;
    }
}

static void set_features(vt_ide_bus *b, vt_ide_drive *d) {
    switch (d->feature) {
    case SF_WCACHE_ON:
    case SF_WCACHE_OFF:
        d->write_cache = d->feature == SF_WCACHE_ON;
        break;
    case SF_XFER_MODE:
        if (!vt_ata_valid_xfer_mode(d->nsector)) {
            vt_ide_done(b, VT_ATA_ABRT);
            return;
        }
        d->xfer_mode = d->nsector;
        break;
    case SF_LOOKAHEAD_OFF:
    case SF_LOOKAHEAD_ON:
    case SF_KEEP_SETTINGS_OFF:
    case SF_KEEP_SETTINGS_ON:
        break; /* accepted; nothing to model */
    default:
        vt_log(VT_LOG_DEV, "ata-disk: SET FEATURES 0x%02x not supported", d->feature);
        vt_ide_done(b, VT_ATA_ABRT);
        return;
    }
    vt_ide_done(b, 0);
}

static void flush(vt_ide_bus *b, vt_ide_drive *d) {
    vt_error err;
    if (vt_block_flush(d->blk, &err)) {
        vt_log(VT_LOG_BLOCK, "ata-disk: flush: %s", err.msg);
        vt_ide_done(b, VT_ATA_ABRT);
        return;
    }
    vt_ide_done(b, 0);
}

void vt_ata_disk_command(vt_ide_bus *b, vt_ide_drive *d, uint8_t cmd) {
    if ((cmd & 0xf0) == CMD_RECALIBRATE || (cmd & 0xf0) == CMD_SEEK) {
        vt_ide_done(b, 0); /* no heads to move */
        return;
    }
    switch (cmd) {
    case CMD_READ_SECTORS:
    case CMD_READ_SECTORS_NORETRY:
        rw_command(b, d, VT_IDE_PIO_IN, false, 1);
        return;
    case CMD_READ_SECTORS_EXT:
        rw_command(b, d, VT_IDE_PIO_IN, true, 1);
        return;
    case CMD_WRITE_SECTORS:
    case CMD_WRITE_SECTORS_NORETRY:
        rw_command(b, d, VT_IDE_PIO_OUT, false, 1);
        return;
    case CMD_WRITE_SECTORS_EXT:
        rw_command(b, d, VT_IDE_PIO_OUT, true, 1);
        return;
    case CMD_READ_MULTIPLE:
        multiple(b, d, VT_IDE_PIO_IN, false);
        return;
    case CMD_READ_MULTIPLE_EXT:
        multiple(b, d, VT_IDE_PIO_IN, true);
        return;
    case CMD_WRITE_MULTIPLE:
        multiple(b, d, VT_IDE_PIO_OUT, false);
        return;
    case CMD_WRITE_MULTIPLE_EXT:
        multiple(b, d, VT_IDE_PIO_OUT, true);
        return;
    case CMD_READ_DMA:
    case CMD_READ_DMA_NORETRY:
        rw_command(b, d, VT_IDE_DMA_IN, false, 1);
        return;
    case CMD_READ_DMA_EXT:
        rw_command(b, d, VT_IDE_DMA_IN, true, 1);
        return;
    case CMD_WRITE_DMA:
    case CMD_WRITE_DMA_NORETRY:
        rw_command(b, d, VT_IDE_DMA_OUT, false, 1);
        return;
    case CMD_WRITE_DMA_EXT:
        rw_command(b, d, VT_IDE_DMA_OUT, true, 1);
        return;
    case CMD_VERIFY:
    case CMD_VERIFY_NORETRY:
        rw_command(b, d, VT_IDE_IDLE, false, 1);
        return;
    case CMD_VERIFY_EXT:
        rw_command(b, d, VT_IDE_IDLE, true, 1);
        return;
    case CMD_IDENTIFY:
        vt_ata_disk_identify(d, b->buf);
        vt_ide_start_pio_in(b, 512);
        return;
    case CMD_SET_MULTIPLE:
        if (d->nsector > VT_ATA_MAX_MULT || (d->nsector & (d->nsector - 1))) {
            vt_ide_done(b, VT_ATA_ABRT); /* 0 disables; else a power of two up to the max */
            return;
        }
        d->mult = d->nsector;
        vt_ide_done(b, 0);
        return;
    case CMD_INIT_PARAMS:
        if (!d->nsector) {
            vt_ide_done(b, VT_ATA_ABRT);
            return;
        }
        d->cur_secs = d->nsector;
        d->cur_heads = (uint16_t)((d->select & 0x0f) + 1);
        vt_ide_done(b, 0);
        return;
    case CMD_SET_FEATURES:
        set_features(b, d);
        return;
    case CMD_FLUSH_CACHE:
    case CMD_FLUSH_CACHE_EXT:
        flush(b, d);
        return;
    case CMD_CHECK_POWER:
        d->nsector = 0xff; /* active or idle */
        vt_ide_done(b, 0);
        return;
    case CMD_STANDBY_IMMEDIATE:
    case CMD_IDLE_IMMEDIATE:
    case CMD_STANDBY:
    case CMD_IDLE:
        vt_ide_done(b, 0);
        return; /* the model never spins down */
    default:
        vt_log(VT_LOG_DEV, "ata-disk: command 0x%02x not supported, aborted", cmd);
        vt_ide_done(b, VT_ATA_ABRT);
        return;
    }
}
