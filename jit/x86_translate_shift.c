/* Native x86 shifts and rotates for the JIT: group 2 ROL/ROR/SHL/SAL/SHR/SAR of 8/16/32-bit
 * registers and memory by an immediate, by 1 or by CL (RCL/RCR call the handler). They set
 * the arithmetic flags eagerly exactly as the interpreter's h_grp2
 * (core/cpu/x86/x86_exec_alu.c): a count of 0 (after masking to 5 bits) changes nothing;
 * shifts write SZP of the result, CF = the last bit out, OF = MSB(result) ^ CF (SHL),
 * MSB(operand) (SHR), 0 (SAR), AF = 0; rotates keep SF/ZF/AF/PF and set CF and OF from the
 * result; 32-bit SHLD/SHRD. Facts: Intel SDM vol. 2, "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR",
 * "SHLD", "SHRD". */
#include "jit/x86_translate_int.h"

#define RAX VT_X64_RAX
#define RCX VT_X64_RCX
#define RDX VT_X64_RDX
#define R8 VT_X64_R8
#define R9 VT_X64_R9
#define R11 VT_X64_R11

enum { ROL = 0, ROR = 1, SHL = 4, SHR = 5, SAL = 6, SAR = 7 };

static unsigned size_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

/* The count masked to 5 bits, known at translation time (-1 for the CL forms). */
static int static_count(const x86_insn *i) {
    if (i->opc <= 0xC1) return (int)(i->imm & 0x1F);
    if (i->opc <= 0xD1) return 1;
    return -1;
}

/* R8D = bit `bit` of EAX. */
static void bit_of_eax(vt_x64_emitter *e, vt_x64_reg dst, unsigned bit) {
    vt_x64_mov_rr(e, 4, dst, RAX);
    if (bit) vt_x64_shift_ri(e, VT_X64_SHR, 4, dst, (uint8_t)bit);
    vt_x64_alu_ri(e, VT_X64_AND, 4, dst, 1);
}

/* R11D |= (RDX ^ R8D) << 11: OF from two 0/1 bits (R8D = CF). */
static void or_of(vt_x64_emitter *e, bool with_cf) {
    if (with_cf) vt_x64_alu_rr(e, VT_X64_XOR, 4, RDX, R8);
    vt_x64_shift_ri(e, VT_X64_SHL, 4, RDX, 11);
    vt_x64_alu_rr(e, VT_X64_OR, 4, R11, RDX);
}

/* EAX shifted or rotated on the host at width `size` (a count of -1: by CL). */
static void emit_host_shift(vt_x64_emitter *e, unsigned op, unsigned size, int count) {
    static const vt_x64_shift host[8] = {VT_X64_ROL, VT_X64_ROR, VT_X64_RCL, VT_X64_RCR,
                                         VT_X64_SHL, VT_X64_SHR, VT_X64_SHL, VT_X64_SAR};
    if (count < 0)
        vt_x64_shift_rcl(e, host[op], size, RAX);
    else
        vt_x64_shift_ri(e, host[op], size, RAX, (uint8_t)count);
}

/* Rotate: EAX rotated at the operand size; R11D = old flags (R9D) with CF and OF replaced. */
static void emit_rotate(vt_x64_emitter *e, unsigned op, unsigned size, int count) {
    unsigned bits = size * 8;
    emit_host_shift(e, op, size, count);
    vt_x64_mov_rr(e, 4, R11, R9);
    vt_x64_alu_ri(e, VT_X64_AND, 4, R11, ~(int32_t)(F_CF | F_OF));
    bit_of_eax(e, R8, op == ROL ? 0 : bits - 1); /* CF */
    vt_x64_alu_rr(e, VT_X64_OR, 4, R11, R8);
    bit_of_eax(e, RDX, op == ROL ? bits - 1 : bits - 2);
    or_of(e, true);
}

/* Shift: done on the zero- (SAR: sign-) extended 32-bit value, which gives the interpreter's
 * result and CF for every count 1-31 (for SHL of 8/16 bits CF is bit `bits` of the 32-bit
 * result); SZP from a TEST at the operand size; R11D = the new arithmetic flags. */
static void emit_shift(vt_x64_emitter *e, unsigned op, unsigned size, int count) {
    unsigned bits = size * 8;
    vt_x64_mov_rr(e, 4, RDX, RAX); /* the operand, for SHR's OF */
    emit_host_shift(e, op, 4, count);
    if (op != SHR && op != SAR && size < 4) {
        bit_of_eax(e, R8, bits);
    } else {
        vt_x64_setcc(e, VT_X64_CC_B, R8);
        vt_x64_movzx_rr(e, 1, R8, R8);
    }
    if (size < 4) vt_x64_movzx_rr(e, size, RAX, RAX);
    x86_jit_emit_szp(e, size, RAX, R11);
    vt_x64_alu_rr(e, VT_X64_OR, 4, R11, R8);
    if (op == SHL || op == SAL) {
        bit_of_eax(e, RDX, bits - 1);
        or_of(e, true);
    } else if (op == SHR) {
        vt_x64_shift_ri(e, VT_X64_SHR, 4, RDX, (uint8_t)(bits - 1));
        vt_x64_alu_ri(e, VT_X64_AND, 4, RDX, 1);
        or_of(e, false);
    }
}

