/* libFuzzer harness: arbitrary bytes as a ROM set manifest (romsets/NAME.ini). The manifest
 * parser must turn anything into a manifest or a clean file:line error, never a crash or leak.
 * The input is written to a private temporary directory (not /proc/self/fd, where a relative
 * `include = 0` would name stdin). Seeds: the shipped manifests. */
#include <stdio.h>
#include <stdlib.h>

#include <unistd.h>

#include "romsets/romset.h"

static char path[64], dir[] = "/tmp/vt_fuzz_manifest_XXXXXX";

static void cleanup(void) {
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) {
        if (!mkdtemp(dir)) abort();
        snprintf(path, sizeof path, "%s/manifest", dir); /* no .ini: name check off */
        atexit(cleanup);
    }
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    size_t n = fwrite(data, 1, size, f);
    fclose(f);
    if (n != size) return 0;
    vt_rom_manifest m;
    vt_error err;
    if (vt_rom_manifest_load(path, &m, &err) == 0) vt_rom_manifest_free(&m);
    return 0;
}
