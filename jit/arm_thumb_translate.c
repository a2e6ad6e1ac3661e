/* Thumb-state instructions for the ARM block translator: each Thumb instruction whose effect,
 * flags and cycle cost equal an ARM instruction's (shifts by an immediate, ADD/SUB/MOV/CMP,
 * the ALU group but register shifts, loads/stores, PUSH/POP (POP {pc} too), LDMIA/STMIA,
 * B, B<cond>, the BL prefix) is handed to arm_translate.c's emitters as that ARM encoding;
 * the rest call the interpreter's Thumb handler. r15 reads as the address + 4 (word-aligned
 * for LDR/ADD from the PC). Semantics: ARM ARM (DDI 0100I) A7 (each Thumb instruction names
 * its ARM equivalent); costs as core/cpu/arm/arm_thumb.c charges them. */
#include "core/cpu/arm/arm_exec.h"
#include "jit/arm_jit_int.h"

#define AL 0xE0000000u
#define SBIT (1u << 20)

/* ARM data processing: opcode, S, Rn, Rd and the shifter operand bits. */
static uint32_t arm_dp(unsigned op, bool s, unsigned rn, unsigned rd, uint32_t operand) {
    return AL | op << 21 | (s ? SBIT : 0) | rn << 16 | rd << 12 | operand;
}

/* A shifter operand immediate v*4 (v < 256): imm8 = v rotated right by 30. */
static uint32_t imm_x4(uint32_t v) {
    return 1u << 25 | 15u << 8 | v;
}

/* ARM LDR/STR(B) with an immediate (A5.2.2) or a register (A5.2.3) offset, pre-indexed, no
 * writeback; LDRH/STRH/LDRSB/LDRSH (A5.3.2, A5.3.3): sh = 1 H, 2 SB, 3 SH. */
static uint32_t arm_ldst_imm(bool l, bool byte, unsigned rn, unsigned rd, uint32_t off) {
    return AL | 0x05800000u | (byte ? 1u << 22 : 0) | (l ? SBIT : 0) | rn << 16 | rd << 12 | off;
}
static uint32_t arm_ldst_reg(bool l, bool byte, unsigned rn, unsigned rd, unsigned rm) {
    return AL | 0x07800000u | (byte ? 1u << 22 : 0) | (l ? SBIT : 0) | rn << 16 | rd << 12 | rm;
}
static uint32_t arm_ldst_x_imm(bool l, unsigned sh, unsigned rn, unsigned rd, uint32_t off) {
    return AL | 0x01C00090u | (l ? SBIT : 0) | rn << 16 | rd << 12 | (off >> 4) << 8 | sh << 5 |
           (off & 15);
}
static uint32_t arm_ldst_x_reg(bool l, unsigned sh, unsigned rn, unsigned rd, unsigned rm) {
    return AL | 0x01800090u | (l ? SBIT : 0) | rn << 16 | rd << 12 | sh << 5 | rm;
}

static void set_native(vt_arm_tinsn *in, vt_arm_tkind kind, uint32_t arm, uint32_t cost) {
    in->kind = kind;
    in->insn = arm;
    in->cost = cost;
    in->dynamic = false;
}

/* A native load/store (with the interpreter's cost). */
static void set_ldst(const vt_arm_cpu *c, vt_arm_tinsn *in, uint32_t arm) {
    set_native(in, VT_ARM_K_LDST, arm, BIT(arm, 20) ? c->t.ldr : c->t.str);
}

/* LDM/STM rn{!}, list (not empty; the PC only in a load), with vt_arm_ldm/stm's cost. */
static void set_ldm_stm(const vt_arm_cpu *c, vt_arm_tinsn *in, uint32_t arm) {
    set_native(in, VT_ARM_K_LDM_STM, arm, vt_arm_ldm_stm_cost(c, arm));
    in->raw = arm;
    in->fn = vt_arm_i_ldm_stm; /* its slow path: the ARM handler of the same encoding */
}

/* The ALU group (A7.1.2-A7.1.53 by opcode): all but the register shifts (they need the
 * shifter carry) map onto an ARM DP with S: op rd, rd, rm; NEG is RSBS rd, rm, #0; MUL is
 * MULS rd, rm, rd, which the interpreter charges dp + mul. */
