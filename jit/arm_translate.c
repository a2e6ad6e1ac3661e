/* The ARM block translator: classification of ARM-state instructions, data processing with
 * an immediate, an immediate-shifted register or (when no shifter carry is needed) a
 * register-shifted register (flags exactly as arm_dp_op computes them, from the host flags of
 * the same operation), unconditional MUL/MLA and long multiplies, B/BL with chained exits,
 * BX/BLX; every other instruction calls the interpreter's own handler (one call per
 * instruction, same semantics); blocks (loads and stores: arm_translate_mem.c; registers,
 * flags, counts: arm_translate_regs.c). Cycle costs come from the model's table; a budget
 * check before each run of instructions keeps stop_at exact. On a machine (system mode) a
 * block first checks its page and leaves after device accesses and system instructions with
 * the state exact. Semantics: ARM ARM (DDI 0100I) A3-A5; jit/README.md. */
#include "jit/arm_translate_int.h"

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

/* CF = the guest C flag (for ADC/SBC/RSC/RRX); clobbers RDX. */
static void carry_in(vt_armt_ctx *t) {
    vt_x64_load_zx(t->e, 1, VT_X64_RDX, AT(OFF(c)));
    vt_x64_bt_ri(t->e, 4, VT_X64_RDX, 0);
}

/* ECX = Rm (operand m) shifted by an immediate (A5.1.4-A5.1.13). When carry_out, DL = the
 * shifter carry and the result is true; false means "carry unchanged" (LSL #0). */
