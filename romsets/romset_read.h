/* Internal to romsets/: the two container readers (archive via libarchive, plain directory)
 * and the classification of the bytes they find against the manifest. Both read into memory
 * only and never follow links. */
#ifndef VT_ROMSET_READ_H
#define VT_ROMSET_READ_H

#include "romsets/romset.h"

int vt_romset_read_archive(vt_romset *set, const char *path, vt_error *err) VT_MUST_CHECK;
int vt_romset_read_dir(vt_romset *set, const char *dir, vt_error *err) VT_MUST_CHECK;

/* Index of the manifest file called `name`, or -1. */
int vt_romset_find_file(const vt_romset *set, const char *name);
/* Records what was read for file i: `data` (malloc'd, ownership passes) holds `len` bytes; when
 * `more` is set the source had more than `len` bytes (its declared size `declared` if known,
 * else 0). Hashes it and sets found[i]. */
void vt_romset_classify(vt_romset *set, int i, uint8_t *data, uint64_t len, bool more,
                        uint64_t declared);

#endif
