/* The ARM JIT's public face: turning it on for a core (Linux user mode or a machine), the
 * cache-flush range a guest announces, and the lockstep verdict. Translation, dispatch and checking
 * are in arm_translate.c, arm_jit.c and arm_lockstep.c; jit/README.md explains the design. */
#ifndef VT_JIT_ARM_JIT_H
#define VT_JIT_ARM_JIT_H

#include "core/cpu.h"
#include "jit/jit_mode.h"

/* Installs the JIT on an ARM core (mode on or lockstep; off does nothing): Linux user mode, or
 * a machine's core (system mode: it also installs the bus's write watch). */
int vt_arm_jit_enable(vt_cpu *cpu, vt_jit_mode mode, vt_error *err) VT_MUST_CHECK;
/* The guest wrote code in [start, end) and asked for coherency (ARM cacheflush syscall):
 * translated blocks from those bytes are dropped. No-op without a JIT. */
void vt_arm_jit_invalidate_range(vt_cpu *cpu, uint32_t start, uint32_t end);
/* Linux user mode: VA a is host base + a for every 32-bit a (and up to 3 bytes past 4 GiB: a
 * guard page), and a host fault there is the owner's to map back. Aligned little-endian loads
 * then read base + a directly (no software-TLB probe), each a fault site of the returned cache
 * (jit/jit_cache.h) that the owner's host-fault handler must redirect with
 * vt_jit_fault_target. NULL base, lockstep or no JIT: NULL, nothing direct. */
struct vt_jit_cache;
const struct vt_jit_cache *vt_arm_jit_set_direct_base(vt_cpu *cpu, uint8_t *base);
/* Lockstep: true once a divergence was found; msg then names the block, the instruction and
 * the first differing register, flag or memory write. */
bool vt_arm_jit_diverged(const vt_cpu *cpu, char *msg, size_t len);

/* Counters for tests and benchmarks. */
typedef struct vt_arm_jit_stats {
    uint64_t blocks_run, translations, invalidations, flushes, interp_steps, lockstep_blocks;
} vt_arm_jit_stats;
bool vt_arm_jit_get_stats(const vt_cpu *cpu, vt_arm_jit_stats *out);

/* Test-only: makes the translator emit a wrong result for ADD with an immediate (adds one
 * more), so the lockstep test can show that the check finds a translation bug. */
void vt_arm_jit_plant_bug_for_test(vt_cpu *cpu, bool on);

#endif
