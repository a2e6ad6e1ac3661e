/* Intel 82077AA floppy controller in the sun4m ("SUNW,fdtwo") register layout, with no
 * drives attached: status registers A/B (+0/+1), digital output (+2, reset and motor bits),
 * tape drive (+3), main status / data-rate select (+4), data FIFO (+5), digital input /
 * configuration control (+7). With no drive, commands written to the FIFO are accepted and
 * answered as "invalid command" (ST0 = 0x80), which is what the chip returns for commands it
 * cannot execute; every command byte is logged under --log dev.
 * Source: Intel 82077AA datasheet (register map, MSR bits RQM 0x80 / DIO 0x40 / CB 0x10). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define MSR_RQM 0x80
#define MSR_DIO 0x40
#define MSR_CB 0x10

typedef struct fdc {
    vt_device *dev;
    uint8_t dor, tdr, dsr, ccr;
    uint8_t result[2];
    int nresult;
} fdc;

static uint64_t fdc_read(void *opaque, uint64_t off, unsigned size) {
    fdc *f = opaque;
    if (size == 1) {
        switch (off) {
        case 0: return 0x00; /* SRA: no drive, no interrupt */
        case 1: return 0xc0; /* SRB: unused bits read 1 */
        case 2: return f->dor;
        case 3: return f->tdr;
        case 4: return MSR_RQM | (f->nresult ? MSR_DIO | MSR_CB : 0);
        case 5:
            if (f->nresult) {
                uint8_t b = f->result[0];
                f->result[0] = f->result[1];
                f->nresult--;
                return b;
            }
            return 0;
        case 7: return 0x00; /* DIR: no disk change */
        default: break;
        }
    }
    vt_dev_log_unknown(f->dev, "read", off, size, 0);
    return 0;
}

static void fdc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    fdc *f = opaque;
    if (size == 1) {
        switch (off) {
        case 2: f->dor = (uint8_t)v; return;
        case 3: f->tdr = (uint8_t)v; return;
        case 4: f->dsr = (uint8_t)v & 0x7f; return; /* bit 7 = software reset, self-clearing */
        case 5:
            vt_log(VT_LOG_DEV, "%s: command byte 0x%02x with no drive: invalid", f->dev->name,
                   (unsigned)v);
            f->result[0] = 0x80;
            f->nresult = 1;
            return;
        case 7: f->ccr = (uint8_t)v & 3; return;
        default: break;
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
    f->dor = 0x0c;
    f->tdr = f->dsr = f->ccr = 0;
    f->nresult = 0;
}

static void fdc_save(const vt_device *d, vt_state_writer *w) {
    const fdc *f = d->priv;
    vt_state_begin(w, "FDC ", 1);
    vt_state_put_u8(w, f->dor);
    vt_state_put_u8(w, f->tdr);
    vt_state_put_u8(w, f->dsr);
    vt_state_put_u8(w, f->ccr);
    vt_state_put_bytes(w, f->result, 2);
    vt_state_put_u8(w, (uint8_t)f->nresult);
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
    vt_state_get_bytes(r, f->result, 2);
    f->nresult = (int)vt_state_get_index(r, 3);
    return vt_state_close(r);
}

static void fdc_destroy(vt_device *d) { free(d->priv); }

const vt_device_class vt_dev_i82077 = {
    .name = "i82077",
    .description = "Intel 82077AA floppy controller, no drives (sun4m layout)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = fdc_create,
    .reset = fdc_reset,
    .save = fdc_save,
    .load = fdc_load,
    .destroy = fdc_destroy,
};
