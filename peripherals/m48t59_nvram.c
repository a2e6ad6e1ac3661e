/* ST M48T08 / M48T59 TIMEKEEPER: 8 KiB battery-backed SRAM whose top 8 bytes are the BCD
 * real-time clock (control, seconds, minutes, hours, day, date, month, year); the M48T59 adds
 * flags/alarm/watchdog bytes below them (modelled as plain SRAM: no alarm or watchdog here).
 * The clock counts emulated time from the configured `rtc` start, never host time, unless
 * `rtc = host` is declared. Keys: rtc (ISO date, default 2000-01-01T00:00:00 or `host`);
 * year_base (0: the year register holds the year's last two digits, read as 1970..2069; a
 * year Y: it holds the years since Y, as Sun machines keep it with Y = 1968).
 * Sources: ST M48T08 and M48T59 datasheets (register map, control bits W=0x80, R=0x40); Linux
 * arch/sparc/kernel/time_32.c (m48t59 yy_offset 68) and QEMU sun4m.c (base year 1968). */
#include "peripherals/rtc_start.h"
#include "peripherals/m48t59_nvram.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/savestate.h"

#define NV_SIZE 0x2000
#define CLK 0x1ff8

typedef struct nvram {
    vt_device *dev;
    uint8_t mem[NV_SIZE];
    int64_t rtc_base; /* seconds since 1970 at emulated time 0 */
    int year_base;    /* 0: two-digit year; else the year register counts from it */
    int64_t offset;   /* guest-set clock minus running clock, in seconds */
    uint8_t ctrl;
    uint8_t frozen[8]; /* snapshot while R or W is set */
} nvram;

uint8_t *vt_m48t59_mem(vt_device *d, size_t *len) {
    nvram *n = d->priv;
    *len = NV_SIZE;
    return n->mem;
}

static uint8_t bcd(int v) {
    return (uint8_t)((v / 10) << 4 | (v % 10));
}
static int from_bcd(uint8_t b) {
    return (b >> 4) * 10 + (b & 15);
}

static int64_t now_secs(nvram *n) {
    return n->rtc_base + n->offset + (int64_t)(vt_sched_now(vt_dev_sched(n->dev)) / VT_PS_PER_SEC);
}

static void snapshot(nvram *n) {
    time_t t = (time_t)now_secs(n);
    struct tm tm;
    gmtime_r(&t, &tm);
    n->frozen[1] = bcd(tm.tm_sec);
    n->frozen[2] = bcd(tm.tm_min);
    n->frozen[3] = bcd(tm.tm_hour);
    n->frozen[4] = bcd(tm.tm_wday ? tm.tm_wday : 7);
    n->frozen[5] = bcd(tm.tm_mday);
    n->frozen[6] = bcd(tm.tm_mon + 1);
    int y = n->year_base ? tm.tm_year + 1900 - n->year_base : tm.tm_year;
    n->frozen[7] = bcd(((y % 100) + 100) % 100);
}

static uint8_t read_byte(nvram *n, uint32_t a) {
    if (a < CLK) return n->mem[a];
    if (a == CLK) return n->ctrl;
    if (!(n->ctrl & 0xc0)) snapshot(n);
    return n->frozen[a - CLK];
}

static void write_byte(nvram *n, uint32_t a, uint8_t v) {
    if (a < CLK) {
        n->mem[a] = v;
        return;
    }
    if (a == CLK) {
        bool was_writing = n->ctrl & 0x80;
        if ((v & 0xc0) && !(n->ctrl & 0xc0)) snapshot(n);
        n->ctrl = v;
        if (was_writing && !(v & 0x80)) { /* W cleared: the written time becomes current */
            struct tm tm = {0};
            tm.tm_sec = from_bcd(n->frozen[1] & 0x7f);
            tm.tm_min = from_bcd(n->frozen[2] & 0x7f);
            tm.tm_hour = from_bcd(n->frozen[3] & 0x3f);
            tm.tm_mday = from_bcd(n->frozen[5] & 0x3f);
            tm.tm_mon = from_bcd(n->frozen[6] & 0x1f) - 1;
            tm.tm_year = from_bcd(n->frozen[7]);
            if (n->year_base)
                tm.tm_year += n->year_base - 1900;
            else if (tm.tm_year < 70)
                tm.tm_year += 100;
            n->offset += (int64_t)timegm(&tm) - now_secs(n);
        }
        return;
    }
    if (n->ctrl & 0x80) n->frozen[a - CLK] = v;
}

