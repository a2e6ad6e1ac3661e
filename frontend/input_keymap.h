/* Key maps: which code a machine's keyboard sends for each host key, read from
 * config/keymaps/NAME.ini ([keys] HIDNAME = code). */
#ifndef VT_INPUT_KEYMAP_H
#define VT_INPUT_KEYMAP_H

#include "core/common.h"

typedef struct vt_keymap {
    bool has[256]; /* by HID usage */
    uint16_t code[256];
} vt_keymap;

/* Loads config/keymaps/NAME.ini under the data directory; errors say file:line. */
int vt_keymap_load(const char *name, vt_keymap *km, vt_error *err) VT_MUST_CHECK;
/* Loads a key map file by path. */
int vt_keymap_load_file(const char *path, vt_keymap *km, vt_error *err) VT_MUST_CHECK;

#endif
