/* NCR 53C9x "ESP" SCSI controller ("ncr53c9x"), registers 1 << `reg_shift` bytes apart (sun4m:
 * 4, the default):
 * transfer counter, FIFO (16 deep), command, status, interrupt, sequence step, FIFO flags,
 * configuration 1-3, clock factor, timeout, sync period/offset. Commands: NOP, flush FIFO,
 * reset chip, reset SCSI bus (reset interrupt unless CFG1 bit 6), selection with/without ATN
 * (message and CDB bytes from DMA or the FIFO), information transfer (data-in through the
 * stream DMA port of key `dma` — on the SS-5 the DMA2 ESP channel — or the FIFO; data-out the
 * same way from memory), initiator command complete, message accepted, enable/disable
 * reselection. Bus phases complete at once (no bus timing). Targets: a disk (scsi_disk.c) on
 * the image `disk` (an index of --disk) at `disk_id`, a CD-ROM drive at `cdrom_id` (none by
 * default) holding the medium `cdrom` (an index of --cdrom, or empty); selecting any other ID times
 * out with a disconnect interrupt. A transfer is at most DATA_MAX bytes (larger ones are refused
 * with ILLEGAL REQUEST). The profile wires the interrupt output (on the SS-5 to the DMA2 channel).
 * Source: NCR 53C90A/53C94 data manual (register map, command set, interrupt/status bits). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#include "core/block/block.h"
#include "peripherals/scsi_cdrom.h"
#include "peripherals/scsi_disk.h"

enum {
    R_TCLO,
    R_TCMID,
    R_FIFO,
    R_CMD,
    R_STAT,
    R_INTR,
    R_SEQ,
    R_FLAGS,
    R_CFG1,
    R_CLOCK,
    R_TEST,
    R_CFG2,
    R_CFG3,
    R_RES,
    R_TCHI,
    R_FIFOB,
    NREG
};
/* Register bits and commands (NCR 53C94 data manual: status, interrupt and command registers). */
#define STAT_INT 0x80        /* interrupt pending */
#define STAT_ERRORS 0x70     /* gross error, parity error, terminal count: clear on INTR read */
#define STAT_TC 0x10         /* terminal count */
#define STAT_PHASE_BITS 0x17 /* terminal count + bus phase (MSG, C/D, I/O) */
#define BUSID_MASK 0x07      /* destination ID (written to the status address) */
#define INTR_FC 0x08         /* function complete */
#define INTR_BS 0x10         /* bus service */
#define INTR_DC 0x20         /* disconnect */
#define INTR_ILL 0x40        /* illegal command */
#define INTR_RST 0x80        /* SCSI reset */
#define CFG1_RESET_INT_DISABLE 0x40 /* no interrupt on a SCSI bus reset */
#define CFG2_FEATURES 0x40          /* FAS100A: 24-bit transfer counter (high byte at R_TCHI) */
#define CMD_DMA 0x80                /* the command uses DMA (loads the counter) */
#define CMD_CODE(c) ((c)&0x7f)
enum {
    CMD_NOP = 0x00,
    CMD_FLUSH_FIFO = 0x01,
    CMD_RESET_CHIP = 0x02,
    CMD_RESET_BUS = 0x03,
    CMD_TRANSFER_INFO = 0x10,
    CMD_INIT_COMPLETE = 0x11,
    CMD_MSG_ACCEPTED = 0x12,
    CMD_SET_ATN = 0x1a,
    CMD_RESET_ATN = 0x1b,
    CMD_SELECT = 0x41,
    CMD_SELECT_ATN = 0x42,
    CMD_SELECT_ATN_STOP = 0x43,
    CMD_ENABLE_SEL = 0x44,
    CMD_DISABLE_SEL = 0x45,
};
enum { PH_DATA_OUT = 0, PH_DATA_IN = 1, PH_STATUS = 3, PH_MSG_IN = 7 };
#define MSG_COMMAND_COMPLETE 0x00
#define MSG_IDENTIFY 0x80
#define IDENTIFY_LUN_MASK 0x07
#define FIFO_DEPTH 16
#define DATA_MAX (2u << 20) /* above Linux's default 1280 KiB per request */

