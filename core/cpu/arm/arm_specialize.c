/* Specialised ARM handlers for the decode cache: the hot generic handlers (data processing,
 * LDR/STR, halfword/doubleword transfers) compiled once per constant combination of
 * their opcode bits, so switches on those bits and unused flag logic fold away. Each variant
 * inlines the same body as the generic handler (arm_exec.h), so semantics and cycle costs
 * are identical by construction. */
#include "core/cpu/arm/arm_handlers.h"

/* clang-format off */

/* Data processing per opcode and S bit; the register form also per shift type. */
#define DP_IMM(op, s)                                                                          \
    static void dp_imm_##op##_##s(vt_arm_cpu *c, uint32_t insn) {                              \
        unsigned rot = BITS(insn, 11, 8) * 2;                                                  \
        uint32_t imm = BITS(insn, 7, 0);                                                       \
        uint32_t b = rot ? (imm >> rot | imm << (32 - rot)) : imm;                             \
        c->base.cycles += c->t.dp;                                                            \
        arm_dp_op(c, op, s, BITS(insn, 15, 12), c->r[BITS(insn, 19, 16)], b,                   \
                  rot ? b >> 31 : c->c);                                                       \
    }
#define DP_REG(op, s, type)                                                                    \
    static void dp_reg_##op##_##s##_##type(vt_arm_cpu *c, uint32_t insn) {                     \
        uint32_t shc;                                                                          \
        uint32_t b = arm_shift_imm(c, c->r[insn & 15], type, BITS(insn, 11, 7), &shc);         \
        c->base.cycles += c->t.dp;                                                            \
        arm_dp_op(c, op, s, BITS(insn, 15, 12), c->r[BITS(insn, 19, 16)], b, shc);             \
    }
#define DP_S(op, s) DP_IMM(op, s) DP_REG(op, s, 0) DP_REG(op, s, 1) DP_REG(op, s, 2) DP_REG(op, s, 3)
#define DP_OP(op) DP_S(op, 0) DP_S(op, 1)
DP_OP(0) DP_OP(1) DP_OP(2) DP_OP(3) DP_OP(4) DP_OP(5) DP_OP(6) DP_OP(7)
DP_OP(8) DP_OP(9) DP_OP(10) DP_OP(11) DP_OP(12) DP_OP(13) DP_OP(14) DP_OP(15)

#define DP_IMM_S(op) {dp_imm_##op##_0, dp_imm_##op##_1}
static const vt_arm_handler dp_imm_fns[16][2] = {
    DP_IMM_S(0), DP_IMM_S(1), DP_IMM_S(2), DP_IMM_S(3), DP_IMM_S(4), DP_IMM_S(5),
    DP_IMM_S(6), DP_IMM_S(7), DP_IMM_S(8), DP_IMM_S(9), DP_IMM_S(10), DP_IMM_S(11),
    DP_IMM_S(12), DP_IMM_S(13), DP_IMM_S(14), DP_IMM_S(15),
};
#define DP_REG_T(op, s) {dp_reg_##op##_##s##_0, dp_reg_##op##_##s##_1, dp_reg_##op##_##s##_2,  \
                         dp_reg_##op##_##s##_3}
#define DP_REG_S(op) {DP_REG_T(op, 0), DP_REG_T(op, 1)}
static const vt_arm_handler dp_reg_fns[16][2][4] = {
    DP_REG_S(0), DP_REG_S(1), DP_REG_S(2), DP_REG_S(3), DP_REG_S(4), DP_REG_S(5),
    DP_REG_S(6), DP_REG_S(7), DP_REG_S(8), DP_REG_S(9), DP_REG_S(10), DP_REG_S(11),
    DP_REG_S(12), DP_REG_S(13), DP_REG_S(14), DP_REG_S(15),
};

/* LDR/STR(B) per value of insn bits 25:20 (I P U B W L). */
#define LDST(k)                                                                                \
    static void ldst_##k(vt_arm_cpu *c, uint32_t insn) {                                       \
        arm_ldst(c, insn, (k) >> 5 & 1, (k) >> 4 & 1, (k) >> 3 & 1, (k) >> 2 & 1, (k) >> 1 & 1, \
                 (k) & 1);                                                                     \
    }
#define LDST_32(X)                                                                             \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)      \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29)        \
    X(30) X(31)
#define LDST_HI(X)                                                                             \
    X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43) X(44) X(45)        \
    X(46) X(47) X(48) X(49) X(50) X(51) X(52) X(53) X(54) X(55) X(56) X(57) X(58) X(59)        \
    X(60) X(61) X(62) X(63)
#define LDST_ALL(X) LDST_32(X) LDST_HI(X)
LDST_ALL(LDST)
#define LDST_REF(k) ldst_##k,
static const vt_arm_handler ldst_fns[64] = {LDST_ALL(LDST_REF)};

/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD per value of insn bits 24:20 (P U I W L) and sh. */
#define LDSTX(k, sh)                                                                           \
    static void ldstx_##k##_##sh(vt_arm_cpu *c, uint32_t insn) {                               \
        arm_ldst_x(c, insn, (k) >> 4 & 1, (k) >> 3 & 1, (k) >> 2 & 1, (k) >> 1 & 1, (k) & 1,   \
                   sh);                                                                        \
    }
#define LDSTX_SH(k) LDSTX(k, 1) LDSTX(k, 2) LDSTX(k, 3)
#define LDSTX_REF(k) {ldstx_##k##_1, ldstx_##k##_2, ldstx_##k##_3},
LDST_32(LDSTX_SH)
static const vt_arm_handler ldstx_fns[32][3] = {LDST_32(LDSTX_REF)};

/* clang-format on */

vt_arm_handler vt_arm_specialize(vt_arm_handler fn, uint32_t insn) {
    if (fn == vt_arm_i_ldst_x) return ldstx_fns[BITS(insn, 24, 20)][BITS(insn, 6, 5) - 1];
    if (fn == vt_arm_i_ldst) return ldst_fns[BITS(insn, 25, 20)];
    if (fn == vt_arm_i_dp_imm) return dp_imm_fns[BITS(insn, 24, 21)][BIT(insn, 20)];
    if (fn == vt_arm_i_dp_reg)
        return dp_reg_fns[BITS(insn, 24, 21)][BIT(insn, 20)][BITS(insn, 6, 5)];
    return fn;
}
