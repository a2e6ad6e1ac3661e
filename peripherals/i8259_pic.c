/* Intel 8259A programmable interrupt controller ("i8259"), x86 (8086) mode: ICW1-ICW4
 * initialisation, OCW1 mask, OCW2 EOI/rotation commands, OCW3 read-register select, poll and
 * special mask mode; edge or level inputs (ICW1 LTIM, or per input via the PIIX ELCR key or
 * vt_i8259_set_elcr); fully nested and special fully nested mode; automatic EOI with rotation;
 * cascade: a master names its slave with `slave = DEVICE` and the slave's INT output is wired
 * to a master input (`irq = pic1.2`). Window: offset 0 (port 0x20/0xA0) and 1 (0x21/0xA1).
 * The INT output drives the CPU's INTR; the CPU takes the vector with vt_i8259_intack.
 * Not modelled: 8080/8085 mode (logged), buffered mode pins. Sources: Intel 8259A datasheet
 * (order 231468); IBM PC AT Technical Reference (cascade on IR2). Facts in hwdocs/pc.md. */
#include "peripherals/i8259_pic.h"

#include "core/log.h"
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    ICW1_IC4 = 0x01,  /* ICW4 follows */
    ICW1_SNGL = 0x02, /* single 8259A, no ICW3 */
    ICW1_LTIM = 0x08, /* level-triggered inputs */
    ICW1_INIT = 0x10, /* bit 4 on the even port: this is ICW1 */
    ICW4_UPM = 0x01,  /* 8086 mode */
    ICW4_AEOI = 0x02,
    ICW4_SFNM = 0x10,
    OCW3_SEL = 0x08, /* bit 3 set (bit 4 clear): OCW3, else OCW2 */
    OCW3_RIS = 0x01, /* read ISR (with RR) */
    OCW3_RR = 0x02,  /* RIS is valid */
    OCW3_POLL = 0x04,
    OCW3_SMM = 0x20, /* special mask mode on/off (with ESMM) */
    OCW3_ESMM = 0x40,
    POLL_INT = 0x80, /* poll word: an interrupt was pending */
};

/* OCW2 R/SL/EOI field (bits 7-5), datasheet table "operation command words". */
enum {
    OCW2_ROTATE_AEOI_CLEAR = 0,
    OCW2_EOI = 1,
    OCW2_NOP = 2,
    OCW2_SPECIFIC_EOI = 3,
    OCW2_ROTATE_AEOI_SET = 4,
    OCW2_ROTATE_EOI = 5,
    OCW2_SET_PRIORITY = 6,
    OCW2_ROTATE_SPECIFIC_EOI = 7,
};

typedef struct pic {
    vt_device *dev;
    const char *slave_name; /* NULL: no slave */
    vt_device *slave;
    uint8_t irr, isr, imr;
    uint8_t lines; /* current input levels */
    uint8_t elcr;  /* per-input level trigger */
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t init_step; /* 0 operational, else the ICW expected next (2..4) */
    uint8_t lowest;    /* IR with the lowest priority (7 after init) */
    bool read_isr, poll, special_mask, rotate_aeoi;
    bool int_out;
} pic;

static bool level_mode(const pic *p, uint8_t bit) {
    return (p->icw1 & ICW1_LTIM) || (p->elcr & bit);
}

static bool is_master(const pic *p) {
    return p->slave_name && !(p->icw1 & ICW1_SNGL);
}

/* Priority rank of an input: 0 is the highest. */
static unsigned rank(const pic *p, int ir) {
    return (unsigned)(ir - p->lowest - 1) & 7;
}

/* Highest-priority input in mask, or -1. */
static int highest(const pic *p, uint8_t mask) {
    for (int k = 0; k < 8; k++) {
        int ir = (p->lowest + 1 + k) & 7;
        if (mask & (1u << ir)) return ir;
    }
    return -1;
}

/* The input the next INTA would service: the highest unmasked request above everything in
 * service (special mask mode: masked ISR bits do not block; special fully nested mode on a
 * master: a slave input in service does not block its own slave). -1 if none. */
static int serviceable(const pic *p) {
    int req = highest(p, (uint8_t)(p->irr & ~p->imr));
    if (req < 0) return -1;
    uint8_t blocking = p->isr;
    if (p->special_mask) blocking &= (uint8_t)~p->imr;
    if ((p->icw4 & ICW4_SFNM) && is_master(p)) blocking &= (uint8_t)~p->icw3;
    int busy = highest(p, blocking);
    return busy < 0 || rank(p, req) < rank(p, busy) ? req : -1;
}

static void update(pic *p) {
    bool out = serviceable(p) >= 0;
    if (out != p->int_out) {
        p->int_out = out;
        if (vt_log_enabled(VT_LOG_IRQ)) vt_log(VT_LOG_IRQ, "%s: INT -> %d", p->dev->name, out);
        vt_irq_set(&p->dev->irq[0], out);
    }
}

