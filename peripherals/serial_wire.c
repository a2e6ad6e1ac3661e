/* A serial device's transmit line to a Z8530 channel: a byte queue drained one character per
 * 10 bit times (asynchronous 8N1 framing: start, 8 data, stop), each byte reaching the ESCC's
 * receiver when its stop bit ends. At 1200 baud that is 8.33 ms a byte, the Sun keyboard's and
 * mouse's rate (Linux drivers/input/keyboard/sunkbd.c, drivers/tty/serial/sunzilog.c).
 * Source for the framing: Zilog Z85C30 user manual, "Asynchronous mode". */
#include "peripherals/serial_wire.h"

#include <string.h>

#define BITS_PER_CHAR 10
#define PS_PER_S 1000000000000ull

static void byte_done(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(late);
    vt_serial_wire *w = opaque;
    if (!w->n) return;
    uint8_t b = w->q[w->head];
    w->head = (w->head + 1) % VT_WIRE_QUEUE;
    w->n--;
    /* A lost byte (receiver off or overrun) is what the hardware does; the driver resyncs. */
    (void)vt_z8530_receive(w->escc, w->chan, b);
    if (!w->n && w->idle) w->idle(w->opaque);
    if (w->n) vt_sched_arm(vt_dev_sched(w->owner), &w->ev, now + w->char_time);
}

int vt_wire_open(vt_serial_wire *w, vt_device *owner, const vt_serial_peer *peer, vt_error *err) {
    memset(w, 0, sizeof *w);
    w->owner = owner;
    vt_event_init(&w->ev, owner->name, byte_done, w);
    uint64_t baud;
    if (vt_dev_u64(owner, "baud", &baud, err)) return -1;
    if (baud < 50 || baud > 115200)
        return vt_fail(err, "[%s] baud must be 50..115200", owner->name);
    w->char_time = (vt_time)(BITS_PER_CHAR * PS_PER_S / baud);
    const char *port = vt_dev_str(owner, "port");
    const char *dot = strrchr(port, '.');
    char name[48];
    if (!dot || (strcmp(dot, ".a") && strcmp(dot, ".b")) || (size_t)(dot - port) >= sizeof name)
        return vt_fail(err, "[%s] port must be DEVICE.a or DEVICE.b (got '%s')", owner->name, port);
    memcpy(name, port, (size_t)(dot - port));
    name[dot - port] = 0;
    w->escc = vt_dev_peer(owner, name);
    if (!w->escc)
        return vt_fail(err, "[%s] port: no device '%s' (it must come before this one)", owner->name,
                       name);
    w->chan = dot[1] == 'a' ? 0 : 1;
    return vt_z8530_attach(w->escc, w->chan, peer, err);
}

bool vt_wire_send(vt_serial_wire *w, const uint8_t *b, int n) {
    if (w->n + n > VT_WIRE_QUEUE) return false;
    for (int i = 0; i < n; i++)
        w->q[(w->head + w->n + i) % VT_WIRE_QUEUE] = b[i];
    w->n += n;
    if (!vt_event_armed(&w->ev)) {
        vt_sched *s = vt_dev_sched(w->owner);
        vt_sched_arm(s, &w->ev, vt_sched_now(s) + w->char_time);
    }
    return true;
}

void vt_wire_clear(vt_serial_wire *w) {
    w->head = w->n = 0;
    vt_wire_cancel(w);
}

bool vt_wire_busy(const vt_serial_wire *w) {
    return w->n != 0;
}

void vt_wire_cancel(vt_serial_wire *w) {
    vt_sched_cancel(vt_dev_sched(w->owner), &w->ev);
}

void vt_wire_save(const vt_serial_wire *w, vt_state_writer *sw) {
    vt_state_put_u32(sw, (uint32_t)w->n);
    for (int i = 0; i < w->n; i++)
        vt_state_put_u8(sw, w->q[(w->head + i) % VT_WIRE_QUEUE]);
    vt_state_put_u64(sw, w->ev.when);
}

void vt_wire_load(vt_serial_wire *w, vt_state_reader *r) {
    vt_wire_clear(w);
    w->n = (int)vt_state_get_index(r, VT_WIRE_QUEUE + 1);
    for (int i = 0; i < w->n; i++)
        w->q[i] = vt_state_get_u8(r);
    vt_time when = vt_state_get_u64(r);
    if (w->n) vt_sched_arm(vt_dev_sched(w->owner), &w->ev, when);
}
