/* Native block ends for the x86 translator: Jcc rel8/rel32, JMP rel8/rel32, CALL rel32 and RET
 * (32-bit operand size) leave through chainable exits (jit/jit_cache.h) or, for RET, an inline
 * lookup of the return target's translation. Each keeps the interpreter's semantics (h_jcc,
 * h_jmp, h_call, h_ret): the target is checked against the CS limit (#GP through the handler),
 * the stack access takes the memory fast path or the handler, cycles are the instruction's
 * model cost either way. Conditions come from the lazy-flag record: after an ADD, SUB/CMP, logic
 * or INC/DEC operation known at translate time the host redoes the same operation (at its size) on
 * the recorded operands and branches on its own flags (the same flags by definition: the host is an
 * x86), otherwise x86_jit_emit_cond_flags decides. Facts: Intel SDM vol. 2, Jcc/JMP/CALL/RET pages.
 */
#include "jit/x86_translate_flow.h"
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define OFF X86_JIT_OFF
#define REG X86_JIT_REG
#define RAX VT_X64_RAX
#define RCX VT_X64_RCX
#define RDX VT_X64_RDX
#define RSI VT_X64_RSI
#define RDI VT_X64_RDI

/* The record alu() leaves for ALU operation op (ADD OR ADC SBB AND SUB XOR CMP), or -1. */
static int alu_record(unsigned op) {
    static const int rec[8] = {CC_ADD, CC_LOGIC, -1, -1, CC_LOGIC, CC_SUB, CC_LOGIC, CC_SUB};
    return rec[op & 7];
}

static bool is_jcc(unsigned op) {
    return (op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F);
}

/* A known record: the kind and the operand size (x86_jit_flags_after). */
static int sized(int rec, unsigned size) {
    return rec < 0 ? -1 : rec | (int)size << 8;
}

int x86_jit_flags_after(const x86_insn *i, int known) {
    unsigned op = i->opc, size = (op & 1) ? i->osize : 1;
    if (op < 0x40 && (op & 7) <= 5) return sized(alu_record(op >> 3), size);
    if (op >= 0x80 && op <= 0x83)
        return sized(alu_record(i->reg), op == 0x81 || op == 0x83 ? i->osize : 1);
    if (op == 0x84 || op == 0x85 || op == 0xA8 || op == 0xA9) return sized(CC_LOGIC, size);
    if ((op == 0xF6 || op == 0xF7) && i->reg <= 1) return sized(CC_LOGIC, size);
    if ((op == 0xF6 || op == 0xF7) && i->reg == 3) return sized(CC_SUB, size); /* NEG: 0 - x */
    if (op >= 0x40 && op <= 0x4F) return sized(op < 0x48 ? CC_INC : CC_DEC, i->osize);
    if ((op == 0xFE || op == 0xFF) && i->reg <= 1) return sized(i->reg ? CC_DEC : CC_INC, size);
    /* instructions that leave the flags alone: MOV, LEA, PUSH/POP r, NOP, MOVZX/MOVSX, Jcc */
    if (is_jcc(op) || (op >= 0x88 && op <= 0x8B) || op == 0x8D || (op >= 0xB0 && op <= 0xBF) ||
        op == 0xC6 || op == 0xC7 || (op >= 0x50 && op <= 0x5F) || op == 0x90 ||
        (op >= 0xA0 && op <= 0xA3) || op == 0x1B6 || op == 0x1B7 || op == 0x1BE || op == 0x1BF)
        return known;
    return -1;
}

bool x86_jit_flow_native(const x86_insn *i) {
    if (i->osize != 4) return false;
    unsigned op = i->opc;
    return is_jcc(op) || op == 0xE9 || op == 0xEB || op == 0xE8 || op == 0xC3;
}

void x86_jit_emit_chain_to(vt_jit_builder *bld, uint32_t target) {
    vt_x64_store_i(&bld->e, 4, vt_x64_at(ST, OFF(eip)), (int32_t)target);
    if (!vt_jit_emit_chain_exit(bld)) vt_jit_emit_exit(bld, VT_JIT_EXIT_END);
}

/* Jumps to slow when target lies beyond the CS limit (x86_jump_near raises #GP there). */
static void emit_limit_check(vt_x64_emitter *e, uint32_t target, vt_x64_label *slow) {
    int32_t limit = OFF(seg) + (int32_t)(SEG_CS * sizeof(x86_seg) + offsetof(x86_seg, limit));
    vt_x64_mov_ri(e, 4, RAX, target);
    vt_x64_alu_rm(e, VT_X64_CMP, 4, RAX, vt_x64_at(ST, limit));
    vt_x64_jcc(e, VT_X64_CC_A, slow);
}

/* Sets the host flags so that the returned host condition holds exactly when guest condition
 * cc (0-15) does. */
