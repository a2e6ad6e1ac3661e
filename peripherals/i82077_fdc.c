/* Intel 82077AA floppy controller in the sun4m ("SUNW,fdtwo") layout, with one 3.5" drive
 * and no diskette inserted. Registers: status A/B (+0/+1), digital output (+2: drive select,
 * reset, motors), tape drive (+3), main status / data-rate select (+4), data FIFO (+5),
 * digital input / configuration control (+7). The command engine runs the command, execution
 * and result phases with the 82077's parameter and result counts; seeks and recalibrates
 * complete at once with an interrupt, data transfers end in "abnormal termination, not
 * ready" (no medium), unknown commands answer "invalid" (ST0 = 0x80), as the chip does.
 * Source: Intel 82077AA datasheet (register map, command set table, status bytes). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define MSR_RQM 0x80
#define MSR_DIO 0x40
#define MSR_CB 0x10
#define DOR_NRESET 0x04

typedef struct fdc {
    vt_device *dev;
    uint8_t dor, tdr, dsr, ccr;
    uint8_t cmd[9];
    int ncmd, cmd_len;
    uint8_t res[10];
    int nres, res_pos;
    uint8_t pcn[4];
    uint8_t int_st0[4]; /* pending interrupt status per drive (0xff = none) */
    uint8_t config, precomp, lock, perp, spec[2];
    bool irq;
} fdc;

/* Parameter bytes (command byte included) by command code (low 5 bits). */
static int command_length(uint8_t c) {
    switch (c & 0x1f) {
    case 0x02:
    case 0x05:
    case 0x06:
    case 0x09:
    case 0x0c:
    case 0x11:
    case 0x19:
    case 0x1d:
        return 9;
    case 0x03:
        return 3;
    case 0x04:
    case 0x07:
    case 0x0a:
    case 0x12:
        return 2;
    case 0x0d:
        return 6;
    case 0x0f:
        return 3;
    case 0x13:
        return 4;
    default:
        return 1; /* sense interrupt, version, dumpreg, lock, invalid */
    }
}

static void set_irq(fdc *f, bool on) {
    f->irq = on;
    vt_irq_set(&f->dev->irq[0], on);
}

static bool int_pending(const fdc *f) {
    for (int i = 0; i < 4; i++)
        if (f->int_st0[i] != 0xff) return true;
    return false;
}

static void result(fdc *f, const uint8_t *r, int n) {
    memcpy(f->res, r, (size_t)n);
    f->nres = n;
    f->res_pos = 0;
}

