/* The ARM Linux hand-over (machines/arm_linux_boot.c): ATAG list contents and place, payload
 * layout in RAM, the reset-vector stub's literal pool, /chosen edits in a DTB (built here with
 * libfdt's sequential writer), and the clear refusals (no room, a bad DTB, an ELF kernel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "machines/arm_linux_boot.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RAM_BASE 0x10000000u
#define RAM_SIZE (32u << 20)

static char dir[] = "/tmp/vt-armboot-XXXXXX";
static char kpath[128], ipath[128], dpath[128];

static void write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(kpath, sizeof kpath, "%s/zImage", dir);
    snprintf(ipath, sizeof ipath, "%s/initrd", dir);
    snprintf(dpath, sizeof dpath, "%s/t.dtb", dir);
    uint8_t k[0x1000];
    for (size_t i = 0; i < sizeof k; i++)
        k[i] = (uint8_t)i;
    write_file(kpath, k, sizeof k);
    write_file(ipath, "initrd-bytes", 12);
    uint8_t fdt[512];
    assert_int_equal(fdt_create(fdt, sizeof fdt), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property_string(fdt, "model", "test"), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
    write_file(dpath, fdt, fdt_totalsize(fdt));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(kpath);
    unlink(ipath);
    unlink(dpath);
    rmdir(dir);
    return 0;
}

static vt_arm_linux_boot_args args(void) {
    return (vt_arm_linux_boot_args){.kernel = kpath,
                                    .initrd = ipath,
                                    .cmdline = "console=ttyS0",
                                    .machine_nr = 817,
                                    .ram_base = RAM_BASE,
                                    .ram_size = RAM_SIZE,
                                    .atag_offset = 0x100};
}

static void test_atags_and_layout(void **state) {
    (void)state;
    vt_arm_linux_boot b;
    vt_error err;
    vt_arm_linux_boot_args a = args();
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), 0);
    assert_int_equal(b.kernel_addr, RAM_BASE + 0x8000);
    assert_int_equal(b.tags_addr, RAM_BASE + 0x100);
    assert_int_equal(b.initrd_addr, RAM_BASE + RAM_SIZE - 0x1000); /* page-aligned, at the top */
    uint8_t *ram = calloc(1, RAM_SIZE);
    assert_non_null(ram);
    vt_arm_linux_boot_place(&b, ram);
    assert_int_equal(ram[0x8000 + 0x123], 0x23);
    assert_memory_equal(ram + RAM_SIZE - 0x1000, "initrd-bytes", 12);
    const uint8_t *t = ram + 0x100;
    /* CORE (5 words), MEM (4), INITRD2 (4), CMDLINE (2 + 4 for 13 chars + NUL), NONE */
    assert_int_equal(load_le32(t), 5);
    assert_int_equal(load_le32(t + 4), 0x54410001);
    t += 20;
    assert_int_equal(load_le32(t + 4), 0x54410002);
    assert_int_equal(load_le32(t + 8), RAM_SIZE);
    assert_int_equal(load_le32(t + 12), RAM_BASE);
    t += 16;
    assert_int_equal(load_le32(t + 4), 0x54420005);
    assert_int_equal(load_le32(t + 8), RAM_BASE + RAM_SIZE - 0x1000);
    assert_int_equal(load_le32(t + 12), 12);
    t += 16;
    assert_int_equal(load_le32(t), 6);
    assert_int_equal(load_le32(t + 4), 0x54410009);
    assert_string_equal((const char *)t + 8, "console=ttyS0");
    t += 24;
    assert_int_equal(load_le32(t), 0);
    assert_int_equal(load_le32(t + 4), 0);
    uint8_t stub[VT_ARM_LINUX_STUB_SIZE];
    vt_arm_linux_boot_stub(&b, stub);
    assert_int_equal(load_le32(stub), 0xe59f0008);      /* ldr r0, [pc, #8] */
    assert_int_equal(load_le32(stub + 12), 0xe59ff008); /* ldr pc, [pc, #8] */
    assert_int_equal(load_le32(stub + 16), 0);
    assert_int_equal(load_le32(stub + 20), 817);
    assert_int_equal(load_le32(stub + 24), RAM_BASE + 0x100);
    assert_int_equal(load_le32(stub + 28), RAM_BASE + 0x8000);
    free(ram);
    vt_arm_linux_boot_free(&b);
}

