/* Network backends: how an Ethernet controller model exchanges frames with the host.
 * A backend (frontend/net_user.c: libslirp) implements `send` (guest -> host) and `poll`, and
 * hands host -> guest frames to vt_net_deliver(), which queues them and passes each to the
 * attached NIC on the scheduler, one wire time (10 Mbit/s) after the previous one, so the
 * guest sees frames only at emulated-time points. `poll` runs every VT_NET_POLL_PS of emulated
 * time once a NIC is attached; what a backend reads from host sockets there is a declared
 * input (like typed keys), everything else it does follows emulated time. */
#ifndef VT_NET_H
#define VT_NET_H

#include "core/common.h"
#include "core/sched.h"

#define VT_MAX_NETS 2
#define VT_NET_MAX_FRAME 1518        /* Ethernet without preamble, with FCS */
#define VT_NET_POLL_PS 1000000000ull /* 1 ms of emulated time between host polls */
#define VT_NET_QUEUE_MAX 64          /* host -> guest frames waiting; more are dropped */
#define VT_NET_BYTE_PS 800000ull     /* one byte at 10 Mbit/s: 0.8 us */

typedef struct vt_net vt_net;
/* The NIC's receive hook: one frame (no FCS), 14..VT_NET_MAX_FRAME-4 bytes. */
typedef void (*vt_net_rx_fn)(void *opaque, const uint8_t *frame, size_t len);

typedef struct vt_net_frame {
    uint16_t len;
    uint8_t data[VT_NET_MAX_FRAME];
} vt_net_frame;

struct vt_net {
    /* Backend hooks. */
    void (*send)(vt_net *n, const uint8_t *frame, size_t len); /* guest -> host */
    void (*poll)(vt_net *n);                                   /* host sockets, timers */
    int (*start)(vt_net *n, vt_error *err); /* once attached (clock known); NULL: none */
    void (*close)(vt_net *n);
    void *opaque;
    /* Set by vt_net_attach. */
    vt_sched *sched;
    vt_net_rx_fn rx;
    void *rx_opaque;
    vt_event deliver_ev, poll_ev;
    vt_net_frame queue[VT_NET_QUEUE_MAX];
    int qhead, qcount;
    uint64_t dropped; /* frames lost because the queue was full */
};

/* Initialises the shared part of a backend (queue, events). */
void vt_net_init(vt_net *n);
/* Connects a NIC model to backend n on scheduler s and starts polling; NULL n is fine (no
 * backend: nothing is ever received and vt_net_send drops frames). */
int vt_net_attach(vt_net *n, vt_sched *s, vt_net_rx_fn rx, void *opaque,
                  vt_error *err) VT_MUST_CHECK;
/* Disconnects the NIC (its destroy hook): cancels the delivery and poll events; queued frames
 * are dropped. NULL n is fine. */
void vt_net_detach(vt_net *n);
/* Guest -> host. NULL n drops the frame. */
void vt_net_send(vt_net *n, const uint8_t *frame, size_t len);
/* Backend -> guest: queues a frame for delivery in emulated time. */
void vt_net_deliver(vt_net *n, const uint8_t *frame, size_t len);
/* Emulated time now (picoseconds), for backends that keep timers. */
vt_time vt_net_now(const vt_net *n);
/* Closes and frees a backend (after its NIC detached). NULL is fine. */
void vt_net_close(vt_net *n);

#endif
