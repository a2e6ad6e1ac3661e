/* TI OMAP1/OMAP2420 MMC/SD host (16-bit registers 4 bytes apart) with one SD 1.0
 * standard-capacity card (CSD v1, up to 1 GiB) on the block layer (`disk`), or an empty slot
 * where every command times out. Commands complete at once; data moves by PIO through DATA,
 * A_FULL/A_EMPTY per 64-byte burst, END_OF_DATA at the end. Sources: OMAP5910 TRM SPRU680; SD
 * Physical Layer Simplified Specification 2.00; Linux 6.1 drivers/mmc/host/omap.c (use). */
#include "core/block/block.h"
#include "core/device.h"
#include "core/irq.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    CMD,
    ARGL,
    ARGH,
    CON,
    STAT,
    IE,
    CTO,
    DTO,
    DATA,
    BLEN,
    NBLK,
    BUF,
    SDIO = 0x0d,
    REV = 0x0f,
    RSP0 = 0x10,
    IOSR = 0x18,
    SYSC = 0x19,
    SYSS = 0x1a,
    NREG = 0x1b
};
enum {
    STAT_EOC = 1u << 0,
    STAT_EOFB = 1u << 4,
    STAT_BRS = 1u << 3,
    STAT_CTO = 1u << 7,
    STAT_AF = 1u << 10,
    STAT_AE = 1u << 11,
    CMD_INAB = 1u << 7,
    CMD_DDIR_READ = 1u << 15,
};
enum { ST_IDLE, ST_READY, ST_IDENT, ST_STBY, ST_TRAN, ST_DATA, ST_RCV };
#define BURST 64
#define BLOCK 512
#define RCA 0x4567u
#define R1_APP_CMD (1u << 5)
#define R1_READY (1u << 8)

typedef struct mmc {
    vt_device *dev;
    struct vt_block *disk;
    uint16_t reg[NREG];
    uint16_t rev;
    bool irq_level;
    /* the card */
    int state;
    bool app;
    uint32_t blocklen, csr_err;
    uint32_t cid[4], csd[4];
    /* the transfer in progress */
    uint8_t buf[BLOCK];
    uint32_t pos, len;    /* within buf */
    uint32_t blocks_left; /* after the one in buf */
    uint64_t addr;        /* card byte address of the next block */
    bool writing;
} mmc;

static void update(mmc *m) {
    bool lvl = (m->reg[STAT] & m->reg[IE]) != 0;
    if (lvl != m->irq_level) {
        m->irq_level = lvl;
        vt_irq_set(&m->dev->irq[0], lvl);
    }
}

static uint32_t card_status(const mmc *m) {
    int st = m->state > ST_RCV ? ST_TRAN : m->state;
    return (uint32_t)st << 9 | R1_READY | (m->app ? R1_APP_CMD : 0) | m->csr_err;
}

static void resp32(mmc *m, uint32_t v) {
    m->reg[RSP0 + 6] = (uint16_t)v;
    m->reg[RSP0 + 7] = (uint16_t)(v >> 16);
}

/* R2: the 128-bit register, bits 127:96 in RSP7:RSP6 down to 31:0 in RSP1:RSP0 (the CRC
 * byte is not part of what the controller shows). */
static void resp128(mmc *m, const uint32_t w[4]) {
    for (int i = 0; i < 4; i++) {
        m->reg[RSP0 + 2 * i] = (uint16_t)w[3 - i];
        m->reg[RSP0 + 2 * i + 1] = (uint16_t)(w[3 - i] >> 16);
    }
}

static uint64_t capacity(const mmc *m) {
    return m->disk ? vt_block_size(m->disk) : 0;
}

