/* Sun Type 5 keyboard on a Z8530 channel at 1200 baud (the SS-5's kbd/mouse ESCC, channel A).
 * Sends a key's station number on press, number | 0x80 on release and 0x7f (idle) once every
 * key is up; answers Reset (0x01) with 0xff 0x04 (Type 4/5 id) then 0x7f or the keys held, and
 * Layout (0x0f) with 0xfe + the layout byte (0x21: US Type 5); accepts bell, click and LED
 * commands. Sources: Linux drivers/input/keyboard/sunkbd.c, illumos kbd.h/keytables.c (command
 * and reply codes, key stations); facts in hwdocs/sparcstation5.md. */
#include "peripherals/serial_wire.h"
#include "peripherals/sun_kbd.h"

#include "core/log.h"

#include <stdlib.h>

enum {
    CMD_RESET = 0x01,
    CMD_BELL_ON = 0x02,
    CMD_BELL_OFF = 0x03,
    CMD_CLICK_ON = 0x0a,
    CMD_CLICK_OFF = 0x0b,
    CMD_SET_LED = 0x0e, /* one argument byte follows: the LED mask */
    CMD_LAYOUT = 0x0f,
    RET_IDLE = 0x7f, /* all keys up */
    RET_LAYOUT = 0xfe,
    RET_RESET = 0xff,
    KBD_ID_TYPE4 = 0x04, /* Type 4 and Type 5 both report 4; the layout byte tells them apart */
    KEY_RELEASE = 0x80,
    KEY_MAX = 0x7e
};

typedef struct sun_kbd {
    vt_serial_wire wire;
    uint8_t layout;
    uint8_t down[16]; /* bitmap by key station */
    bool led_arg;     /* the next byte is SET_LED's argument */
    uint8_t leds;
    bool bell, click;
} sun_kbd;

static bool key_is_down(const sun_kbd *k, unsigned code) {
    return k->down[code >> 3] & (1u << (code & 7));
}

static bool any_down(const sun_kbd *k) {
    for (size_t i = 0; i < sizeof k->down; i++)
        if (k->down[i]) return true;
    return false;
}

static void send(sun_kbd *k, const uint8_t *b, int n) {
    if (!vt_wire_send(&k->wire, b, n))
        vt_log(VT_LOG_DEV, "%s: send queue full, %d byte(s) dropped", k->wire.owner->name, n);
}

/* After a reset the keyboard reports the keys still held, or idle when there are none. */
static void send_reset_reply(sun_kbd *k) {
    uint8_t id[2] = {RET_RESET, KBD_ID_TYPE4};
    send(k, id, 2);
    bool any = false;
    for (unsigned c = 1; c <= KEY_MAX; c++)
        if (key_is_down(k, c)) {
            uint8_t b = (uint8_t)c;
            send(k, &b, 1);
            any = true;
        }
    if (!any) send(k, &(uint8_t){RET_IDLE}, 1);
}

static void command(void *opaque, uint8_t v) {
    sun_kbd *k = opaque;
    if (k->led_arg) {
        k->led_arg = false;
        k->leds = v;
        return;
    }
    switch (v) {
    case CMD_RESET:
        vt_wire_clear(&k->wire);
        send_reset_reply(k);
        break;
    case CMD_LAYOUT:
        send(k, (uint8_t[]){RET_LAYOUT, k->layout}, 2);
        break;
    case CMD_BELL_ON:
    case CMD_BELL_OFF:
        k->bell = v == CMD_BELL_ON;
        break;
    case CMD_CLICK_ON:
    case CMD_CLICK_OFF:
        k->click = v == CMD_CLICK_ON;
        break;
    case CMD_SET_LED:
        k->led_arg = true;
        break;
    default:
        vt_log(VT_LOG_UNIMP, "unimplemented: Sun keyboard command 0x%02x", v);
        break;
    }
}

void vt_sun_kbd_key(vt_device *d, uint16_t code, bool down) {
    sun_kbd *k = d->priv;
    if (code < 1 || code > KEY_MAX || key_is_down(k, code) == down) return;
    uint8_t bit = (uint8_t)(1u << (code & 7));
    if (down)
        k->down[code >> 3] |= bit;
    else
        k->down[code >> 3] &= (uint8_t)~bit;
    uint8_t b[2] = {(uint8_t)(down ? code : code | KEY_RELEASE), RET_IDLE};
    send(k, b, !down && !any_down(k) ? 2 : 1);
}

static int kbd_create(vt_device *d, vt_error *err) {
    sun_kbd *k = calloc(1, sizeof *k);
    if (!k) return vt_fail(err, "out of memory");
    d->priv = k;
    uint64_t layout;
    if (vt_dev_u64(d, "layout", &layout, err)) return -1;
    if (layout > 0xff) return vt_fail(err, "[%s] layout must be a byte", d->name);
    k->layout = (uint8_t)layout;
    return vt_wire_open(&k->wire, d, &(vt_serial_peer){command, k}, err);
}

/* Power-on: the keyboard runs its self test and sends the reset reply unasked. */
static void kbd_reset(vt_device *d) {
    sun_kbd *k = d->priv;
    memset(k->down, 0, sizeof k->down);
    k->led_arg = k->bell = k->click = false;
    k->leds = 0;
    vt_wire_clear(&k->wire);
    send_reset_reply(k);
}

static void kbd_save(const vt_device *d, vt_state_writer *w) {
    const sun_kbd *k = d->priv;
    vt_state_begin(w, "SKBD", 1);
    vt_state_put_bytes(w, k->down, sizeof k->down);
    vt_state_put_u8(w, (uint8_t)(k->led_arg | k->bell << 1 | k->click << 2));
    vt_state_put_u8(w, k->leds);
    vt_wire_save(&k->wire, w);
    vt_state_end(w);
}

static int kbd_load(vt_device *d, vt_state_reader *r) {
    sun_kbd *k = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SKBD", 1, &v)) return -1;
    vt_state_get_bytes(r, k->down, sizeof k->down);
    uint8_t f = vt_state_get_u8(r);
    k->led_arg = f & 1, k->bell = f & 2, k->click = f & 4;
    k->leds = vt_state_get_u8(r);
    vt_wire_load(&k->wire, r);
    return vt_state_close(r);
}

static void kbd_destroy(vt_device *d) {
    sun_kbd *k = d->priv;
    if (k && k->wire.owner) vt_wire_cancel(&k->wire);
    free(k);
}

const vt_device_class vt_dev_sun_kbd = {
    .name = "sun-kbd",
    .description = "Sun Type 5 keyboard on a Z8530 channel",
    .keys =
        (const vt_dev_key[]){
            {"port", VT_KEY_STR, NULL, "the z8530 channel it is wired to: DEVICE.a or DEVICE.b"},
            {"baud", VT_KEY_U64, "1200", "line rate"},
            {"layout", VT_KEY_U64, "0x21", "layout byte sent after 0xfe (0x21: US Type 5)"},
            {NULL, 0, NULL, NULL}},
    .create = kbd_create,
    .reset = kbd_reset,
    .save = kbd_save,
    .load = kbd_load,
    .destroy = kbd_destroy,
};
