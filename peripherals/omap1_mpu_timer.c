/* OMAP1 MPU timer (three per chip, 0x100 apart): a 32-bit down counter clocked by its input
 * clock divided by 2^(PTV+1). CNTL_TIMER: ST (start; 0->1 loads LOAD_TIM), AR (auto-reload),
 * PTV (bits 4:2), CLOCK_ENABLE, FREE (emulation halt: no effect here); LOAD_TIM (write);
 * READ_TIM (the current count). Reaching 0 pulses the interrupt output (the interrupt handler
 * takes it as an edge), then the counter reloads (AR) or stops at 0. A period is LOAD_TIM + 1
 * ticks, as Linux assumes (load = rate / HZ - 1). Sources: OMAP5910 TRM SPRU678 (MPU timers);
 * Linux 6.1 arch/arm/mach-omap1/time.c, hardware.h (bits). */
#include "core/device.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    CNTL_TIMER = 0x0,
    LOAD_TIM = 0x4,
    READ_TIM = 0x8,
    ST = 1u << 0,
    AR = 1u << 1,
    PTV_SHIFT = 2,
    CLOCK_ENABLE = 1u << 5,
    CNTL_MASK = 0x7f,
};

typedef struct mtimer {
    vt_device *dev;
    uint64_t clk_hz;
    uint32_t cntl, load;
    bool running;
    uint32_t count;      /* the count when stopped, or at start_tick while running */
    uint64_t start_tick; /* tick (of the divided clock) at which `count` was loaded */
    vt_event ev;
} mtimer;

static vt_clock tick_clock(const mtimer *t) {
    return (vt_clock){t->clk_hz >> (((t->cntl >> PTV_SHIFT) & 7) + 1)};
}

static vt_sched *sched(const mtimer *t) {
    return vt_dev_sched(t->dev);
}

static uint64_t now_tick(const mtimer *t) {
    vt_clock c = tick_clock(t);
    return vt_clock_to_cycles(&c, vt_sched_now(sched(t)));
}

/* Ticks from a load of `from` until the count reaches 0 and the next tick expires it. */
static uint64_t period(uint32_t from) {
    return (uint64_t)from + 1;
}

static uint32_t current(const mtimer *t) {
    if (!t->running) return t->count;
    uint64_t el = now_tick(t) - t->start_tick;
    if (el < period(t->count)) return t->count - (uint32_t)el;
    /* only reachable between expiry and its event in the same instant */
    return t->cntl & AR ? t->load : 0;
}

static void arm_expiry(mtimer *t) {
    vt_clock c = tick_clock(t);
    vt_sched_arm(sched(t), &t->ev, vt_clock_to_time(&c, t->start_tick + period(t->count)));
}

static void expire(void *opaque, vt_time now, vt_time late) {
    mtimer *t = opaque;
    VT_UNUSED(now);
    VT_UNUSED(late);
    vt_irq_raise(&t->dev->irq[0]);
    vt_irq_lower(&t->dev->irq[0]);
    if (t->cntl & AR) {
        t->start_tick += period(t->count);
        t->count = t->load;
        arm_expiry(t);
    } else {
        t->running = false;
        t->count = 0;
    }
}

static void stop(mtimer *t) {
    t->count = current(t);
    t->running = false;
    vt_sched_cancel(sched(t), &t->ev);
}

static void start(mtimer *t) {
    t->running = true;
    t->start_tick = now_tick(t);
    arm_expiry(t);
}

static void write_cntl(mtimer *t, uint32_t v) {
    bool was_st = t->cntl & ST;
    stop(t);
    t->cntl = v & CNTL_MASK;
    if ((v & ST) && !was_st) t->count = t->load;
    if ((v & ST) && (v & CLOCK_ENABLE)) start(t);
}

static uint64_t mt_read(void *opaque, uint64_t off, unsigned size) {
    mtimer *t = opaque;
    if (size == 4 && off == CNTL_TIMER) return t->cntl;
    if (size == 4 && off == READ_TIM) return current(t);
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void mt_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    mtimer *t = opaque;
    if (size == 4 && off == CNTL_TIMER)
        write_cntl(t, (uint32_t)v);
    else if (size == 4 && off == LOAD_TIM)
        t->load = (uint32_t)v;
    else
        vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops mt_ops = {mt_read, mt_write};

static int mt_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    if (vt_dev_u64(d, "clock", &hz, err)) return -1;
    if (hz < 2 || hz > 1000000000) return vt_fail(err, "clock must be 2..1000000000 Hz");
    if (d->size < 0xc) return vt_fail(err, "size must cover 3 registers (0xc)");
    mtimer *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    d->priv = t;
    t->dev = d;
    t->clk_hz = hz;
    vt_event_init(&t->ev, "omap1-mpu-timer", expire, t);
    return vt_dev_map_mmio(d, &mt_ops, t, VT_LITTLE_ENDIAN, err);
}

static void mt_reset(vt_device *d) {
    mtimer *t = d->priv;
    vt_sched_cancel(sched(t), &t->ev);
    t->cntl = t->load = t->count = 0;
    t->running = false;
    t->start_tick = 0;
}

static void mt_save(const vt_device *d, vt_state_writer *w) {
    const mtimer *t = d->priv;
    vt_state_begin(w, "O1MT", 1);
    vt_state_put_u32(w, t->cntl);
    vt_state_put_u32(w, t->load);
    vt_state_put_u32(w, t->count);
    vt_state_put_u8(w, t->running);
    vt_state_put_u64(w, t->start_tick);
    vt_state_end(w);
}

static int mt_load(vt_device *d, vt_state_reader *r) {
    mtimer *t = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1MT", 1, &ver)) return -1;
    t->cntl = vt_state_get_u32(r) & CNTL_MASK;
    t->load = vt_state_get_u32(r);
    t->count = vt_state_get_u32(r);
    t->running = vt_state_get_u8(r) != 0;
    t->start_tick = vt_state_get_u64(r);
    vt_sched_cancel(sched(t), &t->ev);
    if (vt_state_ok(r) && t->running) arm_expiry(t);
    return vt_state_close(r);
}

static void mt_destroy(vt_device *d) {
    mtimer *t = d->priv;
    if (t) vt_sched_cancel(sched(t), &t->ev);
    free(t);
}

const vt_device_class vt_dev_omap1_mpu_timer = {
    .name = "omap1-mpu-timer",
    .description = "OMAP1 MPU timer: 32-bit down counter with prescaler and auto-reload",
    .keys = (const vt_dev_key[]){{"clock", VT_KEY_U64, "12000000",
                                  "input clock in Hz (ck_ref, 12 MHz, with ARM_TIMXO = 0)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = mt_create,
    .reset = mt_reset,
    .save = mt_save,
    .load = mt_load,
    .destroy = mt_destroy,
};
