/* Native x86 ALU forms for the JIT: the eight operations (ADD OR ADC SBB AND SUB XOR CMP) in
 * every size and operand form (r/m,reg; reg,r/m; AL/eAX,imm; group 1 r/m,imm), TEST, NOT,
 * NEG and INC/DEC of memory and 8/16-bit operands. Each writes exactly the lazy-flag record
 * the interpreter's alu()/incdec() write (core/cpu/x86/x86_exec_alu.c: op, size, result,
 * operands), so flags read later are computed the same way. Facts: Intel SDM vol. 2 (ADD, ADC,
 * SBB, NEG, INC pages). */
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define RAX VT_X64_RAX
#define RDX VT_X64_RDX
#define R8 VT_X64_R8
#define R9 VT_X64_R9

enum { OP_ADD, OP_OR, OP_ADC, OP_SBB, OP_AND, OP_SUB, OP_XOR, OP_CMP, OP_TEST };

/* The second operand: an immediate or a location. */
typedef struct src_operand {
    bool is_imm;
    uint32_t imm;
    vt_x64_mem m;
} src_operand;

static unsigned size_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

/* cc_op and cc_size (adjacent bytes) in one 16-bit store. */
_Static_assert(offsetof(x86_cpu, cc_size) == offsetof(x86_cpu, cc_op) + 1, "cc_size follows cc_op");
static void store_record(vt_x64_emitter *e, unsigned cc, unsigned size) {
    vt_x64_store_i(e, 2, vt_x64_at(ST, X86_JIT_OFF(cc_op)), (int32_t)(cc | size << 8));
}

/* EAX = dst op src with alu()'s record (unless the flags are dead); the result is stored to
 * dst unless CMP/TEST. ADC/SBB take CF from R8D (X86_PRE_CF). */
static void emit_alu(vt_x64_emitter *e, unsigned op, unsigned size, vt_x64_mem dst, src_operand src,
                     bool flags) {
    static const uint8_t cc[9] = {CC_ADD, CC_LOGIC, CC_ADC, CC_SBB,  CC_LOGIC,
                                  CC_SUB, CC_LOGIC, CC_SUB, CC_LOGIC};
    static const vt_x64_alu host[9] = {VT_X64_ADD, VT_X64_OR,  VT_X64_ADD, VT_X64_SUB, VT_X64_AND,
                                       VT_X64_SUB, VT_X64_XOR, VT_X64_SUB, VT_X64_AND};
    x86_jit_load(e, size, RAX, dst);
    if (src.is_imm)
        vt_x64_mov_ri(e, 4, RDX, src.imm);
    else
        x86_jit_load(e, size, RDX, src.m);
    if (!flags) {
        vt_x64_alu_rr(e, host[op], 4, RAX, RDX);
        if (op == OP_ADC || op == OP_SBB) vt_x64_alu_rr(e, host[op], 4, RAX, R8);
        if (op != OP_CMP && op != OP_TEST) vt_x64_store(e, size, dst, RAX);
        return;
    }
    if (cc[op] != CC_LOGIC) vt_x64_mov_rr(e, 4, R9, RAX); /* the first operand, for the record */
    vt_x64_alu_rr(e, host[op], 4, RAX, RDX);
    if (op == OP_ADC || op == OP_SBB) vt_x64_alu_rr(e, host[op], 4, RAX, R8);
    if (size < 4) vt_x64_movzx_rr(e, size, RAX, RAX);
    if (op != OP_CMP && op != OP_TEST) vt_x64_store(e, size, dst, RAX); /* the first change */
    if (cc[op] == CC_LOGIC) {
        vt_x64_store_i(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_a)), 0);
        vt_x64_store_i(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_b)), 0);
    } else {
        vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_a)), R9);
        vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_b)), RDX);
    }
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_res)), RAX);
    store_record(e, cc[op], size);
}

static src_operand imm_src(uint32_t v) {
    return (src_operand){true, v, {0}};
}
static src_operand loc_src(vt_x64_mem m) {
    return (src_operand){false, 0, m};
}

/* 00-3D: forms 0/1 r/m op= reg, 2/3 reg op= r/m, 4/5 AL/eAX op= imm (imm as decoded). */
static void emit_alu_row(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned op = i->opc >> 3, form = i->opc & 7, size = size_b(i);
    vt_x64_mem reg = x86_jit_reg_at(e, i->reg, size);
    if (form < 2)
        emit_alu(e, op, size, rm, loc_src(reg), flags);
    else if (form < 4)
        emit_alu(e, op, size, reg, loc_src(rm), flags);
    else
        emit_alu(e, op, size, x86_jit_reg_at(e, X86_EAX, size), imm_src(i->imm), flags);
}

/* 80-83: r/m op= imm, the immediate cut to the operand size (h_grp1). */
static void emit_grp1(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = size_b(i);
    emit_alu(e, i->reg, size, rm, imm_src(i->imm & x86_mask(size)), flags);
}

/* 84/85 TEST r/m,reg; A8/A9 TEST AL/eAX,imm; F6/F7 /0 /1 TEST r/m,imm (h_test, h_grp3). */
static void emit_test(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = size_b(i);
    if (i->opc <= 0x85)
        emit_alu(e, OP_TEST, size, rm, loc_src(x86_jit_reg_at(e, i->reg, size)), flags);
    else if (i->opc <= 0xA9)
        emit_alu(e, OP_TEST, size, x86_jit_reg_at(e, X86_EAX, size), imm_src(i->imm), flags);
    else
        emit_alu(e, OP_TEST, size, rm, imm_src(i->imm), flags);
}

