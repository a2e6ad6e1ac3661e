/* ARM-state block translator: data processing with an immediate, an immediate-shifted
 * register or (when no shifter carry is needed) a register-shifted register (flags exactly as
 * arm_dp_op computes them, from the host flags of the same operation), LDR/STR/LDRB/STRB with
 * an inline TLB fast path, unconditional MUL/MLA and long multiplies, B/BL with chained exits;
 * every other instruction calls the interpreter's own handler (one call per instruction, same
 * semantics). Cycle costs come from the model's table; a budget check before each run of
 * instructions keeps stop_at exact. On a machine (system mode) a block first checks its page
 * and leaves after device accesses and system instructions with the state exact.
 * Semantics: ARM ARM (DDI 0100I) A3-A5; jit/README.md. */
#include <stddef.h>
#include <string.h>

#include "jit/arm_jit_int.h"
#include "jit/jit_tlb.h"

#define OFF(f) ((int32_t)offsetof(vt_arm_cpu, f))
#define AT(off) vt_x64_at(VT_JIT_STATE, (off))
#define REG(n) AT(OFF(r) + 4 * (int32_t)(n))
#define CYCLES AT(OFF(base.cycles))
#define INSNS AT(OFF(base.insns))

_Static_assert(sizeof(vt_tlb_entry) == 32, "the inline TLB lookup scales the index by 32");

/* Guest registers r0-r14 live in host registers within a block: loaded on first use,
 * written back before every exit, helper call that may fault or read them, and budget stop;
 * LRU eviction. R8-R11 do not survive a call: a slow path reloads them after it (the state
 * holds their values then). Every allocation an instruction needs happens before its
 * condition test or slow-path split, so all paths agree on the mapping. */
#define RC_SLOTS 9
#define RC_SAVED 5 /* the first five survive calls */
static const vt_x64_reg rc_host[RC_SLOTS] = {VT_X64_RBP, VT_X64_R12, VT_X64_R13,
                                             VT_X64_R14, VT_X64_R15, VT_X64_R8,
                                             VT_X64_R9,  VT_X64_R10, VT_X64_R11};

/* The ARM flags the host flags still hold: N and Z (SF, ZF), or all four after an addition
 * (C = CF) or a subtraction (C = !CF), V = OF. */
enum live_flags { LIVE_NONE, LIVE_NZ, LIVE_ADD, LIVE_SUB };

typedef struct regcache {
    int8_t slot_of[15];      /* guest register -> slot, -1 when not cached */
    int8_t guest[RC_SLOTS];  /* slot -> guest register, -1 when free */
    bool dirty[RC_SLOTS];    /* the host register is newer than the state */
    uint32_t used[RC_SLOTS]; /* instruction stamp of the last use */
} regcache;

/* A register operand: a cached host register, or for r15 the constant it reads as. */
typedef struct opnd {
    vt_x64_reg h; /* VT_X64_NOREG: the constant v */
    uint32_t v;
} opnd;

/* A load/store's slow path, emitted after the block's body with the register cache and the
 * pending counts as they were at the access. */
typedef struct ldst_slow {
    const vt_arm_tinsn *in;
    vt_x64_label entry, back; /* from the fast path's checks; back to its end */
    regcache rc;
    uint32_t pend_cycles, pend_insns;
    vt_x64_reg hd; /* Rd's host register */
    opnd n, m;     /* base and offset register */
} ldst_slow;

typedef struct tctx {
    vt_arm_cpu *c;
    vt_arm_jit *j;
    vt_jit_builder bld;
    vt_x64_emitter *e;
    uint32_t pend_cycles, pend_insns; /* retired by emitted code, not yet added to the state */
    regcache rc;
    uint32_t stamp; /* the current instruction's number: its operands are never evicted */
    /* what the host flags hold at the current instruction's start (set when the previous
     * instruction set them and nothing emitted since clobbered them), and at its end */
    enum live_flags live, live_out;
    ldst_slow slow[VT_ARM_JIT_MAX_INSNS]; /* load/store slow paths, emitted after the body */
    unsigned n_slow;
} tctx;

/* Handlers after which the PC or the decoding state may have changed. */
static bool ends_block(vt_arm_handler fn) {
    return fn == vt_arm_i_b || fn == vt_arm_i_bx || fn == vt_arm_i_blx_imm || fn == vt_arm_swi ||
           fn == vt_arm_bkpt || fn == vt_arm_i_undef || fn == vt_arm_i_mrc_mcr ||
           fn == vt_arm_i_msr_reg || fn == vt_arm_i_msr_imm || fn == vt_arm_i_cps ||
           fn == vt_arm_i_setend || fn == vt_arm_i_rfe || fn == vt_arm_i_srs;
}

/* A register-shifted-register DP the translator takes: unconditional (a failed one costs dp,
 * not dp_regshift), no r15 operand or destination, and no shifter carry out (a logical op with
 * S needs the carry of the register shift: the interpreter's handler keeps that case). */
static bool rsr_translatable(uint32_t insn) {
    unsigned op = BITS(insn, 24, 21);
    bool logical = op <= 1 || (op >= 8 && op <= 9) || op >= 12;
    bool any_pc = (insn & 15) == 15 || BITS(insn, 11, 8) == 15 || BITS(insn, 15, 12) == 15 ||
                  BITS(insn, 19, 16) == 15;
    return insn >> 28 == VT_ARM_COND_AL && !any_pc && !(BIT(insn, 20) && logical);
}

/* UMULL/UMLAL/SMULL/SMLAL the translator takes: unconditional (a failed one costs dp, not
 * mul_long) and no r15 among the four registers. */
static bool mull_translatable(uint32_t insn) {
    bool any_pc = (insn & 15) == 15 || BITS(insn, 11, 8) == 15 || BITS(insn, 15, 12) == 15 ||
                  BITS(insn, 19, 16) == 15;
    return insn >> 28 == VT_ARM_COND_AL && !any_pc;
}

uint32_t vt_arm_ldm_stm_cost(const vt_arm_cpu *c, uint32_t insn) {
    uint32_t n = arm_popcount(insn & 0xffff);
    uint32_t cost = (BIT(insn, 20) ? c->t.ldm_base : c->t.stm_base) + n * c->t.per_reg;
    return BIT(insn, 15) ? cost + c->t.ldr_pc : cost; /* vt_arm_ldm's arm_wr_load */
}

