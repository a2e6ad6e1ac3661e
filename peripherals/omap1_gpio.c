/* OMAP1 16-pin GPIO banks: the OMAP1510/310 GPIO bank, or the MPUIO bank (`mpuio = yes`) with
 * its keypad registers (no key pressed until a frontend feeds keys). Direction, latches,
 * board-driven input levels, edge interrupts (status write-1-to-clear / clear-on-read). Sources:
 * OMAP5910 TRM SPRU678; Linux 6.1 include/linux/platform_data/gpio-omap.h, gpio-omap.c. */
#include "core/device.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum reg_id {
    R_IN,
    R_OUT,
    R_DIR,
    R_EDGE,
    R_MASK,
    R_STATUS,
    R_PINCTL,
    R_KBR,
    R_KBC,
    R_EVMODE,
    R_KBD_INT,
    R_KBD_MASK,
    R_DEBOUNCE,
    R_LATCH,
    NREG_IDS
};

/* Register offsets per bank kind; -1: absent. */
static const int gpio_offs[NREG_IDS] = {0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18,
                                        -1,   -1,   -1,   -1,   -1,   -1,   -1};
static const int mpuio_offs[NREG_IDS] = {0x00, 0x04, 0x08, 0x1c, 0x2c, 0x24, -1,
                                         0x10, 0x14, 0x18, 0x20, 0x28, 0x30, 0x34};

typedef struct gpio {
    vt_device *dev;
    bool mpuio;
    uint16_t inputs; /* external levels on the pins */
    uint16_t reg[NREG_IDS];
    bool irq_level;
} gpio;

static uint16_t pin_levels(const gpio *g) {
    return (uint16_t)((g->inputs & g->reg[R_DIR]) | (g->reg[R_OUT] & ~g->reg[R_DIR]));
}

static void update(gpio *g) {
    bool lvl = (g->reg[R_STATUS] & ~g->reg[R_MASK]) != 0;
    if (lvl != g->irq_level) {
        g->irq_level = lvl;
        vt_irq_set(&g->dev->irq[0], lvl);
    }
}

static int reg_at(const gpio *g, uint64_t off) {
    const int *offs = g->mpuio ? mpuio_offs : gpio_offs;
    for (int i = 0; i < NREG_IDS; i++)
        if (offs[i] == (int)off) return i;
    return -1;
}

static uint64_t gpio_read(void *opaque, uint64_t off, unsigned size) {
    gpio *g = opaque;
    int r = size > 1 ? reg_at(g, off) : -1;
    switch (r) {
    case -1:
        vt_dev_log_unknown(g->dev, "read", off, size, 0);
        return 0;
    case R_IN:
        return pin_levels(g);
    case R_KBR:
        return 0xff; /* no row pulled low: no key down */
    case R_KBD_INT:
        return 0;
    case R_STATUS: {
        uint16_t v = g->reg[R_STATUS];
        if (g->mpuio) g->reg[R_STATUS] = 0, update(g); /* cleared by the read */
        return v;
    }
    default:
        return g->reg[r];
    }
}

static void gpio_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    gpio *g = opaque;
    int r = size > 1 ? reg_at(g, off) : -1;
    uint16_t x = (uint16_t)v;
    switch (r) {
    case R_IN:
        return; /* read-only input latch: gpio-omap's context restore writes it */
    case -1:
    case R_KBR:
    case R_KBD_INT:
        vt_dev_log_unknown(g->dev, "write", off, size, v);
        return;
    case R_STATUS:
        if (!g->mpuio) g->reg[R_STATUS] &= (uint16_t)~x; /* write 1 to clear */
        break;
    default:
        g->reg[r] = x;
        break;
    }
    update(g);
}

static const vt_mmio_ops gpio_ops = {gpio_read, gpio_write};

static int gpio_create(vt_device *d, vt_error *err) {
    uint64_t inputs;
    bool mpuio;
    if (vt_dev_u64(d, "inputs", &inputs, err) || vt_dev_bool(d, "mpuio", &mpuio, err)) return -1;
    if (inputs > 0xffff) return vt_fail(err, "inputs is a 16-bit pin mask");
    if (d->size < 0x38) return vt_fail(err, "size must be at least 0x38");
    gpio *g = calloc(1, sizeof *g);
    if (!g) return vt_fail(err, "out of memory");
    d->priv = g;
    g->dev = d;
    g->mpuio = mpuio;
    g->inputs = (uint16_t)inputs;
    return vt_dev_map_mmio(d, &gpio_ops, g, VT_LITTLE_ENDIAN, err);
}

static void gpio_reset(vt_device *d) {
    gpio *g = d->priv;
    memset(g->reg, 0, sizeof g->reg);
    g->reg[R_DIR] = 0xffff; /* all pins inputs */
    g->reg[R_MASK] = 0xffff;
    g->reg[R_KBD_MASK] = 0xffff;
    update(g);
}

static void gpio_save(const vt_device *d, vt_state_writer *w) {
    const gpio *g = d->priv;
    vt_state_begin(w, "O1GP", 1);
    for (int i = 0; i < NREG_IDS; i++)
        vt_state_put_u16(w, g->reg[i]);
    vt_state_put_u16(w, g->inputs);
    vt_state_put_u8(w, g->irq_level);
    vt_state_end(w);
}

static int gpio_load(vt_device *d, vt_state_reader *r) {
    gpio *g = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1GP", 1, &ver)) return -1;
    for (int i = 0; i < NREG_IDS; i++)
        g->reg[i] = vt_state_get_u16(r);
    g->inputs = vt_state_get_u16(r);
    g->irq_level = vt_state_get_u8(r) != 0;
    return vt_state_close(r);
}

static void gpio_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_gpio = {
    .name = "omap1-gpio",
    .description = "OMAP1510/310 GPIO bank or MPUIO bank with keypad registers (16 pins)",
    .keys =
        (const vt_dev_key[]){
            {"mpuio", VT_KEY_BOOL, "no", "the MPUIO bank's register layout and keypad"},
            {"inputs", VT_KEY_U64, "0", "levels the board drives on the input pins"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = gpio_create,
    .reset = gpio_reset,
    .save = gpio_save,
    .load = gpio_load,
    .destroy = gpio_destroy,
};
