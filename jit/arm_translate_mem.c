/* The ARM translator's loads and stores: LDR/STR(B)/LDRH/STRH/LDRSB/LDRSH with an inline
 * software-TLB fast path and an out-of-line slow path through the interpreter's accessors,
 * LDM/STM (a whole block on one cached page moved directly, the PC loaded as a return). On
 * a machine (system mode) every slow path leaves the block when a device asked for it.
 * Semantics: ARM ARM (DDI 0100I) A5.2-A5.4, A4.1.20, A4.1.97; jit/README.md. */
#include "jit/arm_translate_int.h"
#include "jit/jit_tlb.h"

_Static_assert(sizeof(vt_tlb_entry) == 32, "the inline TLB lookup scales the index by 32");

/* Slow paths of the inline TLB lookup: the interpreter's own accessors (TLB miss, MMIO,
 * unaligned, faults: an abort unwinds to the core's run() like the interpreter's does). */
static uint32_t slow_ldr(vt_arm_cpu *c, uint32_t va) {
    return vt_arm_ldr_word(c, va);
}
static uint32_t slow_ldrb(vt_arm_cpu *c, uint32_t va) {
    return vt_arm_ld8(c, va);
}
static void slow_str(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    vt_arm_str_word(c, va, v);
}
static void slow_strb(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    vt_arm_st8(c, va, v);
}
static uint32_t slow_ldrh(vt_arm_cpu *c, uint32_t va) {
    return vt_arm_ldrh(c, va);
}
static uint32_t slow_ldrsb(vt_arm_cpu *c, uint32_t va) {
    return (uint32_t)(int32_t)(int8_t)vt_arm_ld8(c, va);
}
static uint32_t slow_ldrsh(vt_arm_cpu *c, uint32_t va) {
    return (uint32_t)(int32_t)(int16_t)vt_arm_ldrh(c, va);
}
static void slow_strh(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    vt_arm_strh(c, va, v);
}

/* One load/store form: access size, sign extension, its slow path. */
typedef struct mem_form {
    unsigned size;
    bool sign;
    const void *slow;
} mem_form;

/* The form of an LDR/STR(B) (A5.2) or LDRH/STRH/LDRSB/LDRSH (A5.3) instruction. */
static mem_form form_of(uint32_t insn, bool x, bool l) {
    if (!x) {
        bool byte = BIT(insn, 22);
        if (l)
            return (mem_form){byte ? 1 : 4, false,
                              byte ? (const void *)slow_ldrb : (const void *)slow_ldr};
        return (mem_form){byte ? 1 : 4, false,
                          byte ? (const void *)slow_strb : (const void *)slow_str};
    }
    switch (BITS(insn, 6, 5)) {
    case 1:
        return (mem_form){2, false, l ? (const void *)slow_ldrh : (const void *)slow_strh};
    case 2:
        return (mem_form){1, true, (const void *)slow_ldrsb};
    default:
        return (mem_form){2, true, (const void *)slow_ldrsh};
    }
}

/* Lockstep: a load that misses the TLB (it may fault: the abort would unwind past the check)
 * ends the block before it, and the interpreter runs it once. True when emitted. */
static bool lockstep_load_exit(vt_armt_ctx *t, uint32_t pc) {
    if (t->j->mode != VT_JIT_LOCKSTEP) return false;
    vt_armt_rc_writeback(t);
    vt_armt_pending_to_state(t, 1);
    vt_armt_store_u32(t, OFF(r) + 60, pc);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_STOP);
    return true;
}

/* System mode, after an access that may have reached a device or a handler call, with the
 * state exact up to `next` on the path being emitted (cached registers written back, counts
 * in the state): leaves when stop_at was lowered or an interrupt line changed
 * (base.jit_exit), so the next instruction starts where the interpreter would decide. */
void vt_armt_emit_leave_check(vt_armt_ctx *t, uint32_t next) {
    if (!t->c->sysmode) return;
    vt_armt_store_u32(t, OFF(r) + 60, next);
    vt_x64_alu_mi(t->e, VT_X64_CMP, 1, AT(OFF(base.jit_exit)), 0);
    vt_jit_emit_exit_cc(&t->bld, VT_X64_CC_NE, VT_JIT_EXIT_INTERRUPT);
}

/* The state a helper (and any exception it raises) sees for the instruction. */
void vt_armt_store_insn_pcs(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_armt_store_u32(t, OFF(cur_pc), in->pc);
    vt_armt_store_u32(t, OFF(r) + 60, in->r15);
    vt_armt_store_u32(t, OFF(next_pc), in->next);
}

