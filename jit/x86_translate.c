/* The x86 translator: one formed block (jit/x86_block.h) becomes x86-64 code in the shared
 * cache (jit/jit_cache.h). Register-only MOV, MOV r32,imm32 and LEA are emitted here; the
 * other forms with a native version (ALU, INC/DEC, shifts, ... writing the interpreter's
 * lazy-flag records, or none when dead) by x86_jit_emit_op (jit/x86_translate_ops.c); every other
 * instruction is one call of the interpreter's handler with the interpreter's bookkeeping before it
 * (instruction pointer, next EIP, decoded record, effective address) and its cycles after it, then
 * the block leaves when EIP is not the next instruction or a store hit a code page. Native
 * instructions cannot fault, so their cycles are added in one go before the next handler call or
 * exit. 32-bit MOV between a register and memory and PUSH/POP r32 run the core's fast path inline
 * (a flat read/write data segment and a software-TLB hit, as x86_fast_ptr) and calls the handler
 * otherwise, so faults, slow paths and stores to code pages stay the interpreter's. Guest
 * registers the block names often live in host registers (x86_translate_regs.c), written back
 * before handlers and exits; slow paths follow the block's straight-line code. */
#include "jit/x86_translate_flow.h"
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define RAX VT_X64_RAX
#define RCX VT_X64_RCX
#define RDI VT_X64_RDI
#define RSI VT_X64_RSI
#define OFF X86_JIT_OFF
#define REG X86_JIT_REG

/* Whether i is one of the register-only forms emitted here (no flags). */
static bool is_native(const x86_insn *i) {
    if (i->osize != 4 || i->lock) return false;
    unsigned op = i->opc;
    if (op >= 0xB8 && op <= 0xBF) return true;
    if (op == 0x8D) return i->mem && i->asize == 4;
    return !i->mem && (op == 0x89 || op == 0x8B);
}

static void emit_native(vt_x64_emitter *e, const x86_insn *i) {
    unsigned op = i->opc;
    if (op >= 0xB8) {
        vt_x64_store_i(e, 4, x86_jit_reg_at(e, op & 7, 4), (int32_t)i->imm);
    } else if (op == 0x8D) {
        x86_jit_emit_ea(e, i);
        vt_x64_store(e, 4, x86_jit_reg_at(e, i->reg, 4), RCX);
    } else {
        unsigned dst = op == 0x89 ? i->rm : i->reg, src = op == 0x89 ? i->reg : i->rm;
        vt_x64_load(e, 4, RAX, x86_jit_reg_src(e, src));
        vt_x64_store(e, 4, x86_jit_reg_at(e, dst, 4), RAX);
    }
}

void x86_jit_flush_counts(vt_x64_emitter *e, uint32_t *cycles, uint32_t *insns) {
    if (*cycles) vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, OFF(cpu.cycles)), (int32_t)*cycles);
    if (*insns) vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, OFF(cpu.insns)), (int32_t)*insns);
    *cycles = *insns = 0;
}

/* Leaves unless the machine's epoch is still the one this block (bld->b->front) was checked
 * in: nothing changed code or raised a line since. */
static void emit_epoch_exit(vt_jit_builder *bld, x86_cpu *c) {
    vt_x64_emitter *e = &bld->e;
    const x86_block *b = bld->b->front;
    vt_x64_mov_ri(e, 8, RAX, (uint64_t)(uintptr_t)&c->jit->epoch);
    vt_x64_load(e, 8, RAX, vt_x64_at(RAX, 0));
    vt_x64_mov_ri(e, 8, RCX, (uint64_t)(uintptr_t)&b->gen);
    vt_x64_alu_rm(e, VT_X64_CMP, 8, RAX, vt_x64_at(RCX, 0));
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
}

/* A machine's block entry (chained or not): the epoch, then the code page still mapped at the
 * block's linear address for execution, to the same host page (CR3, INVLPG, CPL and A20
 * changes flush the TLB). EIP is the block's first instruction. */
