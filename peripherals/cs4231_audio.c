/* Crystal CS4231 codec + APC DMA on SBus ("cs4231"), as in the SPARCstation 4/5. Byte-wide
 * codec registers at +0x0 (index address: index, TRD, MCE, INIT), +0x4 (indexed data), +0x8
 * (status: global interrupt, cleared by any write), +0xc (PIO data: not modelled, logged) and
 * the APC DMA at +0x10..+0x3c (sun_apc_dma.c). The 32 indexed registers in MODE 2 (16 in MODE 1):
 * mode/ID (I12: ID 0xa, MODE2), version (I25, key `version`), format and rate (I8 playback
 * and shared rate, I28 capture; I8/I28 and the I9 configuration bits change only while MCE is
 * set), PEN/CEN (I9), interrupt status (I24, cleared by writing zeros) and autocalibration:
 * clearing MCE with ACAL set holds ACI (I11) for 384 sample periods (approximate). Playback
 * takes frames from memory through the APC at the programmed rate on the scheduler (1 ms
 * batches, exact frame times from the crystal: 24.576 MHz or 16.9344 MHz over the I8 divisor),
 * decodes them (u8, mu-law, A-law, s16 LE/BE, mono or stereo; IMA ADPCM logged and played as
 * silence), mixes stereo down to mono and pushes them to the machine's audio stream at the
 * programmed rate (core/audio.h resamples; silence while playback is off); the playback sample
 * counter (I14/I15) raises PI when it underflows. Capture records silence through the APC. The
 * timer (I16 TE, base in I21:I20) sets TI (I24) every base ticks of 9.920 us (XTAL1) or 9.969 us
 * (XTAL2, I8 bit 0), the resolutions Linux's driver reports. Not modelled: PIO transfers.
 * Sources: Crystal CS4231A data sheet (registers, rates); Linux sound/sparc/cs4231.c (SBus
 * layout, APC use, probe sequence, timer resolution). */
#include "peripherals/cs4231_audio.h"

#include "core/audio.h"
#include "core/log.h"
#include "core/savestate.h"
#include "peripherals/pcm_decode.h"
#include "peripherals/sun_apc_dma.h"

#include <stdlib.h>

enum { IAR_INIT = 0x80, IAR_MCE = 0x40, IAR_TRD = 0x20 };
enum { I8_FORMAT = 8, I9_CONFIG = 9, I10_PIN = 10, I11_TEST = 11, I12_MODE = 12 };
enum { I14_PBASE_HI = 14, I15_PBASE_LO = 15, I16_ALT1 = 16, I24_ALT_STATUS = 24, I25_VERSION = 25 };
enum { I20_TIMER_LO = 20, I21_TIMER_HI = 21 };
enum { I28_CAPT_FORMAT = 28, I30_CBASE_HI = 30, I31_CBASE_LO = 31 };
enum { PEN = 0x01, CEN = 0x02, ACAL = 0x08, IEN = 0x02, ACI = 0x20, MODE2 = 0x40, TE = 0x40 };
enum { PI = 0x10, CI = 0x20, TI = 0x40, PU = 0x01, CO = 0x04 };
#define I9_MCE_ONLY 0xfc /* everything but PEN/CEN needs MCE */
#define CALIBRATION_FRAMES 384
#define MAX_BATCH 2048 /* frames per scheduler batch */

static const uint32_t divisors[8] = {3072, 1536, 896, 768, 448, 384, 512, 2560};
static const uint32_t crystals[2] = {24576000, 16934400};

typedef struct cs4231 {
    vt_device *dev;
    vt_dma dma;
    vt_apc apc;
    uint8_t iar, regs[32], version;
    uint16_t pcount, ccount; /* sample counters (count down from the base registers) */
    bool calibrating, adpcm_logged;
    vt_event play_ev, capt_ev, calib_ev, timer_ev;
    vt_time timer_origin; /* TI number timer_n is due at origin + timer_n periods */
    uint64_t timer_n;
    uint64_t play_frame, capt_frame; /* frames since the stream's origin */
    vt_time play_origin, capt_origin;
    /* the audio stream's current rate segment: from seg_time, seg_pushed samples so far at
     * crystal seg_xtal / divisor seg_div (what the registers said when it started) */
    vt_audio_stream *stream;
    vt_time seg_time;
    uint64_t seg_pushed;
    uint32_t seg_xtal, seg_div;
} cs4231;

