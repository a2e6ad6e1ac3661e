/* OMAP2420 GPIO bank ("omap2-gpio", 32 pins, IP revision 1.8): output enable (OE, 1 = input),
 * DATAOUT with set/clear aliases, DATAIN reading the pins (outputs drive their pin, inputs read
 * the level the profile pulls them to, `inputs`, or that another chip drives through input n
 * of the device, e.g. `irq = gpio4.7`), and interrupt detection per pin on low/high
 * level and rising/falling edges into two status/enable pairs (IRQSTATUS1/IRQENABLE1 to the
 * MPU on `irq`, IRQSTATUS2/IRQENABLE2 on `irq1`), with set/clear enable aliases. Debounce and
 * wake-up are stored only. Sources: OMAP2420 TRM "General-Purpose Interface" (register map);
 * Linux 6.1 drivers/gpio/gpio-omap.c (omap2 register offsets it uses). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    GPIO_REVISION = 0x00,
    GPIO_SYSCONFIG = 0x10,
    GPIO_SYSSTATUS = 0x14,
    GPIO_IRQSTATUS1 = 0x18,
    GPIO_IRQENABLE1 = 0x1c,
    GPIO_WAKEUPENABLE = 0x20,
    GPIO_IRQSTATUS2 = 0x28,
    GPIO_IRQENABLE2 = 0x2c,
    GPIO_CTRL = 0x30,
    GPIO_OE = 0x34,
    GPIO_DATAIN = 0x38,
    GPIO_DATAOUT = 0x3c,
    GPIO_LEVELDETECT0 = 0x40,
    GPIO_LEVELDETECT1 = 0x44,
    GPIO_RISINGDETECT = 0x48,
    GPIO_FALLINGDETECT = 0x4c,
    GPIO_DEBOUNCENABLE = 0x50,
    GPIO_DEBOUNCINGTIME = 0x54,
    GPIO_CLEARIRQENABLE1 = 0x60,
    GPIO_SETIRQENABLE1 = 0x64,
    GPIO_CLEARIRQENABLE2 = 0x70,
    GPIO_SETIRQENABLE2 = 0x74,
    GPIO_CLEARWKUENA = 0x80,
    GPIO_SETWKUENA = 0x84,
    GPIO_CLEARDATAOUT = 0x90,
    GPIO_SETDATAOUT = 0x94,
};
#define GPIO_REV_VALUE 0x18
#define SYSC_SOFTRESET 0x2
#define SYSS_RESETDONE 0x1

enum {
    R_SYSC,
    R_IRQSTATUS1,
    R_IRQENABLE1,
    R_WAKEUP,
    R_IRQSTATUS2,
    R_IRQENABLE2,
    R_CTRL,
    R_OE,
    R_DATAOUT,
    R_LEVEL0,
    R_LEVEL1,
    R_RISING,
    R_FALLING,
    R_DEBOUNCE,
    R_DEBTIME,
    R_PINS,
    NREGS
};

typedef struct gpio {
    vt_device *dev;
    uint32_t inputs; /* the level the profile holds input pins at */
    uint32_t r[NREGS];
} gpio;

/* The pin levels: outputs drive DATAOUT, inputs read the profile's level. */
static uint32_t pins(const gpio *g) {
    return (g->r[R_DATAOUT] & ~g->r[R_OE]) | (g->inputs & g->r[R_OE]);
}

/* Latches level and edge events for the pins after a change from `before`, then drives the
 * interrupt outputs. */
static void update(gpio *g, uint32_t before) {
    uint32_t now = pins(g);
    uint32_t ev = (g->r[R_LEVEL0] & ~now) | (g->r[R_LEVEL1] & now) |
                  (g->r[R_RISING] & now & ~before) | (g->r[R_FALLING] & ~now & before);
    g->r[R_PINS] = now;
    g->r[R_IRQSTATUS1] |= ev & g->r[R_IRQENABLE1];
    g->r[R_IRQSTATUS2] |= ev & g->r[R_IRQENABLE2];
    vt_irq_set(&g->dev->irq[0], (g->r[R_IRQSTATUS1] & g->r[R_IRQENABLE1]) != 0);
    vt_irq_set(&g->dev->irq[1], (g->r[R_IRQSTATUS2] & g->r[R_IRQENABLE2]) != 0);
}

