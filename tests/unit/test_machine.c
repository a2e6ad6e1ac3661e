/* Machine tests on the CPU-less test profile: two machines in one process, two instances of
 * one device class at different addresses and IRQs, timer events in exact emulated time,
 * IRQ wiring from INI, and identical state hashes for identical runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/block/block.h"
#include "core/machine.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define INTC 0x10000000
#define TIMER 0x10001000

static vt_machine *make(void) {
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, "config/machines/testmachine.ini", NULL, &err)) {
        print_error("%s\n", err.msg);
        fail();
    }
    return m;
}

static uint64_t rd(vt_machine *m, vt_paddr a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 4, &v), VT_BUS_OK);
    return v;
}

static void wr(vt_machine *m, vt_paddr a, uint64_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 4, v), VT_BUS_OK);
}

static void test_two_instances(void **state) {
    (void)state;
    vt_machine *m = make();
    assert_int_equal(rd(m, INTC), 0x56545354);
    assert_int_equal(rd(m, TIMER), 0x56545354);
    wr(m, INTC + 4, 111);
    wr(m, TIMER + 4, 222);
    assert_int_equal(rd(m, INTC + 4), 111);
    assert_int_equal(rd(m, TIMER + 4), 222);
    assert_non_null(vt_machine_device(m, "timer"));
    assert_null(vt_machine_device(m, "nope"));
    vt_machine_destroy(m);
}

static void test_timer_exact_and_irq(void **state) {
    (void)state;
    vt_machine *m = make();
    /* 3579545 Hz timer, period 3579545 cycles: exactly one expiry per emulated second */
    wr(m, TIMER + 8, 3579545);
    vt_machine_run(m, 999999999999ull); /* 1 ps short of a second */
    assert_int_equal(rd(m, TIMER + 0x10), 0);
    assert_int_equal(rd(m, INTC + 0x1c), 0);
    vt_machine_run(m, VT_PS_PER_SEC);
    assert_int_equal(rd(m, TIMER + 0x10), 1);
    /* the timer's irq output is wired to intc input 5 by the profile */
    assert_int_equal(rd(m, INTC + 0x1c), 1u << 5);
    wr(m, TIMER + 0x0c, 1);
    assert_int_equal(rd(m, INTC + 0x1c), 0);
    /* 1000 more seconds: exactly 1000 more expiries, no drift */
    vt_machine_run(m, 1001 * VT_PS_PER_SEC);
    assert_int_equal(rd(m, TIMER + 0x10), 1001);
    vt_machine_destroy(m);
}

static void test_two_machines_independent(void **state) {
    (void)state;
    vt_machine *a = make(), *b = make();
    wr(a, TIMER + 8, 1000);
    wr(b, TIMER + 8, 7);
    vt_machine_run(a, VT_PS_PER_SEC / 1000);
    vt_machine_run(b, VT_PS_PER_SEC / 1000);
    /* 1 ms at 3579545 Hz = 3579.545 cycles */
    assert_int_equal(rd(a, TIMER + 0x10), 3);
    assert_int_equal(rd(b, TIMER + 0x10), 511);
    assert_int_equal(a->sched.now, VT_PS_PER_SEC / 1000);
    vt_machine_destroy(a);
    vt_machine_destroy(b);
}

static void test_deterministic_hash(void **state) {
    (void)state;
    char h1[65], h2[65], h3[65];
    vt_error err;
    for (int i = 0; i < 3; i++) {
        vt_machine *m = make();
        wr(m, TIMER + 8, i == 2 ? 1235 : 1234);
        vt_machine_run(m, VT_PS_PER_SEC / 10);
        assert_int_equal(vt_machine_state_hash(m, i == 0 ? h1 : i == 1 ? h2 : h3, &err), 0);
        vt_machine_destroy(m);
    }
    assert_string_equal(h1, h2);
    assert_string_not_equal(h1, h3);
}

/* vt_machine_load (the kiosk's pristine reset): a fresh machine given another's state saves the
 * same bytes and then runs exactly like it (the timer's armed event comes back); a state cut
 * short or naming another device is refused with a message. */
