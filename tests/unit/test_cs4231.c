/* The CS4231 codec + APC DMA ("cs4231") on a CPU-less big-endian profile with `dma = memory`:
 * MODE2/ID and version registers, MCE gating of the format register and autocalibration (ACI
 * for 384 sample periods), playback through the APC at the programmed rate in emulated time
 * (double-buffered: the next buffer's interrupt, the samples the machine's audio mixer gets,
 * decoded from s16le stereo and mu-law mono), the pipe running dry (empty bits, underrun,
 * silence), the playback counter interrupt (PI/GINT, cleared by a status write), the rate
 * table, a 1 kHz sine played at 44.1 kHz arriving at a 48 kHz sink as 1 kHz, and the timer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/machine.h"
#include "core/savestate.h"
#include "peripherals/cs4231_audio.h"
#include "peripherals/pcm_decode.h"
#include "peripherals/sun_apc_dma.h"

#define CS 0x1000000
#define BUF_A 0x10000
#define BUF_B 0x20000
#define MS (VT_PS_PER_SEC / 1000)

static char profile[64];

static int setup(void **state) {
    (void)state;
    snprintf(profile, sizeof profile, "/tmp/vt-cs4231-XXXXXX");
    int fd = mkstemp(profile);
    assert_true(fd >= 0);
    const char *ini = "[machine]\nname = cs4231-test\nendian = big\n"
                      "[memory.ram]\nbase = 0\nsize = 1M\n"
                      "[device.audio]\ntype = cs4231\nbase = 0x1000000\nsize = 0x40\n"
                      "dma = memory\n";
    assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return unlink(profile);
}

static vt_machine *make(void) {
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, NULL, &err)) fail_msg("%s", err.msg);
    vt_machine_reset(m);
    return m;
}

static void wb(vt_machine *m, uint32_t off, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, CS + off, 1, v), VT_BUS_OK);
}

static uint8_t rb(vt_machine *m, uint32_t off) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, CS + off, 1, &v), VT_BUS_OK);
    return (uint8_t)v;
}

static void wl(vt_machine *m, uint32_t off, uint32_t v) {
    assert_int_equal(vt_bus_write(&m->bus, CS + off, 4, v), VT_BUS_OK);
}

static uint32_t rl(vt_machine *m, uint32_t off) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, CS + off, 4, &v), VT_BUS_OK);
    return (uint32_t)v;
}

/* Indexed register access the way Linux does it: index (with the MCE bit), then data. */
static void out(vt_machine *m, uint8_t mce, unsigned reg, uint8_t v) {
    wb(m, 0, (uint8_t)(mce | reg));
    wb(m, 4, v);
}

static uint8_t in(vt_machine *m, uint8_t mce, unsigned reg) {
    wb(m, 0, (uint8_t)(mce | reg));
    return rb(m, 4);
}

/* What the machine's mixer hands its sink (core/audio.h). */
typedef struct capture {
    int16_t s[1 << 16];
    size_t n;
} capture;

static void sink(void *opaque, const int16_t *samples, size_t n) {
    capture *c = opaque;
    assert_true(c->n + n <= VT_ARRAY_LEN(c->s));
    memcpy(c->s + c->n, samples, n * sizeof *samples);
    c->n += n;
}

static capture *listen(vt_machine *m, uint32_t rate) {
    capture *c = calloc(1, sizeof *c);
    vt_error err;
    assert_non_null(c);
    assert_int_equal(vt_audio_set_sink(m->audio, rate, sink, c, &err), 0);
    return c;
}

static vt_device *audio(vt_machine *m) {
    return vt_machine_device(m, "audio");
}

static void run_to(vt_machine *m, vt_time t) {
    vt_machine_run(m, t);
}

