/* Intel 8042 keyboard controller as in the PC AT / PS/2 ("i8042") with a PS/2 keyboard and
 * mouse attached: window offset 0 = data (port 0x60), offset 4 = status / command (port
 * 0x64; with `split` a window of its own, so ports 0x61-0x63 stay free). Controller commands:
 * read/write the command byte and RAM, self-test (0x55), interface tests, enable/disable keyboard
 * and auxiliary interface, input/output port, write to the keyboard/aux output buffer, send to the
 * mouse (0xD4), output-port pulses (0xFE resets the machine). Command byte: IRQ enables, system
 * flag, interface disables and set 2 -> set 1 translation. Outputs: irq = IRQ1, irq1 = IRQ12, irq2
 * = A20 gate (output port bit 1). Approximations: bytes move between the devices and the controller
 * at once (no serial-line timing); no password or keylock. Sources: IBM PC AT Technical Reference
 * (keyboard controller); IBM PS/2 Hardware Interface Technical Reference. */
#include "peripherals/i8042_kbc.h"

#include <stdio.h>

#include "core/log.h"
#include "core/device.h"
#include "core/savestate.h"
#include "peripherals/ps2.h"

#include <stdlib.h>

enum {
    PORT_DATA = 0,
    PORT_CMD = 4,
    ST_OBF = 0x01,
    ST_SYS = 0x04,
    ST_A2 = 0x08,   /* last write went to the command port */
    ST_INH = 0x10,  /* 1 = keyboard not inhibited (keylock off) */
    ST_AUXB = 0x20, /* the output buffer holds mouse data */
    CB_INT = 0x01,  /* command byte: IRQ1 on keyboard data */
    CB_INT2 = 0x02, /* IRQ12 on mouse data */
    CB_SYS = 0x04,
    CB_DIS_KBD = 0x10,
    CB_DIS_AUX = 0x20,
    CB_XLATE = 0x40,
    OUT_RESET = 0x01, /* output port: 0 = system reset asserted */
    OUT_A20 = 0x02,
    OUT_IRQ1 = 0x10,
    OUT_IRQ12 = 0x20,
    IN_PORT = 0xA0, /* input port: not inhibited, colour display, no jumper, 512 KiB */
    SELF_TEST_OK = 0x55,
    XLATE_BREAK = 0xF0,
};

/* Controller commands (IBM PC AT / PS/2 technical references). */
enum {
    C_READ_RAM = 0x20,  /* 0x20-0x3F */
    C_WRITE_RAM = 0x60, /* 0x60-0x7F */
    C_DISABLE_AUX = 0xA7,
    C_ENABLE_AUX = 0xA8,
    C_TEST_AUX = 0xA9,
    C_SELF_TEST = 0xAA,
    C_TEST_KBD = 0xAB,
    C_DISABLE_KBD = 0xAD,
    C_ENABLE_KBD = 0xAE,
    C_READ_INPUT = 0xC0,
    C_READ_OUTPUT = 0xD0,
    C_WRITE_OUTPUT = 0xD1,
    C_WRITE_KBD_OBUF = 0xD2,
    C_WRITE_AUX_OBUF = 0xD3,
    C_WRITE_AUX = 0xD4,
    C_READ_TEST = 0xE0,
    C_PULSE = 0xF0, /* 0xF0-0xFF: pulse output port bits 3-0 where the command bit is 0 */
};

typedef struct kbc {
    vt_device *dev;
    vt_ps2_kbd kbd;
    vt_ps2_mouse mouse;
    vt_ps2_queue ctrl;      /* controller responses, ahead of the devices */
    uint32_t ctrl_aux_mask; /* bit N: the Nth queued response is mouse data (0xD3) */
    uint8_t ram[32];        /* ram[0] = command byte */
    uint8_t out, outport, pending, last_port;
    bool out_full, out_aux, xlate_break;
    bool irq1, irq12;
    vt_event reset_ev;
} kbc;

static void set_line(kbc *k, int n, bool *cur, bool level) {
    if (*cur == level) return;
    *cur = level;
    vt_irq_set(&k->dev->irq[n], level);
}