bool vt_armt_emit_shift_imm(vt_armt_ctx *t, uint32_t insn, vt_armt_opnd m, bool carry_out) {
    vt_x64_emitter *e = t->e;
    unsigned type = BITS(insn, 6, 5), amt = BITS(insn, 11, 7);
    vt_armt_mov_opnd(t, VT_X64_RCX, m);
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
static void emit_shift_reg(vt_armt_ctx *t, uint32_t insn, vt_x64_reg hm, vt_x64_reg hs) {
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
static void alu_opnd(vt_armt_ctx *t, vt_x64_alu op, vt_x64_reg dst, vt_armt_opnd o) {
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
static void carry_for(vt_armt_ctx *t, unsigned op) {
    if (op < 5 || op > 7) return;
    carry_in(t);
    if (op != 5) vt_x64_cmc(t->e);
}

static void emit_dp(vt_armt_ctx *t, const vt_arm_tinsn *in) {
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
    vt_armt_opnd m = imm ? (vt_armt_opnd){VT_X64_NOREG, 0} : vt_armt_src(t, insn & 15, in);
    vt_x64_reg hs = rsr ? vt_armt_rc_reg(t, BITS(insn, 11, 8), true) : VT_X64_NOREG;
    vt_armt_opnd n =
        op != 13 && op != 15 ? vt_armt_src(t, rn, in) : (vt_armt_opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = write ? vt_armt_dst_reg(t, rd, in) : VT_X64_NOREG;
    if (cond != VT_ARM_COND_AL) vt_armt_emit_cond(t, cond, &skip);
    /* the shifter operand b: a constant, Rm itself, or ECX; its carry: -1 unchanged, 0/1
     * constant, 2 in DL */
    vt_armt_opnd b = {VT_X64_RCX, 0};
    int shc = -1;
    if (imm) {
        unsigned rot = BITS(insn, 11, 8) * 2;
        uint32_t v = BITS(insn, 7, 0);
        b = (vt_armt_opnd){VT_X64_NOREG, rot ? (v >> rot | v << (32 - rot)) : v};
        if (rot) shc = (int)(b.v >> 31);
    } else if (plain) {
        b = m;
    } else if (rsr) {
        emit_shift_reg(t, insn, m.h, hs); /* no carry out: rsr_translatable */
    } else if (vt_armt_emit_shift_imm(t, insn, m, s && logical)) {
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
        vt_armt_mov_opnd(t, hd, b);
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
        vt_armt_mov_opnd(t, VT_X64_RAX, n);
        carry_for(t, op);
        alu_opnd(t, x, VT_X64_RAX, b);
    } else if (op == 0x3 || op == 0x7) { /* RSB / RSC: b - Rn */
        vt_armt_mov_opnd(t, VT_X64_RAX, b);
        carry_for(t, op);
        alu_opnd(t, op == 0x3 ? VT_X64_SUB : VT_X64_SBB, VT_X64_RAX, n);
    } else if (op == 0xe) { /* BIC: Rn AND NOT b */
        vt_armt_mov_opnd(t, VT_X64_RAX, n);
        if (b.h == VT_X64_NOREG) {
            vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, (int32_t)~b.v);
        } else {
            if (b.h != VT_X64_RCX) vt_x64_mov_rr(e, 4, VT_X64_RCX, b.h);
            vt_x64_not(e, 4, VT_X64_RCX);
            vt_x64_alu_rr(e, VT_X64_AND, 4, VT_X64_RAX, VT_X64_RCX);
        }
    } else { /* MOV with flags, MVN */
        vt_armt_mov_opnd(t, VT_X64_RAX, b);
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
            vt_armt_store_u32(t, OFF(c), (uint32_t)shc);
        }
        /* nothing below changes the host flags (a failed condition leaves others) */
        if (cond == VT_ARM_COND_AL)
            t->live_out = logical                               ? VT_ARMT_LIVE_NZ
                          : op == 0x4 || op == 0x5 || op == 0xb ? VT_ARMT_LIVE_ADD
                                                                : VT_ARMT_LIVE_SUB;
    }
    if (bug) vt_x64_lea(e, 4, VT_X64_RAX, vt_x64_at(VT_X64_RAX, 1));
    if (write) {
        if (res != hd) vt_x64_mov_rr(e, 4, hd, res);
        vt_armt_rc_set_dirty(t, rd);
    }
    /* LEA and MOV leave the host flags: a following condition can still test them */
    if (flags_kept && (plain || imm)) t->live_out = t->live;
    vt_x64_bind(e, &skip);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* MUL/MLA (A4.1.40), unconditional: Rd = Rm * Rs (+ Rn); S sets N and Z (C and V are
 * unchanged, as the interpreter keeps them). */
static void emit_mul(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned rd = BITS(insn, 19, 16);
    vt_armt_opnd m = vt_armt_src(t, insn & 15, in), s = vt_armt_src(t, BITS(insn, 11, 8), in);
    vt_armt_opnd a =
        BIT(insn, 21) ? vt_armt_src(t, BITS(insn, 15, 12), in) : (vt_armt_opnd){VT_X64_NOREG, 0};
    vt_x64_reg hd = vt_armt_dst_reg(t, rd, in);
    vt_armt_mov_opnd(t, VT_X64_RAX, m);
    vt_armt_mov_opnd(t, VT_X64_RCX, s);
    vt_x64_imul_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
    if (BIT(insn, 21)) {
        vt_armt_mov_opnd(t, VT_X64_RCX, a);
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RAX, VT_X64_RCX);
    }
    if (BIT(insn, 20)) {
        vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
        t->live_out = VT_ARMT_LIVE_NZ;
    }
    vt_x64_mov_rr(e, 4, hd, VT_X64_RAX);
    vt_armt_rc_set_dirty(t, rd);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* UMULL/UMLAL/SMULL/SMLAL (A4.1.87, A4.1.86, A4.1.76, A4.1.77), unconditional: the 64-bit
 * product (operands zero- or sign-extended) plus RdHi:RdLo when accumulating; S sets N and Z
 * from all 64 bits. RdLo is written before RdHi, as the interpreter does. */
static void emit_mull(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned hi = BITS(insn, 19, 16), lo = BITS(insn, 15, 12);
    bool acc = BIT(insn, 21);
    /* no r15 (mull_translatable); an accumulating one reads RdLo and RdHi */
    vt_x64_reg hm = vt_armt_rc_reg(t, insn & 15, true),
               hs = vt_armt_rc_reg(t, BITS(insn, 11, 8), true);
    vt_x64_reg hlo = vt_armt_rc_reg(t, lo, acc), hhi = vt_armt_rc_reg(t, hi, acc);
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
    vt_armt_rc_set_dirty(t, lo);
    vt_x64_shift_ri(e, VT_X64_SHR, 8, VT_X64_RAX, 32);
    vt_x64_mov_rr(e, 4, hhi, VT_X64_RAX);
    vt_armt_rc_set_dirty(t, hi);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* Rd = a constant known at translation (the Thumb BL prefix's partial target). */
static void emit_const(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    unsigned rd = BITS(in->insn, 15, 12);
    vt_x64_mov_ri(t->e, 4, vt_armt_rc_reg(t, rd, false), in->target);
    vt_armt_rc_set_dirty(t, rd);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* Leaves through a chainable exit to guest address `next`, with the counts retired so far
 * plus `cycles` and `insns` (the path's own instruction). */
static bool emit_chain_to(vt_armt_ctx *t, uint32_t next, uint32_t cycles, uint32_t insns) {
    vt_armt_rc_writeback(t);
    vt_armt_store_u32(t, OFF(r) + 60, next);
    vt_armt_add_counts(t, t->pend_cycles + cycles, t->pend_insns + insns);
    return vt_jit_emit_chain_exit(&t->bld);
}

/* B/BL (A4.1.5): both outcomes leave through chainable exits. */
static bool emit_branch(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    uint32_t insn = in->insn, target = in->target;
    unsigned cond = in->cond;
    vt_x64_label skip = vt_x64_label_new();
    vt_armt_rc_clean(t); /* so neither exit writes back: BL's link goes to the state directly */
    if (cond != VT_ARM_COND_AL) vt_armt_emit_cond(t, cond, &skip);
    if (BIT(insn, 24)) vt_armt_store_u32(t, OFF(r) + 56, in->next);
    if (!emit_chain_to(t, target, t->c->t.branch, 1)) return false;
    if (cond != VT_ARM_COND_AL) {
        vt_x64_bind(t->e, &skip);
        if (!emit_chain_to(t, in->next, t->c->t.dp, 1)) return false;
    }
    t->pend_cycles = t->pend_insns = 0;
    return true;
}

/* Leaves for the block at the PC in EAX (already in r15, the counts retired): in Linux user
 * mode straight into its translation when the dispatcher's recent-lookup table holds a valid
 * block for that PC and the current instruction set (the target's own entry check then keeps
 * the budget), else back to the dispatcher. Not in lockstep (every block goes through the
 * checker) nor on a machine (the key holds the physical page). Clobbers RCX, RDX. */
void vt_armt_emit_jump_exit(vt_armt_ctx *t) {
    vt_x64_emitter *e = t->e;
    if (t->c->sysmode || t->j->mode == VT_JIT_LOCKSTEP) {
        vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
        return;
    }
    vt_x64_label miss = vt_x64_label_new();
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_RAX); /* the index lookup() uses */
    vt_x64_shift_ri(e, VT_X64_SHR, 4, VT_X64_RCX, 2);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, VT_ARM_JIT_RECENT - 1);
    vt_x64_mov_ri(e, 8, VT_X64_RDX, (uint64_t)(uintptr_t)t->j->recent);
    vt_x64_load(e, 8, VT_X64_RDX, vt_x64_at_index(VT_X64_RDX, VT_X64_RCX, 8, 0));
    vt_x64_test_rr(e, 8, VT_X64_RDX, VT_X64_RDX);
    vt_x64_jcc(e, VT_X64_CC_E, &miss);
    vt_x64_alu_rm(e, VT_X64_CMP, 8, VT_X64_RAX,
                  vt_x64_at(VT_X64_RDX, (int32_t)offsetof(vt_jit_block, key.pc)));
    vt_x64_jcc(e, VT_X64_CC_NE, &miss);
    vt_x64_load_zx(e, 1, VT_X64_RCX, AT(OFF(thumb)));
    vt_x64_alu_rm(e, VT_X64_CMP, 4, VT_X64_RCX,
                  vt_x64_at(VT_X64_RDX, (int32_t)offsetof(vt_jit_block, key.mode)));
    vt_x64_jcc(e, VT_X64_CC_NE, &miss);
    vt_x64_alu_mi(e, VT_X64_CMP, 1, vt_x64_at(VT_X64_RDX, (int32_t)offsetof(vt_jit_block, valid)),
                  0);
    vt_x64_jcc(e, VT_X64_CC_E, &miss);
    vt_x64_load(e, 8, VT_X64_RAX, vt_x64_at(VT_X64_RDX, (int32_t)offsetof(vt_jit_block, code)));
    vt_x64_jmp_r(e, VT_X64_RAX);
    vt_x64_bind(e, &miss);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_END);
}

/* BX/BLX Rm (A4.1.10, A4.1.9; Thumb A7.1.20, A7.1.18): a target in the same instruction set
 * ends the block with that PC (and BLX's link); a change of instruction set runs the
 * interpreter's handler. Either way the block leaves. */
static void emit_bx(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    bool thumb = t->c->thumb;
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new();
    vt_armt_flush_pending(t);
    vt_armt_rc_clean(t); /* the exits write back nothing, the handler reads the state */
    vt_x64_reg hm = vt_armt_rc_reg(t, in->insn & 15, true);
    if (in->cond != VT_ARM_COND_AL) vt_armt_emit_cond(t, in->cond, &skip);
    vt_x64_test_ri(e, 4, hm, 1);
    vt_x64_jcc(e, thumb ? VT_X64_CC_E : VT_X64_CC_NE, &slow);
    vt_x64_mov_rr(e, 4, VT_X64_RAX, hm);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, thumb ? ~1 : ~3);
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    if (BIT(in->insn, 5)) vt_armt_store_u32(t, OFF(r) + 56, in->target);
    vt_armt_add_counts(t, in->cost, 1);
    vt_armt_emit_jump_exit(t);
    vt_x64_bind(e, &slow);
    vt_armt_store_insn_pcs(t, in);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    vt_armt_add_counts(t, 0, 1);
    vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    vt_armt_emit_jump_exit(t);
    if (in->cond != VT_ARM_COND_AL) { /* failed: on to the next instruction */
        vt_x64_bind(e, &skip);
        vt_armt_add_counts(t, t->c->t.dp, 1);
    }
}

/* Any other instruction: the interpreter's handler, as arm_step calls it. */
static void emit_fallback(vt_armt_ctx *t, const vt_arm_tinsn *in) {
    vt_x64_emitter *e = t->e;
    unsigned cond = in->cond;
    bool conditional = cond != VT_ARM_COND_AL && cond != 0xF;
    vt_x64_label skip = vt_x64_label_new(), same = vt_x64_label_new(), done = vt_x64_label_new();
    vt_armt_flush_pending(t);
    vt_armt_rc_forget_all(t);
    vt_armt_store_insn_pcs(t, in);
    if (conditional) vt_armt_emit_cond(t, cond, &skip);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->raw);
    vt_x64_call(e, (const void *)in->fn);
    /* it branched (next_pc moved): leave with the PC it chose */
    vt_x64_alu_mi(e, VT_X64_CMP, 4, AT(OFF(next_pc)), (int32_t)in->next);
    vt_x64_jcc(e, VT_X64_CC_E, &same);
    vt_x64_load(e, 4, VT_X64_RAX, AT(OFF(next_pc)));
    vt_x64_store(e, 4, AT(OFF(r) + 60), VT_X64_RAX);
    vt_armt_add_counts(t, 0, 1);
    vt_armt_emit_jump_exit(t);
    vt_x64_bind(e, &same);
    bool check = in->stores || t->c->sysmode;
    if (check) {
        /* it may have overwritten this block: leave before the next (stale) instruction */
        vt_armt_add_counts(t, 0, 1);
        vt_armt_store_u32(t, OFF(r) + 60, in->next);
        if (in->stores) vt_jit_emit_stale_check(&t->bld);
        vt_armt_emit_leave_check(t, in->next);
    }
    if (conditional) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        vt_armt_add_counts(t, t->c->t.dp, check ? 1 : 0);
    }
    vt_x64_bind(e, &done);
    t->pend_insns = check ? 0 : 1;
}

/* The most cycles a native instruction can take: a conditional one whose cost depends on the
 * condition costs dp when it fails. */
static uint32_t max_cost(const vt_armt_ctx *t, const vt_arm_tinsn *in) {
    return in->dynamic && t->c->t.dp > in->cost ? t->c->t.dp : in->cost;
}

/* A run of instructions up to and including the next handler call (whose cost is known only
 * once it ran): it may start only while cycles + (the most the others can cost) < stop_at, as
 * the interpreter starts each instruction while cycles < stop_at. When the run might reach
 * stop_at, the block leaves and the dispatcher interprets up to it. */
static void emit_segment_check(vt_armt_ctx *t, const vt_arm_tinsn *ins, unsigned from, unsigned n) {
    uint32_t k = 0;
    for (unsigned i = from; i + 1 < n && ins[i].kind != VT_ARM_K_FALLBACK; i++)
        k += max_cost(t, &ins[i]);
    vt_armt_flush_pending(t);
    vt_x64_label go = vt_x64_label_new();
    vt_x64_load(t->e, 8, VT_X64_RAX, CYCLES);
    if (k) vt_x64_alu_ri(t->e, VT_X64_ADD, 8, VT_X64_RAX, (int32_t)k);
    vt_x64_alu_rm(t->e, VT_X64_CMP, 8, VT_X64_RAX, AT(OFF(base.stop_at)));
    vt_x64_jcc(t->e, VT_X64_CC_B, &go);
    t->live = VT_ARMT_LIVE_NONE;
    vt_armt_rc_writeback(t);
    vt_armt_store_u32(t, OFF(r) + 60, ins[from].pc);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_STOP);
    vt_x64_bind(t->e, &go);
}