/* MODE2, format (with MCE), then the APC queue of buffers a and b, then PEN. */
static void start_playback(vt_machine *m, uint8_t format, uint32_t a, uint32_t alen, uint32_t b,
                           uint32_t blen) {
    out(m, 0, 12, 0x40);
    out(m, 0x40, 8, format);
    out(m, 0x40, 9, 0x00); /* no autocalibration */
    wb(m, 0, 0);           /* MCE down */
    wl(m, 0x10,
       VT_APC_GENL_INT | VT_APC_PLAY_INT | VT_APC_XINT_ENA | VT_APC_XINT_PLAY | VT_APC_XINT_PEMP |
           VT_APC_XINT_GENL | VT_APC_XINT_PENA);
    wl(m, 0x10, rl(m, 0x10) | VT_APC_PDMA_READY);
    assert_true(rl(m, 0x10) & VT_APC_XINT_PNVA); /* nothing queued */
    wl(m, 0x38, a);
    wl(m, 0x3c, alen);
    assert_int_equal(rl(m, 0x30), a); /* taken at once: the engine had nothing */
    assert_true(rl(m, 0x10) & VT_APC_XINT_PNVA);
    wl(m, 0x38, b);
    wl(m, 0x3c, blen);
    assert_false(rl(m, 0x10) & VT_APC_XINT_PNVA); /* queued */
    out(m, 0, 9, 0x01);                           /* PEN */
}

static void test_identity(void **state) {
    (void)state;
    vt_machine *m = make();
    assert_int_equal(rb(m, 0) & 0x80, 0); /* INIT clear: ready */
    out(m, 0x40, 12, 0x40);               /* MODE2 */
    assert_int_equal(in(m, 0, 12) & 0x0f, 0x0a);
    assert_int_equal(in(m, 0, 12) & 0x40, 0x40);
    assert_int_equal(in(m, 0, 25), 0xa0);
    out(m, 0, 25, 0x12); /* read-only */
    assert_int_equal(in(m, 0, 25), 0xa0);
    out(m, 0, 12, 0x00); /* MODE1: 16 registers, index 25 reads I9 */
    assert_int_equal(in(m, 0, 25), in(m, 0, 9));
    vt_machine_destroy(m);
}

static void test_mce_and_calibration(void **state) {
    (void)state;
    vt_machine *m = make();
    out(m, 0x40, 12, 0x40);
    out(m, 0x40, 8, 0x00); /* 8 kHz, u8 mono */
    wb(m, 0, 0);           /* MCE down: ACAL (reset default) starts calibration */
    out(m, 0, 8, 0x5b);    /* ignored without MCE */
    assert_int_equal(in(m, 0, 8), 0x00);
    assert_int_equal(in(m, 0, 11) & 0x20, 0x20); /* ACI */
    vt_time t0 = m->sched.now;
    run_to(m, t0 + 47 * MS); /* 384 periods at 8 kHz = 48 ms */
    assert_int_equal(in(m, 0, 11) & 0x20, 0x20);
    run_to(m, t0 + 49 * MS);
    assert_int_equal(in(m, 0, 11) & 0x20, 0);
    out(m, 0x40, 8, 0x0b); /* XTAL2 / 384 */
    assert_int_equal(vt_cs4231_rate(audio(m)), 44100);
    out(m, 0x40, 8, 0x0c); /* XTAL1 / 512 */
    assert_int_equal(vt_cs4231_rate(audio(m)), 48000);
    vt_machine_destroy(m);
}

