/* libFuzzer harness: arbitrary bytes as a machine profile. The INI parser and the machine
 * builder must turn anything into either a machine or a clean error, never a crash or leak.
 * The profile is handed over as a memfd so includes resolve under /proc/self/fd. */
#include "core/machine.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("profile.ini", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, path, NULL, &err) == 0) {
        vt_machine_run(m, 1000000); /* 1 µs of emulated time */
        vt_machine_destroy(m);
    }
    close(fd);
    return 0;
}
