/* Native x86 flag instructions for the JIT: CLC, STC, CMC (CF cleared, set or inverted, the
 * other arithmetic flags kept, set eagerly as the interpreter's x86_set_flags) and CLD, STD
 * (EFLAGS.DF). CLI/STI end blocks and keep the handler. As h_flagop in
 * core/cpu/x86/x86_exec_alu.c. Facts: Intel SDM vol. 2, "CLC", "STC", "CMC", "CLD", "STD". */
#include "jit/x86_translate_int.h"

#define R9 VT_X64_R9
#define R11 VT_X64_R11

static void emit_flagop(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(rm);
    vt_x64_mem eflags = vt_x64_at(X86_JIT_ST, X86_JIT_OFF(eflags));
    if (i->opc == 0xFC || i->opc == 0xFD) {
        vt_x64_alu_mi(e, i->opc == 0xFC ? VT_X64_AND : VT_X64_OR, 4, eflags,
                      i->opc == 0xFC ? ~(int32_t)F_DF : (int32_t)F_DF);
        return;
    }
    if (!flags) return;
    vt_x64_mov_rr(e, 4, R11, R9);
    if (i->opc == 0xF5)
        vt_x64_alu_ri(e, VT_X64_XOR, 4, R11, F_CF);
    else if (i->opc == 0xF8)
        vt_x64_alu_ri(e, VT_X64_AND, 4, R11, ~(int32_t)F_CF);
    else
        vt_x64_alu_ri(e, VT_X64_OR, 4, R11, F_CF);
    x86_jit_emit_set_arith(e, R11);
}

bool x86_jit_flagop_form(const x86_insn *i, x86_jit_form *f) {
    unsigned op = i->opc;
    if (op != 0xF5 && op != 0xF8 && op != 0xF9 && op != 0xFC && op != 0xFD) return false;
    f->size = 4;
    if (op == 0xF5 || op == 0xF8 || op == 0xF9) {
        f->pre = X86_PRE_FLAGS;
        f->pre_for_flags = true;
    }
    f->emit = emit_flagop;
    return true;
}