static vt_sched *sched(cs4231 *c) {
    return vt_dev_sched(c->dev);
}

/* Picoseconds of frame n from an origin: n * divisor / crystal, exact. */
static vt_time frame_time(const cs4231 *c, uint64_t n) {
    uint8_t f = c->regs[I8_FORMAT];
    return (vt_time)((unsigned __int128)n * divisors[(f >> 1) & 7] * VT_PS_PER_SEC /
                     crystals[f & 1]);
}

uint32_t vt_cs4231_rate(const vt_device *d) {
    const cs4231 *c = d->priv;
    uint8_t f = c->regs[I8_FORMAT];
    return crystals[f & 1] / divisors[(f >> 1) & 7];
}

/* Samples of the current stream segment due by time t (their slots ended). */
static uint64_t seg_due(const cs4231 *c, vt_time t) {
    return (uint64_t)((unsigned __int128)(t - c->seg_time) * c->seg_xtal /
                      ((unsigned __int128)c->seg_div * VT_PS_PER_SEC));
}

static void push(cs4231 *c, const int16_t *samples, size_t n) {
    vt_audio_push(c->stream, samples, n);
    c->seg_pushed += n;
}

/* Silence for the stream up to time t (playback off, or before it starts). */
static void fill_silence(cs4231 *c, vt_time t) {
    static const int16_t zeros[1024];
    uint64_t due = seg_due(c, t);
    while (c->seg_pushed < due) {
        uint64_t n = due - c->seg_pushed;
        push(c, zeros, n < VT_ARRAY_LEN(zeros) ? (size_t)n : VT_ARRAY_LEN(zeros));
    }
}

static bool playing(const cs4231 *c);

/* The mixer's pull (core/audio.h sync): while playback runs its batches push the frames. */
static void stream_sync(void *opaque, vt_time now) {
    cs4231 *c = opaque;
    if (!playing(c)) fill_silence(c, now);
}

/* A new stream segment at the rate the registers give now (reset, MCE cleared, state load). */
static void retime(cs4231 *c) {
    vt_time now = vt_sched_now(sched(c));
    if (c->seg_div) fill_silence(c, now);
    uint8_t f = c->regs[I8_FORMAT];
    c->seg_xtal = crystals[f & 1];
    c->seg_div = divisors[(f >> 1) & 7];
    c->seg_time = now;
    c->seg_pushed = 0;
    vt_error err;
    if (vt_audio_stream_set_rate(c->stream, c->seg_xtal / c->seg_div, &err))
        vt_log(VT_LOG_DEV, "%s: %s", c->dev->name, err.msg); /* every table rate is valid */
}

static bool format_of(cs4231 *c, uint8_t f, vt_pcm_format *out) {
    static const int map[8] = {VT_PCM_U8, VT_PCM_ULAW, VT_PCM_S16LE, VT_PCM_ALAW,
                               -1,        -1,          VT_PCM_S16BE, -1};
    int m = map[f >> 5];
    if (m < 0) {
        if (!c->adpcm_logged)
            vt_log(VT_LOG_UNIMP, "%s: sample format %u (ADPCM/reserved) not modelled: silence",
                   c->dev->name, f >> 5);
        c->adpcm_logged = true;
        *out = VT_PCM_U8;
        return false;
    }
    *out = (vt_pcm_format)m;
    return true;
}

static void update_irq(cs4231 *c) {
    bool codec = (c->regs[I10_PIN] & IEN) && (c->regs[I24_ALT_STATUS] & (PI | CI | TI));
    vt_irq_set(&c->dev->irq[0], codec || vt_apc_irq(&c->apc));
}

/* Counts frames down the sample counter from base registers hi/lo; PI/CI when it underflows. */
static void count_frames(cs4231 *c, uint16_t *counter, int hi, uint32_t frames, uint8_t bit) {
    uint32_t period = ((uint32_t)c->regs[hi] << 8 | c->regs[hi + 1]) + 1u;
    if (frames > *counter) {
        uint32_t past = (frames - *counter - 1) % period;
        *counter = (uint16_t)(period - 1 - past);
        c->regs[I24_ALT_STATUS] |= bit;
    } else {
        *counter = (uint16_t)(*counter - frames);
    }
}