static void emit_machine_entry_check(vt_jit_builder *bld, x86_cpu *c, uint32_t la,
                                     const uint8_t *host_page) {
    vt_x64_emitter *e = &bld->e;
    emit_epoch_exit(bld, c);
    const vt_tlb_entry *t = vt_tlb_slot(&c->tlb, la);
    vt_x64_mov_ri(e, 8, RAX, (uint64_t)(uintptr_t)t);
    vt_x64_mov_ri(e, 8, RCX, la >> 12);
    vt_x64_alu_rm(e, VT_X64_CMP, 8, RCX,
                  vt_x64_at(RAX, (int32_t)offsetof(vt_tlb_entry, tag[VT_ACCESS_EXEC])));
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
    vt_x64_mov_ri(e, 8, RCX, (uint64_t)(uintptr_t)host_page);
    vt_x64_alu_rm(e, VT_X64_CMP, 8, RCX, vt_x64_at(RAX, (int32_t)offsetof(vt_tlb_entry, host)));
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
}

void x86_jit_emit_handler_call(vt_jit_builder *bld, x86_insn *i, uint32_t eip, uint32_t next,
                               const uint8_t *code) {
    vt_x64_emitter *e = &bld->e;
    vt_x64_store_i(e, 4, vt_x64_at(ST, OFF(insn_eip)), (int32_t)eip);
    vt_x64_store_i(e, 4, vt_x64_at(ST, OFF(eip)), (int32_t)next);
    vt_x64_mov_ri(e, 8, RSI, (uint64_t)(uintptr_t)i);
    vt_x64_store(e, 8, vt_x64_at(ST, OFF(cur)), RSI);
    vt_x64_mov_ri(e, 8, RAX, (uint64_t)(uintptr_t)code);
    vt_x64_store(e, 8, vt_x64_at(ST, OFF(code)), RAX);
    if (i->mem) { /* x86_calc_ea */
        x86_jit_emit_ea(e, i);
        if (i->asize == 2) vt_x64_alu_ri(e, VT_X64_AND, 4, RCX, 0xFFFF);
        vt_x64_store(e, 4, vt_x64_at(RSI, (int32_t)offsetof(x86_insn, ea)), RCX);
    }
    vt_x64_mov_rr(e, 8, RDI, ST);
    vt_x64_call(e, (const void *)i->fn);
    x86_jit_rsi_clobbered(e);
    vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, OFF(cpu.cycles)), i->cost);
    vt_x64_alu_mi(e, VT_X64_ADD, 8, vt_x64_at(ST, OFF(cpu.insns)), 1);
}

void x86_jit_emit_code_written_exit(vt_jit_builder *bld, x86_cpu *c) {
    vt_x64_emitter *e = &bld->e;
    vt_x64_mov_ri(e, 8, RAX, (uint64_t)(uintptr_t)&c->jit->code_written);
    vt_x64_alu_mi(e, VT_X64_CMP, 1, vt_x64_at(RAX, 0), 0);
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
}

void x86_jit_emit_handler(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                          const uint8_t *code) {
    x86_jit_rc_writeback(&bld->e); /* the handler works on the state */
    x86_jit_emit_handler_call(bld, i, eip, next, code);
    /* leave when flow left the block or a store hit a code page (x86_jit_page_perms) */
    vt_x64_alu_mi(&bld->e, VT_X64_CMP, 4, vt_x64_at(ST, OFF(eip)), (int32_t)next);
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
    x86_jit_emit_code_written_exit(bld, c);
    x86_jit_emit_flat_check(bld, c); /* it may have loaded a segment register */
    /* a machine's device access (an interrupt line, DMA) moved the epoch: the run loop and the
     * dispatcher see to it */
    if (!c->user) emit_epoch_exit(bld, c);
    x86_jit_rc_reload(&bld->e); /* it may have written any register */
}

/* MOV r32,[m] / MOV [m],r32 (32-bit addresses) and PUSH/POP r32: the fast path, else the
 * handler call. */
static bool is_native_mem(const x86_insn *i) {
    if (i->osize != 4 || i->lock) return false;
    if (i->opc >= 0x50 && i->opc <= 0x5F) return true;
    return (i->opc == 0x8B || i->opc == 0x89) && i->mem && i->asize == 4;
}

