/* Finding and reading firmware files named by a profile (PROM images, option-ROM FCode). */
#ifndef VT_ROM_FILE_H
#define VT_ROM_FILE_H

#include "core/machine.h"

/* Reads `name` (absolute, else from --rom-path, else next to the profile) into a malloc'd
 * buffer of at most `limit` bytes; the path found goes to `path`. */
int vt_rom_file_read(vt_machine *m, const char *name, uint64_t limit, uint8_t **data,
                     size_t *len, char *path, size_t pathlen, vt_error *err) VT_MUST_CHECK;

#endif
