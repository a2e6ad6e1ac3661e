/* The built-in registry core/ builds machines from (core/registry.h): every device class of
 * peripherals/device_classes.list, every board of machines/board_list.list, and ROM files
 * from audited ROM sets (romsets/). */
#include "core/device.h"
#include "core/machine.h"
#include "core/registry.h"
#include "romsets/romset.h"

#define VT_DEVICE_CLASS(sym) extern const vt_device_class sym;
#include "peripherals/device_classes.list"
#undef VT_DEVICE_CLASS

static const vt_device_class *const classes[] = {
#define VT_DEVICE_CLASS(sym) &sym,
#include "peripherals/device_classes.list"
#undef VT_DEVICE_CLASS
    NULL,
};

#define VT_BOARD(sym) extern const vt_board sym;
#include "machines/board_list.list"
#undef VT_BOARD

static const vt_board *const boards[] = {
#define VT_BOARD(sym) &sym,
#include "machines/board_list.list"
#undef VT_BOARD
    NULL,
};

static int rom_open(const char *set_name, const char *file, const char *rom_path, vt_rom_file *out,
                    vt_error *err) {
    vt_romset *set;
    vt_error sub;
    if (vt_romset_load(set_name, rom_path, &set, &sub)) {
        vt_fail(err, "%s (`vitrine romset fetch %s` builds free sets)", sub.msg, set_name);
        return VT_ROM_NO_SET;
    }
    const vt_rom_manifest_file *mf = vt_romset_manifest_file(set, file);
    *out = (vt_rom_file){.container = set->container, .handle = set};
    if (!mf || vt_romset_file(set, file, &out->data, &out->len)) {
        vt_romset_free(set);
        vt_fail(err, "romset '%s' has no file '%s'", set_name, file);
        return VT_ROM_NO_FILE;
    }
    out->elf = mf->elf;
    out->has_load = mf->has_load;
    out->load = mf->load;
    out->has_alias = mf->has_alias;
    out->alias = mf->alias;
    return 0;
}

static void rom_close(vt_rom_file *f) {
    vt_romset_free(f->handle);
}

const vt_registry vt_registry_builtin = {
    .classes = classes,
    .boards = boards,
    .rom_open = rom_open,
    .rom_close = rom_close,
};
