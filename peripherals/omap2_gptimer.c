/* OMAP2420 general-purpose timer ("omap2-gptimer", GPTIMER1..12, IP revision 1): a 32-bit
 * up-counter at the functional clock / 2^(PTV+1) when PRE is set, with auto-reload from TLDR on
 * overflow, a compare match (TMAR, CE), a trigger reload (TTGR) and overflow / match interrupts
 * (TISR/TIER). The counter is computed from emulated time; the next overflow or match is a
 * scheduler event. Posted writes complete at once (TWPS reads 0). The functional clock comes
 * from the profile (`clock`): the PRCM mux reset value, 32 kHz for GPTIMER1. Not modelled:
 * capture, PWM output, wake-up events (TWER is storage). Sources: OMAP2420 TRM "General-Purpose
 * Timers" (register map, TCLR bits); Linux 6.1 drivers/clocksource/timer-ti-dm-systimer.c. */
#include "core/savestate.h"
#include "core/device.h"

#include <stdlib.h>

enum {
    TIDR = 0x00,
    TIOCP_CFG = 0x10,
    TISTAT = 0x14,
    TISR = 0x18,
    TIER = 0x1c,
    TWER = 0x20,
    TCLR = 0x24,
    TCRR = 0x28,
    TLDR = 0x2c,
    TTGR = 0x30,
    TWPS = 0x34,
    TMAR = 0x38,
    TCAR1 = 0x3c,
    TSICR = 0x40,
    TCAR2 = 0x44,
};
#define TIDR_VALUE 0x21 /* revision 2.1 of the v1 IP: upper half zero */
#define OCP_SOFTRESET 0x2
#define TISTAT_RESETDONE 0x1
#define TSICR_SFT 0x2 /* functional-part software reset */
#define TSICR_POSTED 0x4
#define IT_MAT 0x1
#define IT_OVF 0x2
#define IT_TCAR 0x4
#define IT_ALL 0x7
#define TCLR_ST 0x1
#define TCLR_AR 0x2
#define TCLR_PTV_SHIFT 2
#define TCLR_PTV_MASK 0x1c
#define TCLR_PRE 0x20
#define TCLR_CE 0x40
#define TCLR_MASK 0x7fff

typedef struct gpt {
    vt_device *dev;
    vt_clock fclk;
    vt_event ev;
    uint32_t tiocp, tisr, tier, twer, tclr, tldr, tmar, tsicr;
    uint32_t base_count; /* TCRR at base_time */
    vt_time base_time;   /* valid while running */
} gpt;

static vt_sched *sched(const gpt *t) {
    return vt_dev_sched(t->dev);
}

static unsigned prescale_shift(const gpt *t) {
    return t->tclr & TCLR_PRE ? ((t->tclr & TCLR_PTV_MASK) >> TCLR_PTV_SHIFT) + 1 : 0;
}

static bool running(const gpt *t) {
    return t->tclr & TCLR_ST;
}

/* Timer ticks (prescaler outputs: every 2^shift fclk cycles) since base_time. */
static uint64_t ticks_since_base(const gpt *t, vt_time now) {
    unsigned sh = prescale_shift(t);
    return (vt_clock_to_cycles(&t->fclk, now) >> sh) -
           (vt_clock_to_cycles(&t->fclk, t->base_time) >> sh);
}

/* When the tick that makes `ticks` elapsed since base_time happens. */
static vt_time time_of_tick(const gpt *t, uint64_t ticks) {
    unsigned sh = prescale_shift(t);
    uint64_t first = vt_clock_to_cycles(&t->fclk, t->base_time) >> sh;
    return vt_clock_to_time(&t->fclk, (first + ticks) << sh);
}

static void set_irq(gpt *t) {
    vt_irq_set(&t->dev->irq[0], (t->tisr & t->tier) != 0);
}

/* Brings base_count/base_time to `now`, handling overflows and matches on the way. */
static void advance(gpt *t, vt_time now) {
    if (!running(t)) return;
    uint64_t n = ticks_since_base(t, now);
    if (!n) return;
    uint64_t to_ovf = 0x100000000ull - t->base_count;
    uint32_t before = t->base_count;
    if (t->tclr & TCLR_CE) {
        uint64_t to_mat = (uint32_t)(t->tmar - before);
        if (to_mat && to_mat <= n && to_mat < to_ovf) t->tisr |= IT_MAT;
    }
    if (n >= to_ovf) {
        t->tisr |= IT_OVF;
        if (t->tclr & TCLR_AR) {
            uint64_t period = 0x100000000ull - t->tldr;
            uint64_t rest = (n - to_ovf) % period;
            t->base_count = t->tldr + (uint32_t)rest;
        } else {
            t->base_count = 0;
            t->tclr &= ~TCLR_ST; /* one-shot: stops at overflow */
        }
    } else {
        t->base_count = before + (uint32_t)n;
    }
    t->base_time = now;
}

static void schedule(gpt *t) {
    vt_sched_cancel(sched(t), &t->ev);
    if (!running(t)) return;
    uint64_t to_ovf = 0x100000000ull - t->base_count;
    uint64_t next = to_ovf;
    if (t->tclr & TCLR_CE) {
        uint64_t to_mat = (uint32_t)(t->tmar - t->base_count);
        if (to_mat && to_mat < next) next = to_mat;
    }
    vt_sched_arm(sched(t), &t->ev, time_of_tick(t, next));
}

static void tick_event(void *opaque, vt_time now, vt_time late) {
    gpt *t = opaque;
    (void)late;
    advance(t, now);
    set_irq(t);
    schedule(t);
}

