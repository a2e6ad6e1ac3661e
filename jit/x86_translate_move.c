/* Native x86 data movement for the JIT, the forms x86_translate.c leaves to handlers: MOV of
 * 8/16-bit registers and memory (88-8B), MOV r/m,imm (C6/C7), MOV AL/eAX <-> moffs (A0-A3),
 * MOV r8/r16,imm (B0-BF), MOVZX/MOVSX, XCHG (86/87, 91-97), NOP, CBW/CWDE, CWD/CDQ, BSWAP, SETcc
 * and CMOVcc (the condition from the interpreter's x86_cond, X86_PRE_COND). Same reads and writes
 * as the handlers in core/cpu/x86/x86_exec_data.c and x86_exec_alu.c; no flags change.
 * Facts: Intel SDM vol. 2 (MOV, MOVZX, MOVSX, XCHG, CBW/CWDE, CWD/CDQ, BSWAP, SETcc, CMOVcc). */
#include "jit/x86_translate_int.h"

#define RAX VT_X64_RAX
#define RDX VT_X64_RDX
#define R8 VT_X64_R8

static unsigned size_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

static void copy(vt_x64_emitter *e, unsigned size, vt_x64_mem dst, vt_x64_mem src) {
    x86_jit_load(e, size, RAX, src);
    vt_x64_store(e, size, dst, RAX);
}

/* 88-8B: MOV r/m,reg / reg,r/m. */
static void emit_mov(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    unsigned size = size_b(i);
    vt_x64_mem reg = x86_jit_reg_at(e, i->reg, size);
    if (i->opc & 2)
        copy(e, size, reg, rm);
    else
        copy(e, size, rm, reg);
}

/* C6/C7 /0: MOV r/m,imm. */
static void emit_mov_rmi(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    vt_x64_store_i(e, size_b(i), rm, (int32_t)i->imm);
}

/* A0-A3: MOV AL/eAX,[moffs] / [moffs],AL/eAX. */
static void emit_mov_moffs(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    unsigned size = size_b(i);
    if (i->opc < 0xA2)
        copy(e, size, x86_jit_reg_at(e, X86_EAX, size), rm);
    else
        copy(e, size, rm, x86_jit_reg_at(e, X86_EAX, size));
}

/* B0-B7 MOV r8,imm8; B8-BF MOV r16,imm16. */
static void emit_mov_ri(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    VT_UNUSED(rm);
    unsigned size = i->opc < 0xB8 ? 1 : i->osize;
    vt_x64_store_i(e, size, x86_jit_reg_at(e, i->opc & 7, size), (int32_t)i->imm);
}

/* 0F B6/B7 MOVZX, 0F BE/BF MOVSX. */
static void emit_movx(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    unsigned from = (i->opc & 1) ? 2 : 1;
    if (i->opc >= 0x1BE)
        vt_x64_load_sx(e, from, 4, RAX, rm);
    else
        vt_x64_load_zx(e, from, RAX, rm);
    vt_x64_store(e, i->osize, x86_jit_reg_at(e, i->reg, i->osize), RAX);
}

/* 86/87 XCHG r/m,reg (r/m written first, as h_xchg); 91-97 XCHG eAX,reg. */
static void emit_xchg(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    bool acc = i->opc >= 0x91;
    unsigned size = acc ? i->osize : size_b(i);
    vt_x64_mem a = acc ? x86_jit_reg_at(e, X86_EAX, size) : rm;
    vt_x64_mem b = x86_jit_reg_at(e, acc ? i->opc & 7u : i->reg, size);
    x86_jit_load(e, size, RAX, a);
    x86_jit_load(e, size, RDX, b);
    vt_x64_store(e, size, a, RDX);
    vt_x64_store(e, size, b, RAX);
}

static void emit_nop(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    VT_UNUSED(e);
    VT_UNUSED(i);
    VT_UNUSED(rm);
}

/* 98 CBW/CWDE: AX = sext(AL) / EAX = sext(AX); 99 CWD/CDQ: DX/EDX = the sign of AX/EAX. */
static void emit_convert(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    VT_UNUSED(rm);
    unsigned size = i->osize;
    if (i->opc == 0x98) {
        vt_x64_load_sx(e, size / 2, 4, RAX, x86_jit_reg_at(e, X86_EAX, size / 2));
        vt_x64_store(e, size, x86_jit_reg_at(e, X86_EAX, size), RAX);
        return;
    }
    if (size == 4)
        vt_x64_load(e, 4, RAX, x86_jit_reg_at(e, X86_EAX, 4));
    else
        vt_x64_load_sx(e, 2, 4, RAX, x86_jit_reg_at(e, X86_EAX, 2));
    vt_x64_shift_ri(e, VT_X64_SAR, 4, RAX, 31);
    vt_x64_store(e, size, x86_jit_reg_at(e, X86_EDX, size), RAX);
}