/* System mode: a chained jump from another page enters without the dispatcher, so the block
 * first checks that the TLB still maps its page, executable, to the host page it came from
 * (else back to the dispatcher, which looks the PC up again). */
static void emit_page_check(vt_armt_ctx *t, uint32_t pc) {
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
    vt_armt_ctx t = {.c = c, .j = c->jit};
    vt_armt_rc_reset(&t.rc);
    vt_jit_begin(c->jit->cache, &t.bld, c->jit->key, c->jit->src, ins[n - 1].next - ins[0].pc);
    t.e = &t.bld.e;
    if (c->sysmode) emit_page_check(&t, ins[0].pc);
    bool seg_start = true, open_end = true;
    for (unsigned i = 0; i < n; i++) {
        t.live = t.live_out;
        t.live_out = VT_ARMT_LIVE_NONE;
        if (seg_start) emit_segment_check(&t, ins, i, n);
        const vt_arm_tinsn *in = &ins[i];
        t.stamp = i + 1;
        switch (in->kind) {
        case VT_ARM_K_DP:
            emit_dp(&t, in);
            break;
        case VT_ARM_K_LDST:
            vt_armt_emit_ldst(&t, in);
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
            vt_armt_emit_ldm_stm(&t, in);
            break;
        case VT_ARM_K_BRANCH:
            if (!emit_branch(&t, in)) return NULL;
            open_end = false;
            break;
        default:
            emit_fallback(&t, in);
            break;
        }
        seg_start = in->kind == VT_ARM_K_FALLBACK;
    }
    const vt_arm_tinsn *last = &ins[n - 1];
    if (open_end && c->sysmode && last->kind == VT_ARM_K_FALLBACK && last->ends) {
        /* a system instruction (CP15, MSR, CPS...) may have changed the mapping, the mode
         * or stop_at (WFI): back to the dispatcher unchained, which looks again */
        vt_armt_rc_writeback(&t);
        vt_armt_store_u32(&t, OFF(r) + 60, last->next);
        vt_armt_flush_pending(&t);
        vt_jit_emit_exit(&t.bld, VT_JIT_EXIT_END);
    } else if (open_end && !emit_chain_to(&t, last->next, 0, 0)) {
        return NULL;
    }
    for (unsigned i = 0; i < t.n_slow; i++)
        vt_armt_emit_ldst_slow(&t, &t.slow[i]);
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
