/* Internal interface between the x86 translator (jit/x86_translate.c: block walk, handler
 * calls, exits) and the files that emit native forms of guest instructions
 * (jit/x86_translate_*.c): the guest-state field offsets, the effective-address and
 * memory-operand fast path (jit/x86_translate_mem.c) and the handler fallback. Not a public
 * header: only jit/x86_*.c include it. */
#ifndef VT_JIT_X86_TRANSLATE_INT_H
#define VT_JIT_X86_TRANSLATE_INT_H

#include <stddef.h>

#include "jit/jit_cache.h"
#include "jit/x86_jit.h"

#define X86_JIT_ST VT_JIT_STATE
#define X86_JIT_OFF(field) ((int32_t)offsetof(x86_cpu, field))
#define X86_JIT_REG(n) ((int32_t)(offsetof(x86_cpu, r) + 4 * (size_t)(n)))

/* ECX = disp + base + index << scale (32-bit address arithmetic; the caller masks 16-bit
 * addresses). Clobbers EAX. */
void x86_jit_emit_ea(vt_x64_emitter *e, const x86_insn *i);

/* Jumps to slow unless the `size`-byte access at offset ECX of segment seg can take the
 * interpreter's fast path (x86_fast_ptr): a present, writable, expand-up data segment with a
 * 4 GiB limit, no page crossing and a software-TLB hit for the access (for a read-modify-write
 * pass write: a write hit also allows the read). On the fast path RSI + RCX is the host
 * address. `stack` also requires a 32-bit stack (SS.B), so the offset is not masked to 16
 * bits. Clobbers RAX, RDX. */
void x86_jit_emit_fast_addr(vt_x64_emitter *e, unsigned seg, unsigned size, bool write, bool stack,
                            vt_x64_label *slow);

/* One call of i's interpreter handler with the interpreter's bookkeeping before it and its
 * cycles and the flow / code-write exits after it (jit/x86_translate.c). */
void x86_jit_emit_handler(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                          const uint8_t *code);

/* Adds the deferred cycles and instruction count of native instructions to the state. */
void x86_jit_flush_counts(vt_x64_emitter *e, uint32_t *cycles, uint32_t *insns);

#endif
