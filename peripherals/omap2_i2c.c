/* OMAP2420 I2C controller ("omap2-i2c", IP revision 3.4, no FIFO): 16-bit registers four bytes
 * apart, master transfers of CNT bytes to the target at SA, with the 16-bit DATA register
 * carrying two bytes (low first) per XRDY/RRDY as on the 2420. Status follows the hardware
 * handshake Linux's i2c-omap relies on: after START the address is sent; a missing target gives
 * NACK; a transmitter with an empty buffer shows XRDY and XUDF (underflow: the shifter waits
 * for data, which the driver's erratum i462 loop polls for); acknowledging XRDY/RRDY moves the
 * next bytes; after CNT bytes ARDY, and STOP frees the bus (BB). Bytes move at once (no bus
 * timing). Targets are I2C models given as `dev0 = menelaus@0x72`, `dev1`...
 * Sources: OMAP2420 TRM "I2C" (register map, STAT bits); Linux 6.1
 * drivers/i2c/busses/i2c-omap.c (flags for the 2420: NO_FIFO, 16BIT_DATA_REG, BUS_SHIFT_2). */
#include "peripherals/i2c_slave.h"
#include "peripherals/rtc_start.h"

#include "core/savestate.h"
#include "core/device.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_DEVS 4
enum {
    I2C_REV = 0x00,
    I2C_IE = 0x04,
    I2C_STAT = 0x08,
    I2C_WE = 0x0c,
    I2C_SYSS = 0x10,
    I2C_BUF = 0x14,
    I2C_CNT = 0x18,
    I2C_DATA = 0x1c,
    I2C_SYSC = 0x20,
    I2C_CON = 0x24,
    I2C_OA = 0x28,
    I2C_SA = 0x2c,
    I2C_PSC = 0x30,
    I2C_SCLL = 0x34,
    I2C_SCLH = 0x38,
    I2C_SYSTEST = 0x3c,
    I2C_NREGS = 0x10,
};
#define REV_VALUE 0x34
#define STAT_AL 0x0001
#define STAT_NACK 0x0002
#define STAT_ARDY 0x0004
#define STAT_RRDY 0x0008
#define STAT_XRDY 0x0010
#define STAT_XUDF 0x0400
#define STAT_BB 0x1000
#define STAT_W1C 0x6e3f /* bits a write of 1 clears */
#define CON_EN 0x8000
#define CON_MST 0x0400
#define CON_TRX 0x0200
#define CON_STP 0x0002
#define CON_STT 0x0001
#define SYSC_SRST 0x0002
#define SYSS_RDONE 0x0001

typedef struct omap_i2c {
    vt_device *dev;
    vt_i2c_slave devs[MAX_DEVS];
    int ndevs;
    vt_i2c_slave *cur; /* addressed target */
    uint16_t ie, stat, we, buf, cnt, sysc, con, oa, sa, psc, scll, sclh, systest;
    uint16_t left;   /* bytes of the transfer still to move */
    uint8_t data[2]; /* the DATA register's bytes */
    uint8_t ndata;
} omap_i2c;

static void update_irq(omap_i2c *c) {
    vt_irq_set(&c->dev->irq[0], (c->stat & c->ie) != 0);
}

static vt_i2c_slave *find(omap_i2c *c, uint16_t addr) {
    for (int i = 0; i < c->ndevs; i++)
        if (c->devs[i].addr == addr) return &c->devs[i];
    return NULL;
}

/* Ends the transfer: ARDY, and with STP a stop condition that frees the bus. */
static void finish(omap_i2c *c) {
    c->stat |= STAT_ARDY;
    if (c->con & CON_STP) {
        if (c->cur) c->cur->ops->stop(c->cur);
        c->cur = NULL;
        c->stat &= (uint16_t)~STAT_BB;
        c->con &= (uint16_t) ~(CON_STP | CON_MST);
    }
}

/* Moves the next bytes: fills DATA for a receiver, or asks a transmitter for more. */
static void next_step(omap_i2c *c) {
    if (!c->left) {
        finish(c);
        return;
    }
    if (c->con & CON_TRX) {
        c->stat |= STAT_XRDY | STAT_XUDF;
        return;
    }
    c->ndata = 0;
    while (c->ndata < 2 && c->left) {
        c->data[c->ndata++] = c->cur->ops->read(c->cur);
        c->left--;
    }
    c->stat |= STAT_RRDY;
}

