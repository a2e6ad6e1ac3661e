/* Network backend plumbing shared by every backend (core/net.h): the host -> guest frame
 * queue delivered on the scheduler at 10 Mbit/s wire pacing, and the periodic host poll. */
#include "core/net.h"

static void deliver(void *opaque, vt_time now, vt_time late) {
    vt_net *n = opaque;
    VT_UNUSED(late);
    if (!n->qcount) return;
    vt_net_frame *f = &n->queue[n->qhead];
    n->qhead = (n->qhead + 1) % VT_NET_QUEUE_MAX;
    n->qcount--;
    n->rx(n->rx_opaque, f->data, f->len);
    /* the next frame follows after this one's wire time */
    if (n->qcount)
        vt_sched_arm(n->sched, &n->deliver_ev,
                     now + (uint64_t)n->queue[n->qhead].len * VT_NET_BYTE_PS);
}

static void poll_host(void *opaque, vt_time now, vt_time late) {
    vt_net *n = opaque;
    VT_UNUSED(late);
    n->poll(n);
    vt_sched_arm(n->sched, &n->poll_ev, now + VT_NET_POLL_PS);
}

void vt_net_init(vt_net *n) {
    vt_event_init(&n->deliver_ev, "net-deliver", deliver, n);
    vt_event_init(&n->poll_ev, "net-poll", poll_host, n);
    n->qhead = n->qcount = 0;
}

int vt_net_attach(vt_net *n, vt_sched *s, vt_net_rx_fn rx, void *opaque, vt_error *err) {
    if (!n) return 0;
    if (n->sched) return vt_fail(err, "a --net backend can serve only one network device");
    n->sched = s;
    n->rx = rx;
    n->rx_opaque = opaque;
    if (n->start && n->start(n, err)) return -1;
    if (n->poll) vt_sched_arm(s, &n->poll_ev, vt_sched_now(s) + VT_NET_POLL_PS);
    return 0;
}

void vt_net_send(vt_net *n, const uint8_t *frame, size_t len) {
    if (n && n->send) n->send(n, frame, len);
}

void vt_net_deliver(vt_net *n, const uint8_t *frame, size_t len) {
    if (!n->rx || len > VT_NET_MAX_FRAME - 4 || n->qcount == VT_NET_QUEUE_MAX) {
        n->dropped++;
        return;
    }
    vt_net_frame *f = &n->queue[(n->qhead + n->qcount) % VT_NET_QUEUE_MAX];
    memcpy(f->data, frame, len);
    f->len = (uint16_t)len;
    if (n->qcount++ == 0)
        vt_sched_arm(n->sched, &n->deliver_ev, vt_sched_now(n->sched) + len * VT_NET_BYTE_PS);
}

vt_time vt_net_now(const vt_net *n) {
    return n->sched ? vt_sched_now(n->sched) : 0;
}

void vt_net_detach(vt_net *n) {
    if (!n || !n->sched) return;
    vt_sched_cancel(n->sched, &n->deliver_ev);
    vt_sched_cancel(n->sched, &n->poll_ev);
    n->sched = NULL;
    n->rx = NULL;
    n->qcount = 0;
}

void vt_net_close(vt_net *n) {
    if (n) n->close(n);
}