static void update_irqs(kbc *k) {
    uint8_t cb = k->ram[0];
    set_line(k, 0, &k->irq1, k->out_full && !k->out_aux && (cb & CB_INT));
    set_line(k, 1, &k->irq12, k->out_full && k->out_aux && (cb & CB_INT2));
}

/* Next keyboard byte through the translator; false when it only consumed a break prefix. */
static bool kbd_byte(kbc *k, uint8_t *v) {
    uint8_t b = vt_ps2_queue_get(&k->kbd.q);
    if (!(k->ram[0] & CB_XLATE)) {
        *v = b;
        return true;
    }
    if (b == XLATE_BREAK) {
        k->xlate_break = true;
        return false;
    }
    *v = (uint8_t)(vt_ps2_set2_to_set1(b) | (k->xlate_break ? 0x80 : 0));
    k->xlate_break = false;
    return true;
}

/* Fills an empty output buffer: controller responses, then keyboard, then mouse. */
static void service(kbc *k) {
    while (!k->out_full) {
        uint8_t v;
        if (k->ctrl.n) {
            k->out_aux = k->ctrl_aux_mask & 1;
            k->ctrl_aux_mask >>= 1;
            k->out = vt_ps2_queue_get(&k->ctrl);
        } else if (k->kbd.q.n && !(k->ram[0] & CB_DIS_KBD)) {
            if (!kbd_byte(k, &v)) continue;
            k->out = v;
            k->out_aux = false;
        } else if (k->mouse.q.n && !(k->ram[0] & CB_DIS_AUX)) {
            k->out = vt_ps2_queue_get(&k->mouse.q);
            k->out_aux = true;
        } else {
            break;
        }
        k->out_full = true;
    }
    update_irqs(k);
}

static void respond(kbc *k, uint8_t v, bool aux) {
    if (aux && k->ctrl.n < VT_PS2_QUEUE) k->ctrl_aux_mask |= 1u << k->ctrl.n;
    vt_ps2_queue_put(&k->ctrl, v);
}

static void do_reset(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    kbc *k = opaque;
    vt_log(VT_LOG_DEV, "%s: system reset from the keyboard controller", k->dev->name);
    vt_dev_request_reset(k->dev);
}

/* The reset line went active: the machine resets between two instructions (an event for
 * "now" ends the CPU's slice first). */
static void request_reset(kbc *k) {
    vt_sched *s = vt_dev_sched(k->dev);
    vt_sched_arm(s, &k->reset_ev, vt_sched_now(s));
}

static void write_outport(kbc *k, uint8_t v) {
    bool a20 = v & OUT_A20;
    if (a20 != (bool)(k->outport & OUT_A20)) vt_irq_set(&k->dev->irq[2], a20);
    k->outport = v;
    if (!(v & OUT_RESET)) request_reset(k);
}

static uint8_t read_outport(const kbc *k) {
    return (uint8_t)((k->outport & ~(OUT_IRQ1 | OUT_IRQ12)) | (k->irq1 ? OUT_IRQ1 : 0) |
                     (k->irq12 ? OUT_IRQ12 : 0));
}

static void command(kbc *k, uint8_t c) {
    if (c >= C_READ_RAM && c < C_READ_RAM + 32) {
        respond(k, k->ram[c & 31], false);
    } else if ((c >= C_WRITE_RAM && c < C_WRITE_RAM + 32) || c == C_WRITE_OUTPUT ||
               c == C_WRITE_KBD_OBUF || c == C_WRITE_AUX_OBUF || c == C_WRITE_AUX) {
        k->pending = c;
    } else if (c >= C_PULSE) {
        if (!(c & OUT_RESET)) request_reset(k); /* 0xFE: pulse the reset line */
    } else {
        switch (c) {
        case C_DISABLE_AUX:
            k->ram[0] |= CB_DIS_AUX;
            break;
        case C_ENABLE_AUX:
            k->ram[0] &= (uint8_t)~CB_DIS_AUX;
            break;
        case C_TEST_AUX:
        case C_TEST_KBD:
            respond(k, 0x00, false);
            break;
        case C_SELF_TEST:
            k->ram[0] |= CB_SYS;
            respond(k, SELF_TEST_OK, false);
            break;
        case C_DISABLE_KBD:
            k->ram[0] |= CB_DIS_KBD;
            break;
        case C_ENABLE_KBD:
            k->ram[0] &= (uint8_t)~CB_DIS_KBD;
            break;
        case C_READ_INPUT:
            respond(k, IN_PORT, false);
            break;
        case C_READ_OUTPUT:
            respond(k, read_outport(k), false);
            break;
        case C_READ_TEST:
            respond(k, 0x00, false);
            break;
        default:
            vt_log(VT_LOG_UNIMP, "unimplemented: %s command 0x%02x", k->dev->name, c);
            break;
        }
    }
}