typedef struct esp {
    vt_device *dev;
    uint8_t w[NREG]; /* written values */
    uint8_t stat, intr, seq;
    uint32_t tc; /* current transfer count */
    uint8_t fifo[FIFO_DEPTH];
    int nfifo;
    bool irq;
    vt_dma dma;
    unsigned reg_shift;
    int cdrom_id; /* -1: none */
    vt_scsi_cdrom cdrom;
    int disk_id; /* -1: none */
    vt_scsi_disk disk;
    /* the current connection */
    bool connected;
    int target; /* the connected target's ID */
    uint8_t phase, status;
    uint8_t *data; /* DATA_MAX bytes */
    uint32_t data_len, data_pos;
} esp;

static void set_irq(esp *e, bool on) {
    e->irq = on;
    if (on)
        e->stat |= STAT_INT;
    else
        e->stat &= (uint8_t)~STAT_INT;
    vt_irq_set(&e->dev->irq[0], on);
}

static void interrupt(esp *e, uint8_t intr) {
    e->intr |= intr;
    set_irq(e, true);
}

static void chip_reset(esp *e) {
    memset(e->w, 0, sizeof e->w);
    e->stat = e->intr = e->seq = 0;
    e->tc = 0;
    e->nfifo = 0;
    e->connected = false;
    e->data_len = e->data_pos = 0;
    set_irq(e, false);
}

/* Bytes for a selection or transfer from memory: DMA (counter bytes) or the FIFO. */
static uint32_t take_out_bytes(esp *e, bool dma, uint8_t *buf, uint32_t max) {
    if (dma) {
        uint32_t n = e->tc ? e->tc : 0x10000;
        if (n > max) n = max;
        if (vt_dma_stream_read(&e->dma, buf, n)) return 0;
        e->tc -= n < e->tc ? n : e->tc;
        return n;
    }
    uint32_t n = (uint32_t)e->nfifo < max ? (uint32_t)e->nfifo : max;
    memcpy(buf, e->fifo, n);
    e->nfifo -= (int)n;
    memmove(e->fifo, e->fifo + n, (size_t)e->nfifo);
    return n;
}

static void phase_interrupt(esp *e, uint8_t intr, bool dma) {
    e->stat =
        (uint8_t)((e->stat & ~STAT_PHASE_BITS) | e->phase | (dma && e->tc == 0 ? STAT_TC : 0));
    interrupt(e, intr);
}

static void select_target(esp *e, uint8_t cmd) {
    int id = e->w[R_STAT] & BUSID_MASK;
    bool dma = cmd & CMD_DMA, atn = CMD_CODE(cmd) != CMD_SELECT;
    if (id != e->cdrom_id && id != e->disk_id) {
        vt_log(VT_LOG_DEV, "%s: select target %u: no device, timeout", e->dev->name, id);
        e->nfifo = 0;
        e->seq = 0;
        e->connected = false;
        interrupt(e, INTR_DC);
        return;
    }
    uint8_t bytes[32];
    uint32_t n = take_out_bytes(e, dma, bytes, sizeof bytes);
    unsigned lun = atn && n && (bytes[0] & MSG_IDENTIFY) ? bytes[0] & IDENTIFY_LUN_MASK : 0;
    const uint8_t *cdb = atn ? bytes + 1 : bytes;
    size_t cdb_len = atn ? (n ? n - 1 : 0) : n;
    vt_scsi_xfer x = {.data = e->data, .data_max = DATA_MAX};
    e->status = id == e->disk_id ? vt_scsi_disk_command(&e->disk, lun, cdb, cdb_len, &x)
                                 : vt_scsi_cdrom_command(&e->cdrom, lun, cdb, cdb_len, &x);
    e->data_len = (uint32_t)(x.out_len ? x.out_len : x.data_len);
    e->data_pos = 0;
    e->connected = true;
    e->target = id;
    e->phase = x.out_len ? PH_DATA_OUT : e->data_len ? PH_DATA_IN : PH_STATUS;
    e->seq = 4;
    phase_interrupt(e, INTR_BS | INTR_FC, dma);
}

