/* OMAP1 MPU timers and, with `watchdog = yes`, the MPU watchdog: a down counter at clock /
 * 2^(PTV+1) with start, auto-reload and an edge interrupt at 0 (a period is LOAD_TIM + 1
 * ticks); the watchdog's TIMER_MODE enters watchdog mode (expiry resets the machine) and leaves
 * it by 0xF5, 0xA0. Registers and bits: hwdocs/omap310_palmte.md. Sources: OMAP5910 TRM
 * SPRU678; Linux 6.1 mach-omap1 time.c, hardware.h, clock_data.c, pm.c; QEMU omap1.c (facts). */
#include "core/device.h"
#include "core/irq.h"
#include "core/savestate.h"

#include <stdlib.h>

enum { CNTL_TIMER = 0x0, LOAD_TIM = 0x4, READ_TIM = 0x8, TIMER_MODE = 0x8 };
enum { WD_MODE = 1u << 15, WD_KEY1 = 0xf5, WD_KEY2 = 0xa0 };

/* Where CNTL_TIMER keeps each field. */
typedef struct layout {
    uint32_t st, ar, clock_enable, mask;
    unsigned ptv_shift;
    uint32_t count_mask;
} layout;

static const layout mpu_layout = {1u << 0, 1u << 1, 1u << 5, 0x7f, 2, 0xffffffffu};
static const layout wdt_layout = {1u << 7, 1u << 8, 0, 0xf82, 9, 0xffffu};

typedef struct mtimer {
    vt_device *dev;
    const layout *lay;
    bool is_wdt;
    uint64_t clk_hz;
    uint32_t cntl, load;
    bool running;
    uint32_t count;      /* the count when stopped, or at start_tick while running */
    uint64_t start_tick; /* tick (of the divided clock) at which `count` was loaded */
    bool wd_mode;        /* watchdog: expiry resets the machine */
    uint8_t last_mode_write;
    vt_event ev;
} mtimer;

