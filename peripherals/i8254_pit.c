/* Intel 8254 programmable interval timer ("i8254"): three 16-bit down counters on one clock
 * (key `clock`, PC: 1193182 Hz), modes 0-5, binary or BCD counting, LSB/MSB/LSB-then-MSB
 * access, counter latch and read-back (count and status), GATE inputs (interrupt inputs 0-2;
 * ungated channels have GATE high) and OUT outputs (irq = OUT0, irq1 = OUT1, irq2 = OUT2).
 * A counter is kept as "clocks counted since it was loaded" on the device's own clock domain,
 * so every OUT edge lands on the exact picosecond of its clock cycle and periods never drift.
 * Window: offsets 0-2 counters, 3 control word (PC ports 0x40-0x43). Approximations: the load
 * happens on the clock edge at or after the write (the datasheet's extra load clock is not
 * counted); mode 3 with an odd count reads back the even-count sequence. Sources: Intel 8254
 * datasheet (order 231164); IBM PC AT Technical Reference (clock, channel use). */
#include "peripherals/i8254_pit.h"

#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    CW_BCD = 0x01,
    CW_MODE_SHIFT = 1,
    CW_RW_SHIFT = 4, /* 0 latch, 1 LSB, 2 MSB, 3 LSB then MSB */
    CW_SC_SHIFT = 6, /* 3 = read-back */
    RB_NOT_STATUS = 0x10,
    RB_NOT_COUNT = 0x20,
    STATUS_NULL = 0x40,
    STATUS_OUT = 0x80,
    RW_LSB = 1,
    RW_MSB = 2,
    RW_WORD = 3,
};

typedef struct pit pit;

typedef struct pit_chan {
    pit *owner;
    int index;
    uint8_t mode, rw;
    bool bcd;
    uint32_t count;    /* initial count in clocks: 1..65536 (binary) or 1..10000 (BCD) */
    uint8_t write_lsb; /* first byte of a word being written */
    bool write_msb_next, read_msb_next;
    bool latched, latch_msb_next;
    uint16_t latch;
    bool status_latched;
    uint8_t status;
    bool null_count; /* a count was written but not loaded yet */
    bool gate;
    bool counting; /* the counter has been loaded (and, modes 1/5, triggered) */
    bool paused;   /* modes 0/4 with GATE low: counting suspended at paused_d */
    uint64_t load; /* clock cycle at which d = 0 */
    uint64_t paused_d;
    bool pending; /* modes 2/3: a new count takes effect at reload_at */
    uint32_t next_count;
    uint64_t reload_at;
    bool out;
    vt_event ev;
    uint64_t ev_cycle;
} pit_chan;

struct pit {
    vt_device *dev;
    vt_clock clock;
    pit_chan ch[3];
};

static uint64_t now_cycle(const pit *p) {
    return vt_clock_to_cycles(&p->clock, vt_sched_now(vt_dev_sched(p->dev)));
}

static uint32_t modulus(const pit_chan *c) {
    return c->bcd ? 10000 : 65536;
}

/* A new count in modes 2/3 takes over at the end of the current period. */
static void apply_pending(pit_chan *c, uint64_t cyc) {
    if (c->pending && cyc >= c->reload_at) {
        c->load = c->reload_at;
        c->count = c->next_count;
        c->pending = false;
    }
}

/* Clocks counted since the load at cycle cyc. */
static uint64_t elapsed(const pit_chan *c, uint64_t cyc) {
    if (c->paused) return c->paused_d;
    return cyc >= c->load ? cyc - c->load : 0;
}

static bool periodic(const pit_chan *c) {
    return c->mode == 2 || c->mode == 3;
}