static void classify(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, vt_arm_tinsn *in) {
    const vt_arm_insn_desc *d = vt_arm_decode_const(c, insn);
    unsigned cond = insn >> 28, rd = BITS(insn, 15, 12), rn = BITS(insn, 19, 16);
    *in = (vt_arm_tinsn){.pc = pc,
                         .insn = insn,
                         .raw = insn,
                         .cond = cond,
                         .r15 = pc + 8,
                         .pc_read = pc + 8,
                         .next = pc + 4,
                         .kind = VT_ARM_K_FALLBACK,
                         .dynamic = true};
    in->fn = vt_arm_specialize(d->fn, insn);
    in->ends = cond == 0xF || ends_block(d->fn);
    in->stores = d->fn == vt_arm_i_ldm_stm || d->fn == vt_arm_i_ldst || d->fn == vt_arm_i_ldst_x ||
                 d->fn == vt_arm_i_swp || d->fn == vt_arm_i_strex || d->fn == vt_arm_i_vfp_ldst ||
                 d->fn == vt_arm_i_srs;
    if (cond == 0xF) return;
    if (d->fn == vt_arm_i_dp_imm || d->fn == vt_arm_i_dp_reg) {
        if (rd == 15) {
            in->ends = true;
        } else {
            in->kind = VT_ARM_K_DP;
            in->dynamic = false;
            in->cost = c->t.dp;
        }
    } else if (d->fn == vt_arm_i_dp_rsr && rsr_translatable(insn)) {
        in->kind = VT_ARM_K_DP;
        in->dynamic = false;
        in->cost = c->t.dp_regshift;
    } else if (d->fn == vt_arm_i_ldst) {
        bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
        bool user = !p && w, wb = !p || w;
        if (rd == 15) {
            in->ends = l;
        } else if (!user && !(wb && rn == 15)) {
            in->kind = VT_ARM_K_LDST;
            in->cost = l ? c->t.ldr : c->t.str;
            in->dynamic = cond != VT_ARM_COND_AL; /* a failed condition costs dp instead */
        }
    } else if (d->fn == vt_arm_i_ldst_x) {
        bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
        unsigned sh = BITS(insn, 6, 5);
        if (rd == 15) {
            in->ends = l;
        } else if ((l || sh == 1) && !((!p || w) && rn == 15)) { /* not LDRD/STRD */
            in->kind = VT_ARM_K_LDST;
            in->cost = l ? c->t.ldr : c->t.str;
            in->dynamic = cond != VT_ARM_COND_AL;
        }
    } else if (d->fn == vt_arm_i_mul) {
        if (BITS(insn, 19, 16) != 15 && cond == VT_ARM_COND_AL) { /* a failed one would cost dp */
            in->kind = VT_ARM_K_MUL;
            in->dynamic = false;
            in->cost = c->t.mul;
        }
    } else if (d->fn == vt_arm_i_b) {
        in->kind = VT_ARM_K_BRANCH;
        in->target = pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6);
    } else if (d->fn == vt_arm_i_ldm_stm) {
        bool l = BIT(insn, 20), pc_in = BIT(insn, 15);
        in->ends = l && pc_in;
        if ((l || !pc_in) && !BIT(insn, 22) && (insn & 0xffff) && rn != 15) {
            in->kind = VT_ARM_K_LDM_STM;
            in->cost = vt_arm_ldm_stm_cost(c, insn);
            in->dynamic = cond != VT_ARM_COND_AL;
        }
    } else if (d->fn == vt_arm_i_bx && (insn & 15) != 15) {
        in->kind = VT_ARM_K_BX;
        in->cost = c->t.branch;
        in->dynamic = cond != VT_ARM_COND_AL; /* a failed one costs dp */
        in->target = pc + 4;                  /* BLX's link */
    } else if (d->fn == vt_arm_i_mull && mull_translatable(insn)) {
        in->kind = VT_ARM_K_MULL;
        in->dynamic = false;
        in->cost = c->t.mul_long;
    } else if (d->fn == vt_arm_i_mull || d->fn == vt_arm_i_dp_rsr || d->fn == vt_arm_i_mrs) {
        in->ends = rd == 15 || rn == 15; /* a load or a long multiply may write r15 */
    }
}

static void add_counts(tctx *t, uint32_t cycles, uint32_t insns) {
    if (cycles) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, CYCLES, (int32_t)cycles);
    if (insns) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, INSNS, (int32_t)insns);
    if (cycles || insns) t->live = LIVE_NONE;
}

static void flush_pending(tctx *t) {
    add_counts(t, t->pend_cycles, t->pend_insns);
    t->pend_cycles = t->pend_insns = 0;
}

/* Adds (sign 1) or takes back (sign -1) the pending counts in the state on the path being
 * emitted only: a helper or exit on a slow path sees exact counts while the other paths keep
 * them pending. */
static void pending_to_state(tctx *t, int sign) {
    vt_x64_alu op = sign > 0 ? VT_X64_ADD : VT_X64_SUB;
    if (t->pend_cycles) vt_x64_alu_mi(t->e, op, 8, CYCLES, (int32_t)t->pend_cycles);
    if (t->pend_insns) vt_x64_alu_mi(t->e, op, 8, INSNS, (int32_t)t->pend_insns);
}

static void store_u32(tctx *t, int32_t off, uint32_t v) {
    vt_x64_store_i(t->e, 4, AT(off), (int32_t)v);
}

static void rc_reset(regcache *rc) {
    memset(rc->slot_of, -1, sizeof rc->slot_of);
    memset(rc->guest, -1, sizeof rc->guest);
    memset(rc->dirty, 0, sizeof rc->dirty);
    memset(rc->used, 0, sizeof rc->used);
}

/* Stores every dirty cached register to the state on the path being emitted; the cache's
 * bookkeeping is unchanged (for exits and slow paths that the other paths do not take). */
static void rc_writeback(tctx *t) {
    for (unsigned i = 0; i < RC_SLOTS; i++)
        if (t->rc.dirty[i]) vt_x64_store(t->e, 4, REG(t->rc.guest[i]), rc_host[i]);
}

/* After a helper call (the cached registers were written back before it): reloads those
 * held in call-clobbered host registers. */
static void rc_reload_volatile(tctx *t) {
    for (unsigned i = RC_SAVED; i < RC_SLOTS; i++)
        if (t->rc.guest[i] >= 0) vt_x64_load(t->e, 4, rc_host[i], REG(t->rc.guest[i]));
}