static uint32_t counter(gpt *t) {
    advance(t, vt_sched_now(sched(t)));
    return t->base_count;
}

static void soft_reset(gpt *t) {
    vt_sched_cancel(sched(t), &t->ev);
    t->tiocp = t->tisr = t->tier = t->twer = t->tclr = t->tldr = t->tmar = 0;
    t->tsicr = TSICR_POSTED;
    t->base_count = 0;
    t->base_time = vt_sched_now(sched(t));
    set_irq(t);
}

static uint64_t gpt_read(void *opaque, uint64_t off, unsigned size) {
    gpt *t = opaque;
    if (size == 4) switch (off) {
        case TIDR:
            return TIDR_VALUE;
        case TIOCP_CFG:
            return t->tiocp;
        case TISTAT:
            return TISTAT_RESETDONE;
        case TISR:
            advance(t, vt_sched_now(sched(t)));
            return t->tisr;
        case TIER:
            return t->tier;
        case TWER:
            return t->twer;
        case TCLR:
            return t->tclr;
        case TCRR:
            return counter(t);
        case TLDR:
            return t->tldr;
        case TTGR:
            return 0xffffffffu;
        case TWPS:
            return 0; /* posted writes complete immediately */
        case TMAR:
            return t->tmar;
        case TCAR1:
        case TCAR2:
            return 0;
        case TSICR:
            return t->tsicr;
        }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void gpt_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    gpt *t = opaque;
    uint32_t v = (uint32_t)v64;
    vt_time now = vt_sched_now(sched(t));
    if (size != 4) {
        vt_dev_log_unknown(t->dev, "write", off, size, v);
        return;
    }
    advance(t, now);
    switch (off) {
    case TIOCP_CFG:
        if (v & OCP_SOFTRESET) soft_reset(t);
        t->tiocp = v & 0x33d; /* clockactivity, emufree, idlemode, enawakeup, autoidle */
        break;
    case TISR:
        t->tisr &= ~(v & IT_ALL);
        break;
    case TIER:
        t->tier = v & IT_ALL;
        break;
    case TWER:
        t->twer = v & IT_ALL;
        break;
    case TCLR: {
        bool was = running(t);
        t->tclr = v & TCLR_MASK;
        if (!was || running(t)) t->base_time = now; /* (re)start: count from here */
        break;
    }
    case TCRR:
        t->base_count = v;
        t->base_time = now;
        break;
    case TLDR:
        t->tldr = v;
        break;
    case TTGR:
        t->base_count = t->tldr;
        t->base_time = now;
        break;
    case TMAR:
        t->tmar = v;
        break;
    case TSICR:
        if (v & TSICR_SFT) soft_reset(t);
        t->tsicr = v & TSICR_POSTED;
        break;
    default:
        vt_dev_log_unknown(t->dev, "write", off, size, v);
        return;
    }
    set_irq(t);
    schedule(t);
}

static const vt_mmio_ops gpt_ops = {gpt_read, gpt_write};

static int gpt_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    if (vt_dev_u64(d, "clock", &hz, err)) return -1;
    gpt *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    d->priv = t;
    t->dev = d;
    t->fclk.hz = hz;
    vt_event_init(&t->ev, "omap2-gptimer", tick_event, t);
    return vt_dev_map_mmio(d, &gpt_ops, t, VT_LITTLE_ENDIAN, err);
}

static void gpt_reset(vt_device *d) {
    soft_reset(d->priv);
}

static void gpt_save(const vt_device *d, vt_state_writer *w) {
    const gpt *t = d->priv;
    vt_state_begin(w, "O2GT", 1);
    const uint32_t r[] = {t->tiocp, t->tisr, t->tier,  t->twer,      t->tclr,
                          t->tldr,  t->tmar, t->tsicr, t->base_count};
    for (size_t i = 0; i < VT_ARRAY_LEN(r); i++)
        vt_state_put_u32(w, r[i]);
    vt_state_put_u64(w, t->base_time);
    vt_state_put_u64(w, vt_event_armed(&t->ev) ? t->ev.when : VT_TIME_NEVER);
    vt_state_end(w);
}

static int gpt_load(vt_device *d, vt_state_reader *r) {
    gpt *t = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2GT", 1, &ver)) return -1;
    uint32_t *f[] = {&t->tiocp, &t->tisr, &t->tier,  &t->twer,      &t->tclr,
                     &t->tldr,  &t->tmar, &t->tsicr, &t->base_count};
    for (size_t i = 0; i < VT_ARRAY_LEN(f); i++)
        *f[i] = vt_state_get_u32(r);
    t->tisr &= IT_ALL, t->tier &= IT_ALL, t->twer &= IT_ALL, t->tclr &= TCLR_MASK;
    t->base_time = vt_state_get_u64(r);
    vt_time when = vt_state_get_u64(r);
    if (vt_state_close(r)) return -1;
    vt_sched_cancel(sched(t), &t->ev);
    if (when != VT_TIME_NEVER) vt_sched_arm(sched(t), &t->ev, when);
    set_irq(t);
    return 0;
}

static void gpt_destroy(vt_device *d) {
    gpt *t = d->priv;
    if (t) vt_sched_cancel(sched(t), &t->ev);
    free(t);
}

static const vt_dev_key gpt_keys[] = {
    {"clock", VT_KEY_HZ, "32768", "functional clock in Hz (the PRCM source at reset)"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_gptimer = {
    .name = "omap2-gptimer",
    .description = "OMAP2 general-purpose timer (GPTIMER1..12)",
    .keys = gpt_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = gpt_create,
    .reset = gpt_reset,
    .save = gpt_save,
    .load = gpt_load,
    .destroy = gpt_destroy,
};
