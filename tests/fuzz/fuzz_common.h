/* Pieces the libFuzzer harnesses share (header-only: each harness is one translation unit):
 * handing bytes over as a file under /proc/self/fd (a memfd, so nothing touches the disk and
 * INI includes resolve), and the save -> load check every device-level harness ends with (a
 * device must load the state it saved itself). */
#ifndef VT_FUZZ_COMMON_H
#define VT_FUZZ_COMMON_H

#include "core/machine.h"
#include "core/savestate.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes `len` bytes to a new memfd named `name` and its path into path[pathsz]; returns the
 * descriptor (the caller closes it, or keeps it for the whole run), or -1. */
static inline int fuzz_memfd(const char *name, const void *data, size_t len, char *path,
                             size_t pathsz) {
    int fd = memfd_create(name, 0);
    if (fd < 0) return -1;
    if (write(fd, data, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    snprintf(path, pathsz, "/proc/self/fd/%d", fd);
    return fd;
}

/* Saves every device of m and loads the bytes back; a device refusing its own state traps. */
static inline void fuzz_state_round_trip(vt_machine *m) {
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        vt_state_writer w;
        vt_state_writer_init(&w);
        d->cls->save(d, &w);
        vt_state_reader r;
        vt_state_reader_init(&r, w.buf, w.len);
        if (d->cls->load(d, &r)) __builtin_trap();
        vt_state_writer_free(&w);
    }
}

#endif