/* Writes back the dirty registers on every path from here on (they stay cached, clean). */
static void rc_clean(tctx *t) {
    rc_writeback(t);
    memset(t->rc.dirty, 0, sizeof t->rc.dirty);
}

/* Forgets guest register n (the state holds its value: rc_clean first). */
static void rc_drop(tctx *t, unsigned n) {
    int s = n < 15 ? t->rc.slot_of[n] : -1;
    if (s < 0) return;
    t->rc.guest[s] = -1;
    t->rc.slot_of[n] = -1;
}

/* Before a handler that may read or write any register: the state is exact, nothing cached. */
static void rc_forget_all(tctx *t) {
    rc_clean(t);
    rc_reset(&t->rc);
}

/* The host register holding guest register n (0-14), loaded from the state when `load`. A
 * register used by the current instruction is never evicted (at most 4 per instruction). */
static vt_x64_reg rc_reg(tctx *t, unsigned n, bool load) {
    regcache *rc = &t->rc;
    int s = rc->slot_of[n];
    if (s < 0) {
        s = 0;
        for (int i = 1; i < RC_SLOTS; i++)
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
static void rc_set_dirty(tctx *t, unsigned n) {
    t->rc.dirty[t->rc.slot_of[n]] = true;
}

static opnd src(tctx *t, unsigned n, const vt_arm_tinsn *in) {
    if (n == 15) return (opnd){VT_X64_NOREG, in->pc_read};
    return (opnd){rc_reg(t, n, true), 0};
}

static void mov_opnd(tctx *t, vt_x64_reg dst, opnd o) {
    if (o.h == VT_X64_NOREG)
        vt_x64_mov_ri(t->e, 4, dst, o.v);
    else
        vt_x64_mov_rr(t->e, 4, dst, o.h);
}

/* The destination register of an instruction (not r15): a conditional one keeps its old
 * value when the condition fails, so it is loaded; marked dirty by the caller once written. */
static vt_x64_reg dst_reg(tctx *t, unsigned n, const vt_arm_tinsn *in) {
    return rc_reg(t, n, in->cond != VT_ARM_COND_AL);
}

/* The host condition under which ARM condition `cond` fails, from the flags the previous
 * instruction left in the host flags; false when they do not decide it. */
static bool live_fail_cc(enum live_flags live, unsigned cond, vt_x64_cond *fail) {
    bool all = live == LIVE_ADD || live == LIVE_SUB;
    vt_x64_cond holds;
    if (live == LIVE_NONE) return false;
    switch (cond >> 1) {
    case 0: /* EQ */
        holds = VT_X64_CC_E;
        break;
    case 1: /* CS */
        if (!all) return false;
        holds = live == LIVE_ADD ? VT_X64_CC_B : VT_X64_CC_AE;
        break;
    case 2: /* MI */
        holds = VT_X64_CC_S;
        break;
    case 3: /* VS */
        holds = VT_X64_CC_O;
        if (!all) return false;
        break;
    case 4: /* HI: C and not Z, with C = !CF */
        if (live != LIVE_SUB) return false;
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
static void emit_cond(tctx *t, unsigned cond, vt_x64_label *skip) {
    vt_x64_emitter *e = t->e;
    vt_x64_cond fail;
    if (live_fail_cc(t->live, cond, &fail)) {
        vt_x64_jcc(e, fail, skip);
        return;
    }
    t->live = LIVE_NONE; /* the tests below clobber them */
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

/* CF = the guest C flag (for ADC/SBC/RSC/RRX); clobbers RDX. */
static void carry_in(tctx *t) {
    vt_x64_load_zx(t->e, 1, VT_X64_RDX, AT(OFF(c)));
    vt_x64_bt_ri(t->e, 4, VT_X64_RDX, 0);
}

/* ECX = Rm (operand m) shifted by an immediate (A5.1.4-A5.1.13). When carry_out, DL = the
 * shifter carry and the result is true; false means "carry unchanged" (LSL #0). */
static bool emit_shift_imm(tctx *t, uint32_t insn, opnd m, bool carry_out) {
    vt_x64_emitter *e = t->e;
    unsigned type = BITS(insn, 6, 5), amt = BITS(insn, 11, 7);
    mov_opnd(t, VT_X64_RCX, m);
    switch (type) {
    case 0:
        if (!amt) return false;
        vt_x64_shift_ri(e, VT_X64_SHL, 4, VT_X64_RCX, (uint8_t)amt);
        break;
    case 1:
    case 2:
        if (!amt) { /* LSR #32 / ASR #32: carry = bit 31 */
            vt_x64_bt_ri(e, 4, VT_X64_RCX, 31);
            if (carry_out) vt_x64_setcc(e, VT_X64_CC_B, VT_X64_RDX);
            if (type == 1)
                vt_x64_mov_ri(e, 4, VT_X64_RCX, 0);
            else
                vt_x64_shift_ri(e, VT_X64_SAR, 4, VT_X64_RCX, 31);
            return carry_out;
        }
        vt_x64_shift_ri(e, type == 1 ? VT_X64_SHR : VT_X64_SAR, 4, VT_X64_RCX, (uint8_t)amt);
        break;
    default:
        if (!amt) { /* RRX: C into bit 31, bit 0 out */
            carry_in(t);
            vt_x64_shift_ri(e, VT_X64_RCR, 4, VT_X64_RCX, 1);
        } else {
            vt_x64_shift_ri(e, VT_X64_ROR, 4, VT_X64_RCX, (uint8_t)amt);
        }
        break;
    }
    if (carry_out) vt_x64_setcc(e, VT_X64_CC_B, VT_X64_RDX);
    return carry_out;
}

/* ECX = Rm (host register hm) shifted by the bottom byte of Rs (hs) (A5.1.8-A5.1.13), the
 * value only: x86 masks shift counts to 5 bits, so LSL/LSR by 32 or more give 0 and ASR
 * saturates at 31; ROR by n is ROR by n mod 32. Clobbers RSI, RDX. */
static void emit_shift_reg(tctx *t, uint32_t insn, vt_x64_reg hm, vt_x64_reg hs) {
    vt_x64_emitter *e = t->e;
    unsigned type = BITS(insn, 6, 5);
    vt_x64_movzx_rr(e, 1, VT_X64_RCX, hs);
    vt_x64_mov_rr(e, 4, VT_X64_RSI, hm);
    if (type == 2) {
        vt_x64_mov_ri(e, 4, VT_X64_RDX, 31);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, 31);
        vt_x64_cmov(e, VT_X64_CC_A, 4, VT_X64_RCX, VT_X64_RDX);
    }
    static const vt_x64_shift ops[4] = {VT_X64_SHL, VT_X64_SHR, VT_X64_SAR, VT_X64_ROR};
    vt_x64_shift_rcl(e, ops[type], 4, VT_X64_RSI);
    if (type <= 1) {
        vt_x64_alu_rr(e, VT_X64_XOR, 4, VT_X64_RDX, VT_X64_RDX);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, 32);
        vt_x64_cmov(e, VT_X64_CC_AE, 4, VT_X64_RSI, VT_X64_RDX);
    }
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_RSI);
}

/* dst op= an operand (a host register or a constant). */
static void alu_opnd(tctx *t, vt_x64_alu op, vt_x64_reg dst, opnd o) {
    if (o.h == VT_X64_NOREG)
        vt_x64_alu_ri(t->e, op, 4, dst, (int32_t)o.v);
    else
        vt_x64_alu_rr(t->e, op, 4, dst, o.h);
}

/* The x86 operation of an ARM DP opcode whose result is `Rn op operand` (AND EOR SUB ADD ADC
 * SBC ORR and the tests), and whether it needs the carry in. */
static bool direct_alu(unsigned op, vt_x64_alu *x) {
    static const int8_t map[16] = {
        VT_X64_AND, VT_X64_XOR, VT_X64_SUB, -1,         VT_X64_ADD, VT_X64_ADC, VT_X64_SBB, -1,
        VT_X64_AND, VT_X64_XOR, VT_X64_SUB, VT_X64_ADD, VT_X64_OR,  -1,         -1,         -1};
    if (map[op] < 0) return false;
    *x = (vt_x64_alu)map[op];
    return true;
}

/* CF = the guest C, inverted for SBC/RSC (a + ~b + C = a - b - !C: x86 borrow-in is !C). */
static void carry_for(tctx *t, unsigned op) {
    if (op < 5 || op > 7) return;
    carry_in(t);
    if (op != 5) vt_x64_cmc(t->e);
}

static void emit_dp(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned op = BITS(insn, 24, 21), rd = BITS(insn, 15, 12), rn = BITS(insn, 19, 16);
    bool s = BIT(insn, 20), imm = BIT(insn, 25), rsr = !imm && BIT(insn, 4);
    bool plain = !imm && !BITS(insn, 11, 4); /* a register, LSL #0: carry unchanged */
    bool logical = op <= 1 || (op >= 8 && op <= 9) || op >= 12;
    bool write = op < 8 || op >= 12, flags_kept = false;
    vt_x64_label skip = vt_x64_label_new();
    unsigned cond = in->cond;
    /* every register first (rsr names no r15), then the condition */
    opnd m = imm ? (opnd){VT_X64_NOREG, 0} : src(t, insn & 15, in);
    vt_x64_reg hs = rsr ? rc_reg(t, BITS(insn, 11, 8), true) : VT_X64_NOREG;
    opnd n = op != 13 && op != 15 ? src(t, rn, in) : (opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = write ? dst_reg(t, rd, in) : VT_X64_NOREG;
    if (cond != VT_ARM_COND_AL) emit_cond(t, cond, &skip);
    /* the shifter operand b: a constant, Rm itself, or ECX; its carry: -1 unchanged, 0/1
     * constant, 2 in DL */
    opnd b = {VT_X64_RCX, 0};
    int shc = -1;
    if (imm) {
        unsigned rot = BITS(insn, 11, 8) * 2;
        uint32_t v = BITS(insn, 7, 0);
        b = (opnd){VT_X64_NOREG, rot ? (v >> rot | v << (32 - rot)) : v};
        if (rot) shc = (int)(b.v >> 31);
    } else if (plain) {
        b = m;
    } else if (rsr) {
        emit_shift_reg(t, insn, m.h, hs); /* no carry out: rsr_translatable */
    } else if (emit_shift_imm(t, insn, m, s && logical)) {
        shc = 2;
    }
    vt_x64_alu x;
    bool bug = t->j->plant_bug && op == 0x4 && imm; /* test-only: lockstep must catch it */
    vt_x64_reg res = VT_X64_RAX;                    /* where the result is */
    if (!s && !bug && (op == 0x4 || (op == 0x2 && b.h == VT_X64_NOREG)) && n.h != VT_X64_NOREG) {
        /* ADD / SUB #imm without flags: one LEA, host flags untouched */
        vt_x64_mem sum = b.h == VT_X64_NOREG ? vt_x64_at(n.h, (int32_t)(op == 0x4 ? b.v : 0u - b.v))
                                             : vt_x64_at_index(n.h, b.h, 1, 0);
        vt_x64_lea(e, 4, hd, sum);
        res = hd;
        flags_kept = true;
    } else if (op == 0xd && !s) { /* MOV without flags */
        mov_opnd(t, hd, b);
        res = hd;
        flags_kept = true;
    } else if ((op == 0x8 || op == 0xa) && n.h != VT_X64_NOREG) { /* TST / CMP in place */
        if (op == 0xa)
            alu_opnd(t, VT_X64_CMP, n.h, b);
        else if (b.h == VT_X64_NOREG)
            vt_x64_test_ri(e, 4, n.h, (int32_t)b.v);
        else
            vt_x64_test_rr(e, 4, n.h, b.h);
    } else if (direct_alu(op, &x) && write && n.h == hd && !bug) { /* Rd = Rd op b in place */
        carry_for(t, op);
        alu_opnd(t, x, hd, b);
        res = hd;
    } else if (direct_alu(op, &x)) {
        mov_opnd(t, VT_X64_RAX, n);
        carry_for(t, op);
        alu_opnd(t, x, VT_X64_RAX, b);
    } else if (op == 0x3 || op == 0x7) { /* RSB / RSC: b - Rn */
        mov_opnd(t, VT_X64_RAX, b);
        carry_for(t, op);
        alu_opnd(t, op == 0x3 ? VT_X64_SUB : VT_X64_SBB, VT_X64_RAX, n);
    } else if (op == 0xe) { /* BIC: Rn AND NOT b */
        mov_opnd(t, VT_X64_RAX, n);
        if (b.h == VT_X64_NOREG) {
            vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, (int32_t)~b.v);
        } else {
            if (b.h != VT_X64_RCX) vt_x64_mov_rr(e, 4, VT_X64_RCX, b.h);
            vt_x64_not(e, 4, VT_X64_RCX);
            vt_x64_alu_rr(e, VT_X64_AND, 4, VT_X64_RAX, VT_X64_RCX);
        }
    } else { /* MOV with flags, MVN */
        mov_opnd(t, VT_X64_RAX, b);
        if (op == 0xf) vt_x64_not(e, 4, VT_X64_RAX);
        if (s) vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
    }
    if (s) {
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
        if (!logical) {
            /* ARM C is the carry of a + ~b + 1: x86's CF after SUB is the borrow, inverted */
            bool add = op == 0x4 || op == 0x5 || op == 0xb;
            vt_x64_setcc_m(e, add ? VT_X64_CC_B : VT_X64_CC_AE, AT(OFF(c)));
            vt_x64_setcc_m(e, VT_X64_CC_O, AT(OFF(v)));
        } else if (shc == 2) {
            vt_x64_store(e, 1, AT(OFF(c)), VT_X64_RDX);
        } else if (shc >= 0) {
            store_u32(t, OFF(c), (uint32_t)shc);
        }
        /* nothing below changes the host flags (a failed condition leaves others) */
        if (cond == VT_ARM_COND_AL)
            t->live_out = logical                               ? LIVE_NZ
                          : op == 0x4 || op == 0x5 || op == 0xb ? LIVE_ADD
                                                                : LIVE_SUB;
    }
    if (bug) vt_x64_lea(e, 4, VT_X64_RAX, vt_x64_at(VT_X64_RAX, 1));
    if (write) {
        if (res != hd) vt_x64_mov_rr(e, 4, hd, res);
        rc_set_dirty(t, rd);
    }
    /* LEA and MOV leave the host flags: a following condition can still test them */
    if (flags_kept && (plain || imm)) t->live_out = t->live;
    vt_x64_bind(e, &skip);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

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
static bool lockstep_load_exit(tctx *t, uint32_t pc) {
    if (t->j->mode != VT_JIT_LOCKSTEP) return false;
    rc_writeback(t);
    pending_to_state(t, 1);
    store_u32(t, OFF(r) + 60, pc);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_STOP);
    return true;
}

/* System mode, after an access that may have reached a device or a handler call, with the
 * state exact up to `next` on the path being emitted (cached registers written back, counts
 * in the state): leaves when stop_at was lowered or an interrupt line changed
 * (base.jit_exit), so the next instruction starts where the interpreter would decide. */
static void emit_leave_check(tctx *t, uint32_t next) {
    if (!t->c->sysmode) return;
    store_u32(t, OFF(r) + 60, next);
    vt_x64_alu_mi(t->e, VT_X64_CMP, 1, AT(OFF(base.jit_exit)), 0);
    vt_jit_emit_exit_cc(&t->bld, VT_X64_CC_NE, VT_JIT_EXIT_INTERRUPT);
}

/* The state a helper (and any exception it raises) sees for the instruction. */
static void store_insn_pcs(tctx *t, const vt_arm_tinsn *in) {
    store_u32(t, OFF(cur_pc), in->pc);
    store_u32(t, OFF(r) + 60, in->r15);
    store_u32(t, OFF(next_pc), in->next);
}

/* ECX = the offset of a load/store (a register shifted by an immediate, a plain register
 * (A5.3 I=0) or an immediate), with the sign of U applied to `base` into `dst`. */
static void emit_ldst_addr(tctx *t, uint32_t insn, bool x, bool reg, opnd m, vt_x64_reg dst,
                           vt_x64_reg base) {
    vt_x64_emitter *e = t->e;
    bool u = BIT(insn, 23);
    if (reg) {
        if (x)
            mov_opnd(t, VT_X64_RCX, m);
        else
            emit_shift_imm(t, insn, m, false);
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
 * The slow path is emitted after the block's body (emit_ldst_slow). An unconditional one keeps
 * the counts pending (the slow path hands them to the state around its call). */
static void emit_ldst(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    bool x = !BIT(insn, 26); /* the halfword / signed-byte space (A5.3) */
    bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
    bool reg = x ? !BIT(insn, 22) : BIT(insn, 25);
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12), cond = in->cond;
    bool wb = !p || w; /* then rn is not r15 (classify) */
    mem_form f = form_of(insn, x, l);
    vt_x64_label skip = vt_x64_label_new(), done = vt_x64_label_new();
    if (cond != VT_ARM_COND_AL) flush_pending(t); /* its two paths retire different counts */
    opnd n = src(t, rn, in), m = reg ? src(t, insn & 15, in) : (opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = l ? dst_reg(t, rd, in) : rc_reg(t, rd, true);
    ldst_slow *sp = &t->slow[t->n_slow++];
    *sp = (ldst_slow){
        in, vt_x64_label_new(), vt_x64_label_new(), t->rc, t->pend_cycles, t->pend_insns, hd, n, m};
    if (cond != VT_ARM_COND_AL) emit_cond(t, cond, &skip);
    if (!p) {
        mov_opnd(t, VT_X64_RSI, n);
    } else if (n.h == VT_X64_NOREG) {
        mov_opnd(t, VT_X64_RSI, n);
        emit_ldst_addr(t, insn, x, reg, m, VT_X64_RSI, VT_X64_RSI);
    } else {
        emit_ldst_addr(t, insn, x, reg, m, VT_X64_RSI, n.h);
    }
    /* fast path: an aligned access on a page the TLB holds for this access type */
    if (f.size > 1) { /* unaligned: the slow path applies the model's rules */
        vt_x64_test_ri(e, 4, VT_X64_RSI, (int32_t)f.size - 1);
        vt_x64_jcc(e, VT_X64_CC_NE, &sp->entry);
    }
    vt_jit_emit_tlb_probe(e, OFF(tlb), l ? VT_ACCESS_READ : VT_ACCESS_WRITE, VT_X64_RSI, VT_X64_RDX,
                          VT_X64_RCX, VT_X64_RAX, &sp->entry);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RSI, (int32_t)VT_TLB_PAGE_MASK);
    vt_x64_mem host = vt_x64_at_index(VT_X64_RAX, VT_X64_RSI, 1, 0);
    vt_x64_reg val = loads_direct(insn, reg) ? hd : VT_X64_RAX;
    if (l && f.sign)
        vt_x64_load_sx(e, f.size, 4, val, host);
    else if (l)
        vt_x64_load_zx(e, f.size, val, host);
    else
        vt_x64_store(e, f.size, host, hd);
    vt_x64_bind(e, &sp->back);
    if (wb) {
        emit_ldst_addr(t, insn, x, reg, m, n.h, n.h);
        rc_set_dirty(t, rn);
    }
    if (l) {
        if (val != hd) vt_x64_mov_rr(e, 4, hd, VT_X64_RAX);
        rc_set_dirty(t, rd);
    }
    if (cond == VT_ARM_COND_AL) {
        t->pend_cycles += in->cost;
        t->pend_insns++;
    } else {
        add_counts(t, in->cost, 1);
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}

/* A load/store's slow path (the interpreter's accessor: a TLB miss, unaligned, MMIO, a fault
 * unwinding to run()), with the register cache and counts as they were at the access: the
 * state is exact for a fault. A store then finishes the instruction in the state and leaves
 * if it overwrote this very block; in system mode a load does too (it may have read a
 * device), and both leave on a leave check. Otherwise back to the fast path's end. */
static void emit_ldst_slow(tctx *t, ldst_slow *sp) {
    vt_x64_emitter *e = t->e;
    const vt_arm_tinsn *in = sp->in;
    uint32_t insn = in->insn;
    bool x = !BIT(insn, 26), l = BIT(insn, 20), wb = !BIT(insn, 24) || BIT(insn, 21);
    bool reg = x ? !BIT(insn, 22) : BIT(insn, 25);
    t->rc = sp->rc;
    t->pend_cycles = sp->pend_cycles;
    t->pend_insns = sp->pend_insns;
    vt_x64_bind(e, &sp->entry);
    /* (system mode: a store may reach a device, which lockstep must not run twice) */
    if ((l || t->c->sysmode) && lockstep_load_exit(t, in->pc)) return;
    rc_writeback(t);
    pending_to_state(t, 1);
    store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    if (!l) vt_x64_mov_rr(e, 4, VT_X64_RDX, sp->hd);
    vt_x64_call(e, form_of(insn, x, l).slow);
    pending_to_state(t, -1);
    rc_reload_volatile(t);
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
        pending_to_state(t, 1);
        store_u32(t, OFF(r) + 60, in->next);
        if (!l) vt_jit_emit_stale_check(&t->bld);
        emit_leave_check(t, in->next);
        pending_to_state(t, -1);
    }
    vt_x64_jmp(e, &sp->back);
}

/* LDM/STM without the S bit, STM without the PC (A4.1.20, A4.1.97): a whole aligned block on
 * one page the TLB holds moves straight between the registers and memory; anything else (a
 * miss, a page crossing, a fault, SMC) runs the interpreter's handler, which costs the same.
 * A loaded PC (a return) leaves the block: in the same state as the interpreter's
 * vt_arm_branch would keep (on v5 bit 0 selects Thumb; a change of state is the handler's). */
static void emit_ldm_stm(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc, list = insn & 0xffff;
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), l = BIT(insn, 20);
    unsigned rn = BITS(insn, 19, 16), cond = in->cond, n = arm_popcount(list);
    int32_t start = u ? (p ? 4 : 0) : -4 * (int32_t)n + (p ? 0 : 4);
    int32_t delta = u ? 4 * (int32_t)n : -4 * (int32_t)n;
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new(), done = vt_x64_label_new();
    flush_pending(t);
    /* the registers move through the state: written back, the loaded ones and the base
     * forgotten */
    rc_clean(t);
    rc_drop(t, rn);
    if (l)
        for (unsigned r = 0; r < 15; r++)
            if (list & (1u << r)) rc_drop(t, r);
    if (cond != VT_ARM_COND_AL) emit_cond(t, cond, &skip);
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
    add_counts(t, in->cost, 1);
    if (pc_in) {
        vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RSI, thumb ? ~1 : ~3);
        vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RSI);
        vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
    } else {
        vt_x64_jmp(e, &done);
    }
    /* slow path: the interpreter's handler (its own cycles; a store may hit this block) */
    vt_x64_bind(e, &slow);
    if ((l || t->c->sysmode) && lockstep_load_exit(t, pc)) goto finish;
    store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    rc_reload_volatile(t);
    add_counts(t, 0, 1);
    if (!l) {
        store_u32(t, OFF(r) + 60, in->next);
        vt_jit_emit_stale_check(&t->bld);
    } else if (pc_in) { /* the handler's branch (or exception) chose the PC */
        vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
        vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
        vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
    }
    if (!pc_in) emit_leave_check(t, in->next);
finish:
    if (cond != VT_ARM_COND_AL) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}