static void start(omap_i2c *c) {
    c->con &= (uint16_t)~CON_STT;
    c->stat |= STAT_BB;
    c->left = c->cnt;
    c->ndata = 0;
    bool rd = !(c->con & CON_TRX);
    vt_i2c_slave *s = find(c, c->sa & 0x7f);
    if (!s || !s->ops->start(s, rd)) {
        c->stat |= STAT_NACK;
        if (s) s->ops->stop(s);
        c->cur = NULL;
        return;
    }
    c->cur = s;
    next_step(c);
}

/* Bytes the driver placed in DATA go to the target. */
static void transmit(omap_i2c *c) {
    for (int i = 0; i < c->ndata && c->left; i++) {
        c->left--;
        if (!c->cur->ops->write(c->cur, c->data[i])) {
            c->stat |= STAT_NACK;
            c->left = 0;
            c->ndata = 0;
            return;
        }
    }
    c->ndata = 0;
    next_step(c);
}

static void ack(omap_i2c *c, uint16_t v) {
    uint16_t was = c->stat;
    c->stat &= (uint16_t) ~(v & STAT_W1C);
    if (!c->cur) return;
    if ((v & was & STAT_XRDY) && c->ndata)
        transmit(c);
    else if ((v & was & STAT_RRDY) && !c->ndata)
        next_step(c);
}

static void soft_reset(omap_i2c *c) {
    c->ie = c->stat = c->we = c->buf = c->cnt = c->con = c->oa = c->sa = 0;
    c->psc = c->scll = c->sclh = c->systest = c->sysc = 0;
    c->left = c->ndata = 0;
    if (c->cur) c->cur->ops->stop(c->cur);
    c->cur = NULL;
}

static uint64_t i2c_read(void *opaque, uint64_t off, unsigned size) {
    omap_i2c *c = opaque;
    if (size == 2 || size == 4) switch (off) {
        case I2C_REV:
            return REV_VALUE;
        case I2C_IE:
            return c->ie;
        case I2C_STAT:
            return c->stat;
        case I2C_WE:
            return c->we;
        case I2C_SYSS:
            return SYSS_RDONE;
        case I2C_BUF:
            return c->buf;
        case I2C_CNT:
            return c->left; /* counts down while the transfer runs */
        case I2C_DATA: {
            uint16_t v = (uint16_t)(c->data[0] | (c->ndata > 1 ? c->data[1] << 8 : 0));
            c->ndata = 0;
            return v;
        }
        case I2C_SYSC:
            return c->sysc;
        case I2C_CON:
            return c->con;
        case I2C_OA:
            return c->oa;
        case I2C_SA:
            return c->sa;
        case I2C_PSC:
            return c->psc;
        case I2C_SCLL:
            return c->scll;
        case I2C_SCLH:
            return c->sclh;
        case I2C_SYSTEST:
            return c->systest;
        }
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void i2c_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    omap_i2c *c = opaque;
    uint16_t v = (uint16_t)v64;
    if (size != 2 && size != 4) off = ~0ull;
    switch (off) {
    case I2C_IE:
        c->ie = v & 0x001f;
        break;
    case I2C_STAT:
        ack(c, v);
        break;
    case I2C_WE:
        c->we = v;
        break;
    case I2C_BUF:
        c->buf = v & (uint16_t)~0x4040; /* FIFO clear bits self-clear */
        break;
    case I2C_CNT:
        c->cnt = v;
        break;
    case I2C_DATA:
        c->data[0] = (uint8_t)v, c->data[1] = (uint8_t)(v >> 8);
        c->ndata = c->left > 1 ? 2 : 1;
        c->stat &= (uint16_t)~STAT_XUDF; /* the buffer holds data again */
        break;
    case I2C_SYSC:
        if (v & SYSC_SRST) soft_reset(c);
        c->sysc = v & 0x0001;
        break;
    case I2C_CON: {
        c->con = v;
        if (!(v & CON_EN)) {
            soft_reset(c);
            break;
        }
        if ((v & (CON_STT | CON_MST)) == (CON_STT | CON_MST))
            start(c);
        else if ((v & CON_STP) && !c->left && c->stat & STAT_BB) /* stop after a NACK */
            finish(c);
        break;
    }
    case I2C_OA:
        c->oa = v & 0x3ff;
        break;
    case I2C_SA:
        c->sa = v & 0x3ff;
        break;
    case I2C_PSC:
        c->psc = v & 0xff;
        break;
    case I2C_SCLL:
        c->scll = v;
        break;
    case I2C_SCLH:
        c->sclh = v;
        break;
    case I2C_SYSTEST:
        c->systest = v;
        break;
    default:
        vt_dev_log_unknown(c->dev, "write", off, size, v64);
        return;
    }
    update_irq(c);
}

