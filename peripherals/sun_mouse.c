/* Sun mouse on a Z8530 channel at 1200 baud (the SS-5's kbd/mouse ESCC, channel B), speaking
 * the Mouse Systems 5-byte protocol: 0x80 | buttons (active low: 4 left, 2 middle, 1 right),
 * then X and Y deltas (signed, Y positive away from the user), then a second X/Y pair for
 * movement since the first. Motion between packets accumulates; a packet goes out whenever the
 * line is idle and something changed. It ignores bytes from the host.
 * Sources: Linux drivers/input/mouse/sermouse.c (MSC protocol), drivers/tty/serial/sunzilog.c. */
#include "peripherals/serial_wire.h"
#include "peripherals/sun_kbd.h"

#include <stdlib.h>

#define SYNC 0x80
#define BTN_LEFT 0x04
#define BTN_MIDDLE 0x02
#define BTN_RIGHT 0x01
#define DELTA_MAX 127

typedef struct sun_mouse {
    vt_serial_wire wire;
    int32_t dx, dy;  /* motion not yet sent */
    uint8_t buttons; /* held, in hub order: bit 0 left, 1 right, 2 middle */
    uint8_t sent;    /* buttons as last sent */
} sun_mouse;

static int8_t take(int32_t *acc) {
    int32_t v = *acc < -DELTA_MAX ? -DELTA_MAX : *acc > DELTA_MAX ? DELTA_MAX : *acc;
    *acc -= v;
    return (int8_t)v;
}

/* Builds the next packet when there is something to report. */
static void next_packet(void *opaque) {
    sun_mouse *m = opaque;
    if (vt_wire_busy(&m->wire) || (!m->dx && !m->dy && m->buttons == m->sent)) return;
    uint8_t b = SYNC | BTN_LEFT | BTN_MIDDLE | BTN_RIGHT;
    if (m->buttons & 1) b &= (uint8_t)~BTN_LEFT;
    if (m->buttons & 2) b &= (uint8_t)~BTN_RIGHT;
    if (m->buttons & 4) b &= (uint8_t)~BTN_MIDDLE;
    m->sent = m->buttons;
    int8_t x1 = take(&m->dx), y1 = take(&m->dy);
    int8_t x2 = take(&m->dx), y2 = take(&m->dy);
    uint8_t pkt[5] = {b, (uint8_t)x1, (uint8_t)y1, (uint8_t)x2, (uint8_t)y2};
    (void)vt_wire_send(&m->wire, pkt, 5); /* the line is idle: 5 bytes always fit */
}

void vt_sun_mouse_move(vt_device *d, int dx, int dy, unsigned buttons) {
    sun_mouse *m = d->priv;
    /* bounded so a flood of host motion cannot overflow the accumulator */
    if (m->dx + dx > -65536 && m->dx + dx < 65536) m->dx += dx;
    if (m->dy + dy > -65536 && m->dy + dy < 65536) m->dy += dy;
    m->buttons = (uint8_t)(buttons & 7);
    next_packet(m);
}

static void ignore_host(void *opaque, uint8_t v) {
    VT_UNUSED(opaque);
    VT_UNUSED(v);
}

static int mouse_create(vt_device *d, vt_error *err) {
    sun_mouse *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    d->priv = m;
    if (vt_wire_open(&m->wire, d, &(vt_serial_peer){ignore_host, m}, err)) return -1;
    m->wire.idle = next_packet;
    m->wire.opaque = m;
    return 0;
}

static void mouse_reset(vt_device *d) {
    sun_mouse *m = d->priv;
    m->dx = m->dy = 0;
    m->buttons = m->sent = 0;
    vt_wire_clear(&m->wire);
}

static void mouse_save(const vt_device *d, vt_state_writer *w) {
    const sun_mouse *m = d->priv;
    vt_state_begin(w, "SMOU", 1);
    vt_state_put_u32(w, (uint32_t)m->dx);
    vt_state_put_u32(w, (uint32_t)m->dy);
    vt_state_put_u8(w, m->buttons);
    vt_state_put_u8(w, m->sent);
    vt_wire_save(&m->wire, w);
    vt_state_end(w);
}

static int mouse_load(vt_device *d, vt_state_reader *r) {
    sun_mouse *m = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SMOU", 1, &v)) return -1;
    m->dx = (int32_t)vt_state_get_u32(r);
    m->dy = (int32_t)vt_state_get_u32(r);
    m->buttons = vt_state_get_u8(r) & 7;
    m->sent = vt_state_get_u8(r) & 7;
    if (m->dx <= -65536 || m->dx >= 65536 || m->dy <= -65536 || m->dy >= 65536)
        vt_state_fail(r, "sun-mouse: motion out of range");
    vt_wire_load(&m->wire, r);
    return vt_state_close(r);
}

static void mouse_destroy(vt_device *d) {
    sun_mouse *m = d->priv;
    if (m && m->wire.owner) vt_wire_cancel(&m->wire);
    free(m);
}

const vt_device_class vt_dev_sun_mouse = {
    .name = "sun-mouse",
    .description = "Sun mouse (Mouse Systems 5-byte protocol) on a Z8530 channel",
    .keys = (const vt_dev_key[]){{"port", VT_KEY_STR, NULL,
                                  "the z8530 channel it is wired to: DEVICE.a or DEVICE.b"},
                                 {"baud", VT_KEY_U64, "1200", "line rate"},
                                 {NULL, 0, NULL, NULL}},
    .create = mouse_create,
    .reset = mouse_reset,
    .save = mouse_save,
    .load = mouse_load,
    .destroy = mouse_destroy,
};
