/* Lockstep checking for the x86 JIT: two cores with the same user-mode state, one with the JIT
 * on and one interpreting, run block by block with equal cycle budgets; after each block their
 * registers, EFLAGS, cycle and instruction counts, traps and guest memory are compared, and the
 * first divergence names the block's start, the PC reached and what differs. */
#ifndef VT_JIT_X86_LOCKSTEP_H
#define VT_JIT_X86_LOCKSTEP_H

#include "core/cpu.h"

/* The guest memory of each core: two copies of the same window (compared whole after each
 * block, so meant for the small windows of tests and debugging sessions). */
typedef struct vt_x86_lockstep_mem {
    const uint8_t *jit, *ref;
    size_t len;
    uint32_t guest_base; /* guest address of byte 0, for the report */
} vt_x86_lockstep_mem;

typedef struct vt_x86_divergence {
    uint32_t block; /* guest linear address of the block that diverged */
    uint32_t pc;    /* the interpreter's EIP after the block */
    uint64_t insns; /* instructions retired by the interpreter when it was found */
    char what[160]; /* e.g. "eax: jit 00000007 interpreter 00000005" */
} vt_x86_divergence;

/* Runs both cores until a trap ends run() on both (compared too), max_insns instructions, or
 * a divergence. Returns 1 with d filled at the first divergence, 0 when none was found, -1
 * when `jit` has the JIT off or `ref` has it on. */
int vt_x86_lockstep(vt_cpu *jit, vt_cpu *ref, const vt_x86_lockstep_mem *mem, uint64_t max_insns,
                    vt_x86_divergence *d) VT_MUST_CHECK;

#endif