static void input(void *opaque, int n, bool level) {
    pic *p = opaque;
    uint8_t bit = (uint8_t)(1u << n);
    bool was = p->lines & bit;
    if (level) {
        p->lines |= bit;
        if (!was || level_mode(p, bit)) p->irr |= bit; /* edge: only on a rising edge */
    } else {
        /* The request must stay high until INTA (datasheet: else the IR7 default vector). */
        p->lines &= (uint8_t)~bit;
        p->irr &= (uint8_t)~bit;
    }
    update(p);
}

static void resolve_slave(pic *p) {
    if (!p->slave_name || p->slave) return;
    vt_device *s = vt_dev_peer(p->dev, p->slave_name);
    /* one cascade level (datasheet: up to 8 slaves on one master); a slave with a slave of
     * its own would let INTA recurse */
    if (s && s->cls == p->dev->cls && !((pic *)s->priv)->slave_name)
        p->slave = s;
    else
        vt_log(VT_LOG_DEV, "%s: slave '%s' is not an i8259 device without slaves", p->dev->name,
               p->slave_name);
}

/* The acknowledge sequence without the vector: the serviced input, or -1 (spurious). */
static int acknowledge(pic *p) {
    int ir = serviceable(p);
    if (ir < 0) return -1;
    uint8_t bit = (uint8_t)(1u << ir);
    if (!level_mode(p, bit)) p->irr &= (uint8_t)~bit;
    if (!(p->icw4 & ICW4_AEOI))
        p->isr |= bit;
    else if (p->rotate_aeoi)
        p->lowest = (uint8_t)ir;
    update(p);
    return ir;
}

int vt_i8259_intack(void *opaque) {
    vt_device *d = opaque;
    pic *p = d->priv;
    int ir = acknowledge(p);
    if (ir < 0) return (p->icw2 | 7); /* spurious: IR7's vector, no ISR bit (datasheet) */
    if (is_master(p) && (p->icw3 & (1u << ir))) {
        resolve_slave(p);
        pic *s = p->slave ? p->slave->priv : NULL;
        if (s && (s->icw3 & 7) == ir) return vt_i8259_intack(p->slave);
        vt_log(VT_LOG_DEV, "%s: no slave answers the cascade on IR%d", d->name, ir);
        return 0xFF; /* nobody drives the data bus */
    }
    return p->icw2 | ir;
}

void vt_i8259_set_elcr(vt_device *d, uint8_t elcr) {
    pic *p = d->priv;
    p->elcr = elcr;
    p->irr = (uint8_t)((p->irr & ~elcr) | (p->lines & elcr));
    update(p);
}

static void write_icw1(pic *p, uint8_t v) {
    p->icw1 = v;
    if (!(v & ICW1_IC4)) p->icw4 = 0;
    p->imr = p->isr = 0;
    /* the edge-sense latches are reset: edge inputs need a new rising edge */
    uint8_t lvl = (v & ICW1_LTIM) ? 0xFF : p->elcr;
    p->irr = p->lines & lvl;
    p->lowest = 7;
    p->read_isr = p->poll = p->special_mask = p->rotate_aeoi = false;
    p->init_step = 2;
    update(p);
}

static void write_init(pic *p, uint8_t v) {
    switch (p->init_step) {
    case 2:
        p->icw2 = v & 0xF8; /* T7-T3; the IR number fills bits 2-0 */
        p->init_step = (p->icw1 & ICW1_SNGL) ? ((p->icw1 & ICW1_IC4) ? 4 : 0) : 3;
        break;
    case 3:
        p->icw3 = v;
        p->init_step = (p->icw1 & ICW1_IC4) ? 4 : 0;
        break;
    default:
        p->icw4 = v;
        p->init_step = 0;
        if (!(v & ICW4_UPM))
            vt_log(VT_LOG_UNIMP, "unimplemented: %s 8080/8085 mode (ICW4 0x%02x)", p->dev->name, v);
        break;
    }
    update(p);
}

static void eoi(pic *p, int ir, bool rotate) {
    if (ir < 0) return;
    p->isr &= (uint8_t) ~(1u << ir);
    if (rotate) p->lowest = (uint8_t)ir;
}

static void write_ocw2(pic *p, uint8_t v) {
    int level = v & 7;
    switch (v >> 5) {
    case OCW2_ROTATE_AEOI_CLEAR:
        p->rotate_aeoi = false;
        break;
    case OCW2_ROTATE_AEOI_SET:
        p->rotate_aeoi = true;
        break;
    case OCW2_EOI:
        eoi(p, highest(p, p->isr), false);
        break;
    case OCW2_ROTATE_EOI:
        eoi(p, highest(p, p->isr), true);
        break;
    case OCW2_SPECIFIC_EOI:
        eoi(p, level, false);
        break;
    case OCW2_ROTATE_SPECIFIC_EOI:
        eoi(p, level, true);
        break;
    case OCW2_SET_PRIORITY:
        p->lowest = (uint8_t)level;
        break;
    default:
        break; /* OCW2_NOP */
    }
    update(p);
}

