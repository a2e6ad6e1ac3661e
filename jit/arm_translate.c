/* ARM-state block translator: data processing with an immediate, an immediate-shifted
 * register or (when no shifter carry is needed) a register-shifted register (flags exactly as
 * arm_dp_op computes them, from the host flags of the same operation), LDR/STR/LDRB/STRB with
 * an inline TLB fast path, unconditional MUL/MLA and long multiplies, B/BL with chained exits;
 * every other instruction calls the interpreter's own handler (one call per instruction, same
 * semantics). Cycle costs come from the model's table; a budget check before each run of
 * instructions keeps stop_at exact. Semantics: ARM ARM (DDI 0100I) A3-A5; jit/README.md. */
#include <stddef.h>

#include "jit/arm_jit_int.h"
#include "jit/jit_tlb.h"

#define OFF(f) ((int32_t)offsetof(vt_arm_cpu, f))
#define AT(off) vt_x64_at(VT_JIT_STATE, (off))
#define REG(n) AT(OFF(r) + 4 * (int32_t)(n))
#define CYCLES AT(OFF(base.cycles))
#define INSNS AT(OFF(base.insns))

_Static_assert(sizeof(vt_tlb_entry) == 32, "the inline TLB lookup scales the index by 32");

#define MAX_INSNS 64
#define COND_AL 0xEu

enum kind { K_FALLBACK, K_DP, K_LDST, K_MUL, K_MULL, K_LDM_STM, K_BRANCH };

typedef struct insn_info {
    uint32_t pc, insn;
    enum kind kind;
    bool ends;     /* may write the PC: the block stops after it */
    bool dynamic;  /* its cost is known only at run time: ends a budget segment */
    bool stores;   /* a handler that may write memory (and so this block's own code) */
    uint32_t cost; /* cycles, when !dynamic */
    vt_arm_handler fn;
} insn_info;

typedef struct tctx {
    vt_arm_cpu *c;
    vt_arm_jit *j;
    vt_jit_builder bld;
    vt_x64_emitter *e;
    uint32_t pend_cycles, pend_insns; /* retired by emitted code, not yet added to the state */
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
    return insn >> 28 == COND_AL && !any_pc && !(BIT(insn, 20) && logical);
}

/* UMULL/UMLAL/SMULL/SMLAL the translator takes: unconditional (a failed one costs dp, not
 * mul_long) and no r15 among the four registers. */
static bool mull_translatable(uint32_t insn) {
    bool any_pc = (insn & 15) == 15 || BITS(insn, 11, 8) == 15 || BITS(insn, 15, 12) == 15 ||
                  BITS(insn, 19, 16) == 15;
    return insn >> 28 == COND_AL && !any_pc;
}

static void classify(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, insn_info *in) {
    const vt_arm_insn_desc *d = vt_arm_decode_const(c, insn);
    unsigned cond = insn >> 28, rd = BITS(insn, 15, 12), rn = BITS(insn, 19, 16);
    *in = (insn_info){.pc = pc, .insn = insn, .kind = K_FALLBACK, .dynamic = true};
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
            in->kind = K_DP;
            in->dynamic = false;
            in->cost = c->t.dp;
        }
    } else if (d->fn == vt_arm_i_dp_rsr && rsr_translatable(insn)) {
        in->kind = K_DP;
        in->dynamic = false;
        in->cost = c->t.dp_regshift;
    } else if (d->fn == vt_arm_i_ldst) {
        bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
        bool user = !p && w, wb = !p || w;
        if (rd == 15) {
            in->ends = l;
        } else if (!user && !(wb && rn == 15)) {
            in->kind = K_LDST;
            in->cost = l ? c->t.ldr : c->t.str;
            in->dynamic = cond != COND_AL; /* a failed condition costs dp instead */
        }
    } else if (d->fn == vt_arm_i_ldst_x) {
        bool p = BIT(insn, 24), w = BIT(insn, 21), l = BIT(insn, 20);
        unsigned sh = BITS(insn, 6, 5);
        if (rd == 15) {
            in->ends = l;
        } else if ((l || sh == 1) && !((!p || w) && rn == 15)) { /* not LDRD/STRD */
            in->kind = K_LDST;
            in->cost = l ? c->t.ldr : c->t.str;
            in->dynamic = cond != COND_AL;
        }
    } else if (d->fn == vt_arm_i_mul) {
        if (BITS(insn, 19, 16) != 15 && cond == COND_AL) { /* a failed one would cost dp */
            in->kind = K_MUL;
            in->dynamic = false;
            in->cost = c->t.mul;
        }
    } else if (d->fn == vt_arm_i_b) {
        in->kind = K_BRANCH;
    } else if (d->fn == vt_arm_i_ldm_stm) {
        in->ends = BIT(insn, 20) && BIT(insn, 15);
        if (!BIT(insn, 15) && !BIT(insn, 22) && (insn & 0xffff) && rn != 15) {
            unsigned n = arm_popcount(insn & 0xffff);
            in->kind = K_LDM_STM;
            in->cost = (BIT(insn, 20) ? c->t.ldm_base : c->t.stm_base) + n * c->t.per_reg;
            in->dynamic = cond != COND_AL;
        }
    } else if (d->fn == vt_arm_i_mull && mull_translatable(insn)) {
        in->kind = K_MULL;
        in->dynamic = false;
        in->cost = c->t.mul_long;
    } else if (d->fn == vt_arm_i_mull || d->fn == vt_arm_i_dp_rsr || d->fn == vt_arm_i_mrs) {
        in->ends = rd == 15 || rn == 15; /* a load or a long multiply may write r15 */
    }
}

