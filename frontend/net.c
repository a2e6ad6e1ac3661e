/* `--net SPEC`: picks the network backend a spec names (frontend/net.h). */
#include "frontend/net.h"

int vt_net_open(const char *spec, vt_net **out, vt_error *err) {
    *out = NULL;
    if (!strcmp(spec, "none")) return 0;
    if (!strcmp(spec, "user")) return vt_net_user_open("", out, err);
    if (!strncmp(spec, "user,", 5)) return vt_net_user_open(spec + 5, out, err);
    return vt_fail(err, "--net %s: expected user[,hostfwd=...] or none", spec);
}
