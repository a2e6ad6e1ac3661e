/* Where ROM sets and their manifests live: manifests in <data dir>/romsets/NAME.ini, ROM files
 * on the ROM path (--rom-path, $VITRINE_ROM_PATH, $XDG_DATA_HOME/vitrine/roms or
 * ~/.local/share/vitrine/roms; ':' separates several directories). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/machine.h"
#include "romsets/romset.h"

int vt_romset_manifest_path(const char *name_or_path, char *out, size_t outlen, vt_error *err) {
    size_t n = strlen(name_or_path);
    bool is_path = strchr(name_or_path, '/') || (n > 4 && !strcmp(name_or_path + n - 4, ".ini"));
    int w = is_path ? snprintf(out, outlen, "%s", name_or_path)
                    : snprintf(out, outlen, "%s/romsets/%s.ini", vt_data_dir(), name_or_path);
    if (w < 0 || (size_t)w >= outlen) return vt_fail(err, "%s: path too long", name_or_path);
    if (!is_path && access(out, F_OK))
        return vt_fail(err, "unknown romset '%s' (no manifest %s)", name_or_path, out);
    return 0;
}

int vt_romset_rom_path(const char *override, char *out, size_t outlen, vt_error *err) {
    const char *env = getenv("VITRINE_ROM_PATH");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int w;
    if (override && *override)
        w = snprintf(out, outlen, "%s", override);
    else if (env && *env)
        w = snprintf(out, outlen, "%s", env);
    else if (xdg && *xdg == '/')
        w = snprintf(out, outlen, "%s/vitrine/roms", xdg);
    else if (home && *home)
        w = snprintf(out, outlen, "%s/.local/share/vitrine/roms", home);
    else
        return vt_fail(err, "no ROM path: set --rom-path, VITRINE_ROM_PATH or HOME");
    if (w < 0 || (size_t)w >= outlen) return vt_fail(err, "ROM path too long");
    return 0;
}