static void transfer_info(esp *e, uint8_t cmd) {
    bool dma = cmd & CMD_DMA;
    if (!e->connected) {
        interrupt(e, INTR_ILL);
        return;
    }
    if (e->phase == PH_DATA_IN) {
        uint32_t left = e->data_len - e->data_pos;
        uint32_t n = dma ? (e->tc ? e->tc : 0x10000) : FIFO_DEPTH - (uint32_t)e->nfifo;
        if (n > left) n = left;
        if (dma) {
            if (vt_dma_stream_write(&e->dma, e->data + e->data_pos, n) == 0)
                e->tc -= n < e->tc ? n : e->tc;
        } else {
            memcpy(e->fifo + e->nfifo, e->data + e->data_pos, n);
            e->nfifo += (int)n;
        }
        e->data_pos += n;
        if (e->data_pos == e->data_len) e->phase = PH_STATUS;
    } else if (e->phase == PH_DATA_OUT) {
        uint32_t n = take_out_bytes(e, dma, e->data + e->data_pos, e->data_len - e->data_pos);
        e->data_pos += n;
        if (e->data_pos == e->data_len) { /* all data-out bytes: the disk writes them */
            e->status = vt_scsi_disk_write_data(&e->disk, e->data, e->data_len);
            e->phase = PH_STATUS;
        }
    } else if (e->phase == PH_STATUS) {
        if (e->nfifo < FIFO_DEPTH) e->fifo[e->nfifo++] = e->status;
        e->phase = PH_MSG_IN;
    } else if (e->phase == PH_MSG_IN) {
        if (e->nfifo < FIFO_DEPTH) e->fifo[e->nfifo++] = MSG_COMMAND_COMPLETE;
    }
    phase_interrupt(e, INTR_BS, dma);
}

static void command(esp *e, uint8_t cmd) {
    if (cmd & CMD_DMA) /* load the counter from the start-count registers (0 = 64 KiB) */
        e->tc = (uint32_t)e->w[R_TCLO] | (uint32_t)e->w[R_TCMID] << 8 |
                (e->w[R_CFG2] & CFG2_FEATURES ? (uint32_t)e->w[R_TCHI] << 16 : 0);
    switch (CMD_CODE(cmd)) {
    case CMD_NOP:
        break;
    case CMD_FLUSH_FIFO:
        e->nfifo = 0;
        break;
    case CMD_RESET_CHIP:
        chip_reset(e);
        break;
    case CMD_RESET_BUS:
        if (!(e->w[R_CFG1] & CFG1_RESET_INT_DISABLE)) interrupt(e, INTR_RST);
        break;
    case CMD_SELECT:
    case CMD_SELECT_ATN:
    case CMD_SELECT_ATN_STOP:
        select_target(e, cmd);
        break;
    case CMD_ENABLE_SEL:
        break;
    case CMD_DISABLE_SEL:
        interrupt(e, INTR_FC);
        break;
    case CMD_TRANSFER_INFO:
        transfer_info(e, cmd);
        break;
    case CMD_INIT_COMPLETE: /* status and message bytes into the FIFO */
        if (!e->connected) {
            interrupt(e, INTR_ILL);
            break;
        }
        if (e->nfifo < FIFO_DEPTH - 1) {
            e->fifo[e->nfifo++] = e->status;
            e->fifo[e->nfifo++] = MSG_COMMAND_COMPLETE;
        }
        e->phase = PH_MSG_IN;
        phase_interrupt(e, INTR_FC, false);
        break;
    case CMD_MSG_ACCEPTED: /* the target disconnects after COMMAND COMPLETE */
        if (!e->connected) {
            interrupt(e, INTR_ILL);
            break;
        }
        e->connected = false;
        interrupt(e, INTR_DC);
        break;
    case CMD_SET_ATN:
    case CMD_RESET_ATN:
        break;
    default:
        vt_log(VT_LOG_DEV, "%s: unknown command 0x%02x", e->dev->name, cmd);
        interrupt(e, INTR_ILL);
        break;
    }
}

