/* Sun4m SLAVIO counter-timers ("slavio-timer"), one processor: the processor counter at
 * offset 0 and the system ("level 10") counter at +0x10000. Each has limit (+0: write sets the
 * limit and restarts the count, read returns it and clears the interrupt), counter (+4: read)
 * and limit-without-reset (+8). Counts are 500 ns ticks held in bits 30..9; bit 31 flags the
 * limit reached. A limit of 0 counts the full 2^22 range. The processor counter's user-timer
 * mode (system +0x10 configuration) is not modelled: enabling it is logged.
 * Outputs: irq = system counter, irq1 = processor counter.
 * Sources: Sun4M System Architecture manual ch. 5 (counter-timers); QEMU slavio_timer.c for the
 * register offsets only. */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define TICK_PS 500000ull /* 500 ns */
#define REACHED 0x80000000u

typedef struct counter {
    uint32_t limit; /* bits 30..9 as written */
    vt_time start;  /* time at which the count was 0 */
    bool reached;
    vt_event ev;
    int irq; /* index into dev->irq */
    struct stimer *owner;
} counter;

typedef struct stimer {
    vt_device *dev;
    counter c[2]; /* 0 = system, 1 = processor */
    uint32_t config;
} stimer;

static uint64_t period_ticks(const counter *c) {
    uint64_t l = (c->limit >> 9) & 0x3fffff;
    return l ? l : (1ull << 22);
}

static void arm(counter *c) {
    vt_sched_arm(vt_dev_sched(c->owner->dev), &c->ev, c->start + period_ticks(c) * TICK_PS);
}

static void expire(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    counter *c = opaque;
    c->start += period_ticks(c) * TICK_PS;
    c->reached = true;
    vt_irq_raise(&c->owner->dev->irq[c->irq]);
    arm(c);
}

static uint32_t count(const stimer *t, const counter *c) {
    vt_time now = vt_sched_now(vt_dev_sched(t->dev));
    uint64_t ticks = (now - c->start) / TICK_PS;
    return (uint32_t)((ticks % period_ticks(c)) << 9) | (c->reached ? REACHED : 0);
}

static counter *which(stimer *t, uint64_t *off) {
    if (*off >= 0x10000) {
        *off -= 0x10000;
        return &t->c[0];
    }
    return *off < 0x1000 ? &t->c[1] : NULL;
}

static uint64_t st_read(void *opaque, uint64_t off, unsigned size) {
    stimer *t = opaque;
    uint64_t o = off;
    counter *c = which(t, &o);
    if (c && size == 4) {
        switch (o) {
        case 0x0: {
            uint32_t v = c->limit | (c->reached ? REACHED : 0);
            c->reached = false;
            vt_irq_lower(&t->dev->irq[c->irq]);
            return v;
        }
        case 0x4:
            return count(t, c);
        case 0x8:
            return c->limit;
        case 0x10:
            if (c == &t->c[0]) return t->config;
            break;
        default:
            break;
        }
    }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void st_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    stimer *t = opaque;
    uint64_t o = off;
    counter *c = which(t, &o);
    uint32_t x = (uint32_t)v;
    if (c && size == 4) {
        switch (o) {
        case 0x0:
            c->limit = x & 0x7ffffe00u;
            c->start = vt_sched_now(vt_dev_sched(t->dev));
            c->reached = false;
            vt_irq_lower(&t->dev->irq[c->irq]);
            arm(c);
            return;
        case 0x8:
            c->limit = x & 0x7ffffe00u;
            arm(c);
            return;
        case 0xc:
            if (c == &t->c[1]) return; /* run/stop only matters in user-timer mode */
            break;
        case 0x10:
            if (c == &t->c[0]) {
                t->config = x & 1;
                if (x & 1) vt_log(VT_LOG_UNIMP, "unimplemented: slavio-timer user-timer mode");
                return;
            }
            break;
        default:
            break;
        }
    }
    vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops st_ops = {st_read, st_write};

static int st_create(vt_device *d, vt_error *err) {
    stimer *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    t->dev = d;
    d->priv = t;
    for (int i = 0; i < 2; i++) {
        t->c[i].owner = t;
        t->c[i].irq = i;
        vt_event_init(&t->c[i].ev, i ? "slavio-timer-cpu" : "slavio-timer-sys", expire, &t->c[i]);
    }
    if (d->size < 0x10014) return vt_fail(err, "size must cover the system counter (0x10014)");
    return vt_dev_map_mmio(d, &st_ops, t, VT_BIG_ENDIAN, err);
}

static void st_reset(vt_device *d) {
    stimer *t = d->priv;
    vt_sched *s = vt_dev_sched(d);
    for (int i = 0; i < 2; i++) {
        t->c[i].limit = 0;
        t->c[i].start = s->now;
        t->c[i].reached = false;
        vt_irq_lower(&d->irq[i]);
        arm(&t->c[i]);
    }
    t->config = 0;
}

static void st_save(const vt_device *d, vt_state_writer *w) {
    const stimer *t = d->priv;
    vt_state_begin(w, "SLTM", 1);
    for (int i = 0; i < 2; i++) {
        vt_state_put_u32(w, t->c[i].limit);
        vt_state_put_u64(w, t->c[i].start);
        vt_state_put_u8(w, t->c[i].reached);
    }
    vt_state_put_u32(w, t->config);
    vt_state_end(w);
}

static int st_load(vt_device *d, vt_state_reader *r) {
    stimer *t = d->priv;
    uint32_t v;
    if (vt_state_open(r, "SLTM", 1, &v)) return -1;
    for (int i = 0; i < 2; i++) {
        t->c[i].limit = vt_state_get_u32(r) & 0x7ffffe00u;
        t->c[i].start = vt_state_get_u64(r);
        t->c[i].reached = vt_state_get_u8(r) != 0;
        arm(&t->c[i]);
    }
    t->config = vt_state_get_u32(r) & 1;
    return vt_state_close(r);
}

static void st_destroy(vt_device *d) {
    stimer *t = d->priv;
    if (t)
        for (int i = 0; i < 2; i++)
            vt_sched_cancel(vt_dev_sched(d), &t->c[i].ev);
    free(t);
}

const vt_device_class vt_dev_slavio_timer = {
    .name = "slavio-timer",
    .description = "Sun4m SLAVIO counter-timers (system + one processor counter)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = st_create,
    .reset = st_reset,
    .save = st_save,
    .load = st_load,
    .destroy = st_destroy,
};