static void flush_pending(tctx *t) {
    if (t->pend_cycles) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, CYCLES, (int32_t)t->pend_cycles);
    if (t->pend_insns) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, INSNS, (int32_t)t->pend_insns);
    t->pend_cycles = t->pend_insns = 0;
}

static void add_counts(tctx *t, uint32_t cycles, uint32_t insns) {
    if (cycles) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, CYCLES, (int32_t)cycles);
    if (insns) vt_x64_alu_mi(t->e, VT_X64_ADD, 8, INSNS, (int32_t)insns);
}

static void store_u32(tctx *t, int32_t off, uint32_t v) {
    vt_x64_store_i(t->e, 4, AT(off), (int32_t)v);
}

/* Jumps to skip when condition `cond` (not AL) fails, from the flag fields (0/1 each). The
 * flags are read as bytes: translated code writes them with SETcc (one byte, the upper bytes
 * stay zero), and a dword load right after a byte store cannot be forwarded (a stall). */
static void emit_cond(tctx *t, unsigned cond, vt_x64_label *skip) {
    vt_x64_emitter *e = t->e;
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

/* A register operand as the instruction sees it (r15 reads as its address + 8). */
static void load_reg(tctx *t, vt_x64_reg dst, unsigned n, uint32_t pc) {
    if (n == 15)
        vt_x64_mov_ri(t->e, 4, dst, pc + 8);
    else
        vt_x64_load(t->e, 4, dst, REG(n));
}

/* CF = the guest C flag (for ADC/SBC/RSC/RRX); clobbers R8. */
static void carry_in(tctx *t) {
    vt_x64_load_zx(t->e, 1, VT_X64_R8, AT(OFF(c)));
    vt_x64_bt_ri(t->e, 4, VT_X64_R8, 0);
}

/* ECX = Rm shifted by an immediate (A5.1.4-A5.1.13). When carry_out, DL = the shifter carry
 * and the result is true; false means "carry unchanged" (LSL #0). */
static bool emit_shift_imm(tctx *t, uint32_t insn, uint32_t pc, bool carry_out) {
    vt_x64_emitter *e = t->e;
    unsigned type = BITS(insn, 6, 5), amt = BITS(insn, 11, 7);
    load_reg(t, VT_X64_RCX, insn & 15, pc);
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

/* ECX = Rm shifted by the bottom byte of Rs (A5.1.8-A5.1.13), the value only: x86 masks shift
 * counts to 5 bits, so LSL/LSR by 32 or more give 0 and ASR saturates at 31; ROR by n is ROR
 * by n mod 32. Clobbers R9, R10. */
static void emit_shift_reg(tctx *t, uint32_t insn) {
    vt_x64_emitter *e = t->e;
    unsigned type = BITS(insn, 6, 5);
    vt_x64_load_zx(e, 1, VT_X64_RCX, REG(BITS(insn, 11, 8)));
    vt_x64_load(e, 4, VT_X64_R9, REG(insn & 15));
    if (type == 2) {
        vt_x64_mov_ri(e, 4, VT_X64_R10, 31);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, 31);
        vt_x64_cmov(e, VT_X64_CC_A, 4, VT_X64_RCX, VT_X64_R10);
    }
    static const vt_x64_shift ops[4] = {VT_X64_SHL, VT_X64_SHR, VT_X64_SAR, VT_X64_ROR};
    vt_x64_shift_rcl(e, ops[type], 4, VT_X64_R9);
    if (type <= 1) {
        vt_x64_alu_rr(e, VT_X64_XOR, 4, VT_X64_R10, VT_X64_R10);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, 32);
        vt_x64_cmov(e, VT_X64_CC_AE, 4, VT_X64_R9, VT_X64_R10);
    }
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_R9);
}

