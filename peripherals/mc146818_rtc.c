/* Motorola MC146818A real-time clock with 128 bytes of CMOS RAM ("mc146818") as in the PC:
 * window offset 0 = index (bit 7: NMI disable, PC port 0x70), offset 1 = data (port 0x71).
 * Time/calendar registers 0-9 in BCD or binary and 12/24 h (register B), the once-a-second
 * update with UIP, update-ended, alarm (0xC0-0xFF = "don't care") and periodic interrupts
 * (rate select on the 32.768 kHz time base), register C flags cleared by reading, divider
 * reset/SET. The clock starts from key `rtc` (a fixed date, or `host` explicitly; rtc_start.c). The
 * CMOS bytes SeaBIOS reads (memory sizes, boot order, CPU count, century) come from keys. Outputs:
 * irq = IRQ (PC IRQ8), irq1 = NMI-disable level from the index port. Not modelled: other
 * time bases than 32.768 kHz (logged), daylight saving (DSE, logged), square-wave pin.
 * Sources: Motorola MC146818A datasheet; SeaBIOS src/hw/rtc.h and QEMU hw/i386/pc.c for the
 * CMOS layout (facts in hwdocs/pc.md). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"
#include "peripherals/rtc_start.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum {
    REG_SEC = 0x00,
    REG_SEC_ALARM = 0x01,
    REG_MIN = 0x02,
    REG_MIN_ALARM = 0x03,
    REG_HOUR = 0x04,
    REG_HOUR_ALARM = 0x05,
    REG_DOW = 0x06,
    REG_DATE = 0x07,
    REG_MONTH = 0x08,
    REG_YEAR = 0x09,
    REG_A = 0x0A,
    REG_B = 0x0B,
    REG_C = 0x0C,
    REG_D = 0x0D,
    A_UIP = 0x80,
    A_DV_SHIFT = 4,
    A_DV_32K = 2,     /* DV2-0 = 010: 32.768 kHz time base, running */
    A_RS_MASK = 0x0F, /* rate select */
    B_SET = 0x80,
    B_PIE = 0x40,
    B_AIE = 0x20,
    B_UIE = 0x10,
    B_SQWE = 0x08,
    B_DM_BINARY = 0x04,
    B_24H = 0x02,
    B_DSE = 0x01,
    C_IRQF = 0x80,
    C_PF = 0x40,
    C_AF = 0x20,
    C_UF = 0x10,
    D_VRT = 0x80,
    HOUR_PM = 0x80,
    ALARM_ANY = 0xC0,
    INDEX_NMI_DISABLE = 0x80,
    /* CMOS layout (hwdocs/pc.md "CMOS") */
    CMOS_FLOPPY_TYPES = 0x10,
    CMOS_BASE_MEM = 0x15,
    CMOS_EXT_MEM = 0x17,
    CMOS_CENTURY = 0x32,
    CMOS_EXT_MEM_COPY = 0x30,
    CMOS_MEM_ABOVE_16M = 0x34,
    CMOS_BOOT_FLAG1 = 0x38,
    CMOS_BOOT_FLAG2 = 0x3D,
    CMOS_MEM_ABOVE_4G = 0x5B,
    CMOS_CPU_COUNT = 0x5F,
};

#define SECOND VT_PS_PER_SEC
#define UIP_BEFORE_UPDATE (244 * 1000000ull)      /* tBUC = 244 us (datasheet) */
#define DIVIDER_RELEASE_DELAY (VT_PS_PER_SEC / 2) /* first update 500 ms after DV reset */

typedef struct rtc {
    vt_device *dev;
    uint8_t ram[128]; /* registers 0-0x0D and the CMOS bytes */
    uint8_t index;
    bool nmi_disabled;
    vt_clock osc;       /* 32.768 kHz time base */
    vt_time upd_origin; /* updates happen at upd_origin + k seconds */
    vt_time div_origin; /* divider chain start: periodic boundaries count from here */
    vt_time pf_from;    /* PF: a periodic boundary after this time */
    uint8_t flags;      /* AF, UF (PF is derived) */
    bool irq_level;
    vt_event update_ev, periodic_ev;
} rtc;

static vt_time now(const rtc *r) {
    return vt_sched_now(vt_dev_sched(r->dev));
}

static bool running(const rtc *r) {
    return ((r->ram[REG_A] >> A_DV_SHIFT) & 7) == A_DV_32K;
}

/* Periodic interrupt period in 32.768 kHz ticks (datasheet table 5); 0 = off. */
static uint64_t period_ticks(const rtc *r) {
    unsigned rs = r->ram[REG_A] & A_RS_MASK;
    if (!rs) return 0;
    return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}