static const struct {
    uint16_t off;
    uint8_t reg;
} plain[] = {
    {GPIO_SYSCONFIG, R_SYSC},
    {GPIO_IRQENABLE1, R_IRQENABLE1},
    {GPIO_WAKEUPENABLE, R_WAKEUP},
    {GPIO_IRQENABLE2, R_IRQENABLE2},
    {GPIO_CTRL, R_CTRL},
    {GPIO_OE, R_OE},
    {GPIO_DATAOUT, R_DATAOUT},
    {GPIO_LEVELDETECT0, R_LEVEL0},
    {GPIO_LEVELDETECT1, R_LEVEL1},
    {GPIO_RISINGDETECT, R_RISING},
    {GPIO_FALLINGDETECT, R_FALLING},
    {GPIO_DEBOUNCENABLE, R_DEBOUNCE},
    {GPIO_DEBOUNCINGTIME, R_DEBTIME},
};

static int plain_reg(uint64_t off) {
    for (size_t i = 0; i < VT_ARRAY_LEN(plain); i++)
        if (plain[i].off == off) return plain[i].reg;
    return -1;
}

static uint64_t gpio_read32(gpio *g, uint64_t off, unsigned size) {
    int r = plain_reg(off);
    if (r >= 0) return g->r[r];
    switch (off) {
    case GPIO_REVISION:
        return GPIO_REV_VALUE;
    case GPIO_SYSSTATUS:
        return SYSS_RESETDONE;
    case GPIO_IRQSTATUS1:
        return g->r[R_IRQSTATUS1];
    case GPIO_IRQSTATUS2:
        return g->r[R_IRQSTATUS2];
    case GPIO_DATAIN:
        return pins(g);
    case GPIO_CLEARIRQENABLE1:
    case GPIO_SETIRQENABLE1:
        return g->r[R_IRQENABLE1];
    case GPIO_CLEARIRQENABLE2:
    case GPIO_SETIRQENABLE2:
        return g->r[R_IRQENABLE2];
    case GPIO_CLEARWKUENA:
    case GPIO_SETWKUENA:
        return g->r[R_WAKEUP];
    case GPIO_CLEARDATAOUT:
    case GPIO_SETDATAOUT:
        return g->r[R_DATAOUT];
    }
    vt_dev_log_unknown(g->dev, "read", off, size, 0);
    return 0;
}

/* 32-bit registers; a 16-bit read gives the low half (Linux reads REVISION with readw). */
static uint64_t gpio_read(void *opaque, uint64_t off, unsigned size) {
    gpio *g = opaque;
    if ((size != 4 && size != 2) || off % 4) {
        vt_dev_log_unknown(g->dev, "read", off, size, 0);
        return 0;
    }
    uint64_t v = gpio_read32(g, off, size);
    return size == 2 ? v & 0xffff : v;
}

static void soft_reset(gpio *g) {
    memset(g->r, 0, sizeof g->r);
    g->r[R_OE] = 0xffffffffu; /* every pin an input */
    g->r[R_CTRL] = 0;
}