static void emit_dp(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc;
    unsigned op = BITS(insn, 24, 21), rd = BITS(insn, 15, 12), rn = BITS(insn, 19, 16);
    bool s = BIT(insn, 20), imm = BIT(insn, 25);
    bool logical = op <= 1 || (op >= 8 && op <= 9) || op >= 12;
    bool write = op < 8 || op >= 12;
    vt_x64_label skip = vt_x64_label_new();
    unsigned cond = insn >> 28;
    if (cond != COND_AL) emit_cond(t, cond, &skip);
    /* shifter operand in ECX; its carry: -1 unchanged, 0/1 constant, 2 in DL */
    int shc = -1;
    if (imm) {
        unsigned rot = BITS(insn, 11, 8) * 2;
        uint32_t v = BITS(insn, 7, 0);
        uint32_t b = rot ? (v >> rot | v << (32 - rot)) : v;
        vt_x64_mov_ri(e, 4, VT_X64_RCX, b);
        if (rot) shc = (int)(b >> 31);
    } else if (BIT(insn, 4)) {
        emit_shift_reg(t, insn); /* no carry out: rsr_translatable */
    } else if (emit_shift_imm(t, insn, pc, s && logical)) {
        shc = 2;
    }
    if (op != 13 && op != 15) load_reg(t, VT_X64_RAX, rn, pc);
    switch (op) {
    case 0x0:
    case 0x8:
        vt_x64_alu_rr(e, VT_X64_AND, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x1:
    case 0x9:
        vt_x64_alu_rr(e, VT_X64_XOR, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x2:
    case 0xa:
        vt_x64_alu_rr(e, VT_X64_SUB, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x3:
        vt_x64_alu_rr(e, VT_X64_SUB, 4, VT_X64_RCX, VT_X64_RAX);
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x4:
    case 0xb:
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x5:
        carry_in(t);
        vt_x64_alu_rr(e, VT_X64_ADC, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x6: /* a + ~b + C = a - b - !C: x86 borrow-in is !C */
        carry_in(t);
        vt_x64_cmc(e);
        vt_x64_alu_rr(e, VT_X64_SBB, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0x7:
        carry_in(t);
        vt_x64_cmc(e);
        vt_x64_alu_rr(e, VT_X64_SBB, 4, VT_X64_RCX, VT_X64_RAX);
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0xc:
        vt_x64_alu_rr(e, VT_X64_OR, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    case 0xd:
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        if (s) vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
        break;
    case 0xe:
        vt_x64_not(e, 4, VT_X64_RCX);
        vt_x64_alu_rr(e, VT_X64_AND, 4, VT_X64_RAX, VT_X64_RCX);
        break;
    default:
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        vt_x64_not(e, 4, VT_X64_RAX);
        if (s) vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
        break;
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
    }
    if (t->j->plant_bug && op == 0x4 && imm) /* test-only: lockstep must catch this */
        vt_x64_lea(e, 4, VT_X64_RAX, vt_x64_at(VT_X64_RAX, 1));
    if (write) vt_x64_store(e, 4, REG(rd), VT_X64_RAX);
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
    store_u32(t, OFF(r) + 60, pc);
    vt_jit_emit_exit(&t->bld, VT_JIT_EXIT_STOP);
    return true;
}

/* System mode, after an access that may have reached a device or a handler call, with the
 * state complete up to `next`: leaves when stop_at was lowered or an interrupt line changed
 * (base.jit_exit), so the next instruction starts where the interpreter would decide. */
static void emit_leave_check(tctx *t, uint32_t next) {
    if (!t->c->sysmode) return;
    store_u32(t, OFF(r) + 60, next);
    vt_x64_alu_mi(t->e, VT_X64_CMP, 1, AT(OFF(base.jit_exit)), 0);
    vt_jit_emit_exit_cc(&t->bld, VT_X64_CC_NE, VT_JIT_EXIT_INTERRUPT);
}

/* The state a helper (and any exception it raises) sees for the instruction at pc. */
static void store_insn_pcs(tctx *t, uint32_t pc) {
    store_u32(t, OFF(cur_pc), pc);
    store_u32(t, OFF(r) + 60, pc + 8);
    store_u32(t, OFF(next_pc), pc + 4);
}

/* LDR/STR(B) (not the T variants) and LDRH/STRH/LDRSB/LDRSH (A5.2, A5.3): base in R12D,
 * address-with-offset in R13D, store value in R14D, "took the slow path" in R15D (callee-saved
 * across the helper call). */
static void emit_ldst(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc;
    bool x = !BIT(insn, 26); /* the halfword / signed-byte space (A5.3) */
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), l = BIT(insn, 20);
    /* offset: a register shifted by an immediate, a plain register (A5.3 I=0), an immediate */
    bool reg = x ? !BIT(insn, 22) : BIT(insn, 25);
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12), cond = insn >> 28;
    bool wb = !p || w;
    mem_form f = form_of(insn, x, l);
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new(), join = vt_x64_label_new(),
                 done = vt_x64_label_new();
    flush_pending(t); /* a fault in the slow path must see exact counts */
    if (cond != COND_AL) emit_cond(t, cond, &skip);
    load_reg(t, VT_X64_R12, rn, pc);
    if (reg) {
        if (x)
            load_reg(t, VT_X64_RCX, insn & 15, pc);
        else
            emit_shift_imm(t, insn, pc, false);
        vt_x64_mov_rr(e, 4, VT_X64_R13, VT_X64_R12);
        vt_x64_alu_rr(e, u ? VT_X64_ADD : VT_X64_SUB, 4, VT_X64_R13, VT_X64_RCX);
    } else {
        int32_t off = (int32_t)(x ? (BITS(insn, 11, 8) << 4 | (insn & 15)) : (insn & 0xfff));
        vt_x64_lea(e, 4, VT_X64_R13, vt_x64_at(VT_X64_R12, u ? off : -off));
    }
    vt_x64_mov_rr(e, 4, VT_X64_RSI, p ? VT_X64_R13 : VT_X64_R12);
    if (!l) vt_x64_load(e, 4, VT_X64_R14, REG(rd));
    vt_x64_alu_rr(e, VT_X64_XOR, 4, VT_X64_R15, VT_X64_R15);
    /* fast path: an aligned access on a page the TLB holds for this access type */
    if (f.size > 1) { /* unaligned: the slow path applies the model's rules */
        vt_x64_test_ri(e, 4, VT_X64_RSI, (int32_t)f.size - 1);
        vt_x64_jcc(e, VT_X64_CC_NE, &slow);
    }
    vt_jit_emit_tlb_probe(e, OFF(tlb), l ? VT_ACCESS_READ : VT_ACCESS_WRITE, VT_X64_RSI, VT_X64_RDX,
                          VT_X64_RCX, VT_X64_RAX, &slow);
    vt_x64_mov_rr(e, 4, VT_X64_RCX, VT_X64_RSI);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, (int32_t)VT_TLB_PAGE_MASK);
    vt_x64_mem host = vt_x64_at_index(VT_X64_RAX, VT_X64_RCX, 1, 0);
    if (l && f.sign)
        vt_x64_load_sx(e, f.size, 4, VT_X64_RAX, host);
    else if (l)
        vt_x64_load_zx(e, f.size, VT_X64_RAX, host);
    else
        vt_x64_store(e, f.size, host, VT_X64_R14);
    vt_x64_jmp(e, &join);
    /* slow path */
    vt_x64_bind(e, &slow);
    /* (system mode: a store may reach a device, which lockstep must not run twice) */
    if ((l || t->c->sysmode) && lockstep_load_exit(t, pc)) goto finish;
    store_insn_pcs(t, pc);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    if (!l) vt_x64_mov_rr(e, 4, VT_X64_RDX, VT_X64_R14);
    vt_x64_call(e, f.slow);
    if (!l || t->c->sysmode) vt_x64_mov_ri(e, 4, VT_X64_R15, 1);
finish:
    vt_x64_bind(e, &join);
    if (wb) vt_x64_store(e, 4, REG(rn), VT_X64_R13);
    if (l) vt_x64_store(e, 4, REG(rd), VT_X64_RAX);
    add_counts(t, in->cost, 1);
    if (!l || t->c->sysmode) {
        /* a store through the slow path may have overwritten this very block */
        vt_x64_label fast = vt_x64_label_new();
        vt_x64_test_rr(e, 4, VT_X64_R15, VT_X64_R15);
        vt_x64_jcc(e, VT_X64_CC_E, &fast);
        store_u32(t, OFF(r) + 60, pc + 4);
        if (!l) vt_jit_emit_stale_check(&t->bld);
        emit_leave_check(t, pc + 4);
        vt_x64_bind(e, &fast);
    }
    if (cond != COND_AL) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}

/* LDM/STM without the PC and without the S bit (A4.1.20, A4.1.97): a whole aligned block on
 * one page the TLB holds moves straight between the registers and memory; anything else (a
 * miss, a page crossing, a fault, SMC) runs the interpreter's handler, which costs the same. */
static void emit_ldm_stm(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc, list = insn & 0xffff;
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), l = BIT(insn, 20);
    unsigned rn = BITS(insn, 19, 16), cond = insn >> 28, n = arm_popcount(list);
    int32_t start = u ? (p ? 4 : 0) : -4 * (int32_t)n + (p ? 0 : 4);
    int32_t delta = u ? 4 * (int32_t)n : -4 * (int32_t)n;
    vt_x64_label skip = vt_x64_label_new(), slow = vt_x64_label_new(), done = vt_x64_label_new();
    flush_pending(t);
    if (cond != COND_AL) emit_cond(t, cond, &skip);
    vt_x64_load(e, 4, VT_X64_R12, REG(rn));
    vt_x64_lea(e, 4, VT_X64_RSI, vt_x64_at(VT_X64_R12, start));
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
    int32_t k = 0;
    for (uint32_t m = list; m; m &= m - 1, k += 4) {
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
        vt_x64_lea(e, 4, VT_X64_RDX, vt_x64_at(VT_X64_R12, delta));
        vt_x64_store(e, 4, REG(rn), VT_X64_RDX);
    }
    add_counts(t, in->cost, 1);
    vt_x64_jmp(e, &done);
    /* slow path: the interpreter's handler (its own cycles; a store may hit this block) */
    vt_x64_bind(e, &slow);
    if ((l || t->c->sysmode) && lockstep_load_exit(t, pc)) goto finish;
    store_insn_pcs(t, pc);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, insn);
    vt_x64_call(e, (const void *)in->fn);
    add_counts(t, 0, 1);
    if (!l) {
        store_u32(t, OFF(r) + 60, pc + 4);
        vt_jit_emit_stale_check(&t->bld);
    }
    emit_leave_check(t, pc + 4);
finish:
    if (cond != COND_AL) {
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &skip);
        add_counts(t, t->c->t.dp, 1);
    }
    vt_x64_bind(e, &done);
}