/* 0F C8+r BSWAP r32; with a 16-bit operand (undefined) P6 writes zero to the low word, as
 * h_bswap. */
static void emit_bswap(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(rm);
    VT_UNUSED(flags);
    vt_x64_mem reg = x86_jit_reg_at(e, i->opc & 7u, i->osize);
    if (i->osize == 2) {
        vt_x64_store_i(e, 2, reg, 0);
        return;
    }
    vt_x64_load(e, 4, RAX, reg);
    vt_x64_bswap(e, 4, RAX);
    vt_x64_store(e, 4, reg, RAX);
}

/* 0F 90-9F SETcc r/m8 = R8D (the condition). */
static void emit_setcc(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    VT_UNUSED(i);
    vt_x64_store(e, 1, rm, R8);
}

/* 0F 40-4F CMOVcc: the source is read always (h_cmov), the register written when R8D != 0. */
static void emit_cmov(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags) {
    VT_UNUSED(flags);
    vt_x64_label skip = vt_x64_label_new();
    x86_jit_load(e, i->osize, RAX, rm);
    vt_x64_test_rr(e, 4, R8, R8);
    vt_x64_jcc(e, VT_X64_CC_E, &skip);
    vt_x64_store(e, i->osize, x86_jit_reg_at(e, i->reg, i->osize), RAX);
    vt_x64_bind(e, &skip);
}

static bool set(x86_jit_form *f, unsigned size, bool write, unsigned pre,
                void (*emit)(vt_x64_emitter *, const x86_insn *, vt_x64_mem, bool)) {
    f->size = (uint8_t)size;
    f->write = write;
    f->pre = (uint8_t)pre;
    f->emit = emit;
    return true;
}

bool x86_jit_move_form(const x86_insn *i, x86_jit_form *f) {
    unsigned op = i->opc;
    /* MOV to memory, MOV r/m,imm and SETcc only store (x86_jit_form.store_only) */
    f->store_only = (op >= 0x88 && op <= 0x89) || ((op == 0xC6 || op == 0xC7) && i->reg == 0) ||
                    op == 0xA2 || op == 0xA3 || (op >= 0x190 && op <= 0x19F);
    if (op >= 0x88 && op <= 0x8B) return set(f, size_b(i), !(op & 2), X86_PRE_NONE, emit_mov);
    if ((op == 0xC6 || op == 0xC7) && i->reg == 0)
        return set(f, size_b(i), true, X86_PRE_NONE, emit_mov_rmi);
    if (op >= 0xA0 && op <= 0xA3) {
        f->moffs = true;
        return set(f, size_b(i), op >= 0xA2, X86_PRE_NONE, emit_mov_moffs);
    }
    if (op >= 0xB0 && op <= 0xBF) return set(f, 4, false, X86_PRE_NONE, emit_mov_ri);
    if (op == 0x1B6 || op == 0x1B7 || op == 0x1BE || op == 0x1BF)
        return set(f, (op & 1) ? 2 : 1, false, X86_PRE_NONE, emit_movx);
    if (op == 0x86 || op == 0x87) return set(f, size_b(i), true, X86_PRE_NONE, emit_xchg);
    if (op >= 0x91 && op <= 0x97) return set(f, 4, false, X86_PRE_NONE, emit_xchg);
    if (op == 0x90) return set(f, 4, false, X86_PRE_NONE, emit_nop);
    if (op == 0x98 || op == 0x99) return set(f, 4, false, X86_PRE_NONE, emit_convert);
    if (op >= 0x1C8 && op <= 0x1CF) return set(f, 4, false, X86_PRE_NONE, emit_bswap);
    if (op >= 0x190 && op <= 0x19F) return set(f, 1, true, X86_PRE_COND, emit_setcc);
    if (op >= 0x140 && op <= 0x14F) return set(f, i->osize, false, X86_PRE_COND, emit_cmov);
    return false;
}