/* CSD version 1.0 for a card of `capacity` bytes: READ_BL_LEN 9, C_SIZE_MULT 7 (x512). */
static void make_csd(mmc *m) {
    uint32_t c_size = (uint32_t)(capacity(m) / (BLOCK * 512)) - 1;
    m->csd[0] = 0x005e0032u;                 /* CSD v1, TAAC, NSAC, TRAN_SPEED 25 MHz */
    m->csd[1] = 0x5f590000u | (c_size >> 2); /* CCC, READ_BL_LEN 9, C_SIZE 11:10 */
    m->csd[2] = (c_size & 3) << 30 | 0x3ff80000u /* VDD currents */ | 7u << 15 | 0x7f80u;
    m->csd[3] = 0x0a400000u; /* R2W_FACTOR, WRITE_BL_LEN 9 */
    static const uint32_t cid[4] = {0x03534456u, 0x49545231u, 0x10000001u, 0x0000a400u};
    memcpy(m->cid, cid, sizeof cid); /* "SD" "VITR1", rev 1.0, serial 1, 2010-04 */
}

static void finish_data(mmc *m) {
    m->len = m->pos = 0;
    m->reg[STAT] |= STAT_EOFB | STAT_BRS;
    m->state = ST_TRAN;
}

static bool load_block(mmc *m) {
    vt_error err;
    if (m->addr + BLOCK > capacity(m) || vt_block_read(m->disk, m->addr, m->buf, BLOCK, &err)) {
        m->csr_err |= 1u << 31; /* OUT_OF_RANGE */
        return false;
    }
    m->addr += BLOCK;
    m->pos = 0;
    m->len = BLOCK;
    return true;
}

static void start_read(mmc *m, const uint8_t *data, uint32_t len) {
    memcpy(m->buf, data, len);
    m->pos = 0, m->len = len, m->blocks_left = 0, m->writing = false;
    m->state = ST_DATA;
    m->reg[STAT] |= STAT_AF;
}

static void start_block_io(mmc *m, uint32_t arg, bool write, bool multi) {
    m->addr = arg;
    m->blocks_left = multi ? m->reg[NBLK] : 0u;
    m->writing = write;
    if (write) {
        m->pos = 0, m->len = BLOCK;
        m->state = ST_RCV;
        m->reg[STAT] |= STAT_AE;
    } else if (load_block(m)) {
        m->state = ST_DATA;
        m->reg[STAT] |= STAT_AF;
    }
}

/* Runs one command on the card; returns false when the card gives no response. */
static bool card_command(mmc *m, unsigned idx, uint32_t arg, unsigned rtype) {
    bool app = m->app;
    m->app = false;
    if (app) switch (idx) {
        case 6:
            resp32(m, card_status(m));
            return true; /* bus width: data is never serialised */
        case 13: {
            uint8_t sd_status[64] = {0};
            resp32(m, card_status(m));
            start_read(m, sd_status, sizeof sd_status);
            return true;
        }
        case 41:
            if (m->state == ST_IDLE && arg) m->state = ST_READY;
            resp32(m, 0x80ff8000u); /* powered up, 2.7-3.6 V, standard capacity */
            return true;
        case 42:
            resp32(m, card_status(m));
            return true;
        case 51: {
            static const uint8_t scr[8] = {0x00, 0x05, 0, 0, 0, 0, 0, 0}; /* SD 1.0, 1/4 bit */
            resp32(m, card_status(m));
            start_read(m, scr, sizeof scr);
            return true;
        }
        default:
            break;
        }
    switch (idx) {
    case 0:
        m->state = ST_IDLE;
        return true;
    case 2:
        if (m->state != ST_READY) return false;
        m->state = ST_IDENT;
        resp128(m, m->cid);
        return true;
    case 3:
        m->state = ST_STBY;
        resp32(m, RCA << 16 | (card_status(m) & 0x1fff));
        return true;
    case 7:
        m->state = (arg >> 16) == RCA ? ST_TRAN : ST_STBY;
        resp32(m, card_status(m));
        return true;
    case 9:
        resp128(m, m->csd);
        return true;
    case 10:
        resp128(m, m->cid);
        return true;
    case 12:
        m->writing = false; /* STOP_TRANSMISSION ends a transfer in either direction */
        m->len = m->pos = 0;
        m->state = ST_TRAN;
        resp32(m, card_status(m));
        return true;
    case 13:
        resp32(m, card_status(m));
        m->csr_err = 0;
        return true;
    case 16:
        m->blocklen = arg;
        resp32(m, card_status(m));
        return true;
    case 17:
    case 18:
    case 24:
    case 25:
        resp32(m, card_status(m));
        start_block_io(m, arg, idx >= 24, idx == 18 || idx == 25);
        return true;
    case 55:
        m->app = true;
        resp32(m, card_status(m));
        return true;
    case 1:  /* MMC's SEND_OP_COND */
    case 5:  /* SDIO */
    case 8:  /* SD 2.0 interface condition: a v1 card does not answer */
    case 52: /* SDIO IO_RW_DIRECT: not an I/O card */
        return false;
    default:
        vt_log(VT_LOG_DEV, "omap-mmc: card ignores CMD%u%s (arg 0x%08x, response type %u)", idx,
               app ? " (app)" : "", arg, rtype);
        return false;
    }
}