/* MUL/MLA (A4.1.40), unconditional: Rd = Rm * Rs (+ Rn); S sets N and Z (C and V are
 * unchanged, as the interpreter keeps them). */
static void emit_mul(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn, pc = in->pc;
    load_reg(t, VT_X64_RAX, insn & 15, pc);
    load_reg(t, VT_X64_RCX, BITS(insn, 11, 8), pc);
    vt_x64_imul_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
    if (BIT(insn, 21)) {
        load_reg(t, VT_X64_RCX, BITS(insn, 15, 12), pc);
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RAX, VT_X64_RCX);
    }
    if (BIT(insn, 20)) {
        vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
    }
    vt_x64_store(e, 4, REG(BITS(insn, 19, 16)), VT_X64_RAX);
    t->pend_cycles += t->c->t.mul;
    t->pend_insns++;
}

/* UMULL/UMLAL/SMULL/SMLAL (A4.1.87, A4.1.86, A4.1.76, A4.1.77), unconditional: the 64-bit
 * product (operands zero- or sign-extended) plus RdHi:RdLo when accumulating; S sets N and Z
 * from all 64 bits. RdLo is written before RdHi, as the interpreter does. */
static void emit_mull(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t insn = in->insn;
    unsigned hi = BITS(insn, 19, 16), lo = BITS(insn, 15, 12);
    if (BIT(insn, 22)) {
        vt_x64_load_sx(e, 4, 8, VT_X64_RAX, REG(insn & 15));
        vt_x64_load_sx(e, 4, 8, VT_X64_RCX, REG(BITS(insn, 11, 8)));
    } else {
        vt_x64_load(e, 4, VT_X64_RAX, REG(insn & 15)); /* a 32-bit load zero-extends */
        vt_x64_load(e, 4, VT_X64_RCX, REG(BITS(insn, 11, 8)));
    }
    vt_x64_imul_rr(e, 8, VT_X64_RAX, VT_X64_RCX); /* the low 64 bits: exact for both */
    if (BIT(insn, 21)) {
        vt_x64_load(e, 4, VT_X64_RCX, REG(lo));
        vt_x64_load(e, 4, VT_X64_RDX, REG(hi));
        vt_x64_shift_ri(e, VT_X64_SHL, 8, VT_X64_RDX, 32);
        vt_x64_alu_rr(e, VT_X64_OR, 8, VT_X64_RCX, VT_X64_RDX);
        vt_x64_alu_rr(e, VT_X64_ADD, 8, VT_X64_RAX, VT_X64_RCX);
    }
    if (BIT(insn, 20)) {
        vt_x64_test_rr(e, 8, VT_X64_RAX, VT_X64_RAX);
        vt_x64_setcc_m(e, VT_X64_CC_S, AT(OFF(n)));
        vt_x64_setcc_m(e, VT_X64_CC_E, AT(OFF(z)));
    }
    vt_x64_store(e, 4, REG(lo), VT_X64_RAX);
    vt_x64_shift_ri(e, VT_X64_SHR, 8, VT_X64_RAX, 32);
    vt_x64_store(e, 4, REG(hi), VT_X64_RAX);
    t->pend_cycles += in->cost;
    t->pend_insns++;
}

