/* The ARM translator's view of the guest state in host terms: cycle and instruction counts
 * kept pending at translation time, the register cache (guest r0-r14 in host registers
 * within a block), operands, and condition tests from the host flags or the stored flags.
 * Semantics: ARM ARM (DDI 0100I) A3.2 (conditions); jit/README.md "Register cache". */
#include <string.h>

#include "jit/arm_translate_int.h"

#define RC_SAVED 5 /* the first five survive calls */
static const vt_x64_reg rc_host[VT_ARMT_RC_SLOTS] = {VT_X64_RBP, VT_X64_R12, VT_X64_R13,
                                                     VT_X64_R14, VT_X64_R15, VT_X64_R8,
                                                     VT_X64_R9,  VT_X64_R10, VT_X64_R11};

void vt_armt_add_counts(vt_armt_ctx *t, uint32_t cycles, uint32_t insns) {
    if (cycles) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, CYCLES, (int32_t)cycles);
    if (insns) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, INSNS, (int32_t)insns);
    if (cycles || insns) t->live = VT_ARMT_LIVE_NONE;
}

void vt_armt_flush_pending(vt_armt_ctx *t) {
    vt_armt_add_counts(t, t->pend_cycles, t->pend_insns);
    t->pend_cycles = t->pend_insns = 0;
}

/* Adds (sign 1) or takes back (sign -1) the pending counts in the state on the path being
 * emitted only: a helper or exit on a slow path sees exact counts while the other paths keep
 * them pending. */
void vt_armt_pending_to_state(vt_armt_ctx *t, int sign) {
    vt_x64_alu op = sign > 0 ? VT_X64_ADD : VT_X64_SUB;
    if (t->pend_cycles) vt_x64_alu_mi(t->e, op, 8, CYCLES, (int32_t)t->pend_cycles);
    if (t->pend_insns) vt_x64_alu_mi(t->e, op, 8, INSNS, (int32_t)t->pend_insns);
}

void vt_armt_store_u32(vt_armt_ctx *t, int32_t off, uint32_t v) {
    vt_x64_store_i(t->e, 4, AT(off), (int32_t)v);
}

void vt_armt_rc_reset(vt_armt_regcache *rc) {
    memset(rc->slot_of, -1, sizeof rc->slot_of);
    memset(rc->guest, -1, sizeof rc->guest);
    memset(rc->dirty, 0, sizeof rc->dirty);
    memset(rc->used, 0, sizeof rc->used);
}

/* Stores every dirty cached register to the state on the path being emitted; the cache's
 * bookkeeping is unchanged (for exits and slow paths that the other paths do not take). */
void vt_armt_rc_writeback(vt_armt_ctx *t) {
    for (unsigned i = 0; i < VT_ARMT_RC_SLOTS; i++)
        if (t->rc.dirty[i]) vt_x64_store(t->e, 4, REG(t->rc.guest[i]), rc_host[i]);
}

/* After a helper call (the cached registers were written back before it): reloads those
 * held in call-clobbered host registers. */
void vt_armt_rc_reload_volatile(vt_armt_ctx *t) {
    for (unsigned i = RC_SAVED; i < VT_ARMT_RC_SLOTS; i++)
        if (t->rc.guest[i] >= 0) vt_x64_load(t->e, 4, rc_host[i], REG(t->rc.guest[i]));
}

/* Writes back the dirty registers on every path from here on (they stay cached, clean). */
void vt_armt_rc_clean(vt_armt_ctx *t) {
    vt_armt_rc_writeback(t);
    memset(t->rc.dirty, 0, sizeof t->rc.dirty);
}

/* Forgets guest register n (the state holds its value: vt_armt_rc_clean first). */
void vt_armt_rc_drop(vt_armt_ctx *t, unsigned n) {
    int s = n < 15 ? t->rc.slot_of[n] : -1;
    if (s < 0) return;
    t->rc.guest[s] = -1;
    t->rc.slot_of[n] = -1;
}

/* Before a handler that may read or write any register: the state is exact, nothing cached. */
void vt_armt_rc_forget_all(vt_armt_ctx *t) {
    vt_armt_rc_clean(t);
    vt_armt_rc_reset(&t->rc);
}

/* The host register holding guest register n (0-14), loaded from the state when `load`. A
 * register used by the current instruction is never evicted (at most 4 per instruction). */
vt_x64_reg vt_armt_rc_reg(vt_armt_ctx *t, unsigned n, bool load) {
    vt_armt_regcache *rc = &t->rc;
    int s = rc->slot_of[n];
    if (s < 0) {
        s = 0;
        for (int i = 1; i < VT_ARMT_RC_SLOTS; i++)
            if (rc->guest[s] >= 0 && (rc->guest[i] < 0 || rc->used[i] < rc->used[s])) s = i;
        if (rc->guest[s] >= 0) {
            if (rc->dirty[s]) vt_x64_store(t->e, 4, REG(rc->guest[s]), rc_host[s]);
            rc->slot_of[rc->guest[s]] = -1;
        }
        rc->guest[s] = (int8_t)n;
        rc->slot_of[n] = (int8_t)s;
        rc->dirty[s] = false;
        if (load) vt_x64_load(t->e, 4, rc_host[s], REG(n));
    }
    rc->used[s] = t->stamp;
    return rc_host[s];
}

/* Marks guest register n (cached) as written. */
void vt_armt_rc_set_dirty(vt_armt_ctx *t, unsigned n) {
    t->rc.dirty[t->rc.slot_of[n]] = true;
}

