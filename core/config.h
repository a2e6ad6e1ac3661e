/* INI machine profiles (parsed with inih): sections of key/value entries, each remembering the
 * file and line it came from so every error can say `file:line: message`. `include = FILE`
 * pulls in another INI relative to the including file; `--set section.key=value` overrides
 * apply after parsing. Consumers mark keys they read; vt_cfg_check_unused() then reports
 * every key nobody knows (typos) as an error. */
#ifndef VT_CONFIG_H
#define VT_CONFIG_H

#include "core/common.h"

typedef struct vt_cfg_entry {
    char *key, *value;
    const char *file; /* interned in the vt_cfg */
    int line;
    bool used;
} vt_cfg_entry;

typedef struct vt_cfg_section {
    char *name;
    const char *file;
    int line;
    vt_cfg_entry *entries;
    int nentries;
} vt_cfg_section;

typedef struct vt_cfg {
    vt_cfg_section *sections;
    int nsections;
    char **files; /* every file read, for messages */
    int nfiles;
} vt_cfg;

int vt_cfg_load(vt_cfg *cfg, const char *path, vt_error *err) VT_MUST_CHECK;
/* Parses INI text held in memory (for tests and fuzzing); `name` is used in messages. */
int vt_cfg_load_string(vt_cfg *cfg, const char *name, const char *text,
                       vt_error *err) VT_MUST_CHECK;
void vt_cfg_free(vt_cfg *cfg);
/* Applies "section.key=value" (the key is after the last dot). */
int vt_cfg_override(vt_cfg *cfg, const char *assignment, vt_error *err) VT_MUST_CHECK;

vt_cfg_section *vt_cfg_section_find(const vt_cfg *cfg, const char *name);
/* Finds a key and marks it used; NULL when absent. */
vt_cfg_entry *vt_cfg_get(vt_cfg_section *s, const char *key);
const char *vt_cfg_str(vt_cfg_section *s, const char *key, const char *def);
/* Reads a number (0x, K/M/G); absent → def. Bad syntax → file:line error. */
int vt_cfg_u64(vt_cfg_section *s, const char *key, uint64_t def, uint64_t *out,
               vt_error *err) VT_MUST_CHECK;
/* Reads a clock frequency in Hz, bounded to VT_CLOCK_MIN_HZ..VT_CLOCK_MAX_HZ; absent → def. */
int vt_cfg_hz(vt_cfg_section *s, const char *key, uint64_t def, uint64_t *out,
              vt_error *err) VT_MUST_CHECK;
/* Checks an already parsed frequency of entry e against that range (file:line error). */
int vt_cfg_check_hz(const vt_cfg_entry *e, uint64_t hz, vt_error *err) VT_MUST_CHECK;
int vt_cfg_bool(vt_cfg_section *s, const char *key, bool def, bool *out,
                vt_error *err) VT_MUST_CHECK;
/* Requires a key to be present. */
int vt_cfg_require(vt_cfg_section *s, const char *key, vt_cfg_entry **out,
                   vt_error *err) VT_MUST_CHECK;
/* Formats "file:line: " + message into err; returns -1. */
int vt_cfg_fail(vt_error *err, const vt_cfg_entry *at, const char *fmt, ...) VT_PRINTF(3, 4);
int vt_cfg_section_fail(vt_error *err, const vt_cfg_section *at, const char *fmt, ...)
    VT_PRINTF(3, 4);
/* Errors on the first entry in `s` not marked used ("unknown key"). */
int vt_cfg_check_unused(const vt_cfg_section *s, vt_error *err) VT_MUST_CHECK;

#endif