static void execute(fdc *f) {
    uint8_t c = f->cmd[0];
    unsigned drive = f->cmd[1] & 3;
    switch (c & 0x1f) {
    case 0x03:
        f->spec[0] = f->cmd[1];
        f->spec[1] = f->cmd[2];
        return;
    case 0x04: { /* sense drive status: ST3 */
        uint8_t st3 = (uint8_t)(0x28 | drive | (f->cmd[1] & 4) | (f->pcn[drive] == 0 ? 0x10 : 0));
        result(f, &st3, 1);
        return;
    }
    case 0x07: /* recalibrate */
        f->pcn[drive] = 0;
        f->int_st0[drive] = (uint8_t)(0x20 | drive);
        set_irq(f, true);
        return;
    case 0x0f: /* seek */
        f->pcn[drive] = f->cmd[2];
        f->int_st0[drive] = (uint8_t)(0x20 | (f->cmd[1] & 7));
        set_irq(f, true);
        return;
    case 0x08: { /* sense interrupt status */
        for (int i = 0; i < 4; i++) {
            if (f->int_st0[i] == 0xff) continue;
            uint8_t r[2] = {f->int_st0[i], f->pcn[i]};
            f->int_st0[i] = 0xff;
            result(f, r, 2);
            set_irq(f, int_pending(f));
            return;
        }
        uint8_t inv = 0x80;
        result(f, &inv, 1);
        return;
    }
    case 0x10: {
        uint8_t v = 0x90;
        result(f, &v, 1);
        return;
    } /* version: 82077 */
    case 0x12:
        f->perp = f->cmd[1];
        return;
    case 0x13:
        f->config = f->cmd[2];
        f->precomp = f->cmd[3];
        return;
    case 0x14: { /* lock / unlock */
        if (c == 0x14 || c == 0x94) {
            f->lock = c >> 7;
            uint8_t v = (uint8_t)(f->lock << 4);
            result(f, &v, 1);
            return;
        }
        break;
    }
    case 0x0e: {
        if (c != 0x0e) break;
        uint8_t r[10] = {f->pcn[0],  f->pcn[1],  f->pcn[2], f->pcn[3],
                         f->spec[0], f->spec[1], 0,         (uint8_t)(f->lock << 7 | f->perp),
                         f->config,  f->precomp};
        result(f, r, 10);
        return;
    }
    case 0x02:
    case 0x05:
    case 0x06:
    case 0x09:
    case 0x0a:
    case 0x0c:
    case 0x0d:
    case 0x11:
    case 0x19:
    case 0x1d: {
        /* no medium: abnormal termination, drive not ready */
        uint8_t r[7] = {(uint8_t)(0x48 | (f->cmd[1] & 7)),
                        0x01,
                        0x00,
                        f->cmd[2],
                        f->cmd[3],
                        f->cmd[4],
                        f->cmd[5]};
        result(f, r, 7);
        set_irq(f, true);
        return;
    }
    default:
        break;
    }
    vt_log(VT_LOG_DEV, "%s: invalid command 0x%02x", f->dev->name, c);
    uint8_t inv = 0x80;
    result(f, &inv, 1);
}

static void controller_reset(fdc *f) {
    f->ncmd = f->nres = f->res_pos = 0;
    /* after reset the chip reports a "ready changed" interrupt for each of the four drives */
    for (int i = 0; i < 4; i++)
        f->int_st0[i] = (uint8_t)(0xc0 | i);
    set_irq(f, true);
}

static uint64_t fdc_read(void *opaque, uint64_t off, unsigned size) {
    fdc *f = opaque;
    if (size == 1) {
        switch (off) {
        case 0:
            return f->irq ? 0x80 : 0x00;
        case 1:
            return 0xc0;
        case 2:
            return f->dor;
        case 3:
            return f->tdr;
        case 4:
            if (f->res_pos < f->nres) return MSR_RQM | MSR_DIO | MSR_CB;
            return MSR_RQM | (f->ncmd ? MSR_CB : 0);
        case 5:
            if (f->res_pos < f->nres) {
                uint8_t b = f->res[f->res_pos++];
                if (f->res_pos == f->nres) {
                    f->nres = f->res_pos = 0;
                    if ((f->cmd[0] & 0x1f) != 0x08) set_irq(f, int_pending(f));
                }
                return b;
            }
            return 0;
        case 7:
            return 0x00; /* DIR: no disk change */
        default:
            break;
        }
    }
    vt_dev_log_unknown(f->dev, "read", off, size, 0);
    return 0;
}

static void fdc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    fdc *f = opaque;
    uint8_t b = (uint8_t)v;
    if (size == 1) {
        switch (off) {
        case 2: {
            bool was_reset = !(f->dor & DOR_NRESET);
            f->dor = b;
            if (!(b & DOR_NRESET)) {
                f->ncmd = f->nres = 0;
                set_irq(f, false);
            } else if (was_reset) {
                controller_reset(f);
            }
            return;
        }
        case 3:
            f->tdr = b;
            return;
        case 4:
            f->dsr = b & 0x7f;
            if (b & 0x80) controller_reset(f); /* software reset, self-clearing */
            return;
        case 5:
            if (f->res_pos < f->nres) {
                vt_log(VT_LOG_DEV, "%s: byte written during result phase", f->dev->name);
                return;
            }
            if (!f->ncmd) f->cmd_len = command_length(b);
            f->cmd[f->ncmd++] = b;
            if (f->ncmd == f->cmd_len) {
                execute(f);
                f->ncmd = 0;
            }
            return;
        case 7:
            f->ccr = b & 3;
            return;
        default:
            break;
        }
    }
    vt_dev_log_unknown(f->dev, "write", off, size, v);
}