static bool alu(const vt_arm_cpu *c, uint32_t insn, vt_arm_tinsn *in) {
    static const int8_t map[16] = {0x0, 0x1, -1,  -1,  -1,  0x5, 0x6, -1,
                                   0x8, -1,  0xa, 0xb, 0xc, -1,  0xe, 0xf};
    unsigned op = BITS(insn, 9, 6), rd = insn & 7, rm = BITS(insn, 5, 3);
    if (op == 0x9) {
        set_native(in, VT_ARM_K_DP, arm_dp(0x3, true, rm, rd, 1u << 25), c->t.dp);
    } else if (op == 0xd) {
        set_native(in, VT_ARM_K_MUL, AL | SBIT | rd << 16 | rd << 8 | 0x90 | rm,
                   c->t.dp + c->t.mul);
    } else if (map[op] >= 0) {
        unsigned o = (unsigned)map[op];
        bool test = o >= 0x8 && o <= 0xb;
        set_native(in, VT_ARM_K_DP, arm_dp(o, true, rd, test ? 0 : rd, rm), c->t.dp);
    } else {
        return false;
    }
    return true;
}

/* ADD/CMP/MOV with high registers (A7.1.6, A7.1.24, A7.1.40); BX/BLX Rm (A7.1.20, A7.1.18:
 * the handler charges dp + branch, BLX links the next address | 1; BLX needs v5, BX PC the
 * handler). Writes to the PC are the handler's. */
static bool hireg(const vt_arm_cpu *c, uint32_t insn, vt_arm_tinsn *in) {
    static const uint8_t ops[3] = {0x4, 0xa, 0xd}; /* ADD CMP MOV */
    unsigned op = BITS(insn, 9, 8), rd = (insn & 7) | BIT(insn, 7) << 3, rm = BITS(insn, 6, 3);
    bool link = BIT(insn, 7);
    in->ends = op == 3 || (op != 1 && rd == 15);
    if (op == 3 && rm != 15 && (!link || (c->features & VT_ARM_F_V5))) {
        set_native(in, VT_ARM_K_BX, AL | 0x012FFF10u | (link ? 0x20u : 0) | rm,
                   c->t.dp + c->t.branch);
        in->target = in->next | 1;
        return true;
    }
    if (in->ends) return false;
    set_native(in, VT_ARM_K_DP, arm_dp(ops[op], op == 1, rd, op == 1 ? 0 : rd, rm), c->t.dp);
    return true;
}

/* Loads and stores (A7.1.28-A7.1.60 by form): word/byte through A5.2, halfword and signed
 * through A5.3, with the same accessors and costs as the Thumb handlers. */
static bool ldst(const vt_arm_cpu *c, uint32_t insn, vt_arm_tinsn *in) {
    unsigned rd = insn & 7, rn = BITS(insn, 5, 3), rm = BITS(insn, 8, 6);
    bool l = BIT(insn, 11);
    uint32_t imm5 = BITS(insn, 10, 6);
    switch (insn >> 12) {
    case 0x5: { /* register offset: STR STRH STRB LDRSB LDR LDRH LDRB LDRSH */
        static const int8_t sh[8] = {-1, 1, -1, 2, -1, 1, -1, 3};
        unsigned op = BITS(insn, 11, 9);
        bool load = op >= 3;
        set_ldst(c, in,
                 sh[op] < 0 ? arm_ldst_reg(load, op == 2 || op == 6, rn, rd, rm)
                            : arm_ldst_x_reg(load, (unsigned)sh[op], rn, rd, rm));
        return true;
    }
    case 0x6: /* word, immediate offset */
        set_ldst(c, in, arm_ldst_imm(l, false, rn, rd, imm5 * 4));
        return true;
    case 0x7: /* byte */
        set_ldst(c, in, arm_ldst_imm(l, true, rn, rd, imm5));
        return true;
    case 0x8: /* halfword */
        set_ldst(c, in, arm_ldst_x_imm(l, 1, rn, rd, imm5 * 2));
        return true;
    default: /* 0x9: SP-relative */
        set_ldst(c, in, arm_ldst_imm(l, false, 13, BITS(insn, 10, 8), (insn & 0xff) * 4));
        return true;
    }
}

