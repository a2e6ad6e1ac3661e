/* The Z8530 ESCC's serial-peer hook (peripherals/z8530_escc.c): a device at the far end of a
 * channel's wire instead of a host endpoint, such as the Sun keyboard and mouse on the SS-5's
 * second ESCC. The peer gets every byte the guest transmits and puts bytes on the receive
 * wire at its own (emulated) pace; a full receive FIFO overruns as on the chip. */
#ifndef VT_Z8530_ESCC_H
#define VT_Z8530_ESCC_H

#include "core/device.h"

typedef struct vt_serial_peer {
    void (*rx)(void *opaque, uint8_t byte); /* a byte the guest sent to the peer */
    void *opaque;
} vt_serial_peer;

extern const vt_device_class vt_dev_z8530;

/* Attaches `peer` to channel `chan` (0 = A, 1 = B) of the z8530 `escc`; fails if escc is not a
 * z8530 or the channel already has a host endpoint or a peer. */
int vt_z8530_attach(vt_device *escc, int chan, const vt_serial_peer *peer,
                    vt_error *err) VT_MUST_CHECK;
/* A byte arrives on channel `chan`'s receive line now. Returns false when the receiver lost it
 * (receiver disabled, or FIFO full: overrun). */
bool vt_z8530_receive(vt_device *escc, int chan, uint8_t byte);

#endif
