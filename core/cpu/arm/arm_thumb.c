/* Thumb-state executor (ARMv4T, plus v5T BLX/BKPT and the v6 additions: SXTB/UXTH...,
 * REV*, CPS, SETEND). BL/BLX are the two-halfword prefix/suffix pair executed as separate
 * instructions, as on pre-Thumb-2 cores. Semantics: ARM ARM (DDI 0100I) chapter A7. */
#include "core/cpu/arm/arm_handlers.h"

#define TR(n) (c->r[(n)&7])

void vt_thumb_i_shift_imm(vt_arm_cpu *c, uint32_t insn) {
    uint32_t carry;
    uint32_t r = arm_shift_imm(c, TR(insn >> 3), BITS(insn, 12, 11), BITS(insn, 10, 6), &carry);
    arm_set_nz(c, r);
    c->c = carry;
    c->r[insn & 7] = r;
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_addsub(vt_arm_cpu *c, uint32_t insn) {
    uint32_t b = BIT(insn, 10) ? BITS(insn, 8, 6) : TR(insn >> 6);
    uint32_t a = TR(insn >> 3);
    c->r[insn & 7] = BIT(insn, 9) ? arm_add_flags(c, a, ~b, 1) : arm_add_flags(c, a, b, 0);
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_imm8(vt_arm_cpu *c, uint32_t insn) {
    static const uint8_t ops[4] = {0xd, 0xa, 0x4, 0x2}; /* MOV CMP ADD SUB */
    unsigned rd = BITS(insn, 10, 8);
    c->base.cycles += c->t.dp;
    vt_arm_dp_op(c, ops[BITS(insn, 12, 11)], true, rd, c->r[rd], insn & 0xff, c->c);
}

void vt_thumb_i_alu(vt_arm_cpu *c, uint32_t insn) {
    unsigned op = BITS(insn, 9, 6), rd = insn & 7;
    uint32_t a = c->r[rd], b = TR(insn >> 3), carry, r;
    c->base.cycles += c->t.dp;
    switch (op) {
    case 0x2:
    case 0x3:
    case 0x4:
    case 0x7: { /* LSL LSR ASR ROR by register */
        static const uint8_t type[8] = {0, 0, 0, 1, 2, 0, 0, 3};
        r = arm_shift_reg(c, a, type[op], b, &carry);
        arm_set_nz(c, r);
        c->c = carry;
        c->r[rd] = r;
        c->base.cycles += c->t.dp_regshift - c->t.dp;
        return;
    }
    case 0x9:
        c->r[rd] = arm_add_flags(c, 0, ~b, 1);
        return; /* NEG */
    case 0xd:   /* MUL */
        r = a * b;
        arm_set_nz(c, r);
        c->r[rd] = r;
        c->base.cycles += c->t.mul;
        return;
    default: {
        /* the rest map onto ARM data-processing opcodes */
        static const uint8_t map[16] = {0x0, 0x1, 0,   0,   0,   0x5, 0x6, 0,
                                        0x8, 0,   0xa, 0xb, 0xc, 0,   0xe, 0xf};
        vt_arm_dp_op(c, map[op], true, rd, a, b, c->c);
    }
    }
}

void vt_thumb_i_hireg(vt_arm_cpu *c, uint32_t insn) {
    unsigned op = BITS(insn, 9, 8);
    unsigned rd = (insn & 7) | (BIT(insn, 7) << 3), rm = BITS(insn, 6, 3);
    uint32_t b = c->r[rm];
    c->base.cycles += c->t.dp;
    switch (op) {
    case 0:
        arm_wr(c, rd, c->r[rd] + b);
        break;
    case 1:
        arm_add_flags(c, c->r[rd], ~b, 1);
        break;
    case 2:
        arm_wr(c, rd, b);
        break;
    default:
        if (BIT(insn, 7)) {
            if (!(c->features & VT_ARM_F_V5)) vt_arm_undefined(c, insn);
            c->r[14] = (c->cur_pc + 2) | 1;
        }
        c->base.cycles += c->t.branch;
        vt_arm_branch(c, b, true);
    }
}

void vt_thumb_i_ldr_pc(vt_arm_cpu *c, uint32_t insn) {
    c->r[BITS(insn, 10, 8)] = vt_arm_ld32(c, (c->r[15] & ~3u) + 4 * (insn & 0xff));
    c->base.cycles += c->t.ldr;
}

void vt_thumb_i_ldst_reg(vt_arm_cpu *c, uint32_t insn) {
    uint32_t addr = TR(insn >> 3) + TR(insn >> 6);
    unsigned rd = insn & 7;
    switch (BITS(insn, 11, 9)) {
    case 0:
        vt_arm_str_word(c, addr, c->r[rd]);
        c->base.cycles += c->t.str;
        return;
    case 1:
        vt_arm_strh(c, addr, c->r[rd]);
        c->base.cycles += c->t.str;
        return;
    case 2:
        vt_arm_st8(c, addr, c->r[rd]);
        c->base.cycles += c->t.str;
        return;
    case 3:
        c->r[rd] = (uint32_t)(int32_t)(int8_t)vt_arm_ld8(c, addr);
        break;
    case 4:
        c->r[rd] = vt_arm_ldr_word(c, addr);
        break;
    case 5:
        c->r[rd] = vt_arm_ldrh(c, addr);
        break;
    case 6:
        c->r[rd] = vt_arm_ld8(c, addr);
        break;
    default:
        c->r[rd] = (uint32_t)(int32_t)(int16_t)vt_arm_ldrh(c, addr);
        break;
    }
    c->base.cycles += c->t.ldr;
}

void vt_thumb_i_ldst_imm(vt_arm_cpu *c, uint32_t insn) {
    unsigned rd = insn & 7, imm = BITS(insn, 10, 6);
    uint32_t base = TR(insn >> 3);
    bool load = BIT(insn, 11);
    if (BITS(insn, 15, 13) == 3) {
        if (BIT(insn, 12)) { /* byte */
            if (load)
                c->r[rd] = vt_arm_ld8(c, base + imm);
            else
                vt_arm_st8(c, base + imm, c->r[rd]);
        } else {
            if (load)
                c->r[rd] = vt_arm_ldr_word(c, base + 4 * imm);
            else
                vt_arm_str_word(c, base + 4 * imm, c->r[rd]);
        }
    } else { /* halfword */
        if (load)
            c->r[rd] = vt_arm_ldrh(c, base + 2 * imm);
        else
            vt_arm_strh(c, base + 2 * imm, c->r[rd]);
    }
    c->base.cycles += load ? c->t.ldr : c->t.str;
}

void vt_thumb_i_ldst_sp(vt_arm_cpu *c, uint32_t insn) {
    uint32_t addr = c->r[13] + 4 * (insn & 0xff);
    unsigned rd = BITS(insn, 10, 8);
    if (BIT(insn, 11)) {
        c->r[rd] = vt_arm_ldr_word(c, addr);
        c->base.cycles += c->t.ldr;
    } else {
        vt_arm_str_word(c, addr, c->r[rd]);
        c->base.cycles += c->t.str;
    }
}

void vt_thumb_i_add_pcsp(vt_arm_cpu *c, uint32_t insn) {
    uint32_t base = BIT(insn, 11) ? c->r[13] : (c->r[15] & ~3u);
    c->r[BITS(insn, 10, 8)] = base + 4 * (insn & 0xff);
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_adjsp(vt_arm_cpu *c, uint32_t insn) {
    uint32_t off = 4 * (insn & 0x7f);
    c->r[13] = BIT(insn, 7) ? c->r[13] - off : c->r[13] + off;
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_pushpop(vt_arm_cpu *c, uint32_t insn) {
    uint32_t list = insn & 0xff;
    if (BIT(insn, 11)) { /* POP: PC interworks on v5+ */
        if (BIT(insn, 8)) list |= 0x8000;
        uint32_t sp = c->r[13];
        vt_arm_ldm(c, sp, list, false, false);
        c->r[13] = sp + 4 * arm_popcount(list);
    } else {
        if (BIT(insn, 8)) list |= 0x4000;
        uint32_t sp = c->r[13] - 4 * arm_popcount(list);
        vt_arm_stm(c, sp, list, false);
        c->r[13] = sp;
    }
}

void vt_thumb_i_ldstm(vt_arm_cpu *c, uint32_t insn) {
    unsigned rn = BITS(insn, 10, 8);
    uint32_t list = insn & 0xff, base = c->r[rn];
    uint32_t nb = base + 4 * arm_popcount(list);
    if (BIT(insn, 11)) {
        vt_arm_ldm(c, base, list, false, false);
        if (!(list & (1u << rn))) c->r[rn] = nb;
    } else {
        vt_arm_stm(c, base, list, false);
        c->r[rn] = nb;
    }
}

void vt_thumb_i_bcond(vt_arm_cpu *c, uint32_t insn) {
    c->base.cycles += c->t.dp;
    if (!arm_cond(c, BITS(insn, 11, 8))) return;
    c->base.cycles += c->t.branch - c->t.dp;
    c->next_pc = c->r[15] + (uint32_t)((int32_t)(int8_t)(insn & 0xff) * 2);
}

void vt_thumb_i_b(vt_arm_cpu *c, uint32_t insn) {
    c->base.cycles += c->t.branch;
    c->next_pc = c->r[15] + (uint32_t)((int32_t)(insn << 21) >> 20);
}

void vt_thumb_i_bl_prefix(vt_arm_cpu *c, uint32_t insn) {
    c->r[14] = c->r[15] + (uint32_t)((int32_t)(insn << 21) >> 9);
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_bl_suffix(vt_arm_cpu *c, uint32_t insn) {
    uint32_t target = c->r[14] + 2 * (insn & 0x7ff);
    c->r[14] = (c->cur_pc + 2) | 1;
    c->base.cycles += c->t.branch;
    if (BIT(insn, 12))
        c->next_pc = target & ~1u;
    else
        vt_arm_branch(c, target & ~3u, true); /* BLX suffix: to ARM state */
}

void vt_thumb_i_swi(vt_arm_cpu *c, uint32_t insn) {
    vt_arm_swi(c, insn);
}
void vt_thumb_i_bkpt(vt_arm_cpu *c, uint32_t insn) {
    vt_arm_bkpt(c, insn);
}

void vt_thumb_i_extend(vt_arm_cpu *c, uint32_t insn) {
    static const uint8_t op[4] = {3, 2, 7, 6}; /* SXTH SXTB UXTH UXTB */
    c->r[insn & 7] = vt_arm_extend(op[BITS(insn, 7, 6)], 0, TR(insn >> 3), 0, false);
    c->base.cycles += c->t.media;
}

void vt_thumb_i_rev(vt_arm_cpu *c, uint32_t insn) {
    unsigned k = BITS(insn, 7, 6);
    if (k == 2) vt_arm_undefined(c, insn);
    c->r[insn & 7] = vt_arm_rev(k == 3 ? 2 : k, TR(insn >> 3));
    c->base.cycles += c->t.media;
}

void vt_thumb_i_setend(vt_arm_cpu *c, uint32_t insn) {
    if (BIT(insn, 3)) vt_arm_undefined(c, insn);
    c->base.cycles += c->t.dp;
}

void vt_thumb_i_cps(vt_arm_cpu *c, uint32_t insn) {
    /* same effect as ARM CPS without a mode change: imod from bit 4, A I F bits 2..0 */
    uint32_t arm = (BIT(insn, 4) ? 3u : 2u) << 18 | (insn & 7) << 6;
    vt_arm_i_cps(c, arm);
}
