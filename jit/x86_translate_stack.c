/* Native x86 stack forms for the JIT, 32-bit operand on a 32-bit stack: PUSH of an immediate
 * (68, 6A) and of a 32-bit register or memory operand (FF /6), POP r/m32 (8F /0) and LEAVE
 * (C9). Every access goes through the memory fast path (reads other than POP to memory direct
 * in user mode: x86_jit_emit_read_addr): PUSH reads its operand with ESP as it
 * was before the push (as h_grp5 / x86_push), POP's memory destination is addressed with the
 * incremented ESP when ESP is its base (h_pop_rm), LEAVE reads SS:[EBP] then ESP = EBP + 4
 * (h_leave). When any access cannot take the fast path nothing has changed yet and the
 * interpreter's handler runs the whole instruction, so faults stay exact.
 * Facts: Intel SDM vol. 2, "PUSH", "POP", "LEAVE". */
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define RCX VT_X64_RCX
#define R9 VT_X64_R9
#define R10 VT_X64_R10

static bool is_stack_op(const x86_insn *i) {
    if (i->osize != 4 || i->lock || (i->mem && i->asize != 4)) return false;
    if (i->opc == 0x68 || i->opc == 0x6A || i->opc == 0xC9) return true;
    return (i->opc == 0xFF && i->reg == 6) || (i->opc == 0x8F && i->reg == 0);
}

/* R9D = the 32-bit value at SS:[ESP] (POP) or SS:[EBP] (LEAVE), else slow; a direct read
 * (x86_jit_emit_read_addr) with bld. */
static void emit_stack_read(vt_x64_emitter *e, vt_jit_builder *bld, const x86_cpu *c, unsigned reg,
                            vt_x64_label *slow) {
    vt_x64_load(e, 4, RCX, x86_jit_reg_at(e, reg, 4));
    if (bld)
        x86_jit_emit_read_addr(bld, c, SEG_SS, 4, true, slow);
    else
        x86_jit_emit_fast_addr(e, c, SEG_SS, 4, false, true, slow);
    vt_x64_load(e, 4, R9, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0));
}

/* POP r/m32: the destination's host address first (R10), then the read; ESP + 4 before a
 * register destination is written, so POP %esp leaves the popped value. */
static void emit_pop(vt_x64_emitter *e, const x86_cpu *c, const x86_insn *i, vt_x64_label *slow) {
    if (i->mem) {
        x86_jit_emit_ea(e, i);
        if (i->base == X86_ESP) vt_x64_alu_ri(e, VT_X64_ADD, 4, RCX, 4);
        x86_jit_emit_fast_addr(e, c, i->seg, 4, true, false, slow);
        vt_x64_lea(e, 8, R10, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0));
    }
    /* a memory destination is stored after ESP moved: no fault site (it would span the store) */
    emit_stack_read(e, NULL, c, X86_ESP, slow);
    vt_x64_alu_mi(e, VT_X64_ADD, 4, x86_jit_reg_at(e, X86_ESP, 4), 4);
    vt_x64_store(e, 4, i->mem ? vt_x64_at(R10, 0) : x86_jit_reg_at(e, i->rm, 4), R9);
}

/* LEAVE: R9D = SS:[EBP], ESP = EBP + 4, EBP = R9D. */
static void emit_leave(vt_jit_builder *bld, const x86_cpu *c, vt_x64_label *slow) {
    vt_x64_emitter *e = &bld->e;
    emit_stack_read(e, bld, c, X86_EBP, slow);
    vt_x64_load(e, 4, RCX, x86_jit_reg_at(e, X86_EBP, 4));
    vt_x64_alu_ri(e, VT_X64_ADD, 4, RCX, 4);
    vt_x64_store(e, 4, x86_jit_reg_at(e, X86_ESP, 4), RCX);
    vt_x64_store(e, 4, x86_jit_reg_at(e, X86_EBP, 4), R9);
}

/* PUSH: R9D = the operand, then the store at SS:ESP-4. */
static void emit_push(vt_jit_builder *bld, const x86_cpu *c, const x86_insn *i,
                      vt_x64_label *slow) {
    vt_x64_emitter *e = &bld->e;
    if (i->opc != 0xFF) {
        vt_x64_mov_ri(e, 4, R9, i->imm);
    } else if (!i->mem) {
        vt_x64_load(e, 4, R9, x86_jit_reg_at(e, i->rm, 4));
    } else {
        x86_jit_emit_ea(e, i); /* a direct read: nothing is written before the store */
        x86_jit_emit_read_addr(bld, c, i->seg, 4, false, slow);
        vt_x64_load(e, 4, R9, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0));
    }
    vt_x64_load(e, 4, RCX, x86_jit_reg_at(e, X86_ESP, 4));
    vt_x64_alu_ri(e, VT_X64_SUB, 4, RCX, 4);
    x86_jit_emit_write_addr(bld, c, SEG_SS, 4, true, slow); /* the first change: direct */
    vt_x64_store(e, 4, vt_x64_at_index(VT_X64_RSI, RCX, 1, 0), R9);
    vt_x64_alu_mi(e, VT_X64_SUB, 4, x86_jit_reg_at(e, X86_ESP, 4), 4);
}

bool x86_jit_emit_stack_op(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                           uint32_t next, const uint8_t *code, uint32_t *cycles, uint32_t *insns) {
    if (!is_stack_op(i)) return false;
    vt_x64_emitter *e = &bld->e;
    vt_x64_label slow = vt_x64_label_new();
    x86_jit_fast_begin(e, c, cycles, insns);
    if (i->opc == 0x8F)
        emit_pop(e, c, i, &slow);
    else if (i->opc == 0xC9)
        emit_leave(bld, c, &slow);
    else
        emit_push(bld, c, i, &slow);
    x86_jit_fast_end(bld, c, i, eip, next, code, cycles, insns, &slow);
    return true;
}