static bool playing(const cs4231 *c) {
    return (c->regs[I9_CONFIG] & PEN) && vt_apc_running(&c->apc, true);
}

static bool capturing(const cs4231 *c) {
    return (c->regs[I9_CONFIG] & CEN) && vt_apc_running(&c->apc, false);
}

static uint32_t batch_frames(const cs4231 *c) {
    uint32_t n = vt_cs4231_rate(c->dev) / 1000;
    return n ? n : 1;
}

static void play_batch(cs4231 *c, uint32_t frames) {
    uint8_t f = c->regs[I8_FORMAT];
    vt_pcm_format fmt;
    bool known = format_of(c, f, &fmt);
    unsigned ch = f & 0x10 ? 2 : 1, fb = vt_pcm_bytes(fmt) * ch;
    uint8_t buf[MAX_BATCH * 4];
    size_t want = (size_t)frames * fb, got = vt_apc_transfer(&c->apc, &c->dma, true, buf, want);
    if (got < want) {
        memset(buf + got, vt_pcm_silence(fmt), want - got);
        c->regs[I24_ALT_STATUS] |= PU; /* playback underrun */
    }
    int16_t mono[MAX_BATCH];
    for (uint32_t i = 0; i < frames; i++) {
        const uint8_t *p = buf + (size_t)i * fb;
        int32_t l = known ? vt_pcm_decode(fmt, p) : 0;
        int32_t r = known && ch == 2 ? vt_pcm_decode(fmt, p + vt_pcm_bytes(fmt)) : l;
        mono[i] = (int16_t)((l + r) / 2);
    }
    push(c, mono, frames);
    count_frames(c, &c->pcount, I14_PBASE_HI, frames, PI);
}

static void capture_batch(cs4231 *c, uint32_t frames) {
    uint8_t f = c->regs[(c->regs[I12_MODE] & MODE2) ? I28_CAPT_FORMAT : I8_FORMAT];
    vt_pcm_format fmt;
    format_of(c, f, &fmt);
    size_t want = (size_t)frames * vt_pcm_bytes(fmt) * (f & 0x10 ? 2 : 1);
    uint8_t buf[MAX_BATCH * 4];
    memset(buf, vt_pcm_silence(fmt), want);
    if (vt_apc_transfer(&c->apc, &c->dma, false, buf, want) < want)
        c->regs[I24_ALT_STATUS] |= CO; /* capture overrun: nowhere to put the data */
    count_frames(c, &c->ccount, I30_CBASE_HI, frames, CI);
}

/* Arms a stream's next batch at the exact time its frames are due. */
static void arm(cs4231 *c, vt_event *ev, vt_time origin, uint64_t frame) {
    vt_sched_arm(sched(c), ev, origin + frame_time(c, frame + batch_frames(c)));
}

static void stream_event(cs4231 *c, bool play) {
    if (!(play ? playing(c) : capturing(c))) return; /* stopped meanwhile */
    uint32_t n = batch_frames(c);
    if (play) {
        play_batch(c, n);
        c->play_frame += n;
        arm(c, &c->play_ev, c->play_origin, c->play_frame);
    } else {
        capture_batch(c, n);
        c->capt_frame += n;
        arm(c, &c->capt_ev, c->capt_origin, c->capt_frame);
    }
    update_irq(c);
}

static void play_tick(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    stream_event(opaque, true);
}

static void capt_tick(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    stream_event(opaque, false);
}

/* Starts or stops the streams after any change of PEN/CEN, the APC or the rate. */
static void reschedule(cs4231 *c) {
    vt_time now = vt_sched_now(sched(c));
    if (playing(c) && !vt_event_armed(&c->play_ev)) {
        fill_silence(c, now); /* the stream up to the first frame */
        c->play_origin = now;
        c->play_frame = 0;
        arm(c, &c->play_ev, now, 0);
    } else if (!playing(c)) {
        vt_sched_cancel(sched(c), &c->play_ev);
    }
    if (capturing(c) && !vt_event_armed(&c->capt_ev)) {
        c->capt_origin = now;
        c->capt_frame = 0;
        arm(c, &c->capt_ev, now, 0);
    } else if (!capturing(c)) {
        vt_sched_cancel(sched(c), &c->capt_ev);
    }
}

/* --- the timer ------------------------------------------------------------------------- */

