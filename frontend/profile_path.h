/* Machine profile names: `sparcstation5` is <data dir>/config/machines/sparcstation5.ini. */
#ifndef VT_FRONTEND_PROFILE_PATH_H
#define VT_FRONTEND_PROFILE_PATH_H

#include "core/common.h"

/* Resolves a profile name ("sparcstation5") or a path (anything with a '/' or ending in .ini)
 * to a file path. */
int vt_profile_path(const char *profile, char *out, size_t outlen, vt_error *err) VT_MUST_CHECK;

#endif