static uint64_t nv_read(void *opaque, uint64_t off, unsigned size) {
    nvram *n = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v = v << 8 | read_byte(n, (uint32_t)((off + i) % NV_SIZE));
    return v;
}

static void nv_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    nvram *n = opaque;
    for (unsigned i = 0; i < size; i++)
        write_byte(n, (uint32_t)((off + i) % NV_SIZE), (uint8_t)(v >> (8 * (size - 1 - i))));
}

static const vt_mmio_ops nv_ops = {nv_read, nv_write};

static int nv_create(vt_device *d, vt_error *err) {
    nvram *n = calloc(1, sizeof *n);
    if (!n) return vt_fail(err, "out of memory");
    n->dev = d;
    d->priv = n;
    if (d->size > NV_SIZE) return vt_fail(err, "size must be at most 0x%x", NV_SIZE);
    const char *rtc = vt_dev_str(d, "rtc");
    if (vt_rtc_parse_start(rtc, &n->rtc_base))
        return vt_fail(err, "bad rtc '%s' (expected YYYY-MM-DDTHH:MM:SS or host)", rtc);
    uint64_t yb;
    if (vt_dev_u64(d, "year_base", &yb, err)) return -1;
    if (yb && (yb < 1900 || yb > 2100)) return vt_fail(err, "year_base must be 0 or 1900..2100");
    n->year_base = (int)yb;
    return vt_dev_map_mmio(d, &nv_ops, n, VT_BIG_ENDIAN, err);
}

static void nv_reset(vt_device *d) {
    nvram *n = d->priv;
    n->ctrl = 0;
}

static void nv_save(const vt_device *d, vt_state_writer *w) {
    const nvram *n = d->priv;
    vt_state_begin(w, "M48T", 1);
    vt_state_put_bytes(w, n->mem, NV_SIZE);
    vt_state_put_u64(w, (uint64_t)n->offset);
    vt_state_put_u8(w, n->ctrl);
    vt_state_put_bytes(w, n->frozen, 8);
    vt_state_end(w);
}

static int nv_load(vt_device *d, vt_state_reader *r) {
    nvram *n = d->priv;
    uint32_t v;
    if (vt_state_open(r, "M48T", 1, &v)) return -1;
    vt_state_get_bytes(r, n->mem, NV_SIZE);
    n->offset = (int64_t)vt_state_get_u64(r);
    n->ctrl = vt_state_get_u8(r);
    vt_state_get_bytes(r, n->frozen, 8);
    return vt_state_close(r);
}

static void nv_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key nv_keys[] = {
    {"rtc", VT_KEY_STR, "2000-01-01T00:00:00", "clock at power-on (ISO date) or 'host'"},
    {"year_base", VT_KEY_U64, "0", "0: two-digit year register; Y: it counts years since Y"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_m48t08 = {
    .name = "m48t08",
    .description = "ST M48T08 8 KiB timekeeper NVRAM",
    .keys = nv_keys,
    .needs_mmio = true,
    .create = nv_create,
    .reset = nv_reset,
    .save = nv_save,
    .load = nv_load,
    .destroy = nv_destroy,
};

const vt_device_class vt_dev_m48t59 = {
    .name = "m48t59",
    .description = "ST M48T59 8 KiB timekeeper NVRAM (alarm/watchdog bytes as SRAM)",
    .keys = nv_keys,
    .needs_mmio = true,
    .create = nv_create,
    .reset = nv_reset,
    .save = nv_save,
    .load = nv_load,
    .destroy = nv_destroy,
};
