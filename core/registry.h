/* What core needs from the layers above it: the device classes (the peripherals directory), the
 * board glue (machines) and the ROM-set loader (romsets). Core never includes those layers; the
 * table is assembled above it (vt_registry_builtin, in the machines directory) and a machine
 * takes it from vt_machine_options.registry, defaulting to the built-in one. A test or an
 * embedder can pass its own table. */
#ifndef VT_REGISTRY_H
#define VT_REGISTRY_H

#include "core/common.h"

struct vt_device_class;
struct vt_board;

/* One ROM file handed out by the loader. */
typedef struct vt_rom_file {
    const uint8_t *data;
    size_t len;
    bool elf; /* placed segment by segment */
    bool has_load, has_alias;
    uint64_t load, alias;  /* the manifest's load address and second mapping */
    const char *container; /* where it came from, for the log */
    void *handle;          /* the loader's; released by rom_close */
} vt_rom_file;

enum { VT_ROM_NO_SET = -1, VT_ROM_NO_FILE = -2 };

typedef struct vt_registry {
    const struct vt_device_class *const *classes; /* NULL-terminated */
    const struct vt_board *const *boards;         /* NULL-terminated */
    /* Opens `file` of the audited ROM set `set` (ROM directories rom_path, NULL = default):
     * 0, VT_ROM_NO_SET (the set is missing or not good) or VT_ROM_NO_FILE, with err set. */
    int (*rom_open)(const char *set, const char *file, const char *rom_path, vt_rom_file *out,
                    vt_error *err);
    void (*rom_close)(vt_rom_file *f);
} vt_registry;

extern const vt_registry vt_registry_builtin;

const struct vt_device_class *vt_registry_class(const vt_registry *r, const char *name);
const struct vt_board *vt_registry_board(const vt_registry *r, const char *name);

#endif
