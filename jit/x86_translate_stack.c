/* Native x86 PUSH of an immediate (68, 6A) and of a 32-bit register or memory operand
 * (FF /6) for the JIT, 32-bit operand on a 32-bit stack: the operand is read through the
 * memory fast path (with ESP as it was before the push, as the interpreter's h_grp5 / x86_push
 * reads it), then stored at SS:ESP-4 through the same fast path, then ESP drops by 4. When
 * either access cannot take the fast path, nothing has changed yet and the interpreter's
 * handler runs the whole instruction, so faults stay exact. Facts: Intel SDM vol. 2, "PUSH". */
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define RCX VT_X64_RCX
#define R9 VT_X64_R9

static bool is_push(const x86_insn *i) {
    if (i->osize != 4 || i->lock) return false;
    if (i->opc == 0x68 || i->opc == 0x6A) return true;
    return i->opc == 0xFF && i->reg == 6 && (!i->mem || i->asize == 4);
}

bool x86_jit_emit_push(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                       const uint8_t *code, uint32_t *cycles, uint32_t *insns) {
    if (!is_push(i)) return false;
    vt_x64_emitter *e = &bld->e;
    vt_x64_label slow = vt_x64_label_new(), done = vt_x64_label_new();
    x86_jit_flush_counts(e, cycles, insns);
    if (i->opc != 0xFF) {
        vt_x64_mov_ri(e, 4, R9, i->imm);
    } else if (!i->mem) {
        vt_x64_load(e, 4, R9, x86_jit_reg_at(i->rm, 4));
    } else {
        x86_jit_emit_ea(e, i);
        x86_jit_emit_fast_addr(e, i->seg, 4, false, false, &slow);
        vt_x64_load(e, 4, R9, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0));
    }
    vt_x64_load(e, 4, RCX, x86_jit_reg_at(X86_ESP, 4));
    vt_x64_alu_ri(e, VT_X64_SUB, 4, RCX, 4);
    x86_jit_emit_fast_addr(e, SEG_SS, 4, true, true, &slow);
    vt_x64_store(e, 4, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0), R9);
    vt_x64_alu_mi(e, VT_X64_SUB, 4, x86_jit_reg_at(X86_ESP, 4), 4);
    vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, X86_JIT_OFF(cpu.cycles)), i->cost);
    vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, X86_JIT_OFF(cpu.insns)), 1);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &slow);
    x86_jit_emit_handler(bld, c, i, eip, next, code);
    vt_x64_bind(e, &done);
    return true;
}