static const vt_mmio_ops i2c_ops = {i2c_read, i2c_write};

static void i2c_destroy(vt_device *d) {
    omap_i2c *c = d->priv;
    if (!c) return;
    for (int i = 0; i < c->ndevs; i++)
        c->devs[i].ops->destroy(&c->devs[i]);
    free(c);
}

static int i2c_create(vt_device *d, vt_error *err) {
    omap_i2c *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    d->priv = c;
    c->dev = d;
    int64_t rtc = VT_I2C_NO_RTC;
    const char *rs = vt_dev_str(d, "rtc");
    if (strcmp(rs, "none") && vt_rtc_parse_start(rs, &rtc))
        return vt_fail(err, "rtc: expected YYYY-MM-DDTHH:MM:SS, host or none, not '%s'", rs);
    for (int i = 0; i < MAX_DEVS; i++) {
        char key[16];
        snprintf(key, sizeof key, "dev%d", i);
        const char *spec = vt_dev_str(d, key);
        if (!strcmp(spec, "none")) continue;
        if (vt_i2c_slave_create(&c->devs[c->ndevs], spec, rtc, vt_dev_sched(d), err)) return -1;
        c->ndevs++;
    }
    return vt_dev_map_mmio(d, &i2c_ops, c, VT_LITTLE_ENDIAN, err);
}

static void i2c_reset(vt_device *d) {
    omap_i2c *c = d->priv;
    c->cur = NULL;
    soft_reset(c);
    for (int i = 0; i < c->ndevs; i++)
        c->devs[i].ops->reset(&c->devs[i]);
    update_irq(c);
}

static void i2c_save(const vt_device *d, vt_state_writer *w) {
    const omap_i2c *c = d->priv;
    vt_state_begin(w, "O2I2", 1);
    const uint16_t r[] = {c->ie, c->stat, c->we,  c->buf,  c->cnt,  c->sysc,    c->con,
                          c->oa, c->sa,   c->psc, c->scll, c->sclh, c->systest, c->left};
    for (size_t i = 0; i < VT_ARRAY_LEN(r); i++)
        vt_state_put_u16(w, r[i]);
    vt_state_put_bytes(w, c->data, 2);
    vt_state_put_u32(w, c->ndata);
    vt_state_put_u32(w, c->cur ? (uint32_t)(c->cur - c->devs) + 1 : 0);
    vt_state_end(w);
    for (int i = 0; i < c->ndevs; i++)
        c->devs[i].ops->save(&c->devs[i], w);
}

static int i2c_load(vt_device *d, vt_state_reader *r) {
    omap_i2c *c = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2I2", 1, &ver)) return -1;
    uint16_t *f[] = {&c->ie, &c->stat, &c->we,  &c->buf,  &c->cnt,  &c->sysc,    &c->con,
                     &c->oa, &c->sa,   &c->psc, &c->scll, &c->sclh, &c->systest, &c->left};
    for (size_t i = 0; i < VT_ARRAY_LEN(f); i++)
        *f[i] = vt_state_get_u16(r);
    vt_state_get_bytes(r, c->data, 2);
    c->ndata = (uint8_t)vt_state_get_index(r, 3);
    uint32_t cur = vt_state_get_index(r, (uint32_t)c->ndevs + 1);
    c->cur = cur ? &c->devs[cur - 1] : NULL;
    if (vt_state_close(r)) return -1;
    for (int i = 0; i < c->ndevs; i++)
        if (c->devs[i].ops->load(&c->devs[i], r)) return -1;
    update_irq(c);
    return 0;
}

static const vt_dev_key i2c_keys[] = {
    {"dev0", VT_KEY_STR, "none", "I2C target MODEL@ADDR (models: menelaus), or none"},
    {"dev1", VT_KEY_STR, "none", "second target"},
    {"dev2", VT_KEY_STR, "none", "third target"},
    {"dev3", VT_KEY_STR, "none", "fourth target"},
    {"rtc", VT_KEY_STR, "2000-01-01T00:00:00",
     "start of target real-time clocks (or host), or none: no 32 kHz crystal, clocks stopped"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_i2c = {
    .name = "omap2-i2c",
    .description = "OMAP2420 I2C controller with its I2C targets",
    .keys = i2c_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = i2c_create,
    .reset = i2c_reset,
    .save = i2c_save,
    .load = i2c_load,
    .destroy = i2c_destroy,
};