static uint64_t esp_read(void *opaque, uint64_t off, unsigned size) {
    esp *e = opaque;
    unsigned r = (unsigned)(off >> e->reg_shift);
    if (size != 1 || (off & ((1u << e->reg_shift) - 1)) || r >= NREG) {
        vt_dev_log_unknown(e->dev, "read", off, size, 0);
        return 0;
    }
    switch (r) {
    case R_TCLO:
        return e->tc & 0xff;
    case R_TCMID:
        return (e->tc >> 8) & 0xff;
    case R_TCHI:
        return (e->tc >> 16) & 0xff;
    case R_FIFO: {
        if (!e->nfifo) return 0;
        uint8_t b = e->fifo[0];
        memmove(e->fifo, e->fifo + 1, (size_t)--e->nfifo);
        return b;
    }
    case R_CMD:
        return e->w[R_CMD];
    case R_STAT:
        return e->stat;
    case R_INTR: {
        uint8_t v = e->intr;
        e->intr = 0;
        e->stat &= (uint8_t)~STAT_ERRORS; /* TC, parity and gross-error flags clear with it */
        set_irq(e, false);
        return v;
    }
    case R_SEQ:
        return e->seq;
    case R_FLAGS:
        return (uint8_t)e->nfifo;
    case R_CFG1:
    case R_CFG2:
    case R_CFG3:
        return e->w[r];
    default:
        vt_dev_log_unknown(e->dev, "read", off, size, 0);
        return 0;
    }
}

static void esp_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    esp *e = opaque;
    unsigned r = (unsigned)(off >> e->reg_shift);
    if (size != 1 || (off & ((1u << e->reg_shift) - 1)) || r >= NREG) {
        vt_dev_log_unknown(e->dev, "write", off, size, v);
        return;
    }
    uint8_t b = (uint8_t)v;
    switch (r) {
    case R_FIFO:
        if (e->nfifo < FIFO_DEPTH) e->fifo[e->nfifo++] = b;
        return;
    case R_CMD:
        e->w[R_CMD] = b;
        command(e, b);
        return;
    case R_RES:
    case R_FIFOB:
        vt_dev_log_unknown(e->dev, "write", off, size, v);
        return;
    default:
        e->w[r] = b; /* counters, bus id (R_STAT), timeout, sync, config, clock, test */
        return;
    }
}

static const vt_mmio_ops esp_ops = {esp_read, esp_write};

static int esp_create(vt_device *d, vt_error *err) {
    esp *e = calloc(1, sizeof *e);
    if (!e) return vt_fail(err, "out of memory");
    e->dev = d;
    d->priv = e;
    uint64_t shift;
    if (vt_dev_dma(d, "dma", &e->dma, err) || vt_dev_u64(d, "reg_shift", &shift, err)) return -1;
    if (shift > 4) return vt_fail(err, "reg_shift must be 0..4");
    e->reg_shift = (unsigned)shift;
    if (d->size < (uint64_t)NREG << shift)
        return vt_fail(err, "size must cover the 16 registers (0x%llx)",
                       (unsigned long long)NREG << shift);
    e->data = calloc(1, DATA_MAX); /* zeroed: its bytes reach the save state */
    if (!e->data) return vt_fail(err, "out of memory");
    e->disk_id = -1;
    if (vt_dev_disk(d, "disk", &e->disk.blk, err)) return -1;
    if (e->disk.blk) {
        uint64_t id;
        if (vt_dev_u64(d, "disk_id", &id, err)) return -1;
        if (id > 7) return vt_fail(err, "disk_id must be 0..7");
        e->disk_id = (int)id;
    }
    const char *cd = vt_dev_str(d, "cdrom_id");
    e->cdrom_id = -1;
    if (strcmp(cd, "none")) {
        uint64_t id;
        if (vt_dev_u64(d, "cdrom_id", &id, err)) return -1;
        if (id > 7) return vt_fail(err, "cdrom_id must be 0..7 or none");
        if ((int)id == e->disk_id)
            return vt_fail(err, "cdrom_id and disk_id are both %d", e->disk_id);
        e->cdrom_id = (int)id;
        if (vt_dev_cdrom(d, "cdrom", &e->cdrom.medium, err)) return -1;
    }
    return vt_dev_map_mmio(d, &esp_ops, e, VT_BIG_ENDIAN, err);
}

