/* The x86 translator's dispatch to native instruction forms (jit/x86_translate_alu.c, _shift,
 * _move, _mul, _bits): finds the form, computes what the body needs from helpers first (CF, the
 * flags, a condition), then emits the body on the guest register (cached in a host register or
 * in the state: x86_translate_regs.c), or, for a memory operand, on the inline fast path with
 * the interpreter's handler as the slow path, emitted after the block (so segment checks, #PF,
 * TLB fills and stores to code pages stay exactly the interpreter's).
 * Cycles are the decoded record's cost, the interpreter's; in user mode a fast path adds them
 * to the deferred counts like a register form (the slow path makes the state's counts exact
 * around its handler call). */
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST

static bool find_form(const x86_insn *i, x86_jit_form *f) {
    *f = (x86_jit_form){0};
    if (i->lock) return false; /* LOCK's #UD rules and atomicity: the handler */
    return x86_jit_alu_form(i, f) || x86_jit_shift_form(i, f) || x86_jit_move_form(i, f) ||
           x86_jit_mul_form(i, f) || x86_jit_bits_form(i, f) || x86_jit_flagop_form(i, f);
}

/* The flags, CF or the condition before the address: no helper runs after it. */
static void emit_pre(vt_x64_emitter *e, const x86_insn *i, unsigned pre) {
    if (pre != X86_PRE_NONE) x86_jit_rsi_clobbered(e); /* their call paths */
    if (pre == X86_PRE_COND) {
        x86_jit_emit_cond_flags(e);
        vt_x64_setcc(e, (vt_x64_cond)(i->opc & 15), VT_X64_R8);
        vt_x64_movzx_rr(e, 1, VT_X64_R8, VT_X64_R8);
    } else if (pre == X86_PRE_CF) {
        x86_jit_emit_cf(e);
    } else if (pre == X86_PRE_FLAGS) {
        x86_jit_emit_flags(e);
    }
}

bool x86_jit_emit_op(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, const x86_insn *end,
                     uint32_t eip, uint32_t next, const uint8_t *code, uint32_t *cycles,
                     uint32_t *insns) {
    if (x86_jit_emit_stack_op(bld, c, i, eip, next, code, cycles, insns)) return true;
    x86_jit_form f;
    if (!find_form(i, &f)) return false;
    bool flags = !x86_jit_flags_dead(i, end);
    bool mem = i->mem || f.moffs;
    if (mem && i->asize != 4) return false; /* 16-bit addresses: the handler */
    vt_x64_emitter *e = &bld->e;
    x86_jit_tx *tx = e->owner;
    if (!mem && tx && tx->pending.until == i) /* i rewrites every flag (and cannot fault) */
        tx->pending.until = NULL;
    bool defer = flags && !mem && tx && c->user && !c->jit->lockstep &&
                 x86_jit_flags_deferred(i, end, &tx->pending);
    if (defer) flags = false; /* only a slow path before pending.until writes the record */
    if (!flags && f.pre_for_flags) f.pre = X86_PRE_NONE;
    if (!mem) {
        bool replay = defer && tx->pending.op == X86_JIT_PENDING_REPLAY;
        emit_pre(e, i, f.pre);
        if (replay) { /* the shift's operand aside, for its body to run again on */
            tx->pending.insn = i;
            tx->pending.replay = f.emit;
            vt_x64_load(e, 4, X86_JIT_PENDING_RESULT, x86_jit_reg_src(e, i->rm));
        }
        f.emit(e, i, x86_jit_reg_at(e, i->rm, f.size), flags);
        if (defer && !replay) { /* an ALU body leaves its result in EAX, its source in EDX */
            vt_x64_mov_rr(e, 4, X86_JIT_PENDING_RESULT, VT_X64_RAX);
            vt_x64_mov_rr(e, 4, X86_JIT_PENDING_SOURCE, VT_X64_RDX);
        }
        *cycles += i->cost;
        *insns += 1;
        return true;
    }
    x86_jit_fast_begin(e, c, cycles, insns);
    vt_x64_label slow = vt_x64_label_new();
    emit_pre(e, i, f.pre);
    if (f.moffs)
        vt_x64_mov_ri(e, 4, VT_X64_RCX, i->imm);
    else
        x86_jit_emit_ea(e, i);
    if (f.store_only || (f.write && f.store_first)) /* its store is the first thing it changes */
        x86_jit_emit_write_addr(bld, c, i->seg, f.size, false, &slow);
    else if (f.write)
        x86_jit_emit_fast_addr(e, c, i->seg, f.size, true, false, &slow);
    else /* every read-only form reads its operand before it writes anything */
        x86_jit_emit_read_addr(bld, c, i->seg, f.size, false, &slow);
    vt_x64_lea(e, 8, VT_X64_R10, vt_x64_at_index(VT_X64_RSI, VT_X64_RCX, 1, 0));
    f.emit(e, i, vt_x64_at(VT_X64_R10, 0), flags);
    x86_jit_fast_end(bld, c, i, eip, next, code, cycles, insns, &slow);
    return true;
}