/* Index of the last periodic boundary at or before t. */
static uint64_t boundary(const rtc *r, vt_time t, uint64_t p) {
    if (t < r->div_origin) return 0;
    return vt_clock_to_cycles(&r->osc, t - r->div_origin) / p;
}

static uint8_t reg_c(const rtc *r, vt_time t) {
    uint8_t c = r->flags;
    uint64_t p = period_ticks(r);
    if (p && running(r) && boundary(r, t, p) > boundary(r, r->pf_from, p)) c |= C_PF;
    uint8_t en = r->ram[REG_B] & (B_PIE | B_AIE | B_UIE);
    if (c & en) c |= C_IRQF; /* PIE/AIE/UIE sit at the bit positions of PF/AF/UF */
    return c;
}

static void update_irq(rtc *r) {
    bool level = reg_c(r, now(r)) & C_IRQF;
    if (level != r->irq_level) {
        r->irq_level = level;
        vt_irq_set(&r->dev->irq[0], level);
    }
}

static void arm_periodic(rtc *r) {
    vt_sched *s = vt_dev_sched(r->dev);
    uint64_t p = period_ticks(r);
    if (!p || !running(r) || !(r->ram[REG_B] & B_PIE)) {
        vt_sched_cancel(s, &r->periodic_ev);
        return;
    }
    vt_time t = now(r);
    uint64_t next = t < r->div_origin ? 1 : boundary(r, t, p) + 1;
    vt_sched_arm(s, &r->periodic_ev, r->div_origin + vt_clock_to_time(&r->osc, next * p));
}

static vt_time next_update(const rtc *r, vt_time t) {
    if (t < r->upd_origin) return r->upd_origin;
    return r->upd_origin + ((t - r->upd_origin) / SECOND + 1) * SECOND;
}

static void arm_update(rtc *r) {
    vt_sched *s = vt_dev_sched(r->dev);
    if (running(r))
        vt_sched_arm(s, &r->update_ev, next_update(r, now(r)));
    else
        vt_sched_cancel(s, &r->update_ev);
}

/* --- calendar in the register format of register B ------------------------------------- */

static bool binary(const rtc *r) {
    return r->ram[REG_B] & B_DM_BINARY;
}
static unsigned dec(const rtc *r, uint8_t v) {
    return binary(r) ? v : (v >> 4) * 10u + (v & 15);
}
static uint8_t enc(const rtc *r, unsigned v) {
    return (uint8_t)(binary(r) ? v : (v / 10) << 4 | v % 10);
}

static unsigned get_hour(const rtc *r) {
    uint8_t v = r->ram[REG_HOUR];
    if (r->ram[REG_B] & B_24H) return dec(r, v);
    unsigned h = dec(r, v & 0x7F) % 12;
    return (v & HOUR_PM) ? h + 12 : h;
}

static void set_hour(rtc *r, unsigned h) {
    if (r->ram[REG_B] & B_24H) {
        r->ram[REG_HOUR] = enc(r, h);
        return;
    }
    unsigned h12 = h % 12 ? h % 12 : 12;
    r->ram[REG_HOUR] = (uint8_t)(enc(r, h12) | (h >= 12 ? HOUR_PM : 0));
}

static unsigned days_in_month(unsigned month, unsigned year2) {
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year2 % 4 == 0) return 29; /* the chip's leap-year rule */
    return month >= 1 && month <= 12 ? days[month - 1] : 31;
}

/* One second of the update cycle, with carries through the calendar. */
static void tick_second(rtc *r) {
    unsigned s = dec(r, r->ram[REG_SEC]) + 1;
    if (s < 60) {
        r->ram[REG_SEC] = enc(r, s);
        return;
    }
    r->ram[REG_SEC] = enc(r, 0);
    unsigned m = dec(r, r->ram[REG_MIN]) + 1;
    if (m < 60) {
        r->ram[REG_MIN] = enc(r, m);
        return;
    }
    r->ram[REG_MIN] = enc(r, 0);
    unsigned h = get_hour(r) + 1;
    if (h < 24) {
        set_hour(r, h);
        return;
    }
    set_hour(r, 0);
    unsigned dow = dec(r, r->ram[REG_DOW]);
    r->ram[REG_DOW] = enc(r, dow >= 7 ? 1 : dow + 1);
    unsigned year = dec(r, r->ram[REG_YEAR]), month = dec(r, r->ram[REG_MONTH]);
    unsigned date = dec(r, r->ram[REG_DATE]) + 1;
    if (date <= days_in_month(month, year)) {
        r->ram[REG_DATE] = enc(r, date);
        return;
    }
    r->ram[REG_DATE] = enc(r, 1);
    if (month < 12) {
        r->ram[REG_MONTH] = enc(r, month + 1);
        return;
    }
    r->ram[REG_MONTH] = enc(r, 1);
    r->ram[REG_YEAR] = enc(r, (year + 1) % 100);
}

