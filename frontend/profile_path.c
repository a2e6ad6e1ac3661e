/* Profile name → file; see profile_path.h. */
#include "frontend/profile_path.h"

#include "core/data_dir.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

int vt_profile_path(const char *profile, char *out, size_t outlen, vt_error *err) {
    struct stat st;
    size_t n = strlen(profile);
    if (strchr(profile, '/') || (n > 4 && !strcmp(profile + n - 4, ".ini"))) {
        if (stat(profile, &st))
            return vt_fail(err, "%s: cannot open: %s", profile, strerror(errno));
        snprintf(out, outlen, "%s", profile);
        return 0;
    }
    int w = snprintf(out, outlen, "%s/config/machines/%s.ini", vt_data_dir(), profile);
    if (w < 0 || (size_t)w >= outlen) return vt_fail(err, "profile name '%s' is too long", profile);
    if (stat(out, &st))
        return vt_fail(err, "unknown machine profile '%s' (no %s; `vitrine machines` lists them)",
                       profile, out);
    return 0;
}
