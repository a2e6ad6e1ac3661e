/* Apple Heathrow interrupt controller (the mac-io cell at +0x10): 64 inputs in two banks of 32,
 * each bank four little-endian 32-bit registers: events (latched, read), enable (mask), ack
 * (write 1s to clear events) and levels (current input state). Edge inputs latch an event on a
 * rising level; inputs in `level_triggered0/1` keep their event while the line is high. The
 * output (to the 750's INT pin) is any enabled event. Bank 1 (inputs 32-63) at +0x10, bank 0
 * (inputs 0-31) at +0x20. Sources: Linux arch/powerpc/platforms/powermac/pic.c (register
 * layout, bank order); QEMU hw/intc/heathrow_pic.c (level-triggered mask 0x1ff00000; facts). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define BANK_EVENTS 0x0
#define BANK_ENABLE 0x4
#define BANK_ACK 0x8
#define BANK_LEVELS 0xc
#define BANK1_BASE 0x10 /* inputs 32-63 */
#define BANK0_BASE 0x20 /* inputs 0-31 */
#define NBANKS 2

typedef struct pic_bank {
    uint32_t events, enable, levels, level_triggered;
} pic_bank;

typedef struct heathrow_pic {
    vt_device *dev;
    pic_bank bank[NBANKS];
} heathrow_pic;

static void update(heathrow_pic *p) {
    bool any = false;
    for (int i = 0; i < NBANKS; i++) {
        pic_bank *b = &p->bank[i];
        b->events |= b->levels & b->level_triggered; /* a held level line stays pending */
        any |= (b->events & b->enable) != 0;
    }
    vt_irq_set(&p->dev->irq[0], any);
}

static void input(void *opaque, int n, bool level) {
    heathrow_pic *p = opaque;
    pic_bank *b = &p->bank[n / 32];
    uint32_t bit = 1u << (n % 32);
    if (level && !(b->levels & bit)) b->events |= bit;
    b->levels = level ? b->levels | bit : b->levels & ~bit;
    update(p);
}

static int irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n >= 32 * NBANKS) return vt_fail(err, "heathrow-pic inputs are 0..63");
    *out = (vt_irq){input, d->priv, n};
    return 0;
}

static pic_bank *decode(heathrow_pic *p, uint64_t off, unsigned size, unsigned *reg) {
    if (size != 4 || (off & 3)) return NULL;
    *reg = (unsigned)(off & 0xc);
    if ((off & ~0xfull) == BANK0_BASE) return &p->bank[0];
    if ((off & ~0xfull) == BANK1_BASE) return &p->bank[1];
    return NULL;
}

static uint64_t pic_read(void *opaque, uint64_t off, unsigned size) {
    heathrow_pic *p = opaque;
    unsigned reg;
    pic_bank *b = decode(p, off, size, &reg);
    if (b && reg == BANK_EVENTS) return b->events;
    if (b && reg == BANK_ENABLE) return b->enable;
    if (b && reg == BANK_LEVELS) return b->levels;
    if (b && reg == BANK_ACK) return 0; /* write-only */
    vt_dev_log_unknown(p->dev, "read", off, size, 0);
    return 0;
}

static void pic_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    heathrow_pic *p = opaque;
    unsigned reg;
    pic_bank *b = decode(p, off, size, &reg);
    if (b && reg == BANK_ENABLE) {
        b->enable = (uint32_t)v;
    } else if (b && reg == BANK_ACK) {
        b->events &= ~(uint32_t)v;
    } else {
        vt_dev_log_unknown(p->dev, "write", off, size, v);
        return;
    }
    update(p);
}

static const vt_mmio_ops pic_ops = {pic_read, pic_write};

static int pic_create(vt_device *d, vt_error *err) {
    heathrow_pic *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    uint64_t lt0, lt1;
    if (vt_dev_u64(d, "level_triggered0", &lt0, err) ||
        vt_dev_u64(d, "level_triggered1", &lt1, err))
        return -1;
    if (lt0 > 0xffffffffu || lt1 > 0xffffffffu)
        return vt_fail(err, "level_triggered masks are 32 bits");
    p->bank[0].level_triggered = (uint32_t)lt0;
    p->bank[1].level_triggered = (uint32_t)lt1;
    if (d->size < BANK0_BASE + 0x10) return vt_fail(err, "size must cover both banks (0x30)");
    return vt_dev_map_mmio(d, &pic_ops, p, VT_LITTLE_ENDIAN, err);
}

static void pic_reset(vt_device *d) {
    heathrow_pic *p = d->priv;
    for (int i = 0; i < NBANKS; i++) {
        p->bank[i].events = 0;
        p->bank[i].enable = 0;
    }
    update(p);
}

static void pic_save(const vt_device *d, vt_state_writer *w) {
    const heathrow_pic *p = d->priv;
    vt_state_begin(w, "HPIC", 1);
    for (int i = 0; i < NBANKS; i++) {
        vt_state_put_u32(w, p->bank[i].events);
        vt_state_put_u32(w, p->bank[i].enable);
        vt_state_put_u32(w, p->bank[i].levels);
    }
    vt_state_end(w);
}

static int pic_load(vt_device *d, vt_state_reader *r) {
    heathrow_pic *p = d->priv;
    uint32_t version;
    if (vt_state_open(r, "HPIC", 1, &version)) return -1;
    for (int i = 0; i < NBANKS; i++) {
        p->bank[i].events = vt_state_get_u32(r);
        p->bank[i].enable = vt_state_get_u32(r);
        p->bank[i].levels = vt_state_get_u32(r);
    }
    if (vt_state_close(r)) return -1;
    update(p);
    return 0;
}

static void pic_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key pic_keys[] = {
    {"level_triggered0", VT_KEY_U64, "0x1ff00000", "inputs 0-31 that are level-triggered"},
    {"level_triggered1", VT_KEY_U64, "0", "inputs 32-63 that are level-triggered"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_heathrow_pic = {
    .name = "heathrow-pic",
    .description = "Apple Heathrow interrupt controller (64 inputs, two banks)",
    .keys = pic_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = pic_create,
    .reset = pic_reset,
    .save = pic_save,
    .load = pic_load,
    .destroy = pic_destroy,
    .irq_input = irq_input,
};