static bool alarm_match(const rtc *r, int reg, int alarm) {
    uint8_t a = r->ram[alarm];
    return (a & ALARM_ANY) == ALARM_ANY || a == r->ram[reg];
}

static void do_update(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(late);
    VT_UNUSED(t);
    rtc *r = opaque;
    if (!(r->ram[REG_B] & B_SET)) { /* SET inhibits the update cycle */
        tick_second(r);
        r->flags |= C_UF;
        if (alarm_match(r, REG_SEC, REG_SEC_ALARM) && alarm_match(r, REG_MIN, REG_MIN_ALARM) &&
            alarm_match(r, REG_HOUR, REG_HOUR_ALARM))
            r->flags |= C_AF;
        update_irq(r);
    }
    vt_sched_arm(vt_dev_sched(r->dev), &r->update_ev, r->update_ev.when + SECOND);
}

static void do_periodic(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    rtc *r = opaque;
    update_irq(r);
    arm_periodic(r);
}

/* --- registers ------------------------------------------------------------------------ */

static uint8_t read_data(rtc *r) {
    vt_time t = now(r);
    switch (r->index) {
    case REG_A: {
        bool uip =
            running(r) && !(r->ram[REG_B] & B_SET) && next_update(r, t) - t <= UIP_BEFORE_UPDATE;
        return (uint8_t)((r->ram[REG_A] & ~A_UIP) | (uip ? A_UIP : 0));
    }
    case REG_C: {
        uint8_t c = reg_c(r, t);
        r->flags = 0;
        r->pf_from = t;
        update_irq(r);
        return c;
    }
    case REG_D:
        return D_VRT;
    default:
        return r->ram[r->index];
    }
}

static void write_a(rtc *r, uint8_t v) {
    bool was = running(r);
    unsigned old_rs = r->ram[REG_A] & A_RS_MASK;
    r->ram[REG_A] = v & ~A_UIP;
    unsigned dv = (v >> A_DV_SHIFT) & 7;
    if (dv != A_DV_32K && dv < 6)
        vt_log(VT_LOG_UNIMP, "unimplemented: %s time base DV=%u (only 32.768 kHz)", r->dev->name,
               dv);
    vt_time t = now(r);
    if (!was && running(r)) { /* divider released: first update half a second later */
        r->div_origin = t;
        r->upd_origin = t + DIVIDER_RELEASE_DELAY;
        r->pf_from = t;
    }
    if ((v & A_RS_MASK) != old_rs) r->pf_from = t;
    arm_update(r);
    arm_periodic(r);
    update_irq(r);
}

static void write_b(rtc *r, uint8_t v) {
    if (v & B_SET) v &= (uint8_t)~B_UIE; /* setting SET clears UIE (datasheet, register B) */
    if (v & B_DSE) vt_log(VT_LOG_UNIMP, "unimplemented: %s daylight saving (DSE)", r->dev->name);
    r->ram[REG_B] = v;
    arm_periodic(r);
    update_irq(r);
}

static uint64_t rtc_read(void *opaque, uint64_t off, unsigned size) {
    rtc *r = opaque;
    if (size == 1 && off == 1) return read_data(r);
    vt_dev_log_unknown(r->dev, "read", off, size, 0); /* the index port is write-only */
    return 0xFF;
}

static void rtc_write(void *opaque, uint64_t off, uint64_t value, unsigned size) {
    rtc *r = opaque;
    uint8_t v = (uint8_t)value;
    if (size != 1 || off > 1) {
        vt_dev_log_unknown(r->dev, "write", off, size, value);
        return;
    }
    if (off == 0) {
        r->index = v & 0x7F;
        bool nmi = v & INDEX_NMI_DISABLE;
        if (nmi != r->nmi_disabled) vt_irq_set(&r->dev->irq[1], nmi);
        r->nmi_disabled = nmi;
        return;
    }
    switch (r->index) {
    case REG_A:
        write_a(r, v);
        break;
    case REG_B:
        write_b(r, v);
        break;
    case REG_C:
    case REG_D:
        vt_dev_log_unknown(r->dev, "write (read-only register)", r->index, 1, v);
        break;
    default:
        r->ram[r->index] = v;
        break;
    }
}

