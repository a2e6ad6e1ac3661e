/* Native x86 bit tests for the JIT: BT/BTS/BTR/BTC of a register operand by a register or an
 * immediate bit number, and of memory by an immediate (0F BA /4-/7); a memory operand with a
 * register bit number (which moves the address) calls the handler. As the interpreter's h_bt
 * (core/cpu/x86/x86_exec_alu.c): the bit number is taken modulo the operand size, CF = the
 * bit, the other arithmetic flags are kept (set eagerly), BTS/BTR/BTC write the operand back.
 * Facts: Intel SDM vol. 2, "BT", "BTS", "BTR", "BTC". */
#include "jit/x86_translate_int.h"

#define RAX VT_X64_RAX
#define RCX VT_X64_RCX
#define RDX VT_X64_RDX
#define R9 VT_X64_R9
#define R11 VT_X64_R11

enum { BT, BTS, BTR, BTC };

static unsigned bt_op(const x86_insn *i) {
    return i->opc == 0x1BA ? i->reg - 4u : (i->opc >> 3) & 3u;
}

static void emit_bt(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = i->osize, op = bt_op(i);
    bool imm = i->opc == 0x1BA;
    uint8_t bit = (uint8_t)(i->imm & (size * 8 - 1));
    x86_jit_load(e, size, RAX, rm);
    if (!imm) {
        x86_jit_load(e, size, RCX, x86_jit_reg_at(e, i->reg, size));
        vt_x64_alu_ri(e, VT_X64_AND, 4, RCX, (int32_t)(size * 8 - 1));
    }
    if (flags) { /* EDX = the bit */
        vt_x64_mov_rr(e, 4, RDX, RAX);
        if (!imm)
            vt_x64_shift_rcl(e, VT_X64_SHR, 4, RDX);
        else if (bit)
            vt_x64_shift_ri(e, VT_X64_SHR, 4, RDX, bit);
        vt_x64_alu_ri(e, VT_X64_AND, 4, RDX, 1);
    }
    if (op != BT) { /* R11D = the bit's mask */
        static const vt_x64_alu host[4] = {VT_X64_OR, VT_X64_OR, VT_X64_AND, VT_X64_XOR};
        vt_x64_mov_ri(e, 4, R11, 1);
        if (!imm)
            vt_x64_shift_rcl(e, VT_X64_SHL, 4, R11);
        else if (bit)
            vt_x64_shift_ri(e, VT_X64_SHL, 4, R11, bit);
        if (op == BTR) vt_x64_not(e, 4, R11);
        vt_x64_alu_rr(e, host[op], 4, RAX, R11);
        vt_x64_store(e, size, rm, RAX);
    }
    if (flags) {
        vt_x64_alu_ri(e, VT_X64_AND, 4, R9, ~(int32_t)F_CF);
        vt_x64_alu_rr(e, VT_X64_OR, 4, R9, RDX);
        vt_x64_mov_rr(e, 4, R11, R9);
        x86_jit_emit_set_arith(e, R11);
    }
}

bool x86_jit_bits_form(const x86_insn *i, x86_jit_form *f) {
    unsigned op = i->opc;
    bool reg_bit = op == 0x1A3 || op == 0x1AB || op == 0x1B3 || op == 0x1BB;
    if (!reg_bit && !(op == 0x1BA && i->reg >= 4)) return false;
    if (reg_bit && i->mem) return false; /* the bit number moves the address: the handler */
    f->size = i->osize;
    f->write = bt_op(i) != BT;
    f->pre = X86_PRE_FLAGS;
    f->pre_for_flags = true;
    f->emit = emit_bt;
    return true;
}