static vt_x64_cond emit_cond(vt_x64_emitter *e, unsigned cc, int known) {
    unsigned size = known < 0 ? 4 : (unsigned)known >> 8; /* the operation at its own size */
    switch (known < 0 ? -1 : known & 0xFF) {
    case CC_SUB:
    case CC_ADD:
        vt_x64_load(e, 4, RAX, vt_x64_at(ST, OFF(cc_a)));
        vt_x64_load(e, 4, RDX, vt_x64_at(ST, OFF(cc_b)));
        vt_x64_alu_rr(e, (known & 0xFF) == CC_SUB ? VT_X64_CMP : VT_X64_ADD, size, RAX, RDX);
        return (vt_x64_cond)cc;
    case CC_LOGIC: /* CF = OF = 0; SF, ZF, PF of the result */
        vt_x64_load(e, 4, RAX, vt_x64_at(ST, OFF(cc_res)));
        vt_x64_test_rr(e, size, RAX, RAX);
        return (vt_x64_cond)cc;
    case CC_INC: /* OF, SF, ZF, PF as ADD / SUB of 1; a condition on CF (kept in cc_b): below */
    case CC_DEC:
        if ((cc >> 1) != 1 && (cc >> 1) != 3) {
            vt_x64_load(e, 4, RAX, vt_x64_at(ST, OFF(cc_a)));
            vt_x64_alu_ri(e, (known & 0xFF) == CC_INC ? VT_X64_ADD : VT_X64_SUB, size, RAX, 1);
            return (vt_x64_cond)cc;
        }
        /* fall through */
    default: /* the record's own replay, or the flags loaded into RFLAGS */
        x86_jit_emit_cond_flags(e);
        return (vt_x64_cond)cc;
    }
}

/* Adds the deferred native counts plus `cost` and `n` more to the state's counters. */
static void add_counts(vt_x64_emitter *e, uint32_t cycles, uint32_t insns, uint32_t cost,
                       uint32_t n) {
    uint32_t cy = cycles + cost, in = insns + n;
    x86_jit_flush_counts(e, &cy, &in);
}

/* The handler fallback (a #GP, a stack access off the fast path): the deferred counts, then the
 * handler with its exits; when it falls through (EIP is `next`), the not-taken way on. */
static void emit_slow(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                      const uint8_t *code, uint32_t cycles, uint32_t insns) {
    add_counts(&bld->e, cycles, insns, 0, 0);
    x86_jit_emit_handler(bld, c, i, eip, next, code);
    x86_jit_emit_chain_to(bld, next);
}

/* Leaves for the translation of the block at the EIP just stored (a near transfer: same CS
 * and code size as this block) without the dispatcher when there is one: the jump cache
 * inline, else x86_jit_indirect_target. The target's own prologue checks the budget (and on a
 * machine the epoch and the code's mapping). */
static void emit_indirect_exit(vt_jit_builder *bld, x86_cpu *c) {
    vt_x64_emitter *e = &bld->e;
    vt_x64_label miss = vt_x64_label_new();
    int32_t cs_base = OFF(seg) + (int32_t)(SEG_CS * sizeof(x86_seg) + offsetof(x86_seg, base));
    _Static_assert(sizeof(x86_jit_jump) == 16, "jump cache indexing below shifts by 4");
    vt_x64_load(e, 4, RAX, vt_x64_at(ST, OFF(eip)));
    vt_x64_alu_rm(e, VT_X64_ADD, 4, RAX, vt_x64_at(ST, cs_base)); /* RAX = linear address */
    vt_x64_mov_rr(e, 4, RCX, RAX);                                /* x86_jit_jump_index */
    vt_x64_shift_ri(e, VT_X64_SHR, 4, RCX, 10);
    vt_x64_alu_rr(e, VT_X64_XOR, 4, RCX, RAX);
    vt_x64_alu_ri(e, VT_X64_AND, 4, RCX, X86_JIT_JUMPS - 1);
    vt_x64_shift_ri(e, VT_X64_SHL, 4, RCX, 4);
    vt_x64_mov_ri(e, 8, RDX, (uint64_t)(uintptr_t)c->jit->jumps);
    vt_x64_alu_rr(e, VT_X64_ADD, 8, RDX, RCX);
    vt_x64_mov_ri(e, 8, RCX, x86_block_tag(0, x86_code32(c)));
    vt_x64_alu_rr(e, VT_X64_OR, 8, RAX, RCX); /* the target's block tag */
    vt_x64_alu_rm(e, VT_X64_CMP, 8, RAX, vt_x64_at(RDX, 0));
    vt_x64_jcc(e, VT_X64_CC_NE, &miss);
    vt_x64_load(e, 8, RAX, vt_x64_at(RDX, 8));
    vt_x64_jmp_r(e, RAX);
    vt_x64_bind(e, &miss);
    vt_x64_mov_rr(e, 8, RDI, ST);
    vt_x64_call(e, (const void *)x86_jit_indirect_target);
    vt_x64_test_rr(e, 8, RAX, RAX);
    vt_jit_emit_exit_cc(bld, VT_X64_CC_E, VT_JIT_EXIT_END);
    vt_x64_jmp_r(e, RAX);
}

