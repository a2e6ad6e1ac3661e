/* Power Macintosh G3 chip tests on a small PowerPC machine: MPC106 config cycles through the
 * 0xfec00000/0xfee00000 windows (little-endian registers on a big-endian bus), Heathrow's BAR
 * placement with a CPU present (regression: a BAR move flushed the PowerPC core's TLB through a
 * missing vtable entry and crashed), and CUDA packets through the 6522's shift register and
 * TIP/TACK/TREQ handshake as OpenBIOS drives it (ADB Talk, RTC, unknown command), and the
 * sync handshake Linux's via-cuda.c starts with (regression: TREQ never followed TACK, so the
 * kernel logged "Timeout waiting for CUDA response to sync" and ran without ADB or RTC), and
 * Heathrow's feature control register holding what Linux writes (it reads it back to set bits),
 * and direct kernel boot: an ELF kernel placed as QEMU's g3beige places it, the initrd and the
 * command line after it, the fw_cfg items OpenBIOS reads, and wrong kernels refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "tests/unit/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROFILE                                                                                    \
    "[machine]\nname = g3test\ncpu = ppc750\nclock = 266000000\nendian = big\n"                    \
    "[memory.ram]\nbase = 0\nsize = 1M\n"                                                          \
    "[device.grackle]\ntype = mpc106\nbase = 0xfec00000\nsize = 0x201000\npci = grackle\n"         \
    "slot = 0\n"                                                                                   \
    "[device.macio]\ntype = heathrow-macio\npci = grackle\nslot = 16\nwindow = 0xf3000000\n"       \
    "[device.pic]\ntype = heathrow-pic\nbase = 0xf3000000\nsize = 0x30\nirq = cpu.0\n"             \
    "[device.cuda]\ntype = cuda\nbase = 0xf3016000\nsize = 0x2000\nirq = pic.18\n"                 \
    "[device.fcr]\ntype = heathrow-fcr\nbase = 0xf3000034\nsize = 8\n"

#define MACIO_BAR 0x80800000u
#define VIA(r) (MACIO_BAR + 0x16000u + (r)*0x200u)
enum { B = 0, SR = 10, ACR = 11, IFR = 13, IER = 14 };
#define TREQ 0x08
#define TACK 0x10
#define TIP 0x20
#define SR_OUT 0x10
#define SR_INT 0x04

static char dir[64];

static vt_machine *make_machine(void) {
    return fixture_machine(dir, PROFILE, NULL);
}

static uint32_t bswap32(uint32_t v) {
    return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* A config cycle as OpenBIOS does it: stwbrx to CONFIG_ADDRESS, then the data window. */
static void cfg_addr(vt_machine *m, unsigned slot, unsigned reg) {
    assert_int_equal(vt_bus_write(&m->bus, 0xfec00000, 4, bswap32(0x80000000u | slot << 11 | reg)),
                     0);
}

static uint32_t cfg_read32(vt_machine *m, unsigned slot, unsigned reg) {
    uint64_t v;
    cfg_addr(m, slot, reg);
    assert_int_equal(vt_bus_read(&m->bus, 0xfee00000, 4, &v), 0);
    return bswap32((uint32_t)v);
}

static void cfg_write32(vt_machine *m, unsigned slot, unsigned reg, uint32_t v) {
    cfg_addr(m, slot, reg);
    assert_int_equal(vt_bus_write(&m->bus, 0xfee00000, 4, bswap32(v)), 0);
}

static uint8_t rd(vt_machine *m, unsigned r) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, VIA(r), 1, &v), 0);
    return (uint8_t)v;
}

static void wr(vt_machine *m, unsigned r, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, VIA(r), 1, v), 0);
}

static void wait_sr(vt_machine *m) {
    uint8_t v = rd(m, IFR);
    wr(m, IFR, v & 0x7f);
    assert_true(v & SR_INT); /* the model answers at once: no polling needed */
}