static void test_playback_s16_stereo(void **state) {
    (void)state;
    vt_machine *m = make();
    capture *cap = listen(m, 8000); /* the codec's rate: output j is frame j */
    uint8_t a[800 * 4], b[400 * 4];
    for (int i = 0; i < 800 * 2; i++) {
        a[2 * i] = (uint8_t)(i * 7);
        a[2 * i + 1] = (uint8_t)(i >> 3);
    }
    memset(b, 0x11, sizeof b);
    assert_int_equal(vt_bus_write_block(&m->bus, BUF_A, a, sizeof a), 0);
    assert_int_equal(vt_bus_write_block(&m->bus, BUF_B, b, sizeof b), 0);
    vt_time t0 = m->sched.now;
    start_playback(m, 0x50, BUF_A, sizeof a, BUF_B, sizeof b); /* s16le stereo 8 kHz */
    run_to(m, t0 + 99 * MS);                                   /* 800 frames take 100 ms */
    assert_false(rl(m, 0x10) & VT_APC_PLAY_INT);
    run_to(m, t0 + 101 * MS);
    uint32_t csr = rl(m, 0x10);
    assert_true(csr & VT_APC_PLAY_INT); /* A done, B taken */
    assert_true(csr & VT_APC_INT_PENDING);
    assert_true(csr & VT_APC_XINT_PNVA); /* room for the next */
    assert_int_equal(rl(m, 0x30), BUF_B + 8 * 4);
    /* by 101 ms frames 0..807 are in: outputs 0..806 (one frame of latency), each the mean of
     * its left and right sample */
    vt_audio_flush(m->audio);
    assert_int_equal(cap->n, 807);
    assert_int_equal(cap->s[800], 0x1111); /* buffer B */
    for (int i = 0; i < 800; i++) {
        int16_t l = (int16_t)(a[4 * i] | a[4 * i + 1] << 8);
        int16_t r = (int16_t)(a[4 * i + 2] | a[4 * i + 3] << 8);
        assert_int_equal(cap->s[i], (l + r) / 2);
    }
    wl(m, 0x10, csr); /* acknowledge as Linux does */
    assert_false(rl(m, 0x10) & VT_APC_PLAY_INT);
    /* B runs dry at 150 ms with nothing queued: empty bits, general interrupt, underrun */
    run_to(m, t0 + 152 * MS);
    csr = rl(m, 0x10);
    assert_true(csr & VT_APC_XINT_EMPT);
    assert_true(csr & VT_APC_XINT_PEMP);
    assert_true(csr & VT_APC_GENL_INT);
    assert_int_equal(in(m, 0, 24) & 0x01, 0x01); /* PU */
    vt_audio_flush(m->audio);
    assert_true(cap->n >= 1200);
    assert_int_equal(cap->s[cap->n - 1], 0); /* silence after the last buffer */
    vt_machine_destroy(m);
    free(cap);
}

static void test_ulaw_mono_and_counter(void **state) {
    (void)state;
    vt_machine *m = make();
    capture *cap = listen(m, 8000);
    uint8_t a[1600];
    memset(a, 0x00, sizeof a); /* mu-law 0x00: the most negative step */
    assert_int_equal(vt_bus_write_block(&m->bus, BUF_A, a, sizeof a), 0);
    out(m, 0x40, 12, 0x40);
    out(m, 0, 14, 0); /* playback counter base 99: PI every 100 frames */
    out(m, 0, 15, 99);
    vt_time t0 = m->sched.now;
    start_playback(m, 0x20, BUF_A, 800, BUF_A + 800, 800); /* mu-law mono 8 kHz */
    run_to(m, t0 + 11 * MS);                               /* 88 frames */
    assert_int_equal(rb(m, 8) & 1, 0);
    run_to(m, t0 + 14 * MS); /* 112 frames: the counter underflowed */
    assert_int_equal(rb(m, 8) & 1, 1);
    assert_int_equal(in(m, 0, 24) & 0x10, 0x10); /* PI */
    wb(m, 8, 0);                                 /* any status write clears it */
    assert_int_equal(rb(m, 8) & 1, 0);
    run_to(m, t0 + 16 * MS);
    assert_true(cap->n >= 100);
    assert_int_equal(cap->s[0], vt_pcm_ulaw(0x00));
    assert_int_equal(cap->s[0], -32124);
    vt_machine_destroy(m);
    free(cap);
}

