/* Native x86 two- and three-operand IMUL for the JIT (0F AF reg,r/m; 69/6B reg,r/m,imm; 16
 * and 32 bits): the host IMUL at the operand size gives the low half and CF = OF = "the signed
 * product does not fit"; SF/ZF/PF of the result, AF = 0, set eagerly as the interpreter's
 * imul() (core/cpu/x86/x86_exec_alu.c). MUL/DIV (group 3) keep the handler: their cycle cost
 * depends on the operation at run time and DIV's #DE must stay the interpreter's.
 * Facts: Intel SDM vol. 2, "IMUL". */
#include "jit/x86_translate_int.h"

#define RAX VT_X64_RAX
#define RDX VT_X64_RDX
#define R8 VT_X64_R8
#define R11 VT_X64_R11

static void emit_imul(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = i->osize;
    x86_jit_load(e, size, RAX, i->opc == 0x1AF ? x86_jit_reg_at(e, i->reg, size) : rm);
    if (i->opc == 0x1AF)
        x86_jit_load(e, size, RDX, rm);
    else
        vt_x64_mov_ri(e, 4, RDX, i->imm);
    vt_x64_imul_rr(e, size, RAX, RDX);
    if (!flags) {
        vt_x64_store(e, size, x86_jit_reg_at(e, i->reg, size), RAX);
        return;
    }
    vt_x64_setcc(e, VT_X64_CC_O, R8);
    vt_x64_movzx_rr(e, 1, R8, R8);
    if (size < 4) vt_x64_movzx_rr(e, size, RAX, RAX);
    x86_jit_emit_szp(e, size, RAX, R11);
    vt_x64_store(e, size, x86_jit_reg_at(e, i->reg, size), RAX);
    vt_x64_mov_rr(e, 4, RDX, R8); /* CF | OF = overflow * 0x801 */
    vt_x64_shift_ri(e, VT_X64_SHL, 4, RDX, 11);
    vt_x64_alu_rr(e, VT_X64_OR, 4, R11, RDX);
    vt_x64_alu_rr(e, VT_X64_OR, 4, R11, R8);
    x86_jit_emit_set_arith(e, R11);
}

bool x86_jit_mul_form(const x86_insn *i, x86_jit_form *f) {
    if (i->opc != 0x1AF && i->opc != 0x69 && i->opc != 0x6B) return false;
    f->size = i->osize;
    f->emit = emit_imul;
    return true;
}