static const vt_mmio_ops fdc_ops = {fdc_read, fdc_write};

static int fdc_create(vt_device *d, vt_error *err) {
    fdc *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    f->dev = d;
    d->priv = f;
    return vt_dev_map_mmio(d, &fdc_ops, f, VT_BIG_ENDIAN, err);
}

static void fdc_reset(vt_device *d) {
    fdc *f = d->priv;
    f->dor = DOR_NRESET;
    f->tdr = f->dsr = f->ccr = 0;
    f->ncmd = f->nres = f->res_pos = 0;
    memset(f->pcn, 0, sizeof f->pcn);
    memset(f->int_st0, 0xff, sizeof f->int_st0);
    f->config = 0x20;
    f->precomp = f->lock = f->perp = 0;
    f->spec[0] = f->spec[1] = 0;
    set_irq(f, false);
}

static void fdc_save(const vt_device *d, vt_state_writer *w) {
    const fdc *f = d->priv;
    vt_state_begin(w, "FDC ", 1);
    vt_state_put_u8(w, f->dor);
    vt_state_put_u8(w, f->tdr);
    vt_state_put_u8(w, f->dsr);
    vt_state_put_u8(w, f->ccr);
    vt_state_put_bytes(w, f->cmd, sizeof f->cmd);
    vt_state_put_u32(w, (uint32_t)f->ncmd);
    vt_state_put_u32(w, (uint32_t)f->cmd_len);
    vt_state_put_bytes(w, f->res, sizeof f->res);
    vt_state_put_u32(w, (uint32_t)f->nres);
    vt_state_put_u32(w, (uint32_t)f->res_pos);
    vt_state_put_bytes(w, f->pcn, 4);
    vt_state_put_bytes(w, f->int_st0, 4);
    vt_state_put_u8(w, f->config);
    vt_state_put_u8(w, f->precomp);
    vt_state_put_u8(w, f->lock);
    vt_state_put_u8(w, f->perp);
    vt_state_put_bytes(w, f->spec, 2);
    vt_state_put_u8(w, f->irq);
    vt_state_end(w);
}

static int fdc_load(vt_device *d, vt_state_reader *r) {
    fdc *f = d->priv;
    uint32_t v;
    if (vt_state_open(r, "FDC ", 1, &v)) return -1;
    f->dor = vt_state_get_u8(r);
    f->tdr = vt_state_get_u8(r);
    f->dsr = vt_state_get_u8(r);
    f->ccr = vt_state_get_u8(r);
    vt_state_get_bytes(r, f->cmd, sizeof f->cmd);
    f->ncmd = (int)vt_state_get_index(r, 9);
    f->cmd_len = (int)vt_state_get_index(r, 10);
    vt_state_get_bytes(r, f->res, sizeof f->res);
    f->nres = (int)vt_state_get_index(r, 11);
    f->res_pos = (int)vt_state_get_index(r, 11);
    vt_state_get_bytes(r, f->pcn, 4);
    vt_state_get_bytes(r, f->int_st0, 4);
    f->config = vt_state_get_u8(r);
    f->precomp = vt_state_get_u8(r);
    f->lock = vt_state_get_u8(r);
    f->perp = vt_state_get_u8(r);
    vt_state_get_bytes(r, f->spec, 2);
    f->irq = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void fdc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_i82077 = {
    .name = "i82077",
    .description = "Intel 82077AA floppy controller, one drive, no diskette (sun4m layout)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = fdc_create,
    .reset = fdc_reset,
    .save = fdc_save,
    .load = fdc_load,
    .destroy = fdc_destroy,
};