/* A 1 kHz sine, s16le stereo at XTAL2/384 = 44.1 kHz, twice through a 100 ms buffer, reaches a
 * 48 kHz sink resampled: its zero crossings give 1 kHz and its peak the programmed amplitude.
 * Before playback starts and after it ends the stream carries silence. */
static void test_sine_through_the_mixer(void **state) {
    (void)state;
    vt_machine *m = make();
    capture *cap = listen(m, 48000);
    enum { FRAMES = 4410 };
    static uint8_t buf[FRAMES * 4];
    for (int i = 0; i < FRAMES; i++) {
        int16_t v = (int16_t)lrint(10000.0 * sin(2 * M_PI * 1000.0 * i / 44100.0));
        for (int ch = 0; ch < 2; ch++) {
            buf[4 * i + 2 * ch] = (uint8_t)v;
            buf[4 * i + 2 * ch + 1] = (uint8_t)((uint16_t)v >> 8);
        }
    }
    assert_int_equal(vt_bus_write_block(&m->bus, BUF_A, buf, sizeof buf), 0);
    run_to(m, 10 * MS); /* 10 ms of silence at the reset rate (8 kHz) first */
    vt_time t0 = m->sched.now;
    start_playback(m, 0x5b, BUF_A, sizeof buf, BUF_A, sizeof buf);
    assert_int_equal(vt_cs4231_rate(audio(m)), 44100);
    run_to(m, t0 + 230 * MS);
    vt_audio_flush(m->audio);
    /* no gap: every output sample came, but for the last 1 ms batch not yet played */
    assert_true(cap->n >= 48000 * 240 / 1000 - 48);
    for (size_t j = 0; j < 470; j++)
        assert_int_equal(cap->s[j], 0);
    /* crossings upwards between 20 ms and 200 ms, placed by interpolation */
    double first = -1, last = -1;
    int ups = 0, peak = 0;
    for (size_t j = 960; j < 9600; j++) {
        if (abs(cap->s[j]) > peak) peak = abs(cap->s[j]);
        if (cap->s[j - 1] < 0 && cap->s[j] >= 0) {
            double at = (double)(j - 1) + (double)-cap->s[j - 1] / (cap->s[j] - cap->s[j - 1]);
            if (first < 0) first = at;
            last = at;
            ups++;
        }
    }
    double hz = (ups - 1) / ((last - first) / 48000.0);
    print_message("# sine: %d crossings, %.3f Hz, peak %d\n", ups, hz, peak);
    assert_true(ups >= 179 && ups <= 181);
    assert_true(fabs(hz - 1000.0) < 0.5);
    assert_true(peak >= 9900 && peak <= 10000);
    /* both buffers done at 210 ms: silence after */
    assert_int_equal(cap->s[cap->n - 1], 0);
    vt_machine_destroy(m);
    free(cap);
}

/* The timer: base 100 in I21:I20, TE in I16: TI (I24 bit 6, GINT) every 100 ticks of 9.920 us
 * with XTAL1, of 9.969 us with XTAL2; a status write clears it; TE off stops it. */
