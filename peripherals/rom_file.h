/* Finding and reading firmware files named by a profile (PROM images, option-ROM FCode). */
#ifndef VT_ROM_FILE_H
#define VT_ROM_FILE_H

#include "core/machine.h"

/* Reads firmware file `name` into a malloc'd buffer of at most `limit` bytes. With a romset
 * name, the verified file from that set on the ROM path comes first (romsets/README.md);
 * otherwise, or when the set is not installed, `name` as an absolute path, in the --rom-path
 * directory, then next to the profile. Where it came from goes to `path`. */
int vt_rom_file_read(vt_machine *m, const char *romset, const char *name, uint64_t limit,
                     uint8_t **data, size_t *len, char *path, size_t pathlen,
                     vt_error *err) VT_MUST_CHECK;

#endif
