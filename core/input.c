/* The input hub (core/input.h): a mutex-protected queue of posted host events, the 1 ms poll
 * event that delivers them on the machine's timeline, the sinks and the observer. */
#include "core/input.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_SINKS 8
#define QUEUE_LEN 1024
#define POLL_PS (VT_PS_PER_SEC / 1000)

typedef struct sink {
    unsigned kinds;
    vt_input_sink_fn fn;
    void *opaque;
} sink;

struct vt_input {
    vt_sched *sched;
    sink sinks[MAX_SINKS];
    int nsinks;
    vt_input_observer_fn observer;
    void *observer_opaque;
    pthread_mutex_t lock;
    vt_input_event queue[QUEUE_LEN]; /* posted, not yet delivered */
    unsigned head, n;
    vt_event poll;
    uint64_t delivered;
};

static void poll_fn(void *opaque, vt_time now, vt_time late);

int vt_input_create(vt_input **out, vt_sched *sched, vt_error *err) {
    vt_input *in = calloc(1, sizeof *in);
    if (!in) return vt_fail(err, "out of memory");
    in->sched = sched;
    pthread_mutex_init(&in->lock, NULL);
    vt_event_init(&in->poll, "input-poll", poll_fn, in);
    *out = in;
    return 0;
}

void vt_input_destroy(vt_input *in) {
    if (!in) return;
    if (vt_event_armed(&in->poll)) vt_sched_cancel(in->sched, &in->poll);
    pthread_mutex_destroy(&in->lock);
    free(in);
}

int vt_input_add_sink(vt_input *in, unsigned kinds, vt_input_sink_fn fn, void *opaque,
                      vt_error *err) {
    if (in->nsinks == MAX_SINKS) return vt_fail(err, "at most %d input devices", MAX_SINKS);
    in->sinks[in->nsinks++] = (sink){kinds, fn, opaque};
    return 0;
}

unsigned vt_input_kinds(const vt_input *in) {
    unsigned k = 0;
    for (int i = 0; i < in->nsinks; i++)
        k |= in->sinks[i].kinds;
    return k;
}

void vt_input_set_observer(vt_input *in, vt_input_observer_fn fn, void *opaque) {
    in->observer = fn;
    in->observer_opaque = opaque;
}

void vt_input_deliver(vt_input *in, const vt_input_event *ev) {
    if (in->observer) in->observer(in->observer_opaque, vt_sched_now(in->sched), ev);
    for (int i = 0; i < in->nsinks; i++)
        if (in->sinks[i].kinds & ev->kind) in->sinks[i].fn(in->sinks[i].opaque, ev);
    __atomic_add_fetch(&in->delivered, 1, __ATOMIC_RELAXED); /* read by the host thread */
}

uint64_t vt_input_delivered(const vt_input *in) {
    return __atomic_load_n(&in->delivered, __ATOMIC_RELAXED);
}

void vt_input_post(vt_input *in, const vt_input_event *ev) {
    pthread_mutex_lock(&in->lock);
    if (in->n < QUEUE_LEN) /* a full queue drops, as a keyboard buffer overflows */
        in->queue[(in->head + in->n++) % QUEUE_LEN] = *ev;
    pthread_mutex_unlock(&in->lock);
}

static void poll_fn(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(late);
    vt_input *in = opaque;
    for (;;) {
        vt_input_event ev;
        pthread_mutex_lock(&in->lock);
        bool have = in->n > 0;
        if (have) {
            ev = in->queue[in->head];
            in->head = (in->head + 1) % QUEUE_LEN;
            in->n--;
        }
        pthread_mutex_unlock(&in->lock);
        if (!have) break;
        vt_input_deliver(in, &ev);
    }
    vt_sched_arm(in->sched, &in->poll, (now / POLL_PS + 1) * POLL_PS);
}

void vt_input_start_live(vt_input *in) {
    vt_time now = vt_sched_now(in->sched);
    vt_sched_arm(in->sched, &in->poll, (now / POLL_PS + 1) * POLL_PS);
}