static void test_state_load_round_trip(void **state) {
    (void)state;
    vt_machine *a = make(), *b = make();
    vt_error err;
    wr(a, TIMER + 8, 1234);
    wr(a, INTC + 4, 77);
    vt_machine_run(a, VT_PS_PER_SEC / 10);
    vt_state_writer w;
    vt_state_writer_init(&w);
    assert_int_equal(vt_machine_save(a, &w), 0);
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_machine_load(b, &r, &err), 0);
    char h1[65], h2[65];
    assert_int_equal(vt_machine_state_hash(a, h1, &err), 0);
    assert_int_equal(vt_machine_state_hash(b, h2, &err), 0);
    assert_string_equal(h1, h2);
    assert_int_equal(rd(b, INTC + 4), 77);
    vt_machine_run(a, VT_PS_PER_SEC / 4);
    vt_machine_run(b, VT_PS_PER_SEC / 4);
    assert_int_equal(rd(b, TIMER + 0x10), rd(a, TIMER + 0x10));
    assert_true(rd(b, TIMER + 0x10) > 0);
    assert_int_equal(vt_machine_state_hash(a, h1, &err), 0);
    assert_int_equal(vt_machine_state_hash(b, h2, &err), 0);
    assert_string_equal(h1, h2);
    vt_machine_destroy(b);
    b = make();
    vt_state_reader_init(&r, w.buf, w.len / 2);
    assert_int_equal(vt_machine_load(b, &r, &err), -1);
    assert_non_null(strstr(err.msg, "state does not fit"));
    vt_machine_destroy(b);
    /* the first device's name follows the MACH chunk (16-byte header, 8-byte time) and the DEV
     * chunk's header (this profile has no CPU chunk) */
    size_t name_at = 24 + 16;
    assert_memory_equal(w.buf + name_at, a->devices[0]->name, strlen(a->devices[0]->name));
    w.buf[name_at] ^= 0x20;
    b = make();
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_machine_load(b, &r, &err), -1);
    assert_non_null(strstr(err.msg, "in the state"));
    vt_machine_destroy(b);
    vt_machine_destroy(a);
    vt_state_writer_free(&w);
}

/* Regression: a chunk inside a chunk (a device's chunk inside the machine's "DEV ") used to
 * write the outer length over the stream's first bytes and fail the outer close on reading. */
static void test_savestate_nested(void **state) {
    (void)state;
    vt_state_writer w;
    vt_state_writer_init(&w);
    vt_state_begin(&w, "HEAD", 1);
    vt_state_end(&w);
    vt_state_begin(&w, "OUTR", 1);
    vt_state_put_u8(&w, 1);
    vt_state_begin(&w, "INNR", 1);
    vt_state_put_u32(&w, 0xabcd);
    vt_state_end(&w);
    vt_state_put_u8(&w, 2);
    vt_state_end(&w);
    assert_false(w.failed);
    assert_memory_equal(w.buf, "HEAD", 4);
    vt_state_reader r;
    uint32_t ver;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "HEAD", 1, &ver), 0);
    assert_int_equal(vt_state_close(&r), 0);
    assert_int_equal(vt_state_open(&r, "OUTR", 1, &ver), 0);
    assert_int_equal(vt_state_get_u8(&r), 1);
    assert_int_equal(vt_state_open(&r, "INNR", 1, &ver), 0);
    assert_int_equal(vt_state_get_u32(&r), 0xabcd);
    assert_int_equal(vt_state_close(&r), 0);
    assert_int_equal(vt_state_get_u8(&r), 2);
    assert_int_equal(vt_state_close(&r), 0);
    assert_int_equal(r.pos, w.len);
    /* an inner chunk may not claim more than its outer chunk holds */
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "HEAD", 1, &ver), 0);
    assert_int_equal(vt_state_close(&r), 0);
    assert_int_equal(vt_state_open(&r, "OUTR", 1, &ver), 0);
    vt_state_get_u8(&r);
    w.buf[r.pos + 8] = 0x10; /* INNR's length: 16 bytes, past OUTR's end */
    assert_int_equal(vt_state_open(&r, "INNR", 1, &ver), -1);
    /* too deep */
    vt_state_writer_free(&w);
    vt_state_writer_init(&w);
    for (int i = 0; i <= VT_STATE_MAX_DEPTH; i++)
        vt_state_begin(&w, "DEEP", 1);
    assert_true(w.failed);
    vt_state_writer_free(&w);
}

/* A state loaded into a machine whose audio mixer has a sink goes on from the state's time:
 * 10 ms after a load at 100 ms the sink has 10 ms of samples, not 110 ms in one burst. */
static void count_sink(void *opaque, const int16_t *samples, size_t n) {
    (void)samples;
    *(size_t *)opaque += n;
}

static void test_state_load_restarts_audio(void **state) {
    (void)state;
    vt_machine *a = make(), *b = make();
    vt_error err;
    size_t got = 0;
    vt_machine_run(a, VT_PS_PER_SEC / 10);
    vt_state_writer w;
    vt_state_writer_init(&w);
    assert_int_equal(vt_machine_save(a, &w), 0);
    assert_int_equal(vt_audio_set_sink(b->audio, 48000, count_sink, &got, &err), 0);
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_machine_load(b, &r, &err), 0);
    vt_machine_run(b, VT_PS_PER_SEC / 10 + VT_PS_PER_SEC / 100);
    vt_audio_flush(b->audio);
    assert_int_equal(got, 480);
    vt_state_writer_free(&w);
    vt_machine_destroy(a);
    vt_machine_destroy(b);
}