static void emit_mem_access(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                            uint32_t next, const uint8_t *code, uint32_t *cycles, uint32_t *insns) {
    vt_x64_emitter *e = &bld->e;
    unsigned op = i->opc;
    bool push = op >= 0x50 && op <= 0x57, pop = op >= 0x58 && op <= 0x5F;
    bool write = op == 0x89 || push;
    unsigned reg = push || pop ? op & 7 : i->reg;
    vt_x64_mem host = vt_x64_at_index(RSI, RCX, 1, 0);
    vt_x64_label slow = vt_x64_label_new();
    x86_jit_fast_begin(e, c, cycles, insns);
    if (push || pop) { /* ECX = the stack offset accessed */
        vt_x64_load(e, 4, RCX, x86_jit_reg_src(e, X86_ESP));
        if (push) vt_x64_alu_ri(e, VT_X64_SUB, 4, RCX, 4);
    } else {
        x86_jit_emit_ea(e, i);
    }
    unsigned seg = push || pop ? SEG_SS : i->seg;
    if (write) /* the store is the first change, and a load reads before any: direct */
        x86_jit_emit_write_addr(bld, c, seg, 4, push, &slow);
    else
        x86_jit_emit_read_addr(bld, c, seg, 4, pop, &slow);
    if (write) { /* PUSH ESP stores the value ESP had before the instruction */
        vt_x64_load(e, 4, RAX, x86_jit_reg_src(e, reg));
        vt_x64_store(e, 4, host, RAX);
        if (push) vt_x64_alu_mi(e, VT_X64_SUB, 4, x86_jit_reg_at(e, X86_ESP, 4), 4);
    } else { /* POP ESP leaves the popped value in ESP */
        vt_x64_load(e, 4, RAX, host);
        if (pop) vt_x64_alu_mi(e, VT_X64_ADD, 4, x86_jit_reg_at(e, X86_ESP, 4), 4);
        vt_x64_store(e, 4, x86_jit_reg_at(e, reg, 4), RAX);
    }
    x86_jit_fast_end(bld, c, i, eip, next, code, cycles, insns, &slow);
}

/* Leaves with STOP unless the interpreter would start every instruction up to the block's last
 * one: cycles + (their cost) < stop_at (at the entry, chained or not, and after each handler,
 * whose cost may exceed the model's: a REP string, a division, the x87). */
static void emit_budget_check(vt_jit_builder *bld, uint32_t lead) {
    vt_jit_emit_budget_check(bld, OFF(cpu.cycles), OFF(cpu.stop_at), lead);
}

/* The machine's budget check after an instruction whose slow path may reach a device: the
 * cached registers are written back first, as the check may leave. */
static void emit_mid_budget_check(vt_jit_builder *bld, uint32_t lead) {
    x86_jit_rc_clean(&bld->e);
    emit_budget_check(bld, lead);
}

/* Commits the translation unless it must be redone (then nothing of it was published, and the
 * next vt_jit_begin reuses its room). */
static vt_jit_block *finish(vt_jit_builder *bld, x86_cpu *c, const x86_jit_tx *tx) {
    if (tx->rc.retry) return NULL;
    x86_jit_emit_slow_paths(bld, c);
    return vt_jit_commit(bld);
}

/* Writes a pending flag record on every path from here on: code that reads the state's flags
 * follows (a handler, the closing flow, an exit). */
static void settle_flags(vt_x64_emitter *e, x86_jit_tx *tx) {
    if (!tx->pending.until) return;
    x86_jit_emit_pending(e, &tx->pending);
    tx->pending.until = NULL;
}

/* One translation of block b with the registers in `poison` never cached; NULL with rc->retry
 * set when a register must join them. */
