/* The `--jit` setting shared by every guest translator and the command lines: off (the
 * interpreter only), on (translated blocks), lockstep (each translated block checked against
 * the interpreter; see jit/README.md). */
#ifndef VT_JIT_MODE_H
#define VT_JIT_MODE_H

#include "core/common.h"

typedef enum vt_jit_mode { VT_JIT_OFF = 0, VT_JIT_ON, VT_JIT_LOCKSTEP } vt_jit_mode;

/* The default of --jit: translation where the host runs x86-64 code, else the interpreter. */
#if defined(__x86_64__)
#define VT_JIT_DEFAULT VT_JIT_ON
#else
#define VT_JIT_DEFAULT VT_JIT_OFF
#endif

/* Parses "on", "off" or "lockstep"; -1 with err naming the bad value. */
int vt_jit_mode_parse(const char *s, vt_jit_mode *out, vt_error *err) VT_MUST_CHECK;
const char *vt_jit_mode_name(vt_jit_mode m);

#endif