/* OUT after d clocks of counting (datasheet "mode definitions"). */
static bool out_at(const pit_chan *c, uint64_t d) {
    uint64_t n = c->count;
    switch (c->mode) {
    case 0:
        return d >= n;
    case 1:
        return d >= n;
    case 2:
        return n < 2 || d % n != n - 1; /* low for the clock in which the count is 1 */
    case 3:
        return n < 2 || d % n < (n + 1) / 2;
    default:
        return d != n; /* 4, 5: one low clock at terminal count */
    }
}

/* The next d > d0 at which OUT may change, or UINT64_MAX. */
static uint64_t next_change(const pit_chan *c, uint64_t d0) {
    uint64_t n = c->count;
    if (!c->counting || c->paused || (periodic(c) && (n < 2 || !c->gate))) return UINT64_MAX;
    uint64_t p = d0 % n;
    switch (c->mode) {
    case 0:
    case 1:
        return d0 < n ? n : UINT64_MAX;
    case 2:
        return p < n - 1 ? d0 + (n - 1 - p) : d0 + 1;
    case 3: {
        uint64_t h = (n + 1) / 2;
        return p < h ? d0 + (h - p) : d0 + (n - p);
    }
    default:
        return d0 < n ? n : d0 == n ? n + 1 : UINT64_MAX;
    }
}

static void set_out(pit_chan *c, bool out) {
    if (out == c->out) return;
    c->out = out;
    vt_irq_set(&c->owner->dev->irq[c->index], out);
}

/* OUT at cycle cyc, derived from the counter (c->out holds the level the control word or a
 * mode-0 count byte set while the counter is not counting). */
static bool out_now(const pit_chan *c, uint64_t cyc) {
    pit_chan t = *c;
    apply_pending(&t, cyc);
    if (periodic(&t) && !t.gate) return true;
    return t.counting ? out_at(&t, elapsed(&t, cyc)) : t.out;
}

/* Brings OUT up to date at cycle cyc and, when OUT is wired, arms the event for its next
 * change (an unwired OUT is only computed when read: no events for it). */
static void schedule(pit_chan *c, uint64_t cyc) {
    vt_sched *s = vt_dev_sched(c->owner->dev);
    set_out(c, out_now(c, cyc));
    apply_pending(c, cyc);
    if (!vt_irq_connected(&c->owner->dev->irq[c->index])) {
        vt_sched_cancel(s, &c->ev);
        return;
    }
    uint64_t d = elapsed(c, cyc);
    uint64_t next = next_change(c, d);
    uint64_t at = next == UINT64_MAX ? UINT64_MAX : c->load + next;
    if (c->pending && c->reload_at < at) at = c->reload_at;
    if (at == UINT64_MAX) {
        vt_sched_cancel(s, &c->ev);
        return;
    }
    c->ev_cycle = at;
    vt_sched_arm(s, &c->ev, vt_clock_to_time(&c->owner->clock, at));
}

static void expire(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    pit_chan *c = opaque;
    schedule(c, c->ev_cycle); /* the event's own cycle: exact even when it fires late */
}

/* Current counting-element value (binary). */
static uint32_t value(const pit_chan *c, uint64_t cyc) {
    uint64_t n = c->count, m = modulus(c);
    if (!c->counting) return (uint32_t)(n % m);
    uint64_t d = elapsed(c, cyc);
    switch (c->mode) {
    case 2:
        return (uint32_t)((n - d % n) % m);
    case 3: {
        uint64_t h = (n + 1) / 2, p = d % n;
        uint64_t q = p < h ? p : p - h;
        return (uint32_t)(((n & ~1ull) - 2 * q) % m);
    }
    default:
        return (uint32_t)((n + m - d % m) % m);
    }
}