/* One CUDA transaction, the OpenBIOS way; returns the reply length. */
static int cuda_request(vt_machine *m, const uint8_t *in, int len, uint8_t *out) {
    wr(m, ACR, rd(m, ACR) | SR_OUT);
    wr(m, SR, in[0]);
    wr(m, B, rd(m, B) & ~TIP);
    for (int i = 1; i < len; i++) {
        wait_sr(m);
        wr(m, SR, in[i]);
        wr(m, B, rd(m, B) ^ TACK);
    }
    wait_sr(m);
    wr(m, ACR, rd(m, ACR) & ~SR_OUT);
    rd(m, SR);
    wr(m, B, rd(m, B) | TIP | TACK);
    wait_sr(m);
    rd(m, SR);
    wr(m, B, rd(m, B) & ~TIP);
    int n = 0;
    for (;;) {
        wait_sr(m);
        out[n++] = rd(m, SR);
        if (rd(m, B) & TREQ) break;
        assert_true(n < 16);
        wr(m, B, rd(m, B) ^ TACK);
    }
    wr(m, B, rd(m, B) | TIP | TACK);
    wait_sr(m);
    rd(m, SR);
    return n;
}

static vt_machine *placed_machine(void) {
    vt_machine *m = make_machine();
    cfg_write32(m, 16, 0x10, MACIO_BAR);
    cfg_write32(m, 16, 0x04, 0x2); /* memory decoding on: the bus remaps, the CPU flushes */
    return m;
}

static void test_grackle_config(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    assert_int_equal(cfg_read32(m, 0, 0x00), 0x00021057u);
    assert_int_equal(cfg_read32(m, 0, 0x08) >> 8, 0x060001u);
    assert_int_equal(cfg_read32(m, 16, 0x00), 0x0010106bu);
    assert_int_equal(cfg_read32(m, 5, 0x00), 0xffffffffu); /* empty slot */
    cfg_write32(m, 16, 0x10, 0xffffffffu);                 /* BAR sizing: 512 KiB */
    assert_int_equal(cfg_read32(m, 16, 0x10), 0xfff80000u);
    vt_machine_destroy(m);
}

static void test_macio_bar_follows(void **state) {
    (void)state;
    vt_machine *m = placed_machine();
    assert_int_equal(rd(m, IER), 0x80); /* CUDA answers through the BAR */
    cfg_write32(m, 16, 0x10, 0x81000000u);
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0x81000000u + 0x16000u + IER * 0x200u, 1, &v), 0);
    assert_int_equal(v, 0x80);
    vt_machine_destroy(m);
}

static void test_cuda_adb_and_rtc(void **state) {
    (void)state;
    vt_machine *m = placed_machine();
    uint8_t out[16];
    wr(m, B, rd(m, B) | TREQ | TIP);
    const uint8_t talk_kbd_r3[] = {0x00, 0x2f};
    assert_int_equal(cuda_request(m, talk_kbd_r3, 2, out), 4);
    assert_memory_equal(out, ((uint8_t[]){0x00, 0x00, 0x02, 0x01}), 4);
    const uint8_t talk_nobody[] = {0x00, 0x5f};
    assert_int_equal(cuda_request(m, talk_nobody, 2, out), 3);
    assert_memory_equal(out, ((uint8_t[]){0x00, 0x02, 0x5f}), 3); /* timeout */
    const uint8_t get_time[] = {0x01, 0x03};
    assert_int_equal(cuda_request(m, get_time, 2, out), 7);
    /* 2000-01-01T00:00:00 UTC in seconds since 1904: 3029529600 = 0xb492f400 */
    assert_memory_equal(out, ((uint8_t[]){0x01, 0x00, 0x03, 0xb4, 0x92, 0xf4, 0x00}), 7);
    const uint8_t bogus[] = {0x01, 0x7e};
    assert_int_equal(cuda_request(m, bogus, 2, out), 4);
    assert_memory_equal(out, ((uint8_t[]){0x02, 0x02, 0x01, 0x7e}), 4);
    vt_machine_destroy(m);
}

/* cuda_init_via: with TIP negated, asserting TACK must assert TREQ (line low) with an SR
 * interrupt, negating it must negate TREQ with another one. */