/* ECX = the offset of a load/store (a register shifted by an immediate, a plain register
 * (A5.3 I=0) or an immediate), with the sign of U applied to `base` into `dst`. */
static void emit_ldst_addr(vt_armt_ctx *t, uint32_t insn, bool x, bool reg, vt_armt_opnd m,
                           vt_x64_reg dst, vt_x64_reg base) {
    vt_x64_emitter *e = t->e;
    bool u = BIT(insn, 23);
    if (reg) {
        if (x)
            vt_armt_mov_opnd(t, VT_X64_RCX, m);
        else
            vt_armt_emit_shift_imm(t, insn, m, false);
        if (dst != base) vt_x64_mov_rr(e, 4, dst, base);
        vt_x64_alu_rr(e, u ? VT_X64_ADD : VT_X64_SUB, 4, dst, VT_X64_RCX);
    } else {
        int32_t off = (int32_t)(x ? (BITS(insn, 11, 8) << 4 | (insn & 15)) : (insn & 0xfff));
        vt_x64_lea(e, 4, dst, vt_x64_at(base, u ? off : -off));
    }
}

/* Where a load/store's fast path puts the loaded value: straight into Rd's host register,
 * unless the base writeback (computed after the access) still reads Rd as base or offset. */
static bool loads_direct(uint32_t insn, bool reg) {
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12);
    bool wb = !BIT(insn, 24) || BIT(insn, 21);
    return !wb || (rd != rn && !(reg && rd == (insn & 15)));
}

/* LDR/STR(B) (not the T variants) and LDRH/STRH/LDRSB/LDRSH (A5.2, A5.3): the address in
 * ESI; base, offset register and Rd are cached registers (they survive the helper call). The
 * writeback is computed after the access, so a faulting access leaves the base as it was.
 * The slow path is emitted after the block's body (vt_armt_emit_ldst_slow). An unconditional one
 * keeps the counts pending (the slow path hands them to the state around its call). */
void vt_armt_emit_ldst(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    bool x = !BIT(insn, 26); /* the halfword / signed-byte space (A5.3) */
    bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
    bool reg = x ? !BIT(insn, 22) : BIT(insn, 25);
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12), cond = in->cond;
    bool wb = !p || w; /* then rn is not r15 (classify) */
    mem_form f = form_of(insn, x, l);
    vt_x64_label skip = vt_x64_label_new(), done = vt_x64_label_new();
    if (cond != VT_ARM_COND_AL)
        vt_armt_flush_pending(t); /* its two paths retire different counts */
    vt_armt_opnd n = vt_armt_src(t, rn, in),
                 m = reg ? vt_armt_src(t, insn & 15, in) : (vt_armt_opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = l ? vt_armt_dst_reg(t, rd, in) : vt_armt_rc_reg(t, rd, true);
    vt_armt_ldst_slow *sp = &t->slow[t->n_slow++];
    *sp = (vt_armt_ldst_slow){
        in, vt_x64_label_new(), vt_x64_label_new(), t->rc, t->pend_cycles, t->pend_insns, hd, n, m,
        -1};
    if (cond != VT_ARM_COND_AL) vt_armt_emit_cond(t, cond, &skip);
    if (!p) {
        vt_armt_mov_opnd(t, VT_X64_RSI, n);
    } else if (n.h == VT_X64_NOREG) {
        vt_armt_mov_opnd(t, VT_X64_RSI, n);
        emit_ldst_addr(t, insn, x, reg, m, VT_X64_RSI, VT_X64_RSI);
    } else {
        emit_ldst_addr(t, insn, x, reg, m, VT_X64_RSI, n.h);
    }
    /* fast path: an aligned access on a page the TLB holds for this access type */
    if (f.size > 1) { /* unaligned: the slow path applies the model's rules */
        vt_x64_test_ri(e, 4, VT_X64_RSI, (int32_t)f.size - 1);
        vt_x64_jcc(e, VT_X64_CC_NE, &sp->entry);
    }
    /* Linux user mode: a load reads base + VA (a host fault resumes at the slow path, nothing
     * having changed since its checks); else the TLB gives the page */
    bool direct = l && t->j->direct_base && vt_jit_site_begin(&t->bld);
    if (direct) {
        vt_x64_mov_ri(e, 8, VT_X64_RAX, (uint64_t)(uintptr_t)t->j->direct_base);
    } else {
        vt_jit_emit_tlb_probe(e, OFF(tlb), l ? VT_ACCESS_READ : VT_ACCESS_WRITE, VT_X64_RSI,
                              VT_X64_RDX, VT_X64_RCX, VT_X64_RAX, &sp->entry);
        vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RSI, (int32_t)VT_TLB_PAGE_MASK);
    }
    vt_x64_mem host = vt_x64_at_index(VT_X64_RAX, VT_X64_RSI, 1, 0);
    vt_x64_reg val = loads_direct(insn, reg) ? hd : VT_X64_RAX;
    if (l && f.sign)
        vt_x64_load_sx(e, f.size, 4, val, host);
    else if (l)
        vt_x64_load_zx(e, f.size, val, host);
    else
        vt_x64_store(e, f.size, host, hd);
    if (direct) sp->site = vt_jit_site_end(&t->bld);
    vt_x64_bind(e, &sp->back);
    if (wb) {
        emit_ldst_addr(t, insn, x, reg, m, n.h, n.h);
        vt_armt_rc_set_dirty(t, rn);
    }
    if (l) {
        if (val != hd) vt_x64_mov_rr(e, 4, hd, VT_X64_RAX);
        vt_armt_rc_set_dirty(t, rd);
    }
    if (cond == VT_ARM_COND_AL) {
        t->pend_cycles += in->cost;
        t->pend_insns++;
    } else {
        vt_armt_add_counts(t, in->cost, 1);
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        vt_armt_add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}