static uint16_t to_bcd(uint32_t v) {
    return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

static uint32_t from_bcd(uint16_t v) {
    return (v >> 12 & 15) * 1000u + (v >> 8 & 15) * 100u + (v >> 4 & 15) * 10u + (v & 15);
}

static void start(pit_chan *c, uint64_t cyc) {
    c->counting = true;
    c->paused = false;
    c->null_count = false;
    c->pending = false;
    c->load = cyc;
    if ((c->mode == 0 || c->mode == 4) && !c->gate) {
        c->paused = true;
        c->paused_d = 0;
    }
}

/* The full count has been written. */
static void count_written(pit_chan *c, uint16_t raw) {
    uint64_t cyc = now_cycle(c->owner);
    apply_pending(c, cyc);
    uint32_t n = c->bcd ? from_bcd(raw) : raw;
    if (n == 0) n = modulus(c);
    c->null_count = true;
    switch (c->mode) {
    case 0:
    case 4:
        c->count = n;
        start(c, cyc);
        break;
    case 1:
    case 5: /* the count register is loaded by the next GATE trigger */
        c->next_count = n;
        if (!c->counting) c->count = n;
        break;
    default: /* 2, 3: the current period finishes first */
        if (c->counting && c->gate) {
            uint64_t d = elapsed(c, cyc);
            c->pending = true;
            c->next_count = n;
            c->reload_at = c->load + (d / c->count + 1) * c->count;
        } else {
            c->count = n;
            start(c, cyc);
        }
        break;
    }
    schedule(c, cyc);
}

static void write_counter(pit_chan *c, uint8_t v) {
    switch (c->rw) {
    case RW_LSB:
        count_written(c, v);
        break;
    case RW_MSB:
        count_written(c, (uint16_t)(v << 8));
        break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = v;
            c->write_msb_next = true;
            if (c->mode == 0) { /* the first byte stops the count (datasheet mode 0) */
                uint64_t cyc = now_cycle(c->owner);
                c->counting = false;
                schedule(c, cyc);
                set_out(c, false);
            }
        } else {
            c->write_msb_next = false;
            count_written(c, (uint16_t)(c->write_lsb | v << 8));
        }
        break;
    }
}

static uint16_t visible(const pit_chan *c, uint32_t v) {
    return c->bcd ? to_bcd(v % 10000) : (uint16_t)v;
}

static uint8_t read_counter(pit_chan *c) {
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    bool *msb_next;
    if (c->latched) {
        v = c->latch;
        msb_next = &c->latch_msb_next;
    } else {
        v = visible(c, value(c, now_cycle(c->owner)));
        msb_next = &c->read_msb_next;
    }
    uint8_t b;
    switch (c->rw) {
    case RW_LSB:
        b = (uint8_t)v;
        c->latched = false;
        break;
    case RW_MSB:
        b = (uint8_t)(v >> 8);
        c->latched = false;
        break;
    default:
        b = *msb_next ? (uint8_t)(v >> 8) : (uint8_t)v;
        if (*msb_next) c->latched = false;
        *msb_next = !*msb_next;
        break;
    }
    return b;
}

static void latch_count(pit_chan *c) {
    if (c->latched) return; /* a second latch before the read is ignored */
    c->latched = true;
    c->latch_msb_next = false;
    c->latch = visible(c, value(c, now_cycle(c->owner)));
}

static void latch_status(pit_chan *c) {
    if (c->status_latched) return;
    c->status_latched = true;
    c->status = (uint8_t)((out_now(c, now_cycle(c->owner)) ? STATUS_OUT : 0) |
                          (c->null_count ? STATUS_NULL : 0) | c->rw << CW_RW_SHIFT |
                          c->mode << CW_MODE_SHIFT | (c->bcd ? CW_BCD : 0));
}

