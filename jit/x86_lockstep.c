/* x86 lockstep runner (issue 16 "lockstep checking"): the interpreter is the reference. Both
 * cores get the budget of the JIT's next block, so each run() ends after exactly that block's
 * instructions on both (the cores stop at the first instruction boundary with cycles >=
 * stop_at), then every architectural register, the counters, the trap and memory are compared. */
#include <stdio.h>

#include "jit/x86_jit.h"
#include "jit/x86_lockstep.h"

static const char *const names[X86_NREGS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "es", "cs",
    "ss",  "ds",  "fs",  "gs",  "cr0", "cr2", "cr3", "cr4", "fcw", "fsw",    "ftw"};

/* Fills d->what with the first difference between the two cores; false when they agree. */
static bool differs(vt_cpu *a, vt_cpu *b, const vt_x86_trap *ta, const vt_x86_trap *tb,
                    const vt_x86_lockstep_mem *m, vt_x86_divergence *d) {
    for (int r = 0; r < X86_NREGS; r++) {
        uint64_t x = a->ops->get_reg(a, r), y = b->ops->get_reg(b, r);
        if (x != y) {
            snprintf(d->what, sizeof d->what, "%s: jit %08llx interpreter %08llx", names[r],
                     (unsigned long long)x, (unsigned long long)y);
            return true;
        }
    }
    if (a->cycles != b->cycles || a->insns != b->insns) {
        snprintf(d->what, sizeof d->what,
                 "cycles/instructions: jit %llu/%llu interpreter %llu/%llu",
                 (unsigned long long)a->cycles, (unsigned long long)a->insns,
                 (unsigned long long)b->cycles, (unsigned long long)b->insns);
        return true;
    }
    if (ta->kind != tb->kind || ta->vector != tb->vector || ta->error_code != tb->error_code ||
        ta->fault_addr != tb->fault_addr) {
        snprintf(d->what, sizeof d->what, "trap: jit %d/%d interpreter %d/%d", (int)ta->kind,
                 ta->vector, (int)tb->kind, tb->vector);
        return true;
    }
    for (size_t k = 0; k < m->len; k++) {
        if (m->jit[k] != m->ref[k]) {
            snprintf(d->what, sizeof d->what, "memory %08x: jit %02x interpreter %02x",
                     (unsigned)(m->guest_base + k), m->jit[k], m->ref[k]);
            return true;
        }
    }
    return false;
}

int vt_x86_lockstep(vt_cpu *jit, vt_cpu *ref, const vt_x86_lockstep_mem *mem, uint64_t max_insns,
                    vt_x86_divergence *d) {
    x86_cpu *cj = X86(jit);
    if (!cj->jit || X86(ref)->jit) return -1;
    while (ref->insns < max_insns) {
        d->block = (uint32_t)jit->ops->get_pc(jit);
        const uint8_t *code;
        const x86_block *b = x86_jit_block_at(cj, &code);
        uint64_t budget = b ? b->cost : 1; /* no block: the JIT side steps one instruction */
        jit->ops->run(jit, budget);
        ref->ops->run(ref, budget);
        vt_x86_trap tj = vt_x86_take_trap(jit), tr = vt_x86_take_trap(ref);
        d->pc = (uint32_t)ref->ops->get_pc(ref);
        d->insns = ref->insns;
        if (differs(jit, ref, &tj, &tr, mem, d)) return 1;
        if (tr.kind != VT_X86_TRAP_NONE) break;
    }
    d->what[0] = 0;
    return 0;
}