static void data(kbc *k, uint8_t v) {
    uint8_t c = k->pending;
    k->pending = 0;
    if (c >= C_WRITE_RAM && c < C_WRITE_RAM + 32) {
        k->ram[c & 31] = v;
    } else if (c == C_WRITE_OUTPUT) {
        write_outport(k, v);
    } else if (c == C_WRITE_KBD_OBUF || c == C_WRITE_AUX_OBUF) {
        respond(k, v, c == C_WRITE_AUX_OBUF);
    } else if (c == C_WRITE_AUX) {
        k->ram[0] &= (uint8_t)~CB_DIS_AUX;
        vt_ps2_mouse_write(&k->mouse, v);
    } else { /* no controller command waiting: the byte goes to the keyboard */
        k->ram[0] &= (uint8_t)~CB_DIS_KBD;
        vt_ps2_kbd_write(&k->kbd, v);
    }
}

static uint64_t kbc_read(void *opaque, uint64_t off, unsigned size) {
    kbc *k = opaque;
    if (size == 1 && off == PORT_DATA) {
        uint8_t v = k->out;
        k->out_full = false;
        update_irqs(k); /* the read drops IRQ1/IRQ12: a next byte raises a new edge */
        service(k);
        return v;
    }
    if (size == 1 && off == PORT_CMD)
        return (uint8_t)((k->out_full ? ST_OBF : 0) | (k->ram[0] & CB_SYS ? ST_SYS : 0) |
                         (k->last_port == PORT_CMD ? ST_A2 : 0) | ST_INH |
                         (k->out_full && k->out_aux ? ST_AUXB : 0));
    vt_dev_log_unknown(k->dev, "read", off, size, 0);
    return 0xFF;
}

static void kbc_write(void *opaque, uint64_t off, uint64_t value, unsigned size) {
    kbc *k = opaque;
    if (size != 1 || (off != PORT_DATA && off != PORT_CMD)) {
        vt_dev_log_unknown(k->dev, "write", off, size, value);
        return;
    }
    k->last_port = (uint8_t)off;
    if (off == PORT_CMD)
        command(k, (uint8_t)value);
    else
        data(k, (uint8_t)value);
    service(k);
}

static const vt_mmio_ops kbc_ops = {kbc_read, kbc_write};

/* `split = yes`: the status/command register as its own one-byte window at base + 4. */
static uint64_t kbc_cmd_read(void *opaque, uint64_t off, unsigned size) {
    return kbc_read(opaque, off + PORT_CMD, size);
}
static void kbc_cmd_write(void *opaque, uint64_t off, uint64_t value, unsigned size) {
    kbc_write(opaque, off + PORT_CMD, value, size);
}
static const vt_mmio_ops kbc_cmd_ops = {kbc_cmd_read, kbc_cmd_write};

void vt_i8042_key(vt_device *d, uint16_t code, bool down) {
    kbc *k = d->priv;
    vt_ps2_kbd_key(&k->kbd, code, down);
    service(k);
}

void vt_i8042_mouse(vt_device *d, int dx, int dy, unsigned buttons) {
    kbc *k = d->priv;
    vt_ps2_mouse_event(&k->mouse, dx, dy, buttons);
    service(k);
}

