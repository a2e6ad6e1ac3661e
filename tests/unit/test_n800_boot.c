/* The N800 board's Linux handover (machines/n800.c): the zImage, initrd and device tree land
 * in SDRAM where the board says, /chosen carries bootargs and linux,initrd-start/-end, and the
 * stub at the reset vector hands r0 = 0, r1 = ~0, r2 = the DTB address to the kernel entry.
 * Also: --dtb is required, a corrupt DTB is refused naming the file, and a board without DT
 * boot refuses --dtb. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RAM 0x80000000u

static char dir[64];
static char profile[128], kpath[128], ipath[128], dpath[128];

static void put(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt_n800_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(profile, sizeof profile, "%s/n800.ini", dir);
    snprintf(kpath, sizeof kpath, "%s/zImage", dir);
    snprintf(ipath, sizeof ipath, "%s/initrd", dir);
    snprintf(dpath, sizeof dpath, "%s/board.dtb", dir);
    const char ini[] = "[machine]\nname = t\ncpu = arm1136\nclock = 400000000\nboard = n800\n"
                       "[memory.ram]\nbase = 0x80000000\nsize = 128M\n";
    put(profile, ini, sizeof ini - 1);
    uint8_t kernel[64], initrd[100];
    memset(kernel, 0xab, sizeof kernel);
    memset(initrd, 0xcd, sizeof initrd);
    put(kpath, kernel, sizeof kernel);
    put(ipath, initrd, sizeof initrd);
    uint8_t dtb[512];
    assert_int_equal(fdt_create_empty_tree(dtb, sizeof dtb), 0);
    put(dpath, dtb, fdt_totalsize(dtb));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(profile);
    unlink(kpath);
    unlink(ipath);
    unlink(dpath);
    rmdir(dir);
    return 0;
}

static uint32_t rd32(vt_machine *m, uint32_t a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 4, &v), VT_BUS_OK);
    return (uint32_t)v;
}

static void test_handover(void **state) {
    (void)state;
    vt_machine_options o = {
        .kernel = kpath, .initrd = ipath, .dtb = dpath, .append = "console=ttyS2"};
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, &o, &err)) fail_msg("%s", err.msg);
    assert_int_equal(rd32(m, RAM + 0x10000), 0xabababab);   /* zImage at +64 KiB */
    assert_int_equal(rd32(m, RAM + 0x4000000), 0xcdcdcdcd); /* initrd at +64 MiB */
    /* stub literals: r0, r1, r2, pc */
    assert_int_equal(rd32(m, 16), 0);
    assert_int_equal(rd32(m, 20), 0xffffffffu);
    uint32_t dtb_addr = rd32(m, 24);
    assert_int_equal(dtb_addr, RAM + 0x4001000); /* next 4 KiB after the 100-byte initrd */
    assert_int_equal(rd32(m, 28), RAM + 0x10000);
    /* the device tree in SDRAM */
    uint8_t *dtb = malloc(4096);
    assert_int_equal(vt_bus_read_block(&m->bus, dtb_addr, dtb, 4096), VT_BUS_OK);
    assert_int_equal(fdt_check_header(dtb), 0);
    int chosen = fdt_path_offset(dtb, "/chosen");
    assert_true(chosen >= 0);
    assert_string_equal(fdt_getprop(dtb, chosen, "bootargs", NULL), "console=ttyS2");
    const fdt32_t *start = fdt_getprop(dtb, chosen, "linux,initrd-start", NULL);
    const fdt32_t *end = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
    assert_non_null(start);
    assert_non_null(end);
    assert_int_equal(fdt32_to_cpu(*start), RAM + 0x4000000);
    assert_int_equal(fdt32_to_cpu(*end), RAM + 0x4000000 + 100);
    free(dtb);
    /* the CPU runs the stub: after four instructions it is at the kernel with r0-r2 set */
    for (int i = 0; i < 4; i++) /* a 1-cycle run executes exactly one instruction */
        m->cpu->ops->run(m->cpu, 1);
    assert_int_equal(m->cpu->ops->get_pc(m->cpu), RAM + 0x10000);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 0), 0);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 1), 0xffffffffu);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 2), dtb_addr);
    vt_machine_destroy(m);
}

static void test_bad_input(void **state) {
    (void)state;
    vt_machine *m;
    vt_error err;
    vt_machine_options no_dtb = {.kernel = kpath};
    assert_int_not_equal(vt_machine_create(&m, profile, &no_dtb, &err), 0);
    assert_non_null(strstr(err.msg, "--dtb"));
    vt_machine_options bad = {.kernel = kpath, .dtb = ipath}; /* not a device tree */
    assert_int_not_equal(vt_machine_create(&m, profile, &bad, &err), 0);
    assert_non_null(strstr(err.msg, ipath));
    /* a board without DT boot refuses --dtb */
    char other[160];
    snprintf(other, sizeof other, "%s/other.ini", dir);
    const char ini[] = "[machine]\nname = o\ncpu = none\n[memory.ram]\nbase = 0\nsize = 1M\n";
    put(other, ini, sizeof ini - 1);
    vt_machine_options o = {.kernel = kpath, .dtb = dpath};
    assert_int_not_equal(vt_machine_create(&m, other, &o, &err), 0);
    unlink(other);
}

int main(void) {
    // clang-format off
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handover),
        cmocka_unit_test(test_bad_input),
    };
    // clang-format on
    return cmocka_run_group_tests(tests, setup, teardown);
}