static const vt_mmio_ops rtc_ops = {rtc_read, rtc_write};

/* --- configuration ---------------------------------------------------------------------- */

static int parse_start(vt_device *d, struct tm *tm, vt_error *err) {
    const char *s = vt_dev_str(d, "rtc");
    int64_t secs;
    if (vt_rtc_parse_date(s, 1900, 2099, &secs)) /* `host`: a declared host input */
        return vt_fail(err, "rtc must be YYYY-MM-DDTHH:MM:SS (1900..2099) or host, not '%s'", s);
    time_t t = (time_t)secs;
    if (!gmtime_r(&t, tm)) return vt_fail(err, "rtc = %s: cannot convert the time", s);
    return 0;
}

static uint8_t bcd(unsigned v) {
    return (uint8_t)((v / 10) << 4 | v % 10);
}

/* Boot devices as SeaBIOS reads them from 0x3D/0x38: 1 floppy, 2 hard disk, 3 CD, 4 net. */
static int boot_order(vt_device *d, rtc *r, vt_error *err) {
    const char *s = vt_dev_str(d, "boot_order");
    unsigned codes = 0, n = 0;
    for (const char *p = s; *p; p++, n++) {
        const char *letters = "acdn", *hit = strchr(letters, *p);
        if (!hit || n >= 3) return vt_fail(err, "boot_order is up to 3 of a, c, d, n, not '%s'", s);
        codes |= (unsigned)(hit - letters + 1) << (4 * n);
    }
    bool check;
    if (vt_dev_bool(d, "floppy_sig_check", &check, err)) return -1;
    r->ram[CMOS_BOOT_FLAG2] = (uint8_t)codes;
    r->ram[CMOS_BOOT_FLAG1] = (uint8_t)((codes >> 4 & 0xF0) | (check ? 0 : 1));
    return 0;
}