vt_armt_opnd vt_armt_src(vt_armt_ctx *t, unsigned n, const vt_arm_tinsn *in) {
    if (n == 15) return (vt_armt_opnd){VT_X64_NOREG, in->pc_read};
    return (vt_armt_opnd){vt_armt_rc_reg(t, n, true), 0};
}

void vt_armt_mov_opnd(vt_armt_ctx *t, vt_x64_reg dst, vt_armt_opnd o) {
    if (o.h == VT_X64_NOREG)
        vt_x64_mov_ri(t->e, 4, dst, o.v);
    else
        vt_x64_mov_rr(t->e, 4, dst, o.h);
}

/* The destination register of an instruction (not r15): a conditional one keeps its old
 * value when the condition fails, so it is loaded; marked dirty by the caller once written. */
vt_x64_reg vt_armt_dst_reg(vt_armt_ctx *t, unsigned n, const vt_arm_tinsn *in) {
    return vt_armt_rc_reg(t, n, in->cond != VT_ARM_COND_AL);
}

/* The host condition under which ARM condition `cond` fails, from the flags the previous
 * instruction left in the host flags; false when they do not decide it. */
static bool live_fail_cc(vt_armt_live live, unsigned cond, vt_x64_cond *fail) {
    bool all = live == VT_ARMT_LIVE_ADD || live == VT_ARMT_LIVE_SUB;
    vt_x64_cond holds;
    if (live == VT_ARMT_LIVE_NONE) return false;
    switch (cond >> 1) {
    case 0: /* EQ */
        holds = VT_X64_CC_E;
        break;
    case 1: /* CS */
        if (!all) return false;
        holds = live == VT_ARMT_LIVE_ADD ? VT_X64_CC_B : VT_X64_CC_AE;
        break;
    case 2: /* MI */
        holds = VT_X64_CC_S;
        break;
    case 3: /* VS */
        holds = VT_X64_CC_O;
        if (!all) return false;
        break;
    case 4: /* HI: C and not Z, with C = !CF */
        if (live != VT_ARMT_LIVE_SUB) return false;
        holds = VT_X64_CC_A;
        break;
    case 5: /* GE: N == V */
        if (!all) return false;
        holds = VT_X64_CC_GE;
        break;
    case 6: /* GT: not Z and N == V */
        if (!all) return false;
        holds = VT_X64_CC_G;
        break;
    default:
        return false;
    }
    /* x86 conditions come in pairs: cc ^ 1 is the negation */
    *fail = cond & 1 ? holds : (vt_x64_cond)(holds ^ 1);
    return true;
}

/* Jumps to skip when condition `cond` (not AL) fails: from the host flags when the previous
 * instruction left them there, else from the flag fields (0/1 each). The flags are read as
 * bytes: translated code writes them with SETcc (one byte, the upper bytes stay zero), and a
 * dword load right after a byte store cannot be forwarded (a stall). */
void vt_armt_emit_cond(vt_armt_ctx *t, unsigned cond, vt_x64_label *skip) {
    vt_x64_emitter *e = t->e;
    vt_x64_cond fail;
    if (live_fail_cc(t->live, cond, &fail)) {
        vt_x64_jcc(e, fail, skip);
        return;
    }
    t->live = VT_ARMT_LIVE_NONE; /* the tests below clobber them */
    static const int32_t simple[4] = {OFF(z), OFF(c), OFF(n), OFF(v)};
    bool odd = cond & 1;
    switch (cond >> 1) {
    case 0:
    case 1:
    case 2:
    case 3: /* EQ/NE CS/CC MI/PL VS/VC: the flag set (even) or clear (odd) */
        vt_x64_alu_mi(e, VT_X64_CMP, 1, AT(simple[cond >> 1]), 0);
        vt_x64_jcc(e, odd ? VT_X64_CC_NE : VT_X64_CC_E, skip);
        break;
    case 4: /* HI: C and not Z; LS the opposite */
        vt_x64_load_zx(e, 1, VT_X64_RAX, AT(OFF(c)));
        vt_x64_load_zx(e, 1, VT_X64_RDX, AT(OFF(z)));
        vt_x64_alu_ri(e, VT_X64_XOR, 4, VT_X64_RDX, 1);
        vt_x64_alu_rr(e, VT_X64_AND, 4, VT_X64_RAX, VT_X64_RDX);
        vt_x64_jcc(e, odd ? VT_X64_CC_NE : VT_X64_CC_E, skip);
        break;
    case 5: /* GE: N == V; LT: N != V */
        vt_x64_load_zx(e, 1, VT_X64_RAX, AT(OFF(n)));
        vt_x64_alu_rm(e, VT_X64_CMP, 1, VT_X64_RAX, AT(OFF(v)));
        vt_x64_jcc(e, odd ? VT_X64_CC_E : VT_X64_CC_NE, skip);
        break;
    default: /* GT: not Z and N == V; LE the opposite */
        vt_x64_load_zx(e, 1, VT_X64_RAX, AT(OFF(n)));
        vt_x64_alu_rm(e, VT_X64_XOR, 1, VT_X64_RAX, AT(OFF(v)));
        vt_x64_alu_rm(e, VT_X64_OR, 1, VT_X64_RAX, AT(OFF(z)));
        vt_x64_jcc(e, odd ? VT_X64_CC_E : VT_X64_CC_NE, skip);
        break;
    }
}
