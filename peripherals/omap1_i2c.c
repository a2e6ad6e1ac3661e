/* OMAP1510/310 I2C controller (the OMAP1, v1, register layout): 16-bit registers 4 bytes apart, IV
 * returning and clearing the highest-priority event. No slave is on the bus: a START ends at once
 * in NACK + ARDY. Sources: OMAP5910 TRM SPRU681; Linux 6.1 drivers/i2c/busses/i2c-omap.c
 * (reg_map_ip_v1, bits, omap1 ISR); QEMU omap_i2c (revision 0x11 for OMAP1). */
#include "core/device.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum { REV, IE, STAT, IV, SYSS, BUF, CNT, DATA, SYSC, CON, OA, SA, PSC, SCLL, SCLH, SYSTEST, NREG };
enum {
    STAT_AL = 1u << 0,
    STAT_NACK = 1u << 1,
    STAT_ARDY = 1u << 2,
    CON_STT = 1u << 0,
    CON_STP = 1u << 1,
    CON_EN = 1u << 15,
    SYSS_RDONE = 1u << 0,
    SYSC_SRST = 1u << 1,
};

typedef struct i2c {
    vt_device *dev;
    uint16_t reg[NREG];
    uint16_t rev;
    bool irq_level;
} i2c;

static void update(i2c *s) {
    bool lvl = (s->reg[STAT] & s->reg[IE] & 0x1f) != 0;
    if (lvl != s->irq_level) {
        s->irq_level = lvl;
        vt_irq_set(&s->dev->irq[0], lvl);
    }
}

static void regs_reset(i2c *s) {
    memset(s->reg, 0, sizeof s->reg);
}

static uint16_t read_iv(i2c *s) {
    uint16_t pend = s->reg[STAT] & s->reg[IE] & 0x1f;
    for (unsigned b = 0; b < 5; b++)
        if (pend >> b & 1) {
            s->reg[STAT] &= (uint16_t) ~(1u << b);
            update(s);
            return (uint16_t)(b + 1);
        }
    return 0;
}

static uint64_t i2c_read(void *opaque, uint64_t off, unsigned size) {
    i2c *s = opaque;
    unsigned r = (unsigned)off / 4;
    if ((off & 3) || size > 4 || r >= NREG) {
        vt_dev_log_unknown(s->dev, "read", off, size, 0);
        return 0;
    }
    switch (r) {
    case REV:
        return s->rev;
    case IV:
        return read_iv(s);
    case SYSS:
        return SYSS_RDONE;
    case DATA:
        return 0;
    default:
        return s->reg[r];
    }
}

static void i2c_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    i2c *s = opaque;
    unsigned r = (unsigned)off / 4;
    uint16_t x = (uint16_t)v;
    if ((off & 3) || size > 4 || r >= NREG || r == REV || r == IV || r == SYSS) {
        vt_dev_log_unknown(s->dev, "write", off, size, v);
        return;
    }
    switch (r) {
    case STAT:
        s->reg[STAT] &= (uint16_t)~x;
        break; /* write 1 to clear */
    case SYSC:
        if (x & SYSC_SRST)
            regs_reset(s);
        else
            s->reg[SYSC] = x;
        break;
    case CON:
        s->reg[CON] = x & (uint16_t) ~(CON_STT | CON_STP);
        if ((x & CON_EN) && (x & CON_STT)) s->reg[STAT] |= STAT_NACK | STAT_ARDY; /* no slave */
        break;
    default:
        s->reg[r] = x;
        break;
    }
    update(s);
}

static const vt_mmio_ops i2c_ops = {i2c_read, i2c_write};

static int i2c_create(vt_device *d, vt_error *err) {
    uint64_t rev;
    if (vt_dev_u64(d, "revision", &rev, err)) return -1;
    if (rev > 0xffff) return vt_fail(err, "revision is 16-bit");
    if (d->size < NREG * 4) return vt_fail(err, "size must be at least 0x%x", NREG * 4);
    i2c *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    d->priv = s;
    s->dev = d;
    s->rev = (uint16_t)rev;
    return vt_dev_map_mmio(d, &i2c_ops, s, VT_LITTLE_ENDIAN, err);
}

static void i2c_reset(vt_device *d) {
    i2c *s = d->priv;
    regs_reset(s);
    update(s);
}

static void i2c_save(const vt_device *d, vt_state_writer *w) {
    const i2c *s = d->priv;
    vt_state_begin(w, "OI2C", 1);
    for (int i = 0; i < NREG; i++)
        vt_state_put_u16(w, s->reg[i]);
    vt_state_put_u8(w, s->irq_level);
    vt_state_end(w);
}

static int i2c_load(vt_device *d, vt_state_reader *r) {
    i2c *s = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "OI2C", 1, &ver)) return -1;
    for (int i = 0; i < NREG; i++)
        s->reg[i] = vt_state_get_u16(r);
    s->irq_level = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void i2c_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_i2c = {
    .name = "omap1-i2c",
    .description = "OMAP1 I2C controller (v1 register layout, no slaves on the bus)",
    .keys = (const vt_dev_key[]){{"revision", VT_KEY_U64, "0x11", "REV register"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = i2c_create,
    .reset = i2c_reset,
    .save = i2c_save,
    .load = i2c_load,
    .destroy = i2c_destroy,
};