/* The native form of a Thumb instruction; false leaves the handler call. */
static bool native(const vt_arm_cpu *c, vt_arm_handler fn, uint32_t insn, vt_arm_tinsn *in) {
    unsigned rd8 = BITS(insn, 10, 8);
    if (fn == vt_thumb_i_shift_imm) { /* MOVS rd, rm, <shift> #imm (A7.1.38, 39, 10) */
        set_native(in, VT_ARM_K_DP,
                   arm_dp(0xd, true, 0, insn & 7,
                          BITS(insn, 10, 6) << 7 | BITS(insn, 12, 11) << 5 | BITS(insn, 5, 3)),
                   c->t.dp);
    } else if (fn == vt_thumb_i_addsub) { /* ADDS/SUBS rd, rn, rm / #imm3 */
        uint32_t operand = BIT(insn, 10) ? 1u << 25 | BITS(insn, 8, 6) : BITS(insn, 8, 6);
        set_native(in, VT_ARM_K_DP,
                   arm_dp(BIT(insn, 9) ? 0x2 : 0x4, true, BITS(insn, 5, 3), insn & 7, operand),
                   c->t.dp);
    } else if (fn == vt_thumb_i_imm8) { /* MOVS CMP ADDS SUBS rd, #imm8 */
        static const uint8_t ops[4] = {0xd, 0xa, 0x4, 0x2};
        unsigned op = ops[BITS(insn, 12, 11)];
        set_native(in, VT_ARM_K_DP,
                   arm_dp(op, true, rd8, op == 0xa ? 0 : rd8, 1u << 25 | (insn & 0xff)), c->t.dp);
    } else if (fn == vt_thumb_i_alu) {
        return alu(c, insn, in);
    } else if (fn == vt_thumb_i_hireg) {
        return hireg(c, insn, in);
    } else if (fn == vt_thumb_i_ldr_pc) { /* LDR rd, [pc, #imm8*4], the PC word-aligned */
        in->pc_read &= ~3u;
        set_ldst(c, in, arm_ldst_imm(true, false, 15, rd8, (insn & 0xff) * 4));
    } else if (fn == vt_thumb_i_ldst_reg || fn == vt_thumb_i_ldst_imm || fn == vt_thumb_i_ldst_sp) {
        return ldst(c, insn, in);
    } else if (fn == vt_thumb_i_add_pcsp) { /* ADD rd, sp / pc, #imm8*4 */
        if (!BIT(insn, 11)) in->pc_read &= ~3u;
        set_native(in, VT_ARM_K_DP,
                   arm_dp(0x4, false, BIT(insn, 11) ? 13 : 15, rd8, imm_x4(insn & 0xff)), c->t.dp);
    } else if (fn == vt_thumb_i_adjsp) { /* ADD/SUB sp, sp, #imm7*4 */
        set_native(in, VT_ARM_K_DP,
                   arm_dp(BIT(insn, 7) ? 0x2 : 0x4, false, 13, 13, imm_x4(insn & 0x7f)), c->t.dp);
    } else if (fn == vt_thumb_i_pushpop) { /* STMDB sp!, {..,lr} / LDMIA sp!, {..,pc} */
        bool pop = BIT(insn, 11);
        uint32_t list = (insn & 0xff) | (BIT(insn, 8) ? (pop ? 1u << 15 : 1u << 14) : 0);
        in->ends = pop && BIT(insn, 8);
        if (!list) return false;
        set_ldm_stm(c, in, AL | (pop ? 0x08B00000u : 0x09200000u) | 13u << 16 | list);
    } else if (fn == vt_thumb_i_ldstm) { /* LDMIA/STMIA rn!, {..} */
        if (!(insn & 0xff)) return false;
        set_ldm_stm(c, in,
                    AL | (BIT(insn, 11) ? 0x08B00000u : 0x08A00000u) | rd8 << 16 | (insn & 0xff));
    } else if (fn == vt_thumb_i_bcond || fn == vt_thumb_i_b) { /* B<cond> / B */
        bool cond = fn == vt_thumb_i_bcond;
        int32_t off = cond ? (int32_t)(int8_t)(insn & 0xff) * 2 : (int32_t)(insn << 21) >> 20;
        in->kind = VT_ARM_K_BRANCH;
        in->cond = cond ? BITS(insn, 11, 8) : VT_ARM_COND_AL;
        in->insn = in->cond << 28 | 0x0A000000u;
        in->target = in->r15 + (uint32_t)off;
        in->ends = true;
    } else if (fn == vt_thumb_i_bl_prefix) { /* LR = PC + (offset << 12) */
        in->target = in->r15 + (uint32_t)((int32_t)(insn << 21) >> 9);
        set_native(in, VT_ARM_K_CONST, 14u << 12, c->t.dp);
    } else {
        return false;
    }
    return true;
}

void vt_arm_thumb_classify(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, vt_arm_tinsn *in) {
    vt_arm_handler fn = vt_thumb_decode(c, insn)->fn;
    *in = (vt_arm_tinsn){.pc = pc,
                         .insn = insn,
                         .raw = insn,
                         .cond = VT_ARM_COND_AL,
                         .r15 = pc + 4,
                         .pc_read = pc + 4,
                         .next = pc + 2,
                         .kind = VT_ARM_K_FALLBACK,
                         .dynamic = true,
                         .fn = fn};
    if (native(c, fn, insn, in)) return;
    /* a handler call */
    in->ends = in->ends || fn == vt_thumb_i_bl_suffix || fn == vt_thumb_i_swi ||
               fn == vt_thumb_i_bkpt || fn == vt_arm_i_undef || fn == vt_thumb_i_cps ||
               fn == vt_thumb_i_setend;
    in->stores = fn == vt_thumb_i_ldst_reg || fn == vt_thumb_i_ldst_imm ||
                 fn == vt_thumb_i_ldst_sp || fn == vt_thumb_i_pushpop || fn == vt_thumb_i_ldstm;
}
