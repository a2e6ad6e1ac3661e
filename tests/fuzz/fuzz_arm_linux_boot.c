/* libFuzzer harness: arbitrary bytes as the --dtb of the ARM Linux hand-over
 * (machines/arm_linux_boot.c). Opening must end in a laid-out payload whose edited tree is a
 * valid FDT inside RAM, or a clean error: never a crash, a hang or a leak. The bytes go through
 * a temporary file because the hand-over reads the files the command line names. */
#include "machines/arm_linux_boot.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/vt-fuzz-armboot-XXXXXX";
static char kpath[64], dpath[64];

static void write_file(const char *path, const uint8_t *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) __builtin_trap();
    if (len && fwrite(data, 1, len, f) != len) __builtin_trap();
    fclose(f);
}

static void cleanup(void) {
    unlink(kpath);
    unlink(dpath);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!kpath[0]) {
        if (!mkdtemp(dir)) __builtin_trap();
        snprintf(kpath, sizeof kpath, "%s/zImage", dir);
        snprintf(dpath, sizeof dpath, "%s/t.dtb", dir);
        static const uint8_t kernel[0x40];
        write_file(kpath, kernel, sizeof kernel);
        atexit(cleanup);
    }
    write_file(dpath, data, size);
    vt_arm_linux_boot_args a = {.kernel = kpath,
                                .cmdline = "console=ttyS2",
                                .dtb = dpath,
                                .machine_nr = 0xffffffffu,
                                .ram_base = 0x80000000u,
                                .ram_size = 128u << 20};
    vt_arm_linux_boot b;
    vt_error err;
    if (vt_arm_linux_boot_open(&b, &a, &err)) return 0;
    if (fdt_check_full(b.tags, b.tags_len) || b.tags_addr < a.ram_base ||
        b.tags_addr + b.tags_len > a.ram_base + a.ram_size)
        __builtin_trap();
    vt_arm_linux_boot_free(&b);
    return 0;
}