static void gpio_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    gpio *g = opaque;
    uint32_t v = (uint32_t)v64, before = g->r[R_PINS];
    int r = size == 4 ? plain_reg(off) : -1;
    if (r == R_SYSC && (v & SYSC_SOFTRESET)) {
        soft_reset(g);
        before = pins(g);
        v &= ~(uint32_t)SYSC_SOFTRESET;
    }
    if (r >= 0) {
        g->r[r] = v;
    } else if (size == 4) {
        switch (off) {
        case GPIO_IRQSTATUS1: /* write 1 to clear */
            g->r[R_IRQSTATUS1] &= ~v;
            break;
        case GPIO_IRQSTATUS2:
            g->r[R_IRQSTATUS2] &= ~v;
            break;
        case GPIO_CLEARIRQENABLE1:
            g->r[R_IRQENABLE1] &= ~v;
            break;
        case GPIO_SETIRQENABLE1:
            g->r[R_IRQENABLE1] |= v;
            break;
        case GPIO_CLEARIRQENABLE2:
            g->r[R_IRQENABLE2] &= ~v;
            break;
        case GPIO_SETIRQENABLE2:
            g->r[R_IRQENABLE2] |= v;
            break;
        case GPIO_CLEARWKUENA:
            g->r[R_WAKEUP] &= ~v;
            break;
        case GPIO_SETWKUENA:
            g->r[R_WAKEUP] |= v;
            break;
        case GPIO_CLEARDATAOUT:
            g->r[R_DATAOUT] &= ~v;
            break;
        case GPIO_SETDATAOUT:
            g->r[R_DATAOUT] |= v;
            break;
        default:
            vt_dev_log_unknown(g->dev, "write", off, size, v);
            return;
        }
    } else {
        vt_dev_log_unknown(g->dev, "write", off, size, v);
        return;
    }
    update(g, before);
}

static const vt_mmio_ops gpio_ops = {gpio_read, gpio_write};

/* Input n: another chip drives pin n (a touchscreen controller's DAV, a keypad's IRQ). */
static void pin_input(void *opaque, int n, bool level) {
    gpio *g = opaque;
    uint32_t before = pins(g);
    g->inputs = level ? g->inputs | 1u << n : g->inputs & ~(1u << n);
    update(g, before);
}

static int gpio_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 31) return vt_fail(err, "omap2-gpio pins are 0..31");
    *out = (vt_irq){pin_input, d->priv, n};
    return 0;
}

static int gpio_create(vt_device *d, vt_error *err) {
    uint64_t inputs;
    if (vt_dev_u64(d, "inputs", &inputs, err)) return -1;
    if (inputs > UINT32_MAX) return vt_fail(err, "inputs: a 32-bit pin mask");
    gpio *g = calloc(1, sizeof *g);
    if (!g) return vt_fail(err, "out of memory");
    d->priv = g;
    g->dev = d;
    g->inputs = (uint32_t)inputs;
    return vt_dev_map_mmio(d, &gpio_ops, g, VT_LITTLE_ENDIAN, err);
}

static void gpio_reset(vt_device *d) {
    gpio *g = d->priv;
    soft_reset(g);
    update(g, pins(g));
}

static void gpio_save(const vt_device *d, vt_state_writer *w) {
    const gpio *g = d->priv;
    vt_state_begin(w, "O2GP", 2);
    for (int i = 0; i < NREGS; i++)
        vt_state_put_u32(w, g->r[i]);
    vt_state_put_u32(w, g->inputs);
    vt_state_end(w);
}

static int gpio_load(vt_device *d, vt_state_reader *r) {
    gpio *g = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2GP", 2, &ver)) return -1;
    for (int i = 0; i < NREGS; i++)
        g->r[i] = vt_state_get_u32(r);
    if (ver >= 2) g->inputs = vt_state_get_u32(r); /* version 1: the profile's levels */
    if (vt_state_close(r)) return -1;
    update(g, g->r[R_PINS]);
    return 0;
}

static void gpio_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key gpio_keys[] = {
    {"inputs", VT_KEY_U64, "0", "levels of the pins when they are inputs (bit n = pin n high)"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_gpio = {
    .name = "omap2-gpio",
    .description = "OMAP2 GPIO bank (32 pins, level/edge interrupts)",
    .keys = gpio_keys,
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = gpio_create,
    .reset = gpio_reset,
    .save = gpio_save,
    .load = gpio_load,
    .destroy = gpio_destroy,
    .irq_input = gpio_irq_input,
};