static vt_clock tick_clock(const mtimer *t) {
    return (vt_clock){t->clk_hz >> (((t->cntl >> t->lay->ptv_shift) & 7) + 1)};
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

static bool auto_reload(const mtimer *t) {
    return (t->cntl & t->lay->ar) != 0;
}

static uint32_t current(const mtimer *t) {
    if (!t->running) return t->count;
    uint64_t el = now_tick(t) - t->start_tick;
    if (el < period(t->count)) return t->count - (uint32_t)el;
    /* only reachable between expiry and its event in the same instant */
    return auto_reload(t) ? t->load : 0;
}

static void arm_expiry(mtimer *t) {
    vt_clock c = tick_clock(t);
    vt_sched_arm(sched(t), &t->ev, vt_clock_to_time(&c, t->start_tick + period(t->count)));
}

static void expire(void *opaque, vt_time now, vt_time late) {
    mtimer *t = opaque;
    VT_UNUSED(now);
    VT_UNUSED(late);
    if (t->wd_mode) {
        t->running = false;
        vt_dev_request_reset(t->dev);
        return;
    }
    vt_irq_raise(&t->dev->irq[0]);
    vt_irq_lower(&t->dev->irq[0]);
    if (auto_reload(t)) {
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

static bool clock_on(const mtimer *t, uint32_t cntl) {
    return t->lay->clock_enable == 0 || (cntl & t->lay->clock_enable);
}

static void write_cntl(mtimer *t, uint32_t v) {
    bool was_st = t->cntl & t->lay->st;
    stop(t);
    t->cntl = v & t->lay->mask;
    if ((v & t->lay->st) && !was_st) t->count = t->load;
    if (t->wd_mode || ((v & t->lay->st) && clock_on(t, v))) start(t);
}

static void write_load(mtimer *t, uint32_t v) {
    t->load = v & t->lay->count_mask;
    if (t->wd_mode) { /* servicing the watchdog: count again from the new load */
        stop(t);
        t->count = t->load;
        start(t);
    }
}

static void write_mode(mtimer *t, uint32_t v) {
    uint8_t prev = t->last_mode_write;
    t->last_mode_write = (uint8_t)v;
    if (prev == WD_KEY1) {
        if ((v & 0xff) == WD_KEY2) {
            t->wd_mode = false;
            stop(t);
        } else {
            vt_dev_request_reset(t->dev); /* a wrong second key */
        }
        return;
    }
    if ((v & WD_MODE) && !t->wd_mode) {
        t->wd_mode = true;
        stop(t);
        t->count = t->load;
        start(t);
    }
}

static uint64_t mt_read(void *opaque, uint64_t off, unsigned size) {
    mtimer *t = opaque;
    if (size >= 2 && off == CNTL_TIMER) return t->cntl;
    if (size >= 2 && off == (t->is_wdt ? LOAD_TIM : READ_TIM)) return current(t);
    if (size >= 2 && t->is_wdt && off == TIMER_MODE) return t->wd_mode ? WD_MODE : 0;
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void mt_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    mtimer *t = opaque;
    if (size >= 2 && off == CNTL_TIMER)
        write_cntl(t, (uint32_t)v);
    else if (size >= 2 && off == LOAD_TIM)
        write_load(t, (uint32_t)v);
    else if (size >= 2 && t->is_wdt && off == TIMER_MODE)
        write_mode(t, (uint32_t)v);
    else
        vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops mt_ops = {mt_read, mt_write};

static int mt_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    bool wdt;
    if (vt_dev_u64(d, "clock", &hz, err) || vt_dev_bool(d, "watchdog", &wdt, err)) return -1;
    if (hz < 2 || hz > 1000000000) return vt_fail(err, "clock must be 2..1000000000 Hz");
    if (d->size < 0xc) return vt_fail(err, "size must cover 3 registers (0xc)");
    mtimer *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    d->priv = t;
    t->dev = d;
    t->clk_hz = hz;
    t->is_wdt = wdt;
    t->lay = wdt ? &wdt_layout : &mpu_layout;
    vt_event_init(&t->ev, "omap1-mpu-timer", expire, t);
    return vt_dev_map_mmio(d, &mt_ops, t, VT_LITTLE_ENDIAN, err);
}

/* The watchdog comes out of the hand-over in timer mode, stopped: the boot loader has turned
 * it off (Linux's Palm board code never services it). */
static void mt_reset(vt_device *d) {
    mtimer *t = d->priv;
    vt_sched_cancel(sched(t), &t->ev);
    t->cntl = t->count = t->last_mode_write = 0;
    t->load = t->is_wdt ? 0xffff : 0;
    t->running = t->wd_mode = false;
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
    vt_state_put_u8(w, t->wd_mode);
    vt_state_put_u8(w, t->last_mode_write);
    vt_state_end(w);
}

static int mt_load(vt_device *d, vt_state_reader *r) {
    mtimer *t = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O1MT", 1, &ver)) return -1;
    t->cntl = vt_state_get_u32(r) & t->lay->mask;
    t->load = vt_state_get_u32(r) & t->lay->count_mask;
    t->count = vt_state_get_u32(r) & t->lay->count_mask;
    t->running = vt_state_get_u8(r) != 0;
    t->start_tick = vt_state_get_u64(r);
    t->wd_mode = vt_state_get_u8(r) != 0 && t->is_wdt;
    t->last_mode_write = vt_state_get_u8(r);
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
    .description = "OMAP1 MPU timer or MPU watchdog: down counter with prescaler, auto-reload",
    .keys =
        (const vt_dev_key[]){
            {"clock", VT_KEY_U64, "12000000",
             "input clock in Hz (timers: ck_ref 12 MHz with ARM_TIMXO = 0; watchdog: "
             "armwdt_ck = 12 MHz / 14)"},
            {"watchdog", VT_KEY_BOOL, "no", "the MPU watchdog's register layout and mode"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = mt_create,
    .reset = mt_reset,
    .save = mt_save,
    .load = mt_load,
    .destroy = mt_destroy,
};