static vt_time timer_period(const cs4231 *c) {
    uint32_t base = (uint32_t)c->regs[I21_TIMER_HI] << 8 | c->regs[I20_TIMER_LO];
    vt_time tick = (c->regs[I8_FORMAT] & 1) ? 9969000 : 9920000; /* ps */
    return (base ? base : 65536) * tick; /* base 0: a full 16-bit wrap (data sheet silent) */
}

static void timer_arm(cs4231 *c) {
    vt_sched_arm(sched(c), &c->timer_ev, c->timer_origin + c->timer_n * timer_period(c));
}

static void timer_tick(void *opaque, vt_time now, vt_time late) {
    cs4231 *c = opaque;
    VT_UNUSED(now);
    VT_UNUSED(late);
    c->regs[I24_ALT_STATUS] |= TI;
    c->timer_n++;
    timer_arm(c);
    update_irq(c);
}

/* Starts the timer from now when TE is set (or its base changes), stops it when TE is clear. */
static void timer_restart(cs4231 *c) {
    vt_sched_cancel(sched(c), &c->timer_ev);
    if (!(c->regs[I16_ALT1] & TE)) return;
    c->timer_origin = vt_sched_now(sched(c));
    c->timer_n = 1;
    timer_arm(c);
}

static void calibration_done(void *opaque, vt_time now, vt_time late) {
    cs4231 *c = opaque;
    VT_UNUSED(now);
    VT_UNUSED(late);
    c->calibrating = false;
}

static void reset_codec(cs4231 *c) {
    static const uint8_t defaults[32] = {
        [2] = 0x80, [3] = 0x80,  [4] = 0x80,  [5] = 0x80,  [6] = 0x80,  [7] = 0x80,
        [9] = ACAL, [12] = 0x8a, [18] = 0x80, [19] = 0x80, [26] = 0x80,
    };
    memcpy(c->regs, defaults, sizeof c->regs);
    c->regs[I25_VERSION] = c->version;
    c->iar = IAR_MCE; /* the data sheet's reset state: mode change enabled */
    c->pcount = c->ccount = 0;
    c->calibrating = false;
    vt_sched_cancel(sched(c), &c->calib_ev);
    timer_restart(c);
    retime(c);
    reschedule(c);
}

static unsigned index_of(const cs4231 *c) {
    return c->iar & ((c->regs[I12_MODE] & MODE2) ? 0x1f : 0x0f);
}

static uint8_t read_indexed(cs4231 *c) {
    unsigned i = index_of(c);
    if (i == I11_TEST) return c->calibrating ? ACI : 0;
    if (i == I12_MODE) return (uint8_t)(0x80 | (c->regs[i] & MODE2) | 0x0a);
    return c->regs[i];
}

static void write_indexed(cs4231 *c, uint8_t v) {
    unsigned i = index_of(c);
    bool mce = c->iar & IAR_MCE;
    switch (i) {
    case I8_FORMAT:
    case I28_CAPT_FORMAT:
        if (!mce) {
            vt_log(VT_LOG_DEV, "%s: I%u written without MCE: ignored", c->dev->name, i);
            return;
        }
        c->regs[i] = v;
        break;
    case I9_CONFIG:
        if (!mce) v = (uint8_t)((c->regs[i] & I9_MCE_ONLY) | (v & ~I9_MCE_ONLY));
        c->regs[i] = v;
        break;
    case I11_TEST:
    case I25_VERSION:
        return; /* read-only */
    case I12_MODE:
        c->regs[i] = v & MODE2;
        return;
    case I24_ALT_STATUS:
        c->regs[i] &= v; /* writing 0 clears a status bit */
        break;
    case I16_ALT1: {
        bool was = c->regs[i] & TE;
        c->regs[i] = v;
        if (was != ((v & TE) != 0)) timer_restart(c);
        break;
    }
    case I20_TIMER_LO:
    case I21_TIMER_HI:
        c->regs[i] = v;
        timer_restart(c); /* the new base counts from here */
        break;
    default:
        c->regs[i] = v;
        break;
    }
    if (i == I14_PBASE_HI || i == I15_PBASE_LO)
        c->pcount = (uint16_t)(c->regs[I14_PBASE_HI] << 8 | c->regs[I15_PBASE_LO]);
    if (i == I30_CBASE_HI || i == I31_CBASE_LO)
        c->ccount = (uint16_t)(c->regs[I30_CBASE_HI] << 8 | c->regs[I31_CBASE_LO]);
    reschedule(c);
    update_irq(c);
}