static void write_control(pit *p, uint8_t v) {
    unsigned sc = v >> CW_SC_SHIFT, rw = (v >> CW_RW_SHIFT) & 3;
    if (sc == 3) { /* read-back: bits 3-1 select counters, bits 5/4 active low */
        for (int i = 0; i < 3; i++) {
            if (!(v & (2u << i))) continue;
            if (!(v & RB_NOT_COUNT)) latch_count(&p->ch[i]);
            if (!(v & RB_NOT_STATUS)) latch_status(&p->ch[i]);
        }
        return;
    }
    pit_chan *c = &p->ch[sc];
    if (rw == 0) {
        latch_count(c);
        return;
    }
    uint64_t cyc = now_cycle(p);
    c->rw = (uint8_t)rw;
    c->mode = (uint8_t)((v >> CW_MODE_SHIFT) & 7);
    if (c->mode > 5) c->mode -= 4; /* 6, 7 are modes 2, 3 */
    c->bcd = v & CW_BCD;
    c->write_msb_next = c->read_msb_next = false;
    c->latched = c->status_latched = false;
    c->counting = c->paused = c->pending = false;
    c->next_count = 0;
    c->null_count = true;
    c->out = c->mode != 0; /* mode 0 starts low, every other mode high */
    vt_irq_set(&p->dev->irq[c->index], c->out);
    schedule(c, cyc);
}

static uint64_t pit_read(void *opaque, uint64_t off, unsigned size) {
    pit *p = opaque;
    if (size == 1 && off < 3) return read_counter(&p->ch[off]);
    vt_dev_log_unknown(p->dev, "read", off, size, 0); /* the control port is write-only */
    return 0xFF;
}

static void pit_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    pit *p = opaque;
    if (size != 1 || off > 3) {
        vt_dev_log_unknown(p->dev, "write", off, size, v);
        return;
    }
    if (off == 3)
        write_control(p, (uint8_t)v);
    else
        write_counter(&p->ch[off], (uint8_t)v);
}

static const vt_mmio_ops pit_ops = {pit_read, pit_write};

static void gate_set(void *opaque, int n, bool level) {
    pit *p = opaque;
    pit_chan *c = &p->ch[n];
    if (level == c->gate) return;
    uint64_t cyc = now_cycle(p);
    apply_pending(c, cyc);
    c->gate = level;
    switch (c->mode) {
    case 0:
    case 4: /* GATE low suspends counting */
        if (!c->counting) break;
        if (!level) {
            c->paused_d = elapsed(c, cyc);
            c->paused = true;
        } else {
            c->paused = false;
            c->load = cyc - c->paused_d;
        }
        break;
    case 1:
    case 5: /* a rising edge (re)triggers with the last written count */
        if (level && c->next_count) {
            c->count = c->next_count;
            start(c, cyc);
        }
        break;
    default: /* 2, 3: low stops and forces OUT high; the rising edge reloads */
        if (level && c->counting) start(c, cyc);
        break;
    }
    schedule(c, cyc);
}

bool vt_i8254_out(vt_device *d, int ch) {
    pit *p = d->priv;
    return ch >= 0 && ch < 3 && out_now(&p->ch[ch], now_cycle(p));
}

static int pit_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 2) return vt_fail(err, "%s: GATE inputs are 0..2, not %d", d->name, n);
    *out = (vt_irq){gate_set, d->priv, n};
    return 0;
}

static int pit_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    if (vt_dev_u64(d, "clock", &hz, err)) return -1;
    if (!hz || hz > 100000000) return vt_fail(err, "clock must be 1..100000000 Hz");
    pit *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    p->clock.hz = hz;
    static const char *const names[3] = {"i8254-out0", "i8254-out1", "i8254-out2"};
    for (int i = 0; i < 3; i++) {
        p->ch[i].owner = p;
        p->ch[i].index = i;
        p->ch[i].gate = true; /* until a wired source drives it (PC: OUT2's gate, port 0x61) */
        vt_event_init(&p->ch[i].ev, names[i], expire, &p->ch[i]);
    }
    return vt_dev_map_mmio(d, &pit_ops, p, VT_LITTLE_ENDIAN, err);
}