void x86_jit_fast_begin(vt_x64_emitter *e, const x86_cpu *c, uint32_t *cycles, uint32_t *insns) {
    if (!c->user) x86_jit_flush_counts(e, cycles, insns);
}

/* Adds cycles and insns (negative: takes them back) to the state's counters. */
static void add_counts(vt_x64_emitter *e, int32_t cycles, int32_t insns) {
    if (cycles) vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, X86_JIT_OFF(cpu.cycles)), cycles);
    if (insns) vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, X86_JIT_OFF(cpu.insns)), insns);
}

/* The slow path of a fast path: the handler with the state's counts exact around it (cycles
 * and insns: the counts deferred before the instruction in user mode). */
static void emit_slow(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                      const uint8_t *code, int32_t cycles, int32_t insns,
                      const x86_jit_pending *pending) {
    vt_x64_emitter *e = &bld->e;
    if (pending && pending->until) x86_jit_emit_pending(e, pending);
    add_counts(e, cycles, insns);
    x86_jit_emit_handler(bld, c, i, eip, next, code); /* adds i's cost */
    if (c->user) add_counts(e, -(cycles + (int32_t)i->cost), -(insns + 1));
}

void x86_jit_fast_end(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                      const uint8_t *code, uint32_t *cycles, uint32_t *insns, vt_x64_label *slow) {
    vt_x64_emitter *e = &bld->e;
    x86_jit_tx *tx = e->owner;
    int site = vt_jit_site_end(bld); /* the fast path's direct read, if any, is behind */
    int32_t pc = (int32_t)*cycles, pi = (int32_t)*insns; /* 0 on a machine (fast_begin) */
    if (c->user) {
        *cycles += i->cost;
        *insns += 1;
    } else {
        add_counts(e, (int32_t)i->cost, 1);
    }
    if (tx && tx->n_slow < VT_X86_BLOCK_MAX) { /* out of line, after the block */
        x86_jit_slow *s = &tx->slow[tx->n_slow++];
        *s = (x86_jit_slow){.slow = *slow,
                            .done = vt_x64_label_new(),
                            .site = site,
                            .cycles = pc,
                            .insns = pi,
                            .i = i,
                            .eip = eip,
                            .next = next,
                            .code = code,
                            .rc = tx->rc,
                            .pending = tx->pending,
                            .rsi_base = tx->rsi_base};
        vt_x64_bind(e, &s->done);
        return;
    }
    vt_x64_label done = vt_x64_label_new();
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, slow);
    vt_jit_site_slow(bld, site);
    emit_slow(bld, c, i, eip, next, code, pc, pi, tx ? &tx->pending : NULL);
    vt_x64_bind(e, &done);
}

void x86_jit_emit_slow_paths(vt_jit_builder *bld, x86_cpu *c) {
    vt_x64_emitter *e = &bld->e;
    x86_jit_tx *tx = e->owner;
    if (!tx) return;
    x86_jit_rc rc = tx->rc;
    for (unsigned k = 0; k < tx->n_slow; k++) {
        x86_jit_slow *s = &tx->slow[k];
        vt_x64_bind(e, &s->slow);
        vt_jit_site_slow(bld, s->site);
        tx->rc = s->rc; /* what the fast path had cached */
        tx->rc.poison = rc.poison;
        tx->rc.retry = rc.retry;
        emit_slow(bld, c, s->i, s->eip, s->next, s->code, s->cycles, s->insns, &s->pending);
        if (s->rsi_base) x86_jit_load_direct_base(e, c);
        vt_x64_jmp(e, &s->done);
    }
    tx->rc = rc;
    tx->n_slow = 0;
}

bool x86_jit_op_has_slow_path(const x86_insn *i) {
    return i->mem || (i->opc >= 0xA0 && i->opc <= 0xA3) || i->opc == 0x68 || i->opc == 0x6A ||
           i->opc == 0x8F || i->opc == 0xC9 || (i->opc == 0xFF && i->reg == 6);
}

void x86_jit_emit_szp(vt_x64_emitter *e, unsigned size, vt_x64_reg v, vt_x64_reg dst) {
    vt_x64_test_rr(e, size, v, v);
    vt_x64_pushf(e);
    vt_x64_pop(e, dst);
    vt_x64_alu_ri(e, VT_X64_AND, 4, dst, F_PF | F_ZF | F_SF);
}

void x86_jit_emit_set_arith(vt_x64_emitter *e, vt_x64_reg f) {
    vt_x64_load(e, 4, VT_X64_RDX, vt_x64_at(ST, X86_JIT_OFF(eflags)));
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RDX, ~(int32_t)F_ARITH);
    vt_x64_alu_rr(e, VT_X64_OR, 4, VT_X64_RDX, f);
    vt_x64_store(e, 4, vt_x64_at(ST, X86_JIT_OFF(eflags)), VT_X64_RDX);
    vt_x64_store_i(e, 1, vt_x64_at(ST, X86_JIT_OFF(cc_op)), CC_EAGER);
}