static void write_iar(cs4231 *c, uint8_t v) {
    bool was_mce = c->iar & IAR_MCE;
    c->iar = v & (IAR_MCE | IAR_TRD | 0x1f);
    if (was_mce && !(v & IAR_MCE) && (c->regs[I9_CONFIG] & ACAL)) {
        c->calibrating = true;
        vt_sched_arm(sched(c), &c->calib_ev,
                     vt_sched_now(sched(c)) + frame_time(c, CALIBRATION_FRAMES));
    }
    if (was_mce != ((v & IAR_MCE) != 0)) { /* a rate change applies from here */
        vt_sched_cancel(sched(c), &c->play_ev);
        vt_sched_cancel(sched(c), &c->capt_ev);
        retime(c);
        reschedule(c);
    }
}

static uint64_t cs_read(void *opaque, uint64_t off, unsigned size) {
    cs4231 *c = opaque;
    if (off >= 0x10 && size == 4 && !(off & 3)) return vt_apc_read(&c->apc, (unsigned)off);
    if (size == 1) {
        switch (off) {
        case 0x0:
            return c->iar;
        case 0x4:
            return read_indexed(c);
        case 0x8:
            return (c->regs[I24_ALT_STATUS] & (PI | CI | TI)) ? 1 : 0; /* GINT */
        default:
            break;
        }
    }
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0;
}

static void cs_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    cs4231 *c = opaque;
    if (off >= 0x10 && size == 4 && !(off & 3)) {
        bool was_reset = c->apc.csr & VT_APC_CDC_RESET;
        vt_apc_write(&c->apc, (unsigned)off, (uint32_t)v);
        if (was_reset && !(c->apc.csr & VT_APC_CDC_RESET)) reset_codec(c);
        reschedule(c);
        update_irq(c);
        return;
    }
    if (size == 1) {
        switch (off) {
        case 0x0:
            write_iar(c, (uint8_t)v);
            return;
        case 0x4:
            write_indexed(c, (uint8_t)v);
            return;
        case 0x8: /* any write clears every codec interrupt */
            c->regs[I24_ALT_STATUS] &= (uint8_t) ~(PI | CI | TI);
            update_irq(c);
            return;
        default:
            break;
        }
    }
    vt_dev_log_unknown(c->dev, "write", off, size, v);
}

static const vt_mmio_ops cs_ops = {cs_read, cs_write};

static int cs_create(vt_device *d, vt_error *err) {
    cs4231 *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    c->dev = d;
    d->priv = c;
    uint64_t version;
    if (vt_dev_u64(d, "version", &version, err) || vt_dev_dma(d, "dma", &c->dma, err)) return -1;
    if (version > 0xff) return vt_fail(err, "%s: version must be a byte", d->name);
    c->version = (uint8_t)version;
    vt_event_init(&c->play_ev, "cs4231-play", play_tick, c);
    vt_event_init(&c->capt_ev, "cs4231-capture", capt_tick, c);
    vt_event_init(&c->calib_ev, "cs4231-calibration", calibration_done, c);
    vt_event_init(&c->timer_ev, "cs4231-timer", timer_tick, c);
    /* 8 kHz until reset_codec retimes it to the registers */
    if (vt_audio_add_stream(vt_dev_audio(d), d->name, 8000, stream_sync, c, &c->stream, err))
        return -1;
    return vt_dev_map_mmio(d, &cs_ops, c, VT_BIG_ENDIAN, err);
}

static void cs_reset(vt_device *d) {
    cs4231 *c = d->priv;
    vt_apc_reset(&c->apc);
    reset_codec(c);
    update_irq(c);
}

static void put_chan(vt_state_writer *w, const vt_apc_chan *ch) {
    vt_state_put_u32(w, ch->va);
    vt_state_put_u32(w, ch->c);
    vt_state_put_u32(w, ch->nva);
    vt_state_put_u32(w, ch->nc);
    vt_state_put_u8(w, ch->next_loaded);
}

static void get_chan(vt_state_reader *r, vt_apc_chan *ch) {
    ch->va = vt_state_get_u32(r);
    ch->c = vt_state_get_u32(r);
    ch->nva = vt_state_get_u32(r);
    ch->nc = vt_state_get_u32(r);
    ch->next_loaded = vt_state_get_u8(r) != 0;
}