static void pit_reset(vt_device *d) {
    pit *p = d->priv;
    for (int i = 0; i < 3; i++) {
        pit_chan *c = &p->ch[i];
        vt_sched_cancel(vt_dev_sched(d), &c->ev);
        bool gate = c->gate; /* an input: whoever drives it keeps its level */
        vt_event ev = c->ev;
        *c = (pit_chan){.owner = p,
                        .index = i,
                        .ev = ev,
                        .gate = gate,
                        .rw = RW_WORD,
                        .count = 65536,
                        .out = true};
        vt_irq_set(&d->irq[i], true);
    }
}

static void pit_save(const vt_device *d, vt_state_writer *w) {
    const pit *p = d->priv;
    vt_state_begin(w, "8254", 1);
    uint64_t cyc = now_cycle(p);
    for (int i = 0; i < 3; i++) {
        pit_chan t = p->ch[i]; /* saved as it stands now: a due count change applied */
        apply_pending(&t, cyc);
        t.out = out_now(&t, cyc);
        const pit_chan *c = &t;
        const uint8_t b[] = {c->mode,
                             c->rw,
                             c->bcd,
                             c->write_lsb,
                             c->write_msb_next,
                             c->read_msb_next,
                             c->latched,
                             c->latch_msb_next,
                             c->status_latched,
                             c->status,
                             c->null_count,
                             c->gate,
                             c->counting,
                             c->paused,
                             c->pending,
                             c->out};
        vt_state_put_bytes(w, b, sizeof b);
        vt_state_put_u32(w, c->count);
        vt_state_put_u32(w, c->next_count);
        vt_state_put_u16(w, c->latch);
        vt_state_put_u64(w, c->load);
        vt_state_put_u64(w, c->paused_d);
        vt_state_put_u64(w, c->reload_at);
    }
    vt_state_end(w);
}

static int pit_load(vt_device *d, vt_state_reader *r) {
    pit *p = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "8254", 1, &ver)) return -1;
    for (int i = 0; i < 3; i++) {
        pit_chan *c = &p->ch[i];
        uint8_t b[16];
        vt_state_get_bytes(r, b, sizeof b);
        c->mode = b[0] <= 5 ? b[0] : 0;
        c->rw = b[1] & 3 ? b[1] & 3 : RW_WORD;
        c->bcd = b[2], c->write_lsb = b[3], c->write_msb_next = b[4], c->read_msb_next = b[5];
        c->latched = b[6], c->latch_msb_next = b[7], c->status_latched = b[8], c->status = b[9];
        c->null_count = b[10], c->gate = b[11], c->counting = b[12], c->paused = b[13];
        c->pending = b[14], c->out = b[15];
        c->count = vt_state_get_u32(r);
        c->next_count = vt_state_get_u32(r);
        c->latch = vt_state_get_u16(r);
        c->load = vt_state_get_u64(r);
        c->paused_d = vt_state_get_u64(r);
        c->reload_at = vt_state_get_u64(r);
        if (c->count < 1 || c->count > 65536 || c->next_count > 65536) {
            vt_state_fail(r, "i8254: bad count %u", c->count);
            c->count = 65536;
            c->next_count = 0;
        }
        if (vt_state_ok(r)) schedule(c, now_cycle(p));
    }
    return vt_state_close(r);
}

static void pit_destroy(vt_device *d) {
    pit *p = d->priv;
    if (p)
        for (int i = 0; i < 3; i++)
            vt_sched_cancel(vt_dev_sched(d), &p->ch[i].ev);
    free(p);
}

const vt_device_class vt_dev_i8254 = {
    .name = "i8254",
    .description = "Intel 8254 programmable interval timer (3 channels, modes 0-5)",
    .keys = (const vt_dev_key[]){{"clock", VT_KEY_U64, "1193182",
                                  "counter clock in Hz (PC: 14.31818 MHz / 12)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 3,
    .create = pit_create,
    .reset = pit_reset,
    .save = pit_save,
    .load = pit_load,
    .destroy = pit_destroy,
    .irq_input = pit_irq_input,
};
