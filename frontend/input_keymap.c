/* Key map files (frontend/input_keymap.h): [keymap] description = TEXT and [keys] with one
 * `HIDNAME = CODE` per key (names from core/input_keys.c, codes 0..0xffff in the machine
 * keyboard's own numbering). Unknown names and keys are errors with file:line. */
#include "frontend/input_keymap.h"

#include "core/config.h"
#include "core/data_dir.h"
#include "core/input.h"

#include <stdio.h>

int vt_keymap_load_file(const char *path, vt_keymap *km, vt_error *err) {
    vt_cfg cfg = {0};
    memset(km, 0, sizeof *km);
    if (vt_cfg_load(&cfg, path, err)) return -1;
    int rc = -1;
    vt_cfg_section *keys = vt_cfg_section_find(&cfg, "keys");
    if (!keys) {
        vt_fail(err, "%s: no [keys] section", path);
        goto out;
    }
    for (int i = 0; i < cfg.nsections; i++) {
        vt_cfg_section *s = &cfg.sections[i];
        if (strcmp(s->name, "keys") && strcmp(s->name, "keymap")) {
            vt_cfg_section_fail(err, s, "unknown section [%s] (a key map has [keymap], [keys])",
                                s->name);
            goto out;
        }
    }
    vt_cfg_section *meta = vt_cfg_section_find(&cfg, "keymap");
    if (meta) {
        vt_cfg_str(meta, "description", NULL);
        if (vt_cfg_check_unused(meta, err)) goto out;
    }
    for (int i = 0; i < keys->nentries; i++) {
        vt_cfg_entry *e = &keys->entries[i];
        uint16_t hid = vt_input_key_code(e->key);
        uint64_t v;
        if (!hid) {
            vt_cfg_fail(err, e, "unknown key name '%s'", e->key);
            goto out;
        }
        if (vt_parse_u64(e->value, &v) || v > 0xffff) {
            vt_cfg_fail(err, e, "'%s' is not a key code (0..0xffff)", e->value);
            goto out;
        }
        km->has[hid] = true;
        km->code[hid] = (uint16_t)v;
    }
    rc = 0;
out:
    vt_cfg_free(&cfg);
    return rc;
}

int vt_keymap_load(const char *name, vt_keymap *km, vt_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/config/keymaps/%s.ini", vt_data_dir(), name);
    return vt_keymap_load_file(path, km, err);
}