/* MUL/MLA (A4.1.40), unconditional: Rd = Rm * Rs (+ Rn); S sets N and Z (C and V are
 * unchanged, as the interpreter keeps them). */
static void emit_mul(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned rd = BITS(insn, 19, 16);
    opnd m = src(t, insn & 15, in), s = src(t, BITS(insn, 11, 8), in);
    opnd a = BIT(insn, 21) ? src(t, BITS(insn, 15, 12), in) : (opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = dst_reg(t, rd, in);
    mov_opnd(t, VT_X64_RAX, m);
    mov_opnd(t, VT_X64_RCX, s);
    vt_x64_imul_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
    if (BIT(insn, 21)) {
        mov_opnd(t, VT_X64_RCX, a);
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RAX, VT_X64_RCX);
    }
    if (BIT(insn, 20)) {
        vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
        t->live_out = LIVE_NZ;
    }
    vt_x64_mov_rr(e, 4, hd, VT_X64_RAX);
    rc_set_dirty(t, rd);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* UMULL/UMLAL/SMULL/SMLAL (A4.1.87, A4.1.86, A4.1.76, A4.1.77), unconditional: the 64-bit
 * product (operands zero- or sign-extended) plus RdHi:RdLo when accumulating; S sets N and Z
 * from all 64 bits. RdLo is written before RdHi, as the interpreter does. */
static void emit_mull(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned hi = BITS(insn, 19, 16), lo = BITS(insn, 15, 12);
    bool acc = BIT(insn, 21);
    /* no r15 (mull_translatable); an accumulating one reads RdLo and RdHi */
    vt_x64_reg hm = rc_reg(t, insn & 15, true), hs = rc_reg(t, BITS(insn, 11, 8), true);
    vt_x64_reg hlo = rc_reg(t, lo, acc), hhi = rc_reg(t, hi, acc);
    if (BIT(insn, 22)) {
        vt_x64_movsx_rr(e, 4, 8, VT_X64_RAX, hm);
        vt_x64_movsx_rr(e, 4, 8, VT_X64_RCX, hs);
    } else {
        vt_x64_mov_rr(e, 4, VT_X64_RAX, hm); /* a 32-bit move zero-extends */
        vt_x64_mov_rr(e, 4, VT_X64_RCX, hs);
    }
    vt_x64_imul_rr(e, 8, VT_X64_RAX, VT_X64_RCX); /* the low 64 bits: exact for both */
    if (acc) {
        vt_x64_mov_rr(e, 4, VT_X64_RCX, hlo);
        vt_x64_mov_rr(e, 4, VT_X64_RDX, hhi);
        vt_x64_shift_ri(e, VT_X64_SHL, 8, VT_X64_RDX, 32);
        vt_x64_alu_rr(e, VT_X64_OR, 8, VT_X64_RCX, VT_X64_RDX);
        vt_x64_alu_rr(e, VT_X64_ADD, 8, VT_X64_RAX, VT_X64_RCX);
    }
    if (BIT(insn, 20)) {
        vt_x64_test_rr(e, 8, VT_X64_RAX, VT_X64_RAX);
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
    }
    vt_x64_mov_rr(e, 4, hlo, VT_X64_RAX);
    rc_set_dirty(t, lo);
    vt_x64_shift_ri(e, VT_X64_SHR, 8, VT_X64_RAX, 32);
    vt_x64_mov_rr(e, 4, hhi, VT_X64_RAX);
    rc_set_dirty(t, hi);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* Rd = a constant known at translation (the Thumb BL prefix's partial target). */
static void emit_const(tctx *t, const vt_arm_tinsn *in) {
    unsigned rd = BITS(in->insn, 15, 12);
    vt_x64_mov_ri(t->e, 4, rc_reg(t, rd, false), in->target);
    rc_set_dirty(t, rd);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* Leaves through a chainable exit to guest address `next`, with the counts retired so far
 * plus `cycles` and `insns` (the path's own instruction). */
static bool emit_chain_to(tctx *t, uint32_t next, uint32_t cycles, uint32_t insns) {
    rc_writeback(t);
    store_u32(t, OFF(r) + 60, next);
    add_counts(t, t->pend_cycles + cycles, t->pend_insns + insns);
    return vt_jit_emit_chain_exit(&t->bld);
}

/* B/BL (A4.1.5): both outcomes leave through chainable exits. */
static bool emit_branch(tctx *t, const vt_arm_tinsn *in) {
    uint32_t insn = in->insn, target = in->target;
    unsigned cond = in->cond;
    vt_x64_label skip = vt_x64_label_new();
    rc_clean(t); /* so neither exit writes back: BL's link goes to the state directly */
    if (cond != VT_ARM_COND_AL) emit_cond(t, cond, &skip);
    if (BIT(insn, 24)) store_u32(t, OFF(r) + 56, in->next);
    if (!emit_chain_to(t, target, t->c->t.branch, 1)) return false;
    if (cond != VT_ARM_COND_AL) {
        vt_x64_bind(t->e, &skip);
        if (!emit_chain_to(t, in->next, t->c->t.dp, 1)) return false;
    }
    t->pend_cycles = t->pend_insns = 0;
    return true;
}

/* BX/BLX Rm (A4.1.10, A4.1.9; Thumb A7.1.20, A7.1.18): a target in the same instruction set
 * ends the block with that PC (and BLX's link); a change of instruction set runs the
 * interpreter's handler. Either way the block leaves. */
static void emit_bx(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    bool thumb = t->c->thumb;
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new();
    flush_pending(t);
    rc_clean(t); /* the exits write back nothing, the handler reads the state */
    vt_x64_reg hm = rc_reg(t, in->insn & 15, true);
    if (in->cond != VT_ARM_COND_AL) emit_cond(t, in->cond, &skip);
    vt_x64_test_ri(e, 4, hm, 1);
    vt_x64_jcc(e, thumb ? VT_X64_CC_E : VT_X64_CC_NE, &slow);
    vt_x64_mov_rr(e, 4, VT_X64_RAX, hm);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, thumb ? ~1 : ~3);
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    if (BIT(in->insn, 5)) store_u32(t, OFF(r) + 56, in->target);
    add_counts(t, in->cost, 1);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
    vt_x64_bind(e, &slow);
    store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    add_counts(t, 0, 1);
    vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
    if (in->cond != VT_ARM_COND_AL) { /* failed: on to the next instruction */
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, 1);
    }
}

/* Any other instruction: the interpreter's handler, as arm_step calls it. */
static void emit_fallback(tctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    unsigned cond = in->cond;
    bool conditional = cond != VT_ARM_COND_AL && cond != 0xF;
    vt_x64_label skip = vt_x64_label_new(), same = vt_x64_label_new(), done = vt_x64_label_new();
    flush_pending(t);
    rc_forget_all(t);
    store_insn_pcs(t, in);
    if (conditional) emit_cond(t, cond, &skip);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    /* it branched (next_pc moved): leave with the PC it chose */
    vt_x64_alu_mi(e, VT_X64_CMP, 4, AT(OFF(next_pc)), (int32_t)in->next);
    vt_x64_jcc(e, VT_X64_CC_E, &same);
    vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    add_counts(t, 0, 1);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
    vt_x64_bind(e, &same);
    bool check = in->stores || t->c->sysmode;
    if (check) {
        /* it may have overwritten this block: leave before the next (stale) instruction */
        add_counts(t, 0, 1);
        store_u32(t, OFF(r) + 60, in->next);
        if (in->stores) vt_jit_emit_stale_check(&t->bld);
        emit_leave_check(t, in->next);
    }
    if (conditional) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, check ? 1 : 0);
    }
    vt_x64_bind(e, &done);
    t->pend_insns = check ? 0 : 1;
}

/* A run of instructions up to and including the next one with a run-time cost: it may start
 * only while cycles + (cost of the others) < stop_at, as the interpreter starts each
 * instruction while cycles < stop_at. */
static void emit_segment_check(tctx *t, const vt_arm_tinsn *ins, unsigned from, unsigned n) {
    uint32_t k = 0;
    for (unsigned i = from; i + 1 < n && !ins[i].dynamic && ins[i].kind != VT_ARM_K_FALLBACK; i++)
        k += ins[i].cost;
    flush_pending(t);
    vt_x64_label go = vt_x64_label_new();
    vt_x64_load(t->e, 8, VT_X64_RAX, CYCLES);
    if (k) vt_x64_alu_ri(t->e, VT_X64_ADD, 8, VT_X64_RAX, (int32_t)k);
    vt_x64_alu_rm(t->e, VT_X64_CMP, 8, VT_X64_RAX, AT(OFF(base.stop_at)));
    vt_x64_jcc(t->e, VT_X64_CC_B, &go);
    t->live = LIVE_NONE;
    rc_writeback(t);
    store_u32(t, OFF(r) + 60, ins[from].pc);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_STOP);
    vt_x64_bind(t->e, &go);
}