static vt_jit_block *translate(x86_cpu *c, x86_block *b, uint32_t eip, const uint8_t *code,
                               x86_jit_tx *tx, uint8_t poison) {
    x86_jit *j = c->jit;
    vt_jit_builder bld;
    bool code32 = x86_code32(c);
    uint32_t la = c->seg[SEG_CS].base + eip;
    vt_jit_begin(j->cache, &bld, (vt_jit_key){la, code32}, la, b->len);
    bld.b->front = b;
    if (!c->user) emit_machine_entry_check(&bld, c, la, code - (la & 0xFFF));
    emit_budget_check(&bld, b->lead_cost);
    b->flat = x86_jit_flat_assumed(c);
    x86_jit_emit_flat_check(&bld, c);
    x86_jit_rc_plan(tx, &bld.e, b, poison);
    x86_jit_rc_load(&bld.e);
    uint32_t cycles = 0, insns = 0, done = 0;
    int known = -1;       /* the flag record, when known at translate time */
    bool eip_set = false; /* EIP is the next instruction's: the last one was a handler call */
    unsigned k = 0;
    for (; k < b->n; k++) {
        x86_insn *i = &b->insn[k];
        uint32_t next = code32 ? eip + i->len : (eip + i->len) & 0xFFFF;
        eip_set = false;
        done += i->cost;
        if (is_native(i)) {
            emit_native(&bld.e, i);
            cycles += i->cost;
            insns++;
        } else if (is_native_mem(i)) {
            emit_mem_access(&bld, c, i, eip, next, code, &cycles, &insns); /* its fast path
                                                                            leaves EIP behind */
            /* on a machine the slow path (the handler) may have reached a device that moved
             * stop_at */
            if (!c->user && k + 1 < b->n) emit_mid_budget_check(&bld, b->lead_cost - done);
        } else if (k + 1 < b->n && code32 && x86_block_ends_after(i)) { /* a Jcc (superblock) */
            settle_flags(&bld.e, tx);
            x86_jit_emit_jcc_inside(&bld, c, i, eip, next, code, &cycles, &insns, known);
        } else if (k + 1 == b->n && code32 && x86_jit_flow_native(i)) {
            settle_flags(&bld.e, tx);
            x86_jit_rc_forget(&bld.e); /* the flow forms work on the state */
            x86_jit_emit_flow(&bld, c, i, eip, next, code, &cycles, &insns, known);
            return finish(&bld, c, tx);
        } else if (k + 1 == b->n && x86_jit_flow_by_handler(i)) {
            if (j->lockstep) break; /* handlers run once, in the interpreter (x86_lockstep.c) */
            settle_flags(&bld.e, tx);
            x86_jit_rc_forget(&bld.e);
            x86_jit_flush_counts(&bld.e, &cycles, &insns);
            x86_jit_emit_flow_handler(&bld, c, i, eip, next, code);
            return finish(&bld, c, tx);
        } else if (x86_jit_emit_op(&bld, c, i, b->insn + b->n, eip, next, code, &cycles, &insns)) {
            /* a native form of jit/x86_translate_{alu,shift,move,mul,bits}.c; likewise */
            if (!c->user && x86_jit_op_has_slow_path(i) && k + 1 < b->n)
                emit_mid_budget_check(&bld, b->lead_cost - done);
        } else {
            if (j->lockstep) break; /* likewise */
            settle_flags(&bld.e, tx);
            x86_jit_flush_counts(&bld.e, &cycles, &insns);
            x86_jit_emit_handler(&bld, c, i, eip, next, code); /* writes back, reloads */
            tx->rc.dirty = 0;
            if (k + 1 < b->n) emit_budget_check(&bld, b->lead_cost - done);
            eip_set = true;
        }
        if (tx->pending.until == i) tx->pending.until = NULL; /* i rewrote every flag */
        known = x86_jit_flags_after(i, known);
        code += i->len;
        eip = next;
    }
    settle_flags(&bld.e, tx);
    x86_jit_rc_forget(&bld.e);
    x86_jit_flush_counts(&bld.e, &cycles, &insns);
    if (k == b->n && (b->end == X86_BLOCK_END_MAX || b->end == X86_BLOCK_END_PAGE)) {
        x86_jit_emit_chain_to(&bld, eip); /* straight on into the next block */
    } else {
        if (!eip_set) vt_x64_store_i(&bld.e, 4, vt_x64_at(ST, OFF(eip)), (int32_t)eip);
        vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
    }
    return finish(&bld, c, tx);
}

vt_jit_block *x86_jit_translate(x86_cpu *c, x86_block *b, uint32_t eip, const uint8_t *code) {
    x86_jit_tx tx;
    uint8_t poison = 0;
    for (;;) { /* each retry poisons one more register: at most four */
        vt_jit_block *t = translate(c, b, eip, code, &tx, poison);
        if (!tx.rc.retry) return t;
        poison = tx.rc.poison;
    }
}
