/* Which machines translate their guest code: see machine_jit.h. */
#include "frontend/machine_jit.h"

#include "core/cpu/x86/x86.h"
#include "jit/arm_jit.h"

#include <string.h>

static bool core_is(const vt_machine *m, const char *isa) {
    return m->cpu && !strcmp(m->cpu->ops->isa, isa);
}

const char *vt_machine_jit_refusal(const vt_machine *m, vt_jit_mode mode) {
    if (mode == VT_JIT_OFF || core_is(m, "arm")) return NULL;
    if (core_is(m, "x86"))
        return mode == VT_JIT_ON ? NULL
                                 : "no lockstep for the x86 JIT on machines (it is for Linux user "
                                   "mode: vitrine user i386 --jit lockstep)";
    return "no JIT for this core yet";
}

int vt_machine_jit_enable(vt_machine *m, vt_jit_mode mode, vt_error *err) {
    if (mode == VT_JIT_OFF || vt_machine_jit_refusal(m, mode)) return 0;
    if (core_is(m, "arm")) return vt_arm_jit_enable(m->cpu, mode, err);
    if (vt_x86_set_jit(m->cpu, true)) return vt_fail(err, "out of memory for the x86 JIT");
    return 0;
}