static void test_timer(void **state) {
    (void)state;
    vt_machine *m = make();
    const vt_time us = VT_PS_PER_SEC / 1000000;
    out(m, 0x40, 12, 0x40);
    out(m, 0x40, 9, 0x00); /* no calibration */
    wb(m, 0, 0);
    out(m, 0, 21, 0);
    out(m, 0, 20, 100);
    vt_time t0 = m->sched.now;
    out(m, 0, 16, 0x40); /* TE */
    run_to(m, t0 + 992 * us - 1);
    assert_int_equal(rb(m, 8) & 1, 0);
    run_to(m, t0 + 992 * us);
    assert_int_equal(rb(m, 8) & 1, 1);
    assert_int_equal(in(m, 0, 24) & 0x40, 0x40); /* TI */
    wb(m, 8, 0);
    assert_int_equal(in(m, 0, 24) & 0x40, 0);
    run_to(m, t0 + 1984 * us - 1); /* the second period, counted from the first (no drift) */
    assert_int_equal(rb(m, 8) & 1, 0);
    run_to(m, t0 + 99200 * us); /* the 100th */
    assert_int_equal(rb(m, 8) & 1, 1);
    out(m, 0, 16, 0x00); /* TE off */
    wb(m, 8, 0);
    run_to(m, t0 + 200 * 1000 * us);
    assert_int_equal(rb(m, 8) & 1, 0);
    out(m, 0x40, 8, 0x01); /* XTAL2 */
    wb(m, 0, 0);
    t0 = m->sched.now;
    out(m, 0, 16, 0x40);
    /* a machine state taken now keeps the running timer (vt_machine_load) */
    vt_state_writer w;
    vt_state_writer_init(&w);
    assert_int_equal(vt_machine_save(m, &w), 0);
    vt_machine *n = make();
    vt_state_reader r;
    vt_error err;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_machine_load(n, &r, &err), 0);
    vt_state_writer_free(&w);
    for (int k = 0; k < 2; k++) {
        vt_machine *x = k ? n : m;
        run_to(x, t0 + 996900 * us / 1000 - 1);
        assert_int_equal(rb(x, 8) & 1, 0);
        run_to(x, t0 + 996900 * us / 1000);
        assert_int_equal(rb(x, 8) & 1, 1);
    }
    vt_machine_destroy(n);
    vt_machine_destroy(m);
}

static void test_capture_silence(void **state) {
    (void)state;
    vt_machine *m = make();
    uint8_t junk[400];
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(vt_bus_write_block(&m->bus, BUF_A, junk, sizeof junk), 0);
    out(m, 0x40, 12, 0x40);
    out(m, 0x40, 8, 0x00);  /* 8 kHz (the shared rate) */
    out(m, 0x40, 28, 0x00); /* capture: u8 mono */
    out(m, 0x40, 9, 0x00);
    wb(m, 0, 0);
    wl(m, 0x10, VT_APC_XINT_ENA | VT_APC_XINT_CAPT | VT_APC_CDMA_READY);
    wl(m, 0x28, BUF_A);
    wl(m, 0x2c, 200); /* taken at once */
    wl(m, 0x28, BUF_A + 200);
    wl(m, 0x2c, 200);
    out(m, 0, 9, 0x02); /* CEN */
    vt_time t0 = m->sched.now;
    vt_machine_run(m, t0 + 26 * MS); /* 200 frames = 25 ms */
    assert_true(rl(m, 0x10) & VT_APC_CAPT_INT);
    assert_true(rl(m, 0x10) & VT_APC_INT_PENDING);
    assert_int_equal(rl(m, 0x20), BUF_A + 208); /* the second buffer, 1 ms in */
    uint8_t got[400];
    assert_int_equal(vt_bus_read_block(&m->bus, BUF_A, got, sizeof got), 0);
    for (int i = 0; i < 208; i++)
        assert_int_equal(got[i], 0x80); /* u8 silence */
    assert_int_equal(got[208], 0x5a);   /* not yet */
    vt_machine_destroy(m);
}

static void test_g711(void **state) {
    (void)state;
    assert_int_equal(vt_pcm_ulaw(0xff), 0);
    assert_int_equal(vt_pcm_ulaw(0x80), 32124);
    assert_int_equal(vt_pcm_alaw(0xd5), 8);
    assert_int_equal(vt_pcm_alaw(0x55), -8);
    assert_int_equal(vt_pcm_alaw(0xaa), 32256);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_mce_and_calibration),
        cmocka_unit_test(test_playback_s16_stereo),
        cmocka_unit_test(test_ulaw_mono_and_counter),
        cmocka_unit_test(test_sine_through_the_mixer),
        cmocka_unit_test(test_timer),
        cmocka_unit_test(test_capture_silence),
        cmocka_unit_test(test_g711),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
