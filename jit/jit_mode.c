/* `--jit on|off|lockstep` (see jit_mode.h). */
#include "jit/jit_mode.h"

static const char *const names[] = {"off", "on", "lockstep"};

int vt_jit_mode_parse(const char *s, vt_jit_mode *out, vt_error *err) {
    for (unsigned i = 0; i < VT_ARRAY_LEN(names); i++) {
        if (!strcmp(s, names[i])) {
            *out = (vt_jit_mode)i;
            return 0;
        }
    }
    return vt_fail(err, "--jit takes on, off or lockstep, not '%s'", s);
}

const char *vt_jit_mode_name(vt_jit_mode m) {
    return (unsigned)m < VT_ARRAY_LEN(names) ? names[m] : "?";
}
