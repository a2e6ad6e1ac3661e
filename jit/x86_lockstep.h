/* Lockstep checking for the x86 JIT in Linux user mode (`vitrine user i386 --jit lockstep`):
 * one core, one address space. Each translated block runs in the JIT with every guest store
 * logged (address, size, value, the bytes it replaced), its result is taken and undone, the
 * interpreter runs the same instructions from the same state, and the two results are compared
 * (registers, defined EFLAGS bits, EIP, counts, trap, stores). The interpreter's result is kept;
 * the first difference is reported and from then on the interpreter alone runs. */
#ifndef VT_JIT_X86_LOCKSTEP_H
#define VT_JIT_X86_LOCKSTEP_H

#include <stddef.h>

#include "core/cpu.h"

/* Switches the JIT on in lockstep mode (user mode only: a machine's stores may reach devices,
 * which must not see them twice). -1 when out of memory or the core is not in user mode. */
int vt_x86_set_lockstep(vt_cpu *cpu) VT_MUST_CHECK;

/* True once a block diverged; msg gets the report line (as printed on stderr). */
bool vt_x86_lockstep_diverged(const vt_cpu *cpu, char *msg, size_t len);

/* Blocks checked so far (0 while lockstep is off). */
uint64_t vt_x86_lockstep_blocks(const vt_cpu *cpu);

#endif
