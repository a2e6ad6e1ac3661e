/* libFuzzer harness: arbitrary bytes as a ROM set archive (zip, 7z, tar.*), read against a
 * fixed two-file manifest. The in-memory reader must refuse or classify anything without a
 * crash, a leak or unbounded memory (entries are capped at their manifest size). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "romsets/romset_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("set.zip", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        vt_rom_manifest_file files[2] = {
            {.name = "a.rom", .dumps = {{.size = 4096}}, .ndumps = 1, .required = true},
            {.name = "b.rom", .dumps = {{.size = 100}}, .ndumps = 1, .required = true},
        };
        vt_rom_found found[2] = {{.status = VT_ROM_NOT_FOUND}, {.status = VT_ROM_NOT_FOUND}};
        vt_romset set = {.manifest = {.name = "set", .files = files, .nfiles = 2},
                         .kind = VT_ROMSET_ARCHIVE,
                         .found = found};
        vt_error err;
        if (vt_romset_read_archive(&set, path, &err) == 0) (void)vt_romset_is_good(&set);
        for (int i = 0; i < 2; i++)
            free(found[i].data);
    }
    close(fd);
    return 0;
}
