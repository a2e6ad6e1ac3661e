/* The emulated timeline: one 64-bit picosecond clock shared by every CPU and device.
 * Clock domains convert their own cycle counts to time exactly (128-bit arithmetic on the
 * absolute count, so nothing drifts). Devices arm events at absolute times; the machine loop
 * runs the CPU exactly up to the next event, then fires it. Ties fire in arming order. */
#ifndef VT_SCHED_H
#define VT_SCHED_H

#include "core/common.h"

typedef uint64_t vt_time; /* picoseconds since machine reset */
#define VT_PS_PER_SEC 1000000000000ull
#define VT_TIME_NEVER UINT64_MAX

/* Every configured clock lies in this range (issue 9.7: a 2^64-1 Hz clock would make one
 * picosecond worth billions of cycles, so `--until 1ns` would never end). */
#define VT_CLOCK_MIN_HZ 1ull
#define VT_CLOCK_MAX_HZ 100000000000ull /* 100 GHz */

/* A clock domain: a crystal of `hz` cycles per second. */
typedef struct vt_clock {
    uint64_t hz;
} vt_clock;

/* Time at which cycle number `cycles` begins (floor). */
vt_time vt_clock_to_time(const vt_clock *c, uint64_t cycles);
/* Number of cycles that have started by time t, minus one: the largest n whose start time
 * vt_clock_to_time(n) is <= t (so vt_clock_to_cycles(vt_clock_to_time(n)) == n). */
uint64_t vt_clock_to_cycles(const vt_clock *c, vt_time t);
/* Smallest cycle count whose start time is >= t (ceil): run a CPU to this to reach t. */
uint64_t vt_clock_to_cycles_ceil(const vt_clock *c, vt_time t);

struct vt_sched;
/* Event callback: `now` is the current time, `late` how far past its deadline it fired
 * (non-zero only when an instruction overran the deadline). */
typedef void (*vt_event_fn)(void *opaque, vt_time now, vt_time late);

typedef struct vt_event {
    const char *name;
    vt_event_fn fn;
    void *opaque;
    vt_time when;
    uint64_t seq; /* arming order, breaks ties */
    int heap_pos; /* -1 when not armed */
} vt_event;

/* Hook so arming an event earlier than the CPU's current budget shortens that budget. */
typedef void (*vt_sched_deadline_fn)(void *opaque, vt_time deadline);

typedef struct vt_sched {
    vt_time now; /* time of the last synchronisation point */
    vt_event **heap;
    int count, cap;
    uint64_t next_seq;
    /* The running CPU's view: now_fn returns the exact current time mid-slice. */
    vt_time (*now_fn)(void *opaque);
    vt_sched_deadline_fn deadline_fn;
    void *cpu_opaque;
} vt_sched;

void vt_sched_init(vt_sched *s);
void vt_sched_free(vt_sched *s);
void vt_event_init(vt_event *e, const char *name, vt_event_fn fn, void *opaque);
/* Arms (or re-arms) e at absolute time `when`. */
void vt_sched_arm(vt_sched *s, vt_event *e, vt_time when);
void vt_sched_cancel(vt_sched *s, vt_event *e);
static inline bool vt_event_armed(const vt_event *e) {
    return e->heap_pos >= 0;
}
/* Deadline of the earliest armed event, VT_TIME_NEVER if none. */
vt_time vt_sched_next(const vt_sched *s);
/* Exact current time, including cycles the CPU has run in the current slice. */
vt_time vt_sched_now(const vt_sched *s);
/* Advances `now` to t (never backwards) and fires every event due by then, in order. */
void vt_sched_advance(vt_sched *s, vt_time t);

#endif
