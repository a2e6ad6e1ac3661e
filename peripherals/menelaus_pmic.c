/* TI TWL92330 "Menelaus" power-management IC as an I2C target: 0x40 byte registers with an
 * auto-incrementing register pointer (the first byte of a write selects it), the chip revision,
 * regulator / interrupt / GPIO settings stored, and the real-time clock: BCD seconds..year and
 * weekday computed from the profile's RTC start plus emulated time, reloaded by RTC_UPDATE
 * after the guest writes a new time; OSC_CTRL reports the 32 kHz crystal detected unless the
 * profile says there is none (`rtc = none` on the controller). Not modelled: regulator effects,
 * interrupts, RTC alarm. Sources: Linux 6.1 drivers/mfd/menelaus.c (register map, RTC_CTRL and
 * RTC_UPDATE bits, BCD layout); TWL92330 product brief. */
#include "peripherals/i2c_slave.h"

#include "core/savestate.h"

#include <stdlib.h>
#include <time.h>

enum {
    MEN_REV = 0x01,
    MEN_OSC_CTRL = 0x15,
    MEN_RTC_CTRL = 0x21,
    MEN_RTC_UPDATE = 0x22,
    MEN_RTC_SEC = 0x23, /* SEC MIN HR DAY MON YR WKDAY */
    MEN_RTC_WKDAY = 0x29,
    MEN_NREGS = 0x40,
};
#define MEN_REV_VALUE 0x22   /* revision 2.2 */
#define RTC_CTRL_RTC_EN 0x01 /* the clock runs */
#define OSC_CTRL_32KDET 0x80 /* 32 kHz crystal detected (the N800 has one): the RTC works */
#define RTC_UPDATE_EVERY 0x08

typedef struct menelaus {
    vt_sched *sched;
    uint8_t reg[MEN_NREGS];
    uint8_t ptr;
    bool have_ptr; /* the first byte of this write set the pointer */
    int64_t epoch; /* clock seconds at emulated time 0 */
} menelaus;

static uint8_t bcd(int v) {
    return (uint8_t)((v / 10) << 4 | (v % 10));
}

static int unbcd(uint8_t v) {
    return (v >> 4) * 10 + (v & 15);
}

static int64_t now_seconds(const menelaus *m) {
    return m->epoch + (int64_t)(vt_sched_now(m->sched) / VT_PS_PER_SEC);
}

/* Fills the time registers (24-hour mode, years since 2000) from the running clock. */
static void latch_time(menelaus *m) {
    time_t t = (time_t)now_seconds(m);
    struct tm tm;
    gmtime_r(&t, &tm);
    uint8_t *r = m->reg + MEN_RTC_SEC;
    r[0] = bcd(tm.tm_sec), r[1] = bcd(tm.tm_min), r[2] = bcd(tm.tm_hour);
    r[3] = bcd(tm.tm_mday), r[4] = bcd(tm.tm_mon + 1), r[5] = bcd(tm.tm_year % 100);
    r[6] = (uint8_t)tm.tm_wday;
}

/* RTC_UPDATE: the time registers written by the guest become the clock. */
static void load_time(menelaus *m) {
    const uint8_t *r = m->reg + MEN_RTC_SEC;
    struct tm tm = {.tm_sec = unbcd(r[0] & 0x7f),
                    .tm_min = unbcd(r[1] & 0x7f),
                    .tm_hour = unbcd(r[2] & 0x3f),
                    .tm_mday = unbcd(r[3] & 0x3f),
                    .tm_mon = unbcd(r[4] & 0x1f) - 1,
                    .tm_year = unbcd(r[5]) + 100};
    time_t t = timegm(&tm);
    if (t != (time_t)-1) m->epoch = (int64_t)t - (int64_t)(vt_sched_now(m->sched) / VT_PS_PER_SEC);
}

static int men_create(vt_i2c_slave *s, vt_sched *sched, vt_error *err) {
    menelaus *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    m->sched = sched;
    s->priv = m;
    return 0;
}

static void men_reset(vt_i2c_slave *s) {
    menelaus *m = s->priv;
    memset(m->reg, 0, sizeof m->reg);
    m->reg[MEN_REV] = MEN_REV_VALUE;
    bool crystal = s->rtc_start != VT_I2C_NO_RTC;
    m->reg[MEN_RTC_CTRL] = crystal ? RTC_CTRL_RTC_EN : 0;
    m->reg[MEN_OSC_CTRL] = crystal ? OSC_CTRL_32KDET : 0;
    m->ptr = 0;
    m->have_ptr = false;
    m->epoch = crystal ? s->rtc_start : 0;
}

static bool men_start(vt_i2c_slave *s, bool read) {
    menelaus *m = s->priv;
    if (!read)
        m->have_ptr = false;
    else if (m->ptr >= MEN_RTC_SEC && m->ptr <= MEN_RTC_WKDAY &&
             (m->reg[MEN_RTC_CTRL] & RTC_CTRL_RTC_EN))
        latch_time(m); /* a read of the clock sees one consistent instant */
    return true;
}

static bool men_write(vt_i2c_slave *s, uint8_t b) {
    menelaus *m = s->priv;
    if (!m->have_ptr) {
        m->ptr = b % MEN_NREGS;
        m->have_ptr = true;
        return true;
    }
    if (m->ptr == MEN_RTC_UPDATE && (b & RTC_UPDATE_EVERY)) load_time(m);
    if (m->ptr != MEN_REV) m->reg[m->ptr] = b;
    m->ptr = (uint8_t)((m->ptr + 1) % MEN_NREGS);
    return true;
}

static uint8_t men_read(vt_i2c_slave *s) {
    menelaus *m = s->priv;
    uint8_t v = m->reg[m->ptr];
    m->ptr = (uint8_t)((m->ptr + 1) % MEN_NREGS);
    return v;
}

static void men_stop(vt_i2c_slave *s) {
    ((menelaus *)s->priv)->have_ptr = false;
}

static void men_save(const vt_i2c_slave *s, vt_state_writer *w) {
    const menelaus *m = s->priv;
    vt_state_begin(w, "MENL", 1);
    vt_state_put_bytes(w, m->reg, sizeof m->reg);
    vt_state_put_u32(w, m->ptr);
    vt_state_put_u8(w, m->have_ptr);
    vt_state_put_u64(w, (uint64_t)m->epoch);
    vt_state_end(w);
}

static int men_load(vt_i2c_slave *s, vt_state_reader *r) {
    menelaus *m = s->priv;
    uint32_t ver;
    if (vt_state_open(r, "MENL", 1, &ver)) return -1;
    vt_state_get_bytes(r, m->reg, sizeof m->reg);
    m->ptr = (uint8_t)vt_state_get_index(r, MEN_NREGS);
    m->have_ptr = vt_state_get_u8(r) != 0;
    m->epoch = (int64_t)vt_state_get_u64(r);
    return vt_state_close(r);
}

static void men_destroy(vt_i2c_slave *s) {
    free(s->priv);
    s->priv = NULL;
}

const vt_i2c_slave_ops vt_i2c_menelaus = {
    .name = "menelaus",
    .create = men_create,
    .reset = men_reset,
    .start = men_start,
    .write = men_write,
    .read = men_read,
    .stop = men_stop,
    .save = men_save,
    .load = men_load,
    .destroy = men_destroy,
};