/* Saved: registers, counters, the APC and the streams' timing (not the audio stream: samples
 * already handed to the host; a load starts a new stream segment). */
static void cs_save(const vt_device *d, vt_state_writer *w) {
    const cs4231 *c = d->priv;
    vt_state_begin(w, "CS42", 2);
    vt_state_put_u8(w, c->iar);
    vt_state_put_bytes(w, c->regs, sizeof c->regs);
    vt_state_put_u16(w, c->pcount);
    vt_state_put_u16(w, c->ccount);
    vt_state_put_u8(w, c->calibrating);
    vt_state_put_u32(w, c->apc.csr);
    put_chan(w, &c->apc.play);
    put_chan(w, &c->apc.capt);
    vt_state_put_u64(w, c->play_frame);
    vt_state_put_u64(w, c->play_origin);
    vt_state_put_u64(w, c->capt_frame);
    vt_state_put_u64(w, c->capt_origin);
    vt_state_put_u64(w, vt_event_armed(&c->calib_ev) ? c->calib_ev.when : 0);
    vt_state_put_u64(w, c->timer_origin); /* version 2 */
    vt_state_put_u64(w, c->timer_n);
    vt_state_end(w);
}

static int cs_load(vt_device *d, vt_state_reader *r) {
    cs4231 *c = d->priv;
    uint32_t v;
    if (vt_state_open(r, "CS42", 2, &v)) return -1;
    c->iar = vt_state_get_u8(r);
    vt_state_get_bytes(r, c->regs, sizeof c->regs);
    c->pcount = vt_state_get_u16(r);
    c->ccount = vt_state_get_u16(r);
    c->calibrating = vt_state_get_u8(r) != 0;
    c->apc.csr = vt_state_get_u32(r);
    get_chan(r, &c->apc.play);
    get_chan(r, &c->apc.capt);
    c->play_frame = vt_state_get_u64(r);
    c->play_origin = vt_state_get_u64(r);
    c->capt_frame = vt_state_get_u64(r);
    c->capt_origin = vt_state_get_u64(r);
    vt_time calib = vt_state_get_u64(r);
    c->timer_origin = v >= 2 ? vt_state_get_u64(r) : 0;
    c->timer_n = v >= 2 ? vt_state_get_u64(r) : 0;
    if (vt_state_close(r)) return -1;
    c->seg_div = 0; /* the silence before the load is not this state's to fill */
    retime(c);
    vt_sched_cancel(sched(c), &c->play_ev);
    vt_sched_cancel(sched(c), &c->capt_ev);
    vt_sched_cancel(sched(c), &c->calib_ev);
    if (playing(c)) arm(c, &c->play_ev, c->play_origin, c->play_frame);
    if (capturing(c)) arm(c, &c->capt_ev, c->capt_origin, c->capt_frame);
    if (c->calibrating) vt_sched_arm(sched(c), &c->calib_ev, calib);
    vt_sched_cancel(sched(c), &c->timer_ev);
    if (c->regs[I16_ALT1] & TE) {
        if (v >= 2)
            timer_arm(c);
        else
            timer_restart(c); /* a version-1 state had no running timer to keep */
    }
    update_irq(c);
    return 0;
}

static void cs_destroy(vt_device *d) {
    cs4231 *c = d->priv;
    if (!c) return;                         /* create ran out of memory */
    vt_sched_cancel(sched(c), &c->play_ev); /* the scheduler outlives the device */
    vt_sched_cancel(sched(c), &c->capt_ev);
    vt_sched_cancel(sched(c), &c->calib_ev);
    vt_sched_cancel(sched(c), &c->timer_ev);
    free(c);
}

const vt_device_class vt_dev_cs4231 = {
    .name = "cs4231",
    .description = "Crystal CS4231 audio codec with the Sun APC DMA (SBus)",
    .keys =
        (const vt_dev_key[]){
            {"dma", VT_KEY_STR, "iommu", "DMA port for the APC's buffers (addressed)"},
            {"version", VT_KEY_U64, "0xa0", "I25 version/ID (0xa0: CS4231A, 0x80: CS4231)"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = cs_create,
    .reset = cs_reset,
    .save = cs_save,
    .load = cs_load,
    .destroy = cs_destroy,
};