/* A whole PC chip set (its devices save nested chunks) through vt_machine_load: the loaded
 * machine goes on exactly like the original (timers, interrupts and RTC re-armed). */
static void test_state_load_pc_chips(void **state) {
    (void)state;
    static const char ini[] =
        "[machine]\nname = t\ncpu = none\n"
        "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\n"
        "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nirq = pic1.2\n"
        "[device.pit]\ntype = i8254\nbase = 0x40\nsize = 4\nirq = pic1.0\n"
        "[device.kbc]\ntype = i8042\nbase = 0x60\nsize = 5\nirq = pic1.1\nirq1 = pic2.4\n"
        "[device.rtc]\ntype = mc146818\nbase = 0x70\nsize = 2\nirq = pic2.0\n";
    char path[] = "/tmp/vt-pcload-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    vt_machine *m[2];
    vt_error err;
    for (int i = 0; i < 2; i++)
        assert_int_equal(vt_machine_create(&m[i], path, NULL, &err), 0);
    unlink(path);
    static const uint8_t io[][2] = {{0x43, 0x34},
                                    {0x40, 0x00},
                                    {0x40, 0x80}, /* PIT ch0 */
                                    {0x70, 0x0b},
                                    {0x71, 0x52}}; /* RTC periodic */
    for (size_t k = 0; k < VT_ARRAY_LEN(io); k++)
        assert_int_equal(vt_bus_write(&m[0]->bus, io[k][0], 1, io[k][1]), VT_BUS_OK);
    vt_machine_run(m[0], VT_PS_PER_SEC / 2);
    vt_state_writer w;
    vt_state_writer_init(&w);
    assert_int_equal(vt_machine_save(m[0], &w), 0);
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_machine_load(m[1], &r, &err), 0);
    char h[2][65];
    for (int i = 0; i < 2; i++) {
        vt_machine_run(m[i], VT_PS_PER_SEC + VT_PS_PER_SEC / 3);
        assert_int_equal(vt_machine_state_hash(m[i], h[i], &err), 0);
    }
    assert_string_equal(h[0], h[1]);
    vt_state_writer_free(&w);
    for (int i = 0; i < 2; i++)
        vt_machine_destroy(m[i]);
}

static void test_exit_register(void **state) {
    (void)state;
    vt_machine *m = make();
    wr(m, INTC + 0x18, 42);
    assert_true(m->stop_requested);
    assert_int_equal(m->exit_status, 42);
    vt_machine_destroy(m);
}

static void test_savestate_format(void **state) {
    (void)state;
    vt_state_writer w;
    vt_state_writer_init(&w);
    vt_state_begin(&w, "TEST", 2);
    vt_state_put_u32(&w, 7);
    vt_state_put_u64(&w, 0x123456789abcdefull);
    vt_state_end(&w);
    vt_state_reader r;
    uint32_t ver;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "TEST", 2, &ver), 0);
    assert_int_equal(ver, 2);
    assert_int_equal(vt_state_get_index(&r, 8), 7);
    assert_int_equal(vt_state_get_u64(&r), 0x123456789abcdefull);
    assert_int_equal(vt_state_close(&r), 0);
    /* newer version than supported */
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "TEST", 1, &ver), -1);
    assert_non_null(strstr(vt_state_error(&r), "newer"));
    /* wrong tag */
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "CPU ", 9, &ver), -1);
    /* index out of range */
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "TEST", 2, &ver), 0);
    vt_state_get_index(&r, 7);
    assert_false(vt_state_ok(&r));
    /* truncated stream: every cut is refused cleanly */
    for (size_t cut = 0; cut < w.len; cut++) {
        vt_state_reader_init(&r, w.buf, cut);
        if (vt_state_open(&r, "TEST", 2, &ver) == 0) {
            vt_state_get_u32(&r);
            vt_state_get_u64(&r);
            assert_int_equal(vt_state_close(&r), -1);
        }
    }
    /* unread bytes are an error */
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(vt_state_open(&r, "TEST", 2, &ver), 0);
    vt_state_get_u32(&r);
    assert_int_equal(vt_state_close(&r), -1);
    vt_state_writer_free(&w);
}

/* --snapshot: guest writes through the test device's disk land in the throw-away overlay; the
 * base (opened read-only) keeps its bytes. */