static void esp_reset(vt_device *d) {
    chip_reset(d->priv);
}

static void esp_save(const vt_device *d, vt_state_writer *w) {
    const esp *e = d->priv;
    vt_state_begin(w, "ESP ", 2);
    vt_state_put_bytes(w, e->w, NREG);
    vt_state_put_u8(w, e->stat);
    vt_state_put_u8(w, e->intr);
    vt_state_put_u8(w, e->seq);
    vt_state_put_u32(w, e->tc);
    vt_state_put_bytes(w, e->fifo, 16);
    vt_state_put_u32(w, (uint32_t)e->nfifo);
    vt_state_put_u8(w, e->irq);
    vt_state_put_u8(w, e->connected);
    vt_state_put_u8(w, e->phase);
    vt_state_put_u8(w, e->status);
    vt_state_put_u32(w, e->data_len);
    vt_state_put_u32(w, e->data_pos);
    vt_state_put_bytes(w, e->data, e->data_len);
    vt_state_put_u8(w, (uint8_t)e->target);
    const vt_scsi_sense *sense[2] = {&e->cdrom.sense, &e->disk.sense};
    for (int i = 0; i < 2; i++) {
        vt_state_put_u8(w, sense[i]->key);
        vt_state_put_u8(w, sense[i]->asc);
        vt_state_put_u8(w, sense[i]->ascq);
    }
    vt_state_put_u64(w, e->disk.write_lba);
    vt_state_end(w);
}

static int esp_load(vt_device *d, vt_state_reader *r) {
    esp *e = d->priv;
    uint32_t v;
    if (vt_state_open(r, "ESP ", 2, &v)) return -1;
    vt_state_get_bytes(r, e->w, NREG);
    e->stat = vt_state_get_u8(r);
    e->intr = vt_state_get_u8(r);
    e->seq = vt_state_get_u8(r);
    e->tc = vt_state_get_u32(r);
    vt_state_get_bytes(r, e->fifo, 16);
    e->nfifo = (int)vt_state_get_index(r, 17);
    e->irq = vt_state_get_u8(r) != 0;
    e->connected = vt_state_get_u8(r) != 0;
    e->phase = vt_state_get_u8(r) & 7;
    e->status = vt_state_get_u8(r);
    e->data_len = vt_state_get_index(r, DATA_MAX + 1);
    e->data_pos = vt_state_get_index(r, e->data_len + 1);
    vt_state_get_bytes(r, e->data, e->data_len);
    e->target = vt_state_get_u8(r) & BUSID_MASK;
    vt_scsi_sense *sense[2] = {&e->cdrom.sense, &e->disk.sense};
    for (int i = 0; i < 2; i++) {
        sense[i]->key = vt_state_get_u8(r);
        sense[i]->asc = vt_state_get_u8(r);
        sense[i]->ascq = vt_state_get_u8(r);
    }
    e->disk.write_lba = vt_state_get_u64(r);
    return vt_state_close(r);
}

static void esp_destroy(vt_device *d) {
    esp *e = d->priv;
    if (e) free(e->data);
    free(e);
}

const vt_device_class vt_dev_ncr53c9x = {
    .name = "ncr53c9x",
    .description = "NCR 53C9x ESP SCSI controller (sun4m register spacing)",
    .keys =
        (const vt_dev_key[]){
            {"dma", VT_KEY_STR, "dma.0", "DMA port for data transfers (stream mode)"},
            {"reg_shift", VT_KEY_U64, "2", "register n at offset n << reg_shift (sun4m: 2)"},
            {"cdrom_id", VT_KEY_STR, "none", "SCSI ID of an empty CD-ROM drive, or none"},
            {"cdrom", VT_KEY_STR, "none",
             "medium in the CD-ROM drive: an index of --cdrom, or none"},
            {"disk", VT_KEY_STR, "none", "image of the SCSI disk: an index of --disk, or none"},
            {"disk_id", VT_KEY_U64, "0", "SCSI ID of the disk"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = esp_create,
    .reset = esp_reset,
    .save = esp_save,
    .load = esp_load,
    .destroy = esp_destroy,
};
