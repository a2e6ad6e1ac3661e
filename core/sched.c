/* Event scheduler: a binary min-heap of armed events ordered by (time, arming sequence). */
#include "core/sched.h"

#include <stdlib.h>

vt_time vt_clock_to_time(const vt_clock *c, uint64_t cycles) {
    unsigned __int128 ps = (unsigned __int128)cycles * VT_PS_PER_SEC / c->hz;
    return ps > UINT64_MAX ? VT_TIME_NEVER : (vt_time)ps;
}

uint64_t vt_clock_to_cycles(const vt_clock *c, vt_time t) {
    /* largest n with vt_clock_to_time(n) <= t, i.e. n * 1e12 < (t + 1) * hz */
    return (uint64_t)((((unsigned __int128)t + 1) * c->hz - 1) / VT_PS_PER_SEC);
}

uint64_t vt_clock_to_cycles_ceil(const vt_clock *c, vt_time t) {
    /* smallest n with floor(n * 1e12 / hz) >= t  <=>  n >= t * hz / 1e12 */
    unsigned __int128 num = (unsigned __int128)t * c->hz;
    return (uint64_t)((num + VT_PS_PER_SEC - 1) / VT_PS_PER_SEC);
}

void vt_sched_init(vt_sched *s) {
    memset(s, 0, sizeof *s);
}

void vt_sched_free(vt_sched *s) {
    for (int i = 0; i < s->count; i++)
        s->heap[i]->heap_pos = -1;
    free(s->heap);
    s->heap = NULL;
    s->count = s->cap = 0;
}

void vt_event_init(vt_event *e, const char *name, vt_event_fn fn, void *opaque) {
    memset(e, 0, sizeof *e);
    e->name = name;
    e->fn = fn;
    e->opaque = opaque;
    e->heap_pos = -1;
}

static bool before(const vt_event *a, const vt_event *b) {
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void place(vt_sched *s, int i, vt_event *e) {
    s->heap[i] = e;
    e->heap_pos = i;
}

static void sift_up(vt_sched *s, int i) {
    vt_event *e = s->heap[i];
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!before(e, s->heap[p])) break;
        place(s, i, s->heap[p]);
        i = p;
    }
    place(s, i, e);
}

static void sift_down(vt_sched *s, int i) {
    vt_event *e = s->heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= s->count) break;
        if (c + 1 < s->count && before(s->heap[c + 1], s->heap[c])) c++;
        if (!before(s->heap[c], e)) break;
        place(s, i, s->heap[c]);
        i = c;
    }
    place(s, i, e);
}

static void heap_remove(vt_sched *s, int i) {
    s->heap[i]->heap_pos = -1;
    s->count--;
    if (i == s->count) return;
    vt_event *moved = s->heap[s->count];
    place(s, i, moved);
    sift_down(s, i);
    if (moved->heap_pos == i) sift_up(s, i);
}

void vt_sched_cancel(vt_sched *s, vt_event *e) {
    if (e->heap_pos >= 0) heap_remove(s, e->heap_pos);
}

void vt_sched_arm(vt_sched *s, vt_event *e, vt_time when) {
    vt_sched_cancel(s, e);
    if (s->count == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        vt_event **h = realloc(s->heap, (size_t)cap * sizeof *h);
        if (!h) abort(); /* out of host memory: nothing sensible to do */
        s->heap = h;
        s->cap = cap;
    }
    e->when = when;
    e->seq = s->next_seq++;
    place(s, s->count++, e);
    sift_up(s, e->heap_pos);
    if (s->deadline_fn && s->heap[0] == e) s->deadline_fn(s->cpu_opaque, when);
}

vt_time vt_sched_next(const vt_sched *s) {
    return s->count ? s->heap[0]->when : VT_TIME_NEVER;
}

vt_time vt_sched_now(const vt_sched *s) {
    if (s->now_fn) {
        vt_time t = s->now_fn(s->cpu_opaque);
        return t > s->now ? t : s->now;
    }
    return s->now;
}

void vt_sched_advance(vt_sched *s, vt_time t) {
    if (t > s->now) s->now = t;
    while (s->count && s->heap[0]->when <= s->now) {
        vt_event *e = s->heap[0];
        heap_remove(s, 0);
        e->fn(e->opaque, s->now, s->now - e->when);
    }
}