static void test_snapshot_disk(void **state) {
    (void)state;
    char base[] = "/tmp/vt-snap-XXXXXX";
    int fd = mkstemp(base);
    assert_true(fd >= 0);
    uint8_t sector[512];
    memset(sector, 0x11, sizeof sector);
    for (int i = 0; i < 8; i++)
        assert_int_equal(write(fd, sector, sizeof sector), 512);
    close(fd);
    vt_machine_options o = {0};
    vt_error err;
    assert_int_equal(vt_block_open_snapshot(&o.disks[0], base, NULL, &err), 0);
    vt_machine *m;
    assert_int_equal(vt_machine_create(&m, "config/machines/testmachine.ini", &o, &err), 0);
    assert_int_equal(rd(m, TIMER + 0x2c), 8);
    wr(m, TIMER + 0x200, 0xdeadbeef);
    wr(m, TIMER + 0x20, 3);
    wr(m, TIMER + 0x24, 2); /* write sector 3 */
    assert_int_equal(rd(m, TIMER + 0x28), 0);
    wr(m, TIMER + 0x200, 0);
    wr(m, TIMER + 0x24, 1); /* read it back */
    assert_int_equal(rd(m, TIMER + 0x200), 0xdeadbeef);
    wr(m, TIMER + 0x20, 8);
    wr(m, TIMER + 0x24, 1); /* past the end */
    assert_int_equal(rd(m, TIMER + 0x28), 1);
    vt_machine_destroy(m);
    assert_int_equal(vt_block_close(o.disks[0], &err), 0);
    FILE *f = fopen(base, "rb");
    assert_non_null(f);
    uint8_t back[4096];
    assert_int_equal(fread(back, 1, sizeof back, f), 4096);
    fclose(f);
    for (int i = 0; i < 4096; i++)
        assert_int_equal(back[i], 0x11);
    unlink(base);
}

/* A bus remap must drop host pointers the CPU cached: a microSPARC (boot mode: fetches from the
 * PROM address 0xf_f000_0000) loops in RAM there counting in %g1; the region is switched off
 * and another RAM (counting in %g2) moved in its place. Without the TLB
 * flush the core would keep running the old page. */
static void test_remap_flushes_cpu_tlb(void **state) {
    (void)state;
    char path[] = "/tmp/vt-remap-XXXXXX.ini";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    const char *ini = "[machine]\nname = remap\ncpu = microsparc2\nclock = 1000000\nendian = big\n"
                      "[memory.code]\nbase = 0xff0000000\nsize = 4K\n"
                      "[memory.alt]\nbase = 0xff0100000\nsize = 4K\n";
    assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    vt_machine *m;
    vt_error err;
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), 0);
    unlink(path);
    /* add %gN, 1, %gN; ba .-4; nop */
    const uint32_t loop_g1[3] = {0x82006001, 0x10bfffff, 0x01000000};
    const uint32_t loop_g2[3] = {0x8400a001, 0x10bfffff, 0x01000000};
    const vt_paddr prom = 0xff0000000ull, other = 0xff0100000ull;
    uint8_t *code = vt_bus_host_ptr(&m->bus, prom, 12, true);
    uint8_t *alt = vt_bus_host_ptr(&m->bus, other, 12, true);
    for (int i = 0; i < 3; i++) {
        store_be32(code + 4 * i, loop_g1[i]);
        store_be32(alt + 4 * i, loop_g2[i]);
    }
    vt_machine_run(m, VT_PS_PER_SEC / 1000); /* 1000 cycles */
    uint64_t g1 = m->cpu->ops->get_reg(m->cpu, 1);
    assert_true(g1 > 0);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 2), 0);
    vt_region *rc = vt_bus_find(&m->bus, prom), *ra = vt_bus_find(&m->bus, other);
    vt_bus_disable(&m->bus, rc);
    assert_int_equal(vt_bus_move(&m->bus, ra, prom, &err), 0);
    vt_machine_run(m, 2 * VT_PS_PER_SEC / 1000);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 1), g1); /* the old page runs no more */
    assert_true(m->cpu->ops->get_reg(m->cpu, 2) > 0);
    vt_machine_destroy(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_instances),
        cmocka_unit_test(test_timer_exact_and_irq),
        cmocka_unit_test(test_two_machines_independent),
        cmocka_unit_test(test_deterministic_hash),
        cmocka_unit_test(test_state_load_round_trip),
        cmocka_unit_test(test_savestate_nested),
        cmocka_unit_test(test_state_load_restarts_audio),
        cmocka_unit_test(test_state_load_pc_chips),
        cmocka_unit_test(test_exit_register),
        cmocka_unit_test(test_savestate_format),
        cmocka_unit_test(test_snapshot_disk),
        cmocka_unit_test(test_remap_flushes_cpu_tlb),
    };
    return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