/* Leaves through a chainable exit to guest address `next`, with the counts retired so far
 * plus `cycles` and `insns` (the path's own instruction). */
static bool emit_chain_to(tctx *t, uint32_t next, uint32_t cycles, uint32_t insns) {
    store_u32(t, OFF(r) + 60, next);
    add_counts(t, t->pend_cycles + cycles, t->pend_insns + insns);
    return vt_jit_emit_chain_exit(&t->bld);
}

/* B/BL (A4.1.5): both outcomes leave through chainable exits. */
static bool emit_branch(tctx *t, const insn_info *in) {
    uint32_t insn = in->insn, pc = in->pc;
    uint32_t target = pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6);
    unsigned cond = insn >> 28;
    vt_x64_label skip = vt_x64_label_new();
    if (cond != COND_AL) emit_cond(t, cond, &skip);
    if (BIT(insn, 24)) store_u32(t, OFF(r) + 56, pc + 4);
    if (!emit_chain_to(t, target, t->c->t.branch, 1)) return false;
    if (cond != COND_AL) {
        vt_x64_bind(t->e, &skip);
        if (!emit_chain_to(t, pc + 4, t->c->t.dp, 1)) return false;
    }
    t->pend_cycles = t->pend_insns = 0;
    return true;
}

/* Any other instruction: the interpreter's handler, as arm_step calls it. */
static void emit_fallback(tctx *t, const insn_info *in) {
    vt_x64_emitter *e = t->e;
    uint32_t pc = in->pc;
    unsigned cond = in->insn >> 28;
    bool conditional = cond != COND_AL && cond != 0xF;
    vt_x64_label skip = vt_x64_label_new(), same = vt_x64_label_new(), done = vt_x64_label_new();
    flush_pending(t);
    store_insn_pcs(t, pc);
    if (conditional) emit_cond(t, cond, &skip);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_mov_ri(e, 4, VT_X64_RSI, in->insn);
    vt_x64_call(e, (const void *)in->fn);
    /* it branched (next_pc moved): leave with the PC it chose */
    vt_x64_alu_mi(e, VT_X64_CMP, 4, AT(OFF(next_pc)), (int32_t)(pc + 4));
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
        store_u32(t, OFF(r) + 60, pc + 4);
        if (in->stores) vt_jit_emit_stale_check(&t->bld);
        emit_leave_check(t, pc + 4);
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
static void emit_segment_check(tctx *t, const insn_info *ins, unsigned from, unsigned n) {
    uint32_t k = 0;
    for (unsigned i = from; i + 1 < n && !ins[i].dynamic && ins[i].kind != K_FALLBACK; i++)
        k += ins[i].cost;
    flush_pending(t);
    store_u32(t, OFF(r) + 60, ins[from].pc);
    vt_jit_emit_budget_check(&t->bld, OFF(base.cycles), OFF(base.stop_at), k);
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

static vt_jit_block *emit_block(vt_arm_cpu *c, const insn_info *ins, unsigned n) {
    tctx t = {.c = c, .j = c->jit};
    vt_jit_begin(c->jit->cache, &t.bld, c->jit->key, c->jit->src, 4ull * n);
    t.e = &t.bld.e;
    if (c->sysmode) emit_page_check(&t, ins[0].pc);
    bool seg_start = true, open_end = true;
    for (unsigned i = 0; i < n; i++) {
        if (seg_start) emit_segment_check(&t, ins, i, n);
        const insn_info *in = &ins[i];
        switch (in->kind) {
        case K_DP:
            emit_dp(&t, in);
            break;
        case K_LDST:
            emit_ldst(&t, in);
            break;
        case K_MUL:
            emit_mul(&t, in);
            break;
        case K_MULL:
            emit_mull(&t, in);
            break;
        case K_LDM_STM:
            emit_ldm_stm(&t, in);
            break;
        case K_BRANCH:
            if (!emit_branch(&t, in)) return NULL;
            open_end = false;
            break;
        default:
            emit_fallback(&t, in);
            break;
        }
        seg_start = in->dynamic || in->kind == K_FALLBACK;
    }
    const insn_info *last = &ins[n - 1];
    if (open_end && c->sysmode && last->kind == K_FALLBACK && last->ends) {
        /* a system instruction (CP15, MSR, CPS...) may have changed the mapping, the mode
         * or stop_at (WFI): back to the dispatcher unchained, which looks again */
        store_u32(&t, OFF(r) + 60, last->pc + 4);
        add_counts(&t, t.pend_cycles, t.pend_insns);
        vt_jit_emit_exit(&t.bld, VT_JIT_EXIT_END);
    } else if (open_end && !emit_chain_to(&t, last->pc + 4, 0, 0)) {
        return NULL;
    }
    return vt_jit_commit(&t.bld);
}

vt_jit_block *vt_arm_jit_translate(vt_arm_cpu *c, uint32_t pc) {
    vt_arm_jit *j = c->jit;
    const uint8_t *host = vt_tlb_lookup(&c->tlb, pc, VT_ACCESS_EXEC);
    if (!host || (pc & 3)) return NULL;
    insn_info ins[MAX_INSNS];
    unsigned n = 0;
    for (uint32_t a = pc; n < MAX_INSNS; a += 4) {
        classify(c, a, load_le32(host + (a - pc)), &ins[n]);
        /* lockstep compares translated code only: handlers run once, in the interpreter */
        if (j->mode == VT_JIT_LOCKSTEP && ins[n].kind == K_FALLBACK) break;
        n++;
        if (ins[n - 1].ends || ((a + 4) & VT_TLB_PAGE_MASK) == 0) break;
    }
    if (!n) return NULL;
    vt_jit_block *b = emit_block(c, ins, n);
    if (!b) b = emit_block(c, ins, n); /* the arena was full and flushed: once more */
    if (b) vt_arm_jit_protect_page(c, pc);
    return b;
}
