/* libFuzzer harness: arbitrary bytes as a machine profile. The INI parser and the machine
 * builder must turn anything into either a machine or a clean error, never a crash or leak.
 * The profile is handed over as a memfd so includes resolve under /proc/self/fd. */
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    int fd = fuzz_memfd("profile.ini", data, size, path, sizeof path);
    if (fd < 0) return 0;
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, path, NULL, &err) == 0) {
        vt_machine_run(m, 1000000); /* 1 µs of emulated time */
        vt_machine_destroy(m);
    }
    close(fd);
    return 0;
}