bool x86_jit_flow_by_handler(const x86_insn *i) {
    unsigned op = i->opc;
    if (is_jcc(op) || (op >= 0xE0 && op <= 0xE3)) return true;
    if (op == 0xC2 || op == 0xC3 || op == 0xE8 || op == 0xE9 || op == 0xEB) return true;
    return op == 0xFF && (i->reg == 2 || i->reg == 4); /* CALL / JMP near indirect */
}

void x86_jit_emit_flow_handler(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                               uint32_t next, const uint8_t *code) {
    x86_jit_emit_handler_call(bld, i, eip, next, code);
    x86_jit_emit_code_written_exit(bld, c);
    emit_indirect_exit(bld, c);
}

void x86_jit_emit_flow(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                       const uint8_t *code, uint32_t *cycles, uint32_t *insns, int known) {
    vt_x64_emitter *e = &bld->e;
    unsigned op = i->opc;
    uint32_t target = next + i->imm, cy = *cycles, in = *insns;
    *cycles = *insns = 0;
    vt_x64_label slow = vt_x64_label_new();
    int32_t esp = REG(X86_ESP);
    int site = -1;
    if (op == 0xC3) { /* RET: pop the target, check it against the CS limit */
        vt_x64_load(e, 4, RCX, vt_x64_at(ST, esp));
        x86_jit_emit_read_addr(bld, c, SEG_SS, 4, true, &slow);
        vt_x64_load(e, 4, RAX, vt_x64_at_index(RSI, RCX, 1, 0));
        site = vt_jit_site_end(bld); /* nothing was written yet */
        int32_t limit = OFF(seg) + (int32_t)(SEG_CS * sizeof(x86_seg) + offsetof(x86_seg, limit));
        vt_x64_alu_rm(e, VT_X64_CMP, 4, RAX, vt_x64_at(ST, limit));
        vt_x64_jcc(e, VT_X64_CC_A, &slow);
        vt_x64_store(e, 4, vt_x64_at(ST, OFF(eip)), RAX);
        vt_x64_alu_mi(e, VT_X64_ADD, 4, vt_x64_at(ST, esp), 4);
        add_counts(e, cy, in, i->cost, 1);
        emit_indirect_exit(bld, c);
    } else if (op == 0xE8) { /* CALL rel32: push the return address */
        emit_limit_check(e, target, &slow);
        vt_x64_load(e, 4, RCX, vt_x64_at(ST, esp));
        vt_x64_alu_ri(e, VT_X64_SUB, 4, RCX, 4);
        x86_jit_emit_write_addr(bld, c, SEG_SS, 4, true, &slow);
        vt_x64_store_i(e, 4, vt_x64_at_index(RSI, RCX, 1, 0), (int32_t)next);
        site = vt_jit_site_end(bld); /* nothing was written before the push */
        vt_x64_alu_mi(e, VT_X64_SUB, 4, vt_x64_at(ST, esp), 4);
        add_counts(e, cy, in, i->cost, 1);
        x86_jit_emit_chain_to(bld, target);
    } else if (op == 0xE9 || op == 0xEB) {
        emit_limit_check(e, target, &slow);
        add_counts(e, cy, in, i->cost, 1);
        x86_jit_emit_chain_to(bld, target);
    } else { /* Jcc: the same cost taken or not */
        vt_x64_label taken = vt_x64_label_new();
        emit_limit_check(e, target, &slow);
        add_counts(e, cy, in, i->cost, 1);
        vt_x64_jcc(e, emit_cond(e, op & 0xF, known), &taken);
        x86_jit_emit_chain_to(bld, next);
        vt_x64_bind(e, &taken);
        x86_jit_emit_chain_to(bld, target);
    }
    vt_x64_bind(e, &slow);
    vt_jit_site_slow(bld, site);
    emit_slow(bld, c, i, eip, next, code, cy, in);
}

void x86_jit_emit_jcc_inside(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                             uint32_t next, const uint8_t *code, uint32_t *cycles, uint32_t *insns,
                             int known) {
    vt_x64_emitter *e = &bld->e;
    uint32_t target = next + i->imm;
    vt_x64_label slow = vt_x64_label_new(), on = vt_x64_label_new();
    emit_limit_check(e, target, &slow);
    /* not taken: on; taken: this path's write-back and counts, then out */
    vt_x64_jcc(e, (vt_x64_cond)(emit_cond(e, i->opc & 0xF, known) ^ 1), &on);
    x86_jit_rc_writeback(e);
    add_counts(e, *cycles, *insns, i->cost, 1);
    x86_jit_emit_chain_to(bld, target);
    vt_x64_bind(e, &on);
    /* the handler after a failed limit check (#GP), with exact counts; i's cost joins the
     * deferred counts on the way on */
    x86_jit_fast_end(bld, c, i, eip, next, code, cycles, insns, &slow);
}
