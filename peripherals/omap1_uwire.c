/* OMAP1 MicroWire (uWire): TDR/RDR, CSR (bit counts, chip select, START, CSRB, RDRB), SR1-SR5.
 * Transfers complete at once; the Palm's TSC2102 on chip select 0 is not modelled (Linux 6.1
 * has no driver for it): reads shift in 0, transfers are logged under `dev`. Sources: OMAP5910
 * TRM SPRU678; Linux 6.1 drivers/spi/spi-omap-uwire.c. */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum { TDR = 0, CSR = 1, SR1 = 2, SR5 = 6, NREG = 7 };
enum { RDRB = 1u << 15, CSRB = 1u << 14, START = 1u << 13, CS_CMD = 1u << 12 };

typedef struct uwire {
    vt_device *dev;
    uint16_t tdr, rdr, csr;
    uint16_t sr[5];
} uwire;

static void transfer(uwire *u) {
    unsigned rd = u->csr & 0x1f, wr = (u->csr >> 5) & 0x1f, cs = (u->csr >> 10) & 3;
    vt_log(VT_LOG_DEV, "uwire: cs%u %u bits out (0x%04x), %u bits in: no device attached", cs, wr,
           u->tdr, rd);
    u->csr &= (uint16_t)~START;
    if (rd) {
        u->rdr = 0;
        u->csr |= RDRB;
    }
}

static uint64_t uw_read(void *opaque, uint64_t off, unsigned size) {
    uwire *u = opaque;
    unsigned r = (unsigned)off / 4;
    if ((off & 3) || size > 4 || r >= NREG) {
        vt_dev_log_unknown(u->dev, "read", off, size, 0);
        return 0;
    }
    if (r == TDR) {
        u->csr &= (uint16_t)~RDRB;
        return u->rdr;
    }
    if (r == CSR) return u->csr;
    return u->sr[r - SR1];
}

static void uw_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    uwire *u = opaque;
    unsigned r = (unsigned)off / 4;
    if ((off & 3) || size > 4 || r >= NREG) {
        vt_dev_log_unknown(u->dev, "write", off, size, v);
        return;
    }
    if (r == TDR) {
        u->tdr = (uint16_t)v;
    } else if (r == CSR) {
        u->csr = (uint16_t)((u->csr & RDRB) | (v & ~(RDRB | CSRB)));
        if (v & START) transfer(u);
    } else {
        u->sr[r - SR1] = (uint16_t)v;
    }
}

static const vt_mmio_ops uw_ops = {uw_read, uw_write};

static int uw_create(vt_device *d, vt_error *err) {
    if (d->size < NREG * 4) return vt_fail(err, "size must be at least 0x%x", NREG * 4);
    uwire *u = calloc(1, sizeof *u);
    if (!u) return vt_fail(err, "out of memory");
    d->priv = u;
    u->dev = d;
    return vt_dev_map_mmio(d, &uw_ops, u, VT_LITTLE_ENDIAN, err);
}

static void uw_reset(vt_device *d) {
    uwire *u = d->priv;
    u->tdr = u->rdr = u->csr = 0;
    memset(u->sr, 0, sizeof u->sr);
}

static void uw_save(const vt_device *d, vt_state_writer *w) {
    const uwire *u = d->priv;
    vt_state_begin(w, "O1UW", 1);
    vt_state_put_u16(w, u->tdr);
    vt_state_put_u16(w, u->rdr);
    vt_state_put_u16(w, u->csr);
    for (int i = 0; i < 5; i++)
        vt_state_put_u16(w, u->sr[i]);
    vt_state_end(w);
}

static int uw_load(vt_device *d, vt_state_reader *r) {
    uwire *u = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1UW", 1, &ver)) return -1;
    u->tdr = vt_state_get_u16(r);
    u->rdr = vt_state_get_u16(r);
    u->csr = vt_state_get_u16(r);
    for (int i = 0; i < 5; i++)
        u->sr[i] = vt_state_get_u16(r);
    return vt_state_close(r);
}

static void uw_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_uwire = {
    .name = "omap1-uwire",
    .description = "OMAP1 MicroWire serial interface (transfers complete at once)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = uw_create,
    .reset = uw_reset,
    .save = uw_save,
    .load = uw_load,
    .destroy = uw_destroy,
};
