/* libFuzzer harness: arbitrary bytes as the --dtb a board edits (machines/fdt_chosen.c). Must
 * end in a valid, packed tree whose /chosen holds the bootargs and initrd range given, or a
 * clean error: never a crash, a hang or a leak. */
#include "machines/fdt_chosen.h"

#include <libfdt.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_fdt_chosen c = {.bootargs = "console=ttyS2",
                       .initrd = true,
                       .initrd_start = 0x84000000u,
                       .initrd_end = 0x84001000u};
    uint8_t *out;
    size_t len;
    vt_error err;
    if (vt_fdt_set_chosen(data, size, &c, "fuzz.dtb", &out, &len, &err)) return 0;
    if (fdt_check_header(out) || fdt_totalsize(out) != len) __builtin_trap();
    int chosen = fdt_path_offset(out, "/chosen");
    const char *args = chosen < 0 ? NULL : fdt_getprop(out, chosen, "bootargs", NULL);
    if (!args || strcmp(args, "console=ttyS2")) __builtin_trap();
    free(out);
    return 0;
}