static void put16(uint8_t *p, uint64_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static int cmos_layout(vt_device *d, rtc *r, int century, vt_error *err) {
    uint64_t ram, below_max, cpus, floppy;
    if (vt_dev_u64(d, "ram_size", &ram, err) || vt_dev_u64(d, "below_4g_max", &below_max, err) ||
        vt_dev_u64(d, "cpus", &cpus, err) || vt_dev_u64(d, "floppy_types", &floppy, err))
        return -1;
    if (!cpus || cpus > 256) return vt_fail(err, "cpus must be 1..256");
    if (floppy > 0xFF) return vt_fail(err, "floppy_types is one byte");
    r->ram[CMOS_FLOPPY_TYPES] = (uint8_t)floppy;
    r->ram[CMOS_CPU_COUNT] = (uint8_t)(cpus - 1);
    r->ram[CMOS_CENTURY] = bcd((unsigned)century);
    if (ram) {
        uint64_t below = ram < below_max ? ram : below_max, above = ram - below;
        uint64_t ext = below > (1u << 20) ? (below >> 10) - 1024 : 0;
        put16(&r->ram[CMOS_BASE_MEM], 640);
        put16(&r->ram[CMOS_EXT_MEM], ext > 0xFFFF ? 0xFFFF : ext);
        put16(&r->ram[CMOS_EXT_MEM_COPY], ext > 0xFFFF ? 0xFFFF : ext);
        uint64_t hi = below > (16u << 20) ? (below - (16u << 20)) >> 16 : 0;
        put16(&r->ram[CMOS_MEM_ABOVE_16M], hi > 0xFFFF ? 0xFFFF : hi);
        uint64_t top = above >> 16;
        r->ram[CMOS_MEM_ABOVE_4G] = (uint8_t)top;
        r->ram[CMOS_MEM_ABOVE_4G + 1] = (uint8_t)(top >> 8);
        r->ram[CMOS_MEM_ABOVE_4G + 2] = (uint8_t)(top >> 16);
    }
    return boot_order(d, r, err);
}

static int rtc_create(vt_device *d, vt_error *err) {
    rtc *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    r->dev = d;
    d->priv = r;
    r->osc.hz = 32768;
    vt_event_init(&r->update_ev, "mc146818-update", do_update, r);
    vt_event_init(&r->periodic_ev, "mc146818-periodic", do_periodic, r);
    struct tm tm;
    if (parse_start(d, &tm, err)) return -1;
    /* battery-backed state as the PC BIOS leaves it: 32.768 kHz, 1024 Hz rate, BCD, 24 h */
    r->ram[REG_A] = A_DV_32K << A_DV_SHIFT | 6;
    r->ram[REG_B] = B_24H;
    r->ram[REG_SEC] = bcd((unsigned)tm.tm_sec);
    r->ram[REG_MIN] = bcd((unsigned)tm.tm_min);
    r->ram[REG_HOUR] = bcd((unsigned)tm.tm_hour);
    r->ram[REG_DOW] = bcd((unsigned)tm.tm_wday + 1);
    r->ram[REG_DATE] = bcd((unsigned)tm.tm_mday);
    r->ram[REG_MONTH] = bcd((unsigned)tm.tm_mon + 1);
    r->ram[REG_YEAR] = bcd((unsigned)(tm.tm_year + 1900) % 100);
    if (cmos_layout(d, r, (tm.tm_year + 1900) / 100, err)) return -1;
    return vt_dev_map_mmio(d, &rtc_ops, r, VT_LITTLE_ENDIAN, err);
}

static void rtc_reset(vt_device *d) {
    rtc *r = d->priv;
    /* RESET clears PIE, AIE, UIE, SQWE and the flags; time, calendar and RAM survive. */
    r->ram[REG_B] &= (uint8_t) ~(B_PIE | B_AIE | B_UIE | B_SQWE);
    r->flags = 0;
    r->pf_from = now(r);
    r->irq_level = false;
    vt_irq_lower(&d->irq[0]);
    arm_update(r);
    arm_periodic(r);
}

static void rtc_save(const vt_device *d, vt_state_writer *w) {
    const rtc *r = d->priv;
    vt_state_begin(w, "RTC ", 1);
    vt_state_put_bytes(w, r->ram, sizeof r->ram);
    vt_state_put_u8(w, r->index);
    vt_state_put_u8(w, r->nmi_disabled);
    vt_state_put_u8(w, r->flags);
    vt_state_put_u8(w, r->irq_level);
    vt_state_put_u64(w, r->upd_origin);
    vt_state_put_u64(w, r->div_origin);
    vt_state_put_u64(w, r->pf_from);
    vt_state_end(w);
}

static int rtc_load(vt_device *d, vt_state_reader *rd) {
    rtc *r = d->priv;
    uint32_t ver;
    if (vt_state_open(rd, "RTC ", 1, &ver)) return -1;
    vt_state_get_bytes(rd, r->ram, sizeof r->ram);
    r->index = vt_state_get_u8(rd) & 0x7F;
    r->nmi_disabled = vt_state_get_u8(rd) != 0;
    r->flags = vt_state_get_u8(rd) & (C_AF | C_UF);
    r->irq_level = vt_state_get_u8(rd) != 0;
    r->upd_origin = vt_state_get_u64(rd);
    r->div_origin = vt_state_get_u64(rd);
    r->pf_from = vt_state_get_u64(rd);
    if (vt_state_ok(rd)) {
        arm_update(r);
        arm_periodic(r);
    }
    return vt_state_close(rd);
}

static void rtc_destroy(vt_device *d) {
    rtc *r = d->priv;
    if (r) {
        vt_sched_cancel(vt_dev_sched(d), &r->update_ev);
        vt_sched_cancel(vt_dev_sched(d), &r->periodic_ev);
    }
    free(r);
}

const vt_device_class vt_dev_mc146818 = {
    .name = "mc146818",
    .description = "Motorola MC146818A real-time clock with 128 bytes of PC CMOS RAM",
    .keys =
        (const vt_dev_key[]){
            {"rtc", VT_KEY_STR, "2000-01-01T00:00:00", "start time YYYY-MM-DDTHH:MM:SS, or host"},
            {"ram_size", VT_KEY_U64, "0", "RAM bytes for the CMOS memory fields (0: leave empty)"},
            {"below_4g_max", VT_KEY_U64, "0xe0000000", "RAM mapped below 4 GiB at most"},
            {"cpus", VT_KEY_U64, "1", "CPU count (CMOS 0x5f holds count - 1)"},
            {"boot_order", VT_KEY_STR, "c", "up to 3 of a (floppy), c (disk), d (CD), n (net)"},
            {"floppy_sig_check", VT_KEY_BOOL, "yes", "BIOS checks the floppy boot signature"},
            {"floppy_types", VT_KEY_U64, "0", "CMOS 0x10: drive A type << 4 | drive B type"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = rtc_create,
    .reset = rtc_reset,
    .save = rtc_save,
    .load = rtc_load,
    .destroy = rtc_destroy,
};