static int kbc_create(vt_device *d, vt_error *err) {
    bool split;
    if (vt_dev_bool(d, "split", &split, err)) return -1;
    if (split && d->size != 1) return vt_fail(err, "with split = yes, size is 1 (the data port)");
    if (!split && d->size < PORT_CMD + 1)
        return vt_fail(err, "size must cover offsets 0 and 4 (5)");
    kbc *k = calloc(1, sizeof *k);
    if (!k) return vt_fail(err, "out of memory");
    k->dev = d;
    d->priv = k;
    vt_event_init(&k->reset_ev, "i8042-reset", do_reset, k);
    if (vt_dev_map_mmio(d, &kbc_ops, k, VT_LITTLE_ENDIAN, err)) return -1;
    if (!split) return 0;
    char name[64];
    snprintf(name, sizeof name, "%.48s.cmd", d->name);
    return vt_bus_add_mmio(d->io_space ? vt_dev_io_bus(d) : vt_dev_bus(d), name, d->base + PORT_CMD,
                           1, &kbc_cmd_ops, k, VT_LITTLE_ENDIAN, err);
}

static void kbc_reset(vt_device *d) {
    kbc *k = d->priv;
    vt_sched_cancel(vt_dev_sched(d), &k->reset_ev);
    vt_ps2_kbd_reset(&k->kbd);
    vt_ps2_mouse_reset(&k->mouse);
    k->ctrl.n = 0;
    k->ctrl_aux_mask = 0;
    memset(k->ram, 0, sizeof k->ram);
    k->out = 0;
    k->pending = 0;
    k->last_port = PORT_DATA;
    k->out_full = k->out_aux = k->xlate_break = false;
    k->outport = OUT_RESET | OUT_A20; /* A20 enabled out of reset (hwdocs/pc.md) */
    k->irq1 = k->irq12 = false;
    vt_irq_lower(&d->irq[0]);
    vt_irq_lower(&d->irq[1]);
    vt_irq_raise(&d->irq[2]);
}

static void kbc_save(const vt_device *d, vt_state_writer *w) {
    const kbc *k = d->priv;
    vt_state_begin(w, "8042", 1);
    vt_ps2_kbd_save(&k->kbd, w);
    vt_ps2_mouse_save(&k->mouse, w);
    vt_ps2_queue_save(&k->ctrl, w);
    vt_state_put_bytes(w, k->ram, sizeof k->ram);
    const uint8_t b[] = {k->out,     k->outport,     k->pending, k->last_port, k->out_full,
                         k->out_aux, k->xlate_break, k->irq1,    k->irq12};
    vt_state_put_bytes(w, b, sizeof b);
    vt_state_put_u32(w, k->ctrl_aux_mask);
    vt_state_end(w);
}

static int kbc_load(vt_device *d, vt_state_reader *r) {
    kbc *k = d->priv;
    uint32_t ver;
    uint8_t b[9];
    if (vt_state_open(r, "8042", 1, &ver)) return -1;
    vt_ps2_kbd_load(&k->kbd, r);
    vt_ps2_mouse_load(&k->mouse, r);
    vt_ps2_queue_load(&k->ctrl, r);
    vt_state_get_bytes(r, k->ram, sizeof k->ram);
    vt_state_get_bytes(r, b, sizeof b);
    k->out = b[0], k->outport = b[1] | OUT_RESET, k->pending = b[2];
    k->last_port = b[3] == PORT_CMD ? PORT_CMD : PORT_DATA;
    k->out_full = b[4], k->out_aux = b[5], k->xlate_break = b[6], k->irq1 = b[7];
    k->irq12 = b[8];
    k->ctrl_aux_mask = vt_state_get_u32(r);
    return vt_state_close(r);
}

static void kbc_destroy(vt_device *d) {
    kbc *k = d->priv;
    if (k) vt_sched_cancel(vt_dev_sched(d), &k->reset_ev);
    free(k);
}

const vt_device_class vt_dev_i8042 = {
    .name = "i8042",
    .description = "Intel 8042 keyboard controller with PS/2 keyboard and mouse",
    .keys = (const vt_dev_key[]){{"split", VT_KEY_BOOL, "no",
                                  "window is the data port only; status/command is at base + 4 "
                                  "(leaves the PC's port 0x61 free)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 3,
    .create = kbc_create,
    .reset = kbc_reset,
    .save = kbc_save,
    .load = kbc_load,
    .destroy = kbc_destroy,
};
