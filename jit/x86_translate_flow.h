/* The x86 translator's block ends (jit/x86_translate_flow.c): near JMP/Jcc/CALL with a
 * relative target and near RET translated natively, leaving through chainable exits (direct
 * targets) or an inline lookup of the return target's translation, and the translate-time
 * knowledge of which lazy-flag record the block left, so a Jcc after a compare in the same
 * block tests the host flags of the same operation instead of calling x86_cond. Not a public
 * header: only jit/x86_*.c include it. */
#ifndef VT_JIT_X86_TRANSLATE_FLOW_H
#define VT_JIT_X86_TRANSLATE_FLOW_H

#include "jit/jit_cache.h"
#include "jit/x86_jit.h"

/* The lazy-flag operation (CC_ADD, CC_SUB, CC_LOGIC, CC_INC, CC_DEC) the interpreter's record
 * holds after instruction i when it held `known` before, with its operand size in bits 8 and
 * up; -1 when not known at translate time. */
int x86_jit_flags_after(const x86_insn *i, int known);

/* A Jcc rel (32-bit code) inside a Linux user-mode block: taken, the cached registers are
 * written back on that path and the block leaves through a chainable exit to the target; not
 * taken, the block goes on (`known` as for x86_jit_emit_flow). */
void x86_jit_emit_jcc_inside(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                             uint32_t next, const uint8_t *code, uint32_t *cycles, uint32_t *insns,
                             int known);

/* Whether i (the block's last instruction) ends the block through x86_jit_emit_flow. */
bool x86_jit_flow_native(const x86_insn *i);

/* Emits the block's last instruction i (at eip, next instruction at next, bytes at code) and
 * the block's exits. *cycles / *insns are the native instructions' deferred counts, `known` the
 * flag record before i (x86_jit_flags_after). */
void x86_jit_emit_flow(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                       const uint8_t *code, uint32_t *cycles, uint32_t *insns, int known);

/* Whether i (the block's last instruction) is a near control transfer left to its handler
 * (x86_jit_emit_flow_handler): indirect JMP/CALL, RET imm16, LOOP/JCXZ, 16-bit forms. */
bool x86_jit_flow_by_handler(const x86_insn *i);

/* The handler of such an i, then (unless a store hit a code page) on to the translation of
 * the block at the new EIP without the dispatcher when there is one. */
void x86_jit_emit_flow_handler(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                               uint32_t next, const uint8_t *code);

/* The interpreter handler call of x86_jit_emit_handler without its exits (x86_translate.c),
 * and its exit for a store that hit a code page. */
void x86_jit_emit_handler_call(vt_jit_builder *bld, x86_insn *i, uint32_t eip, uint32_t next,
                               const uint8_t *code);
void x86_jit_emit_code_written_exit(vt_jit_builder *bld, x86_cpu *c);

/* A chainable END exit with EIP = target already stored (a plain END when none is left). */
void x86_jit_emit_chain_to(vt_jit_builder *bld, uint32_t target);

#endif