/* System mode: a chained jump from another page enters without the dispatcher, so the block
 * first checks that the TLB still maps its page, executable, to the host page it came from
 * (else back to the dispatcher, which looks the PC up again). */
static void emit_page_check(tctx *t, uint32_t pc) {
    const vt_tlb_entry *e = vt_tlb_slot(&t->c->tlb, pc);
    int32_t at = OFF(tlb) + (int32_t)((size_t)(e - t->c->tlb.e) * sizeof *e);
    vt_x64_mov_ri(t->e, 8, VT_X64_RAX, pc >> VT_TLB_PAGE_BITS);
    vt_x64_alu_rm(t->e, VT_X64_CMP, 8, VT_X64_RAX,
                  AT(at + (int32_t)offsetof(vt_tlb_entry, tag[VT_ACCESS_EXEC])));
    vt_jit_emit_exit_cc(&t->bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
    vt_x64_mov_ri(t->e, 8, VT_X64_RAX, (uint64_t)(uintptr_t)e->host);
    vt_x64_alu_rm(t->e, VT_X64_CMP, 8, VT_X64_RAX, AT(at + (int32_t)offsetof(vt_tlb_entry, host)));
    vt_jit_emit_exit_cc(&t->bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
}

/* The key (c->jit->key: the Thumb bit, in system mode the physical page too) and source
 * address (c->jit->src) are the dispatcher's, set before translating. */
static vt_jit_block *emit_block(vt_arm_cpu *c, const vt_arm_tinsn *ins, unsigned n) {
    tctx t = {.c = c, .j = c->jit};
    rc_reset(&t.rc);
    vt_jit_begin(c->jit->cache, &t.bld, c->jit->key, c->jit->src, ins[n - 1].next - ins[0].pc);
    t.e = &t.bld.e;
    if (c->sysmode) emit_page_check(&t, ins[0].pc);
    bool seg_start = true, open_end = true;
    for (unsigned i = 0; i < n; i++) {
        t.live = t.live_out;
        t.live_out = LIVE_NONE;
        if (seg_start) emit_segment_check(&t, ins, i, n);
        const vt_arm_tinsn *in = &ins[i];
        t.stamp = i + 1;
        switch (in->kind) {
        case VT_ARM_K_DP:
            emit_dp(&t, in);
            break;
        case VT_ARM_K_LDST:
            emit_ldst(&t, in);
            break;
        case VT_ARM_K_MUL:
            emit_mul(&t, in);
            break;
        case VT_ARM_K_MULL:
            emit_mull(&t, in);
            break;
        case VT_ARM_K_CONST:
            emit_const(&t, in);
            break;
        case VT_ARM_K_BX:
            emit_bx(&t, in);
            break;
        case VT_ARM_K_LDM_STM:
            emit_ldm_stm(&t, in);
            break;
        case VT_ARM_K_BRANCH:
            if (!emit_branch(&t, in)) return NULL;
            open_end = false;
            break;
        default:
            emit_fallback(&t, in);
            break;
        }
        seg_start = in->dynamic || in->kind == VT_ARM_K_FALLBACK;
    }
    const vt_arm_tinsn *last = &ins[n - 1];
    if (open_end && c->sysmode && last->kind == VT_ARM_K_FALLBACK && last->ends) {
        /* a system instruction (CP15, MSR, CPS...) may have changed the mapping, the mode
         * or stop_at (WFI): back to the dispatcher unchained, which looks again */
        rc_writeback(&t);
        store_u32(&t, OFF(r) + 60, last->next);
        flush_pending(&t);
        vt_jit_emit_exit(&t.bld, VT_JIT_EXIT_END);
    } else if (open_end && !emit_chain_to(&t, last->next, 0, 0)) {
        return NULL;
    }
    for (unsigned i = 0; i < t.n_slow; i++)
        emit_ldst_slow(&t, &t.slow[i]);
    return vt_jit_commit(&t.bld);
}

vt_jit_block *vt_arm_jit_emit_block(vt_arm_cpu *c, const vt_arm_tinsn *ins, unsigned n) {
    vt_jit_block *b = emit_block(c, ins, n);
    if (!b) b = emit_block(c, ins, n); /* the arena was full and flushed: once more */
    return b;
}

vt_jit_block *vt_arm_jit_translate(vt_arm_cpu *c, uint32_t pc) {
    vt_arm_jit *j = c->jit;
    unsigned size = c->thumb ? 2 : 4;
    const uint8_t *host = vt_tlb_lookup(&c->tlb, pc, VT_ACCESS_EXEC);
    if (!host || (pc & (size - 1))) return NULL;
    vt_arm_tinsn ins[VT_ARM_JIT_MAX_INSNS];
    unsigned n = 0;
    for (uint32_t a = pc; n < VT_ARM_JIT_MAX_INSNS; a += size) {
        if (c->thumb)
            vt_arm_thumb_classify(c, a, load_le16(host + (a - pc)), &ins[n]);
        else
            classify(c, a, load_le32(host + (a - pc)), &ins[n]);
        /* lockstep compares translated code only: handlers run once, in the interpreter */
        if (j->mode == VT_JIT_LOCKSTEP && ins[n].kind == VT_ARM_K_FALLBACK) break;
        n++;
        if (ins[n - 1].ends || ((a + size) & VT_TLB_PAGE_MASK) == 0) break;
    }
    if (!n) return NULL;
    vt_jit_block *b = vt_arm_jit_emit_block(c, ins, n);
    if (b) vt_arm_jit_protect_page(c, pc);
    return b;
}