/* A load/store's slow path (the interpreter's accessor: a TLB miss, unaligned, MMIO, a fault
 * unwinding to run()), with the register cache and counts as they were at the access: the
 * state is exact for a fault. A store then finishes the instruction in the state and leaves
 * if it overwrote this very block; in system mode a load does too (it may have read a
 * device), and both leave on a leave check. Otherwise back to the fast path's end. */
void vt_armt_emit_ldst_slow(vt_armt_ctx *t, vt_armt_ldst_slow *sp) {
    vt_x64_emitter *e = t->e;
    const vt_arm_tinsn *in = sp->in;
    uint32_t insn = in->insn;
    bool x = !BIT(insn, 26), l = BIT(insn, 20), wb = !BIT(insn, 24) || BIT(insn, 21);
    bool reg = x ? !BIT(insn, 22) : BIT(insn, 25);
    t->rc = sp->rc;
    t->pend_cycles = sp->pend_cycles;
    t->pend_insns = sp->pend_insns;
    vt_x64_bind(e, &sp->entry);
    vt_jit_site_slow(&t->bld, sp->site);
    /* (system mode: a store may reach a device, which lockstep must not run twice) */
    if ((l || t->c->sysmode) && lockstep_load_exit(t, in->pc)) return;
    vt_armt_rc_writeback(t);
    vt_armt_pending_to_state(t, 1);
    vt_armt_store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    if (!l) vt_x64_mov_rr(e, 4, VT_X64_RDX, sp->hd);
    vt_x64_call(e, form_of(insn, x, l).slow);
    vt_armt_pending_to_state(t, -1);
    vt_armt_rc_reload_volatile(t);
    if (l && loads_direct(insn, reg)) vt_x64_mov_rr(e, 4, sp->hd, VT_X64_RAX);
    if (!l || t->c->sysmode) {
        /* the instruction's results in the state (the loaded value stays in EAX): the base
         * writeback first, then Rd, as the fast path's end orders them */
        if (wb) {
            emit_ldst_addr(t, insn, x, reg, sp->m, VT_X64_RDX, sp->n.h);
            vt_x64_store(e, 4, REG(BITS(insn, 19, 16)), VT_X64_RDX);
        }
        if (l) vt_x64_store(e, 4, REG(BITS(insn, 15, 12)), VT_X64_RAX);
        t->pend_cycles += in->cost;
        t->pend_insns++;
        vt_armt_pending_to_state(t, 1);
        vt_armt_store_u32(t, OFF(r) + 60, in->next);
        if (!l) vt_jit_emit_stale_check(&t->bld);
        vt_armt_emit_leave_check(t, in->next);
        vt_armt_pending_to_state(t, -1);
    }
    vt_x64_jmp(e, &sp->back);
}

/* LDM/STM without the S bit, STM without the PC (A4.1.20, A4.1.97): a whole aligned block on
 * one page the TLB holds moves straight between the registers and memory; anything else (a
 * miss, a page crossing, a fault, SMC) runs the interpreter's handler, which costs the same.
 * A loaded PC (a return) leaves the block: in the same state as the interpreter's
 * vt_arm_branch would keep (on v5 bit 0 selects Thumb; a change of state is the handler's). */