static void write_ocw3(pic *p, uint8_t v) {
    if (v & OCW3_ESMM) p->special_mask = (v & OCW3_SMM) != 0;
    if (v & OCW3_RR) p->read_isr = (v & OCW3_RIS) != 0;
    p->poll = (v & OCW3_POLL) != 0;
    update(p);
}

static uint64_t pic_read(void *opaque, uint64_t off, unsigned size) {
    pic *p = opaque;
    if (size != 1 || off > 1) {
        vt_dev_log_unknown(p->dev, "read", off, size, 0);
        return 0xFF;
    }
    if (p->poll) { /* the read is the acknowledge (datasheet "poll command") */
        p->poll = false;
        int ir = acknowledge(p);
        return ir < 0 ? 0 : (uint64_t)(POLL_INT | ir);
    }
    if (off == 1) return p->imr;
    return p->read_isr ? p->isr : p->irr;
}

static void pic_write(void *opaque, uint64_t off, uint64_t value, unsigned size) {
    pic *p = opaque;
    uint8_t v = (uint8_t)value;
    if (size != 1 || off > 1) {
        vt_dev_log_unknown(p->dev, "write", off, size, value);
        return;
    }
    if (off == 0) {
        if (v & ICW1_INIT)
            write_icw1(p, v);
        else if (v & OCW3_SEL)
            write_ocw3(p, v);
        else
            write_ocw2(p, v);
    } else if (p->init_step) {
        write_init(p, v);
    } else {
        p->imr = v; /* OCW1 */
        update(p);
    }
}

static const vt_mmio_ops pic_ops = {pic_read, pic_write};

static int pic_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 7) return vt_fail(err, "%s has interrupt inputs 0..7, not %d", d->name, n);
    *out = (vt_irq){input, d->priv, n};
    return 0;
}

static int pic_create(vt_device *d, vt_error *err) {
    uint64_t elcr;
    if (vt_dev_u64(d, "elcr", &elcr, err)) return -1;
    if (elcr > 0xFF) return vt_fail(err, "elcr must be an 8-bit mask");
    pic *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    p->elcr = (uint8_t)elcr;
    const char *slave = vt_dev_str(d, "slave");
    p->slave_name = strcmp(slave, "none") ? slave : NULL;
    return vt_dev_map_mmio(d, &pic_ops, p, VT_LITTLE_ENDIAN, err);
}

static void pic_reset(vt_device *d) {
    pic *p = d->priv;
    /* The 8259A has no reset pin: firmware initialises it with ICW1..4. Power-on state. */
    p->irr = p->lines & p->elcr;
    p->isr = p->imr = 0;
    p->icw1 = p->icw2 = p->icw3 = p->icw4 = 0;
    p->init_step = 0;
    p->lowest = 7;
    p->read_isr = p->poll = p->special_mask = p->rotate_aeoi = false;
    p->int_out = false;
    vt_irq_lower(&d->irq[0]);
    resolve_slave(p);
    update(p);
}

static void pic_save(const vt_device *d, vt_state_writer *w) {
    const pic *p = d->priv;
    vt_state_begin(w, "8259", 1);
    const uint8_t b[] = {p->irr,  p->isr,          p->imr,         p->lines,
                         p->elcr, p->icw1,         p->icw2,        p->icw3,
                         p->icw4, p->init_step,    p->lowest,      p->read_isr,
                         p->poll, p->special_mask, p->rotate_aeoi, p->int_out};
    vt_state_put_bytes(w, b, sizeof b);
    vt_state_end(w);
}

static int pic_load(vt_device *d, vt_state_reader *r) {
    pic *p = d->priv;
    uint32_t ver;
    uint8_t b[16];
    if (vt_state_open(r, "8259", 1, &ver)) return -1;
    vt_state_get_bytes(r, b, sizeof b);
    p->irr = b[0], p->isr = b[1], p->imr = b[2], p->lines = b[3], p->elcr = b[4];
    p->icw1 = b[5], p->icw2 = b[6] & 0xF8, p->icw3 = b[7], p->icw4 = b[8];
    p->init_step = b[9] <= 4 && b[9] != 1 ? b[9] : 0;
    p->lowest = b[10] & 7;
    p->read_isr = b[11], p->poll = b[12], p->special_mask = b[13], p->rotate_aeoi = b[14];
    p->int_out = b[15];
    return vt_state_close(r);
}

static void pic_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_i8259 = {
    .name = "i8259",
    .description = "Intel 8259A programmable interrupt controller (x86 mode, cascadable)",
    .keys =
        (const vt_dev_key[]){
            {"slave", VT_KEY_STR, "none", "device name of the slave 8259A on this master, or none"},
            {"elcr", VT_KEY_U64, "0", "level-triggered inputs mask at power-on (PIIX ELCR)"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = pic_create,
    .reset = pic_reset,
    .save = pic_save,
    .load = pic_load,
    .destroy = pic_destroy,
    .irq_input = pic_irq_input,
};