static void test_cuda_sync(void **state) {
    (void)state;
    vt_machine *m = placed_machine();
    wr(m, B, rd(m, B) | TACK | TIP);
    wr(m, ACR, rd(m, ACR) & ~SR_OUT);
    rd(m, SR);
    wr(m, IFR, SR_INT);
    wr(m, B, rd(m, B) & ~TACK);
    assert_int_equal(rd(m, B) & TREQ, 0);
    wait_sr(m);
    rd(m, SR);
    wr(m, B, rd(m, B) | TACK);
    assert_int_equal(rd(m, B) & TREQ, TREQ);
    wait_sr(m);
    /* a request still works after the sync */
    uint8_t out[16];
    const uint8_t get_time[] = {0x01, 0x03};
    assert_int_equal(cuda_request(m, get_time, 2, out), 7);
    vt_machine_destroy(m);
}

static uint32_t pic_read(vt_machine *m, unsigned off) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, MACIO_BAR + off, 4, &v), 0);
    return bswap32((uint32_t)v); /* little-endian registers */
}

/* CUDA's shift-register interrupt reaches Heathrow input 18 (bank 0 at +0x20): latched as an
 * edge event, visible in the level register, cleared by an ack write. */
static void test_pic_cuda_interrupt(void **state) {
    (void)state;
    vt_machine *m = placed_machine();
    assert_int_equal(vt_bus_write(&m->bus, MACIO_BAR + 0x24, 4, bswap32(1u << 18)), 0);
    wr(m, IER, 0x80 | SR_INT);
    wr(m, ACR, SR_OUT);
    wr(m, SR, 0x01);
    wr(m, B, rd(m, B) & ~TIP); /* CUDA takes the byte and raises SR */
    assert_int_equal(pic_read(m, 0x20), 1u << 18);
    assert_int_equal(pic_read(m, 0x2c), 1u << 18);
    wr(m, IFR, SR_INT); /* the VIA drops its line: the edge event stays latched */
    assert_int_equal(pic_read(m, 0x2c), 0);
    assert_int_equal(pic_read(m, 0x20), 1u << 18);
    assert_int_equal(vt_bus_write(&m->bus, MACIO_BAR + 0x28, 4, bswap32(1u << 18)), 0);
    assert_int_equal(pic_read(m, 0x20), 0);
    vt_machine_destroy(m);
}

static void test_feature_control(void **state) {
    (void)state;
    vt_machine *m = placed_machine();
    assert_int_equal(vt_bus_write(&m->bus, MACIO_BAR + 0x38, 4, bswap32(0x00800040u)), 0);
    assert_int_equal(pic_read(m, 0x38), 0x00800040u);
    assert_int_equal(pic_read(m, 0x20), 0); /* the PIC banks are unaffected */
    vt_machine_destroy(m);
}

#define BOOT_PROFILE                                                                               \
    "[machine]\nname = g3boot\ncpu = ppc750\nclock = 266000000\nendian = big\nboard = powermac\n"  \
    "[memory.ram]\nbase = 0\nsize = 32M\n"                                                         \
    "[device.fwcfg]\ntype = qemu-fw-cfg\nbase = 0xf0000510\nsize = 4\n"                            \
    "[device.nvram]\ntype = macio-nvram\nbase = 0xf3060000\nsize = 0x20000\nreg_shift = 4\n"

static void write_file(const char *name, const void *data, size_t len, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void be16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v) {
    be16(p, (uint16_t)(v >> 16)), be16(p + 2, (uint16_t)v);
}

/* A 32-bit big-endian ELF with one PT_LOAD: 16 bytes of code at 0xc0000000 (physical 0),
 * 0x2000 bytes in memory, like a PowerPC vmlinux. */
static size_t make_elf(uint8_t *e, uint16_t machine) {
    memset(e, 0, 0x110);
    memcpy(e,
           "\x7f"
           "ELF\x01\x02\x01",
           7);
    be16(e + 16, 2), be16(e + 18, machine), be32(e + 20, 1), be32(e + 24, 0xc0000000u);
    be32(e + 28, 52), be16(e + 40, 52), be16(e + 42, 32), be16(e + 44, 1);
    uint8_t *ph = e + 52;
    be32(ph, 1), be32(ph + 4, 0x100), be32(ph + 8, 0xc0000000u), be32(ph + 12, 0);
    be32(ph + 16, 16), be32(ph + 20, 0x2000), be32(ph + 24, 7), be32(ph + 28, 0x1000);
    for (int i = 0; i < 16; i++)
        e[0x100 + i] = (uint8_t)(0x40 + i);
    return 0x110;
}