static void write_cmd(mmc *m, uint16_t v) {
    m->reg[CMD] = v;
    if (v & CMD_INAB) { /* initialisation stream / abort: 80 clocks, no response */
        m->len = m->pos = 0;
        m->reg[STAT] |= STAT_EOC;
        return;
    }
    uint32_t arg = m->reg[ARGL] | (uint32_t)m->reg[ARGH] << 16;
    if (m->disk && card_command(m, v & 0x3f, arg, (v >> 8) & 7))
        m->reg[STAT] |= STAT_EOC;
    else
        m->reg[STAT] |= STAT_CTO;
}

static uint16_t read_data(mmc *m) {
    if (m->writing || m->pos >= m->len) return 0;
    uint16_t v = (uint16_t)(m->buf[m->pos] | m->buf[m->pos + 1] << 8);
    m->pos += 2;
    if (m->pos % BURST && m->pos < m->len) return v;
    if (m->pos < m->len) {
        m->reg[STAT] |= STAT_AF;
    } else if (m->blocks_left) {
        m->blocks_left--;
        if (load_block(m)) m->reg[STAT] |= STAT_AF;
    } else {
        finish_data(m);
    }
    update(m);
    return v;
}

static void write_data(mmc *m, uint16_t v) {
    if (!m->writing || m->pos >= m->len) return;
    m->buf[m->pos] = (uint8_t)v;
    m->buf[m->pos + 1] = (uint8_t)(v >> 8);
    m->pos += 2;
    if (m->pos % BURST && m->pos < m->len) return;
    if (m->pos < m->len) {
        m->reg[STAT] |= STAT_AE;
    } else {
        vt_error err;
        if (m->addr + BLOCK > capacity(m) || vt_block_write(m->disk, m->addr, m->buf, BLOCK, &err))
            m->csr_err |= 1u << 31;
        m->addr += BLOCK;
        if (m->blocks_left) {
            m->blocks_left--;
            m->pos = 0;
            m->reg[STAT] |= STAT_AE;
        } else {
            m->writing = false;
            finish_data(m);
        }
    }
    update(m);
}

static uint64_t mmc_read(void *opaque, uint64_t off, unsigned size) {
    mmc *m = opaque;
    unsigned r = (unsigned)off / 4;
    if ((off & 3) || size > 4 || r >= NREG) {
        vt_dev_log_unknown(m->dev, "read", off, size, 0);
        return 0;
    }
    switch (r) {
    case DATA:
        return read_data(m);
    case REV:
        return m->rev;
    case SYSS:
        return 1; /* RESETDONE */
    default:
        return m->reg[r];
    }
}

static void mmc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    mmc *m = opaque;
    unsigned r = (unsigned)off / 4;
    uint16_t x = (uint16_t)v;
    if ((off & 3) || size > 4 || r >= NREG || r == REV || r == SYSS || (r >= RSP0 && r < IOSR)) {
        vt_dev_log_unknown(m->dev, "write", off, size, v);
        return;
    }
    switch (r) {
    case CMD:
        write_cmd(m, x);
        break;
    case STAT:
        m->reg[STAT] &= (uint16_t)~x;
        break;
    case DATA:
        write_data(m, x);
        break;
    case SYSC:
        if (x & 2) memset(m->reg, 0, sizeof m->reg); /* SOFTRESET */
        break;
    default:
        m->reg[r] = x;
        break;
    }
    update(m);
}

