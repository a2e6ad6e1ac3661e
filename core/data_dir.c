/* The install-directory lookup; see data_dir.h. */
#include "core/data_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vt_data_dir(void) {
    static char dir[PATH_MAX]; /* host-side install location, computed once */
    if (dir[0]) return dir;
    const char *env = getenv("VITRINE_DATADIR");
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        return dir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        /* build/vitrine → the repository root two levels up */
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash) break;
            *slash = 0;
            char probe[PATH_MAX + 32];
            snprintf(probe, sizeof probe, "%s/config/machines", exe);
            struct stat st;
            if (!stat(probe, &st) && S_ISDIR(st.st_mode)) {
                snprintf(dir, sizeof dir, "%s", exe);
                return dir;
            }
        }
    }
    snprintf(dir, sizeof dir, ".");
    return dir;
}