void vt_armt_emit_ldm_stm(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc, list = insn & 0xffff;
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), l = BIT(insn, 20);
    unsigned rn = BITS(insn, 19, 16), cond = in->cond, n = arm_popcount(list);
    int32_t start = u ? (p ? 4 : 0) : -4 * (int32_t)n + (p ? 0 : 4);
    int32_t delta = u ? 4 * (int32_t)n : -4 * (int32_t)n;
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new(), done = vt_x64_label_new();
    vt_armt_flush_pending(t);
    /* the registers move through the state: written back, the loaded ones and the base
     * forgotten */
    vt_armt_rc_clean(t);
    vt_armt_rc_drop(t, rn);
    if (l)
        for (unsigned r = 0; r < 15; r++)
            if (list & (1u << r)) vt_armt_rc_drop(t, r);
    if (cond != VT_ARM_COND_AL) vt_armt_emit_cond(t, cond, &skip);
    vt_x64_load(e, 4, VT_X64_RDI, REG(rn));
    vt_x64_lea(e, 4, VT_X64_RSI, vt_x64_at(VT_X64_RDI, start));
    vt_x64_test_ri(e, 4, VT_X64_RSI, 3);
    vt_x64_jcc(e, VT_X64_CC_NE, &slow);
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_RSI);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, (int32_t)VT_TLB_PAGE_MASK);
    vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, (int32_t)(VT_TLB_PAGE_MASK + 1 - 4 * n));
    vt_x64_jcc(e, VT_X64_CC_A, &slow);
    vt_jit_emit_tlb_probe(e, OFF(tlb), l ? VT_ACCESS_READ : VT_ACCESS_WRITE, VT_X64_RSI, VT_X64_RDX,
                          VT_X64_RCX, VT_X64_RAX, &slow);
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_RSI);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, (int32_t)VT_TLB_PAGE_MASK);
    vt_x64_alu_rr(e, VT_X64_ADD, 8, VT_X64_RAX, VT_X64_RCX);
    bool pc_in = l && BIT(list, 15), thumb = t->c->thumb;
    if (pc_in) { /* the new PC first: nothing is written when its state change needs the handler */
        vt_x64_load(e, 4, VT_X64_RSI, vt_x64_at(VT_X64_RAX, 4 * ((int32_t)n - 1)));
        if (t->c->features & VT_ARM_F_V5) {
            vt_x64_test_ri(e, 4, VT_X64_RSI, 1);
            vt_x64_jcc(e, thumb ? VT_X64_CC_E : VT_X64_CC_NE, &slow);
        }
    }
    int32_t k = 0;
    for (uint32_t m = list & 0x7fff; m; m &= m - 1, k += 4) {
        unsigned r = (unsigned)__builtin_ctz(m);
        if (l) {
            vt_x64_load(e, 4, VT_X64_RDX, vt_x64_at(VT_X64_RAX, k));
            vt_x64_store(e, 4, REG(r), VT_X64_RDX);
        } else {
            vt_x64_load(e, 4, VT_X64_RDX, REG(r));
            vt_x64_store(e, 4, vt_x64_at(VT_X64_RAX, k), VT_X64_RDX);
        }
    }
    /* LDM with the base in the list keeps the loaded value (no writeback) */
    if (w && !(l && (list & (1u << rn)))) {
        vt_x64_lea(e, 4, VT_X64_RDX, vt_x64_at(VT_X64_RDI, delta));
        vt_x64_store(e, 4, REG(rn), VT_X64_RDX);
    }
    vt_armt_add_counts(t, in->cost, 1);
    if (pc_in) {
        vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RSI, thumb ? ~1 : ~3);
        vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RSI);
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RSI);
        vt_armt_emit_jump_exit(t);
    } else {
        vt_x64_jmp(e, &done);
    }
    /* slow path: the interpreter's handler (its own cycles; a store may hit this block) */
    vt_x64_bind(e, &slow);
    if ((l || t->c->sysmode) && lockstep_load_exit(t, pc)) goto finish;
    vt_armt_store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    vt_armt_rc_reload_volatile(t);
    vt_armt_add_counts(t, 0, 1);
    if (!l) {
        vt_armt_store_u32(t, OFF(r) + 60, in->next);
        vt_jit_emit_stale_check(&t->bld);
    } else if (pc_in) { /* the handler's branch (or exception) chose the PC */
        vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
        vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
        vt_armt_emit_jump_exit(t);
    }
    if (!pc_in) vt_armt_emit_leave_check(t, in->next);
finish:
    if (cond != VT_ARM_COND_AL) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        vt_armt_add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}
