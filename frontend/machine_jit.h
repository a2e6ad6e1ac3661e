/* Which machines translate their guest code (`--jit`, the kiosk): the ARM machines (palm-te,
 * nokia-n800) and the PC have a system-mode JIT (jit/README.md); the SPARC and PowerPC cores
 * interpret. One place for the rule so `vitrine run` and the kiosk agree. */
#ifndef VT_FRONTEND_MACHINE_JIT_H
#define VT_FRONTEND_MACHINE_JIT_H

#include "core/machine.h"
#include "jit/jit_mode.h"

/* NULL when m's core can run in `mode`, else why not (for a usage error). Off always can. */
const char *vt_machine_jit_refusal(const vt_machine *m, vt_jit_mode mode);

/* Installs the JIT of m's core for `mode`; a core (or a mode) without one keeps its
 * interpreter, so the default mode applies to every machine. Fails only when the JIT cannot be
 * set up (out of memory, no executable memory). */
int vt_machine_jit_enable(vt_machine *m, vt_jit_mode mode, vt_error *err) VT_MUST_CHECK;

#endif
