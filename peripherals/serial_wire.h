/* A serial device's transmit line to a Z8530 channel (peripherals/serial_wire.c): bytes queue
 * and arrive one per character time (start + 8 data + stop bits at `baud`) on emulated time.
 * Shared by the Sun keyboard and mouse. The `port` key names the channel: `kbdms.a`. */
#ifndef VT_SERIAL_WIRE_H
#define VT_SERIAL_WIRE_H

#include "core/device.h"
#include "core/savestate.h"
#include "peripherals/z8530_escc.h"

#define VT_WIRE_QUEUE 32

typedef struct vt_serial_wire {
    vt_device *owner, *escc;
    int chan;
    vt_time char_time;
    uint8_t q[VT_WIRE_QUEUE];
    int head, n;
    vt_event ev;
    /* Called when the line goes idle (the mouse builds its next packet); may be NULL. */
    void (*idle)(void *opaque);
    void *opaque;
} vt_serial_wire;

/* Reads the owner's `port` and `baud` keys and attaches `peer` to that channel. */
int vt_wire_open(vt_serial_wire *w, vt_device *owner, const vt_serial_peer *peer,
                 vt_error *err) VT_MUST_CHECK;
/* Queues bytes for sending; false (nothing queued) when they do not all fit. */
bool vt_wire_send(vt_serial_wire *w, const uint8_t *b, int n);
void vt_wire_clear(vt_serial_wire *w);
bool vt_wire_busy(const vt_serial_wire *w);
void vt_wire_cancel(vt_serial_wire *w);
void vt_wire_save(const vt_serial_wire *w, vt_state_writer *sw);
void vt_wire_load(vt_serial_wire *w, vt_state_reader *r);

#endif