static void emit_grp2(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = size_b(i), op = i->reg;
    int count = static_count(i);
    vt_x64_label skip = vt_x64_label_new();
    if (count == 0) return; /* the operand was readable (fast path): nothing changes */
    if (count < 0) {        /* CL & 31; 0 leaves everything as it is */
        vt_x64_load_zx(e, 1, RCX, x86_jit_reg_at(e, X86_ECX, 1));
        vt_x64_alu_ri(e, VT_X64_AND, 4, RCX, 0x1F);
        vt_x64_jcc(e, VT_X64_CC_E, &skip);
    }
    if (op == SAR && size < 4)
        vt_x64_load_sx(e, size, 4, RAX, rm);
    else
        x86_jit_load(e, size, RAX, rm);
    if (!flags) {
        emit_host_shift(e, op, op == ROL || op == ROR ? size : 4, count);
        vt_x64_store(e, size, rm, RAX);
    } else {
        if (op == ROL || op == ROR)
            emit_rotate(e, op, size, count);
        else
            emit_shift(e, op, size, count);
        vt_x64_store(e, size, rm, RAX);
        x86_jit_emit_set_arith(e, R11);
    }
    vt_x64_bind(e, &skip);
}

/* 0F A4/A5 SHLD, 0F AC/AD SHRD (32-bit): on the host, the 64-bit concatenation
 * a:b (SHLD) or b:a (SHRD) shifted by the count gives the result in its high (low) half and
 * CF = the last bit out of a; OF = MSB(result) ^ MSB(a), as h_shd; SZP of the result, AF 0. */
static void emit_shd(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    bool left = i->opc < 0x1AC, by_cl = i->opc & 1;
    vt_x64_label skip = vt_x64_label_new();
    if (by_cl) {
        vt_x64_load_zx(e, 1, RCX, x86_jit_reg_at(e, X86_ECX, 1));
        vt_x64_alu_ri(e, VT_X64_AND, 4, RCX, 0x1F);
        vt_x64_jcc(e, VT_X64_CC_E, &skip);
    } else if ((i->imm & 0x1F) == 0) {
        return; /* the operand was readable (fast path): nothing changes */
    }
    vt_x64_load(e, 4, R9, rm); /* a */
    vt_x64_load(e, 4, RAX, x86_jit_reg_at(e, i->reg, 4));
    vt_x64_mov_rr(e, 4, RDX, R9);
    vt_x64_shift_ri(e, VT_X64_SHL, 8, left ? RDX : RAX, 32);
    vt_x64_alu_rr(e, VT_X64_OR, 8, RAX, RDX);
    vt_x64_shift host = left ? VT_X64_SHL : VT_X64_SHR;
    if (by_cl)
        vt_x64_shift_rcl(e, host, 8, RAX);
    else
        vt_x64_shift_ri(e, host, 8, RAX, (uint8_t)(i->imm & 0x1F));
    if (flags) {
        vt_x64_setcc(e, VT_X64_CC_B, R8);
        vt_x64_movzx_rr(e, 1, R8, R8);
    }
    if (left) vt_x64_shift_ri(e, VT_X64_SHR, 8, RAX, 32);
    vt_x64_store(e, 4, rm, RAX);
    if (flags) {
        x86_jit_emit_szp(e, 4, RAX, R11);
        vt_x64_alu_rr(e, VT_X64_OR, 4, R11, R8);
        vt_x64_mov_rr(e, 4, RDX, RAX);
        vt_x64_alu_rr(e, VT_X64_XOR, 4, RDX, R9);
        vt_x64_shift_ri(e, VT_X64_SHR, 4, RDX, 31);
        or_of(e, false);
        x86_jit_emit_set_arith(e, R11);
    }
    vt_x64_bind(e, &skip);
}

bool x86_jit_shift_form(const x86_insn *i, x86_jit_form *f) {
    unsigned op = i->opc;
    if ((op == 0x1A4 || op == 0x1A5 || op == 0x1AC || op == 0x1AD) && i->osize == 4) {
        f->size = 4;
        f->write = true;
        f->emit = emit_shd;
        return true; /* the 16-bit forms (counts above 16 rotate through) keep the handler */
    }
    if (!((op >= 0xC0 && op <= 0xC1) || (op >= 0xD0 && op <= 0xD3))) return false;
    if (i->reg == 2 || i->reg == 3) return false; /* RCL/RCR */
    f->size = (uint8_t)size_b(i);
    f->write = true;
    f->pre = i->reg <= ROR ? X86_PRE_FLAGS : X86_PRE_NONE;
    f->pre_for_flags = true;
    f->emit = emit_grp2;
    return true;
}