/* F6/F7 /2 NOT (no flags), /3 NEG (alu SUB of 0 - r/m). */
static void emit_not_neg(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    unsigned size = size_b(i);
    if (i->reg == 2) {
        x86_jit_load(e, size, RAX, rm);
        vt_x64_not(e, 4, RAX);
        vt_x64_store(e, size, rm, RAX);
        return;
    }
    x86_jit_load(e, size, RDX, rm);
    if (!flags) {
        vt_x64_neg(e, 4, RDX);
        vt_x64_store(e, size, rm, RDX);
        return;
    }
    vt_x64_mov_rr(e, 4, RAX, RDX);
    vt_x64_neg(e, 4, RAX);
    if (size < 4) vt_x64_movzx_rr(e, size, RAX, RAX);
    vt_x64_store(e, size, rm, RAX); /* the first change */
    vt_x64_store_i(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_a)), 0);
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_b)), RDX);
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_res)), RAX);
    store_record(e, CC_SUB, size);
}

/* INC/DEC as incdec(): cc_a = the old value, cc_b = CF (R8D, kept), CC_INC/CC_DEC. FE/FF
 * act on r/m; 40-4F on a register. */
static void emit_incdec(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    bool row = i->opc < 0x50;
    unsigned size = row ? i->osize : size_b(i);
    bool dec = row ? i->opc >= 0x48 : i->reg == 1;
    vt_x64_mem loc = row ? x86_jit_reg_at(e, i->opc & 7, size) : rm;
    x86_jit_load(e, size, RAX, loc);
    if (!flags) {
        vt_x64_alu_ri(e, dec ? VT_X64_SUB : VT_X64_ADD, 4, RAX, 1);
        vt_x64_store(e, size, loc, RAX);
        return;
    }
    vt_x64_mov_rr(e, 4, R9, RAX); /* the old value, for the record */
    vt_x64_alu_ri(e, dec ? VT_X64_SUB : VT_X64_ADD, 4, RAX, 1);
    if (size < 4) vt_x64_movzx_rr(e, size, RAX, RAX);
    vt_x64_store(e, size, loc, RAX); /* the first change */
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_a)), R9);
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_b)), R8);
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_res)), RAX);
    store_record(e, dec ? CC_DEC : CC_INC, size);
}

bool x86_jit_alu_form(const x86_insn *i, x86_jit_form *f) {
    unsigned op = i->opc;
    f->size = (uint8_t)size_b(i);
    f->store_first = true; /* every form here writes its r/m operand before any state */
    if (op < 0x40 && (op & 7) < 6) {
        f->write = (op & 7) < 2 && (op >> 3) != OP_CMP;
        f->pre = (op >> 3) == OP_ADC || (op >> 3) == OP_SBB ? X86_PRE_CF : X86_PRE_NONE;
        f->emit = emit_alu_row;
        return true;
    }
    if (op >= 0x80 && op <= 0x83) {
        f->write = i->reg != OP_CMP;
        f->pre = i->reg == OP_ADC || i->reg == OP_SBB ? X86_PRE_CF : X86_PRE_NONE;
        f->emit = emit_grp1;
        return true;
    }
    if (op == 0x84 || op == 0x85 || op == 0xA8 || op == 0xA9 ||
        ((op == 0xF6 || op == 0xF7) && i->reg <= 1)) {
        f->emit = emit_test;
        return true;
    }
    if ((op == 0xF6 || op == 0xF7) && (i->reg == 2 || i->reg == 3)) {
        f->write = true;
        f->emit = emit_not_neg;
        return true;
    }
    if ((op >= 0x40 && op <= 0x4F) || ((op == 0xFE || op == 0xFF) && i->reg <= 1)) {
        f->size = (uint8_t)(op < 0x50 ? i->osize : size_b(i));
        f->write = true;
        f->pre = X86_PRE_CF;
        f->pre_for_flags = true; /* CF goes only into the record */
        f->emit = emit_incdec;
        return true;
    }
    return false;
}

void x86_jit_emit_pending(vt_x64_emitter *e, const x86_jit_pending *p) {
    static const uint8_t cc[9] = {CC_ADD, CC_LOGIC, CC_ADC, CC_SBB,  CC_LOGIC,
                                  CC_SUB, CC_LOGIC, CC_SUB, CC_LOGIC};
    if (p->op == X86_JIT_PENDING_REPLAY) { /* the shift again, on its operand in EDI */
        p->replay(e, p->insn, vt_x64_direct(X86_JIT_PENDING_RESULT), true);
        return;
    }
    vt_x64_mem a = vt_x64_at(ST, X86_JIT_OFF(cc_a)), b = vt_x64_at(ST, X86_JIT_OFF(cc_b));
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(cc_res)), X86_JIT_PENDING_RESULT);
    if (cc[p->op] == CC_LOGIC) {
        vt_x64_store_i(e, 4, a, 0);
        vt_x64_store_i(e, 4, b, 0);
    } else { /* the first operand: result - source (ADD), result + source (SUB, CMP) */
        vt_x64_store(e, 4, b, X86_JIT_PENDING_SOURCE);
        vt_x64_mov_rr(e, 4, RAX, X86_JIT_PENDING_RESULT);
        vt_x64_alu_rr(e, p->op == OP_ADD ? VT_X64_SUB : VT_X64_ADD, 4, RAX, X86_JIT_PENDING_SOURCE);
        vt_x64_store(e, 4, a, RAX);
    }
    store_record(e, cc[p->op], 4);
}