static uint32_t fw_cfg_u32(vt_machine *m, uint16_t key) {
    assert_int_equal(vt_bus_write(&m->bus, 0xf0000510, 2, key), 0);
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t b;
        assert_int_equal(vt_bus_read(&m->bus, 0xf0000512, 1, &b), 0);
        v |= (uint32_t)b << (8 * i); /* little-endian items */
    }
    return v;
}

static void test_direct_boot(void **state) {
    (void)state;
    char profile[128], kpath[128], ipath[128];
    write_file("boot.ini", BOOT_PROFILE, strlen(BOOT_PROFILE), profile, sizeof profile);
    uint8_t elf[0x110];
    write_file("vmlinux", elf, make_elf(elf, 20), kpath, sizeof kpath);
    const char initrd[] = "070701 an initramfs";
    write_file("initrd.cpio", initrd, sizeof initrd, ipath, sizeof ipath);
    vt_machine_options o = {.kernel = kpath, .initrd = ipath, .append = "console=ttyPZ0"};
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, &o, &err)) fail_msg("%s", err.msg);
    vt_machine_reset(m);
    uint8_t *ram = vt_bus_find(&m->bus, 0)->host;
    assert_int_equal(ram[0x01000000], 0x40); /* (0 & 0x0fffffff) + 0x01000000 */
    assert_int_equal(ram[0x0100000f], 0x4f);
    assert_int_equal(ram[0x01000010], 0);                            /* the rest of memsz is zero */
    assert_memory_equal(ram + 0x01102000, initrd, sizeof initrd);    /* end + 1 MiB, page up */
    assert_string_equal((char *)ram + 0x01103000, "console=ttyPZ0"); /* the page after */
    assert_int_equal(fw_cfg_u32(m, 0x07), 0x01000000u);              /* KERNEL_ADDR */
    assert_int_equal(fw_cfg_u32(m, 0x08), 0x2000);                   /* KERNEL_SIZE */
    assert_int_equal(fw_cfg_u32(m, 0x09), 0x01103000u);              /* KERNEL_CMDLINE */
    assert_int_equal(fw_cfg_u32(m, 0x0a), 0x01102000u);              /* INITRD_ADDR */
    assert_int_equal(fw_cfg_u32(m, 0x0b), sizeof initrd);            /* INITRD_SIZE */
    assert_int_equal(fw_cfg_u32(m, 0x0c) & 0xffff, 'm');             /* BOOT_DEVICE */
    ram[0x01000000] = 0;
    vt_machine_reset(m); /* placed again */
    assert_int_equal(ram[0x01000000], 0x40);
    vt_machine_destroy(m);
    /* refused: a kernel for another machine, an over-long command line */
    write_file("vmlinux-sparc", elf, make_elf(elf, 2), kpath, sizeof kpath);
    o.append = NULL;
    assert_int_not_equal(vt_machine_create(&m, profile, &o, &err), 0);
    assert_non_null(strstr(err.msg, "not a 32-bit big-endian PowerPC ELF"));
    write_file("vmlinux", elf, make_elf(elf, 20), kpath, sizeof kpath);
    static char longline[5000];
    memset(longline, 'x', sizeof longline - 1);
    o.append = longline;
    assert_int_not_equal(vt_machine_create(&m, profile, &o, &err), 0);
    assert_non_null(strstr(err.msg, "command line longer"));
    char path[160];
    const char *names[] = {"boot.ini", "vmlinux", "vmlinux-sparc", "initrd.cpio"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/vt_g3_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grackle_config),     cmocka_unit_test(test_macio_bar_follows),
        cmocka_unit_test(test_cuda_adb_and_rtc),   cmocka_unit_test(test_cuda_sync),
        cmocka_unit_test(test_pic_cuda_interrupt), cmocka_unit_test(test_feature_control),
        cmocka_unit_test(test_direct_boot),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/g3.ini", dir);
    unlink(path);
    rmdir(dir);
    return rc;
}