static const vt_mmio_ops mmc_ops = {mmc_read, mmc_write};

static int mmc_create(vt_device *d, vt_error *err) {
    uint64_t rev;
    if (vt_dev_u64(d, "revision", &rev, err)) return -1;
    if (rev > 0xffff) return vt_fail(err, "revision is 16-bit");
    if (d->size < NREG * 4) return vt_fail(err, "size must be at least 0x%x", NREG * 4);
    struct vt_block *disk;
    if (vt_dev_disk(d, "disk", &disk, err)) return -1;
    if (disk && (vt_block_size(disk) < BLOCK * 512 || vt_block_size(disk) > (1ull << 30)))
        return vt_fail(err, "SD card image must be 256 KiB .. 1 GiB (a standard-capacity card)");
    mmc *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    d->priv = m;
    m->dev = d;
    m->disk = disk;
    m->rev = (uint16_t)rev;
    if (disk) make_csd(m);
    return vt_dev_map_mmio(d, &mmc_ops, m, VT_LITTLE_ENDIAN, err);
}

static void mmc_reset(vt_device *d) {
    mmc *m = d->priv;
    memset(m->reg, 0, sizeof m->reg);
    m->state = ST_IDLE;
    m->app = m->writing = false;
    m->blocklen = BLOCK;
    m->csr_err = m->pos = m->len = m->blocks_left = 0;
    m->addr = 0;
    update(m);
}

static void mmc_save(const vt_device *d, vt_state_writer *w) {
    const mmc *m = d->priv;
    vt_state_begin(w, "OMMC", 1);
    for (int i = 0; i < NREG; i++)
        vt_state_put_u16(w, m->reg[i]);
    vt_state_put_u8(w, m->irq_level);
    vt_state_put_u8(w, (uint8_t)m->state);
    vt_state_put_u8(w, m->app);
    vt_state_put_u8(w, m->writing);
    vt_state_put_u32(w, m->blocklen);
    vt_state_put_u32(w, m->csr_err);
    vt_state_put_bytes(w, m->buf, sizeof m->buf);
    vt_state_put_u32(w, m->pos);
    vt_state_put_u32(w, m->len);
    vt_state_put_u32(w, m->blocks_left);
    vt_state_put_u64(w, m->addr);
    vt_state_end(w);
}

static int mmc_load(vt_device *d, vt_state_reader *r) {
    mmc *m = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "OMMC", 1, &ver)) return -1;
    for (int i = 0; i < NREG; i++)
        m->reg[i] = vt_state_get_u16(r);
    m->irq_level = vt_state_get_u8(r) != 0;
    m->state = vt_state_get_u8(r);
    m->app = vt_state_get_u8(r) != 0;
    m->writing = vt_state_get_u8(r) != 0;
    m->blocklen = vt_state_get_u32(r);
    m->csr_err = vt_state_get_u32(r);
    vt_state_get_bytes(r, m->buf, sizeof m->buf);
    m->pos = vt_state_get_u32(r);
    m->len = vt_state_get_u32(r);
    m->blocks_left = vt_state_get_u32(r);
    m->addr = vt_state_get_u64(r);
    if (m->state > ST_RCV || m->len > BLOCK || m->pos > m->len || (m->pos & 1)) {
        vt_state_fail(r, "omap-mmc: bad transfer state");
        m->state = ST_IDLE, m->len = m->pos = 0;
    }
    return vt_state_close(r);
}

static void mmc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap_mmc = {
    .name = "omap-mmc",
    .description = "TI OMAP1/2420 MMC/SD host with an SD card on the block layer",
    .keys = (const vt_dev_key[]){{"disk", VT_KEY_STR, "none",
                                  "the SD card: a --disk index, or none (empty slot)"},
                                 {"revision", VT_KEY_U64, "0x0010", "REV register"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = mmc_create,
    .reset = mmc_reset,
    .save = mmc_save,
    .load = mmc_load,
    .destroy = mmc_destroy,
};