static void test_dtb_chosen(void **state) {
    (void)state;
    vt_arm_linux_boot b;
    vt_error err;
    vt_arm_linux_boot_args a = args();
    a.dtb = dpath;
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), 0);
    assert_true(b.tags_addr > b.initrd_addr + 12);
    assert_int_equal(b.tags_addr & 7, 0);
    const void *fdt = b.tags;
    int chosen = fdt_path_offset(fdt, "/chosen");
    assert_true(chosen >= 0);
    assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL), "console=ttyS0");
    const fdt32_t *s = fdt_getprop(fdt, chosen, "linux,initrd-start", NULL);
    const fdt32_t *e = fdt_getprop(fdt, chosen, "linux,initrd-end", NULL);
    assert_non_null(s);
    assert_non_null(e);
    assert_int_equal(fdt32_to_cpu(*s), b.initrd_addr);
    assert_int_equal(fdt32_to_cpu(*e), b.initrd_addr + 12);
    assert_string_equal(fdt_getprop(fdt, 0, "model", NULL), "test");
    vt_arm_linux_boot_free(&b);
}

/* Regression (found by fuzz_arm_linux_boot): a property whose name offset points outside the
 * strings block made libfdt 1.6.1's fdt_check_full dereference NULL; it is refused cleanly. */
static void test_bad_property_name_refused(void **state) {
    (void)state;
    uint8_t fdt[512];
    assert_int_equal(fdt_create(fdt, sizeof fdt), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property_string(fdt, "model", "test"), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
    /* structure block: BEGIN_NODE, "" padded to 4, PROP, len, nameoff */
    uint8_t *prop = fdt + fdt_off_dt_struct(fdt) + 8;
    assert_int_equal(load_be32(prop), 3);
    store_be32(prop + 8, 0xffffff00u);
    char bad[128];
    snprintf(bad, sizeof bad, "%s/bad.dtb", dir);
    write_file(bad, fdt, fdt_totalsize(fdt));
    vt_arm_linux_boot b;
    vt_error err;
    vt_arm_linux_boot_args a = args();
    a.dtb = bad;
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), -1);
    assert_non_null(strstr(err.msg, "not a flattened device tree"));
    unlink(bad);
}

/* The call boards with their own layout use (the N800): before the fold its copy lacked the
 * structure check above, and libfdt 1.6.1 dereferenced NULL on this blob. */
static void test_set_chosen_direct(void **state) {
    (void)state;
    uint8_t fdt[512];
    assert_int_equal(fdt_create(fdt, sizeof fdt), 0);
    assert_int_equal(fdt_finish_reservemap(fdt), 0);
    assert_int_equal(fdt_begin_node(fdt, ""), 0);
    assert_int_equal(fdt_property_string(fdt, "model", "test"), 0);
    assert_int_equal(fdt_end_node(fdt), 0);
    assert_int_equal(fdt_finish(fdt), 0);
    vt_fdt_chosen c = {.bootargs = "console=ttyS2",
                       .initrd = true,
                       .initrd_start = 0x80800000u,
                       .initrd_end = 0x80801000u};
    uint8_t *out;
    size_t len;
    vt_error err;
    assert_int_equal(vt_fdt_set_chosen(fdt, fdt_totalsize(fdt), &c, "t.dtb", &out, &len, &err), 0);
    assert_int_equal(len, fdt_totalsize(out));
    int chosen = fdt_path_offset(out, "/chosen");
    assert_true(chosen > 0);
    assert_string_equal(fdt_getprop(out, chosen, "bootargs", NULL), "console=ttyS2");
    const fdt32_t *end = fdt_getprop(out, chosen, "linux,initrd-end", NULL);
    assert_non_null(end);
    assert_int_equal(fdt32_to_cpu(*end), 0x80801000u);
    free(out);
    uint8_t *prop = fdt + fdt_off_dt_struct(fdt) + 8;
    store_be32(prop + 8, 0xffffff00u); /* the property's name outside the strings block */
    assert_int_equal(vt_fdt_set_chosen(fdt, fdt_totalsize(fdt), &c, "t.dtb", &out, &len, &err), -1);
    assert_non_null(strstr(err.msg, "dtb t.dtb: not a flattened device tree"));
}

static void test_refusals(void **state) {
    (void)state;
    vt_arm_linux_boot b;
    vt_error err;
    vt_arm_linux_boot_args a = args();
    a.ram_size = 0x8000 + 0x800; /* the kernel alone does not fit */
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), -1);
    a = args();
    a.dtb = ipath; /* not a device tree */
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), -1);
    assert_non_null(strstr(err.msg, "not a flattened device tree"));
    char elf[128];
    snprintf(elf, sizeof elf, "%s/vmlinux", dir);
    uint8_t hdr[64] = {0x7f, 'E', 'L', 'F'};
    write_file(elf, hdr, sizeof hdr);
    a = args();
    a.kernel = elf;
    assert_int_equal(vt_arm_linux_boot_open(&b, &a, &err), -1);
    assert_non_null(strstr(err.msg, "ELF"));
    unlink(elf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atags_and_layout),  cmocka_unit_test(test_dtb_chosen),
        cmocka_unit_test(test_refusals),          cmocka_unit_test(test_bad_property_name_refused),
        cmocka_unit_test(test_set_chosen_direct),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
