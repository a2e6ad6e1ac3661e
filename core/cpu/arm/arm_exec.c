/* ARM-state executor for the ARMv4T/v5TE base instruction set: data processing, PSR
 * transfers, multiplies, loads/stores (all addressing modes), LDM/STM, branches, SWP,
 * SWI/BKPT and coprocessor register transfers. Semantics from the ARM ARM (DDI 0100I)
 * chapters A3-A5; cycle costs from the model's vt_arm_timing. */
#include "core/cpu/arm/arm_handlers.h"

#include "core/log.h"

/* ---- data processing ---- */

void vt_arm_dp_op(vt_arm_cpu *c, unsigned op, bool s, unsigned rd, uint32_t a, uint32_t b,
                  uint32_t shc) {
    arm_dp_op(c, op, s, rd, a, b, shc);
}

void vt_arm_i_dp_imm(vt_arm_cpu *c, uint32_t insn) {
    unsigned rot = BITS(insn, 11, 8) * 2;
    uint32_t imm = BITS(insn, 7, 0);
    uint32_t b = rot ? (imm >> rot | imm << (32 - rot)) : imm;
    uint32_t shc = rot ? b >> 31 : c->c;
    c->base.cycles += c->t.dp;
    arm_dp_op(c, BITS(insn, 24, 21), BIT(insn, 20), BITS(insn, 15, 12), c->r[BITS(insn, 19, 16)], b,
              shc);
}

void vt_arm_i_dp_reg(vt_arm_cpu *c, uint32_t insn) {
    uint32_t shc;
    uint32_t b = arm_shift_imm(c, c->r[insn & 15], BITS(insn, 6, 5), BITS(insn, 11, 7), &shc);
    c->base.cycles += c->t.dp;
    arm_dp_op(c, BITS(insn, 24, 21), BIT(insn, 20), BITS(insn, 15, 12), c->r[BITS(insn, 19, 16)], b,
              shc);
}

void vt_arm_i_dp_rsr(vt_arm_cpu *c, uint32_t insn) {
    /* with a register-specified shift the PC reads 12 ahead (A5.1.5) */
    unsigned rm = insn & 15, rn = BITS(insn, 19, 16);
    uint32_t vm = c->r[rm] + (rm == 15 ? 4 : 0), vn = c->r[rn] + (rn == 15 ? 4 : 0);
    uint32_t shc;
    uint32_t b = arm_shift_reg(c, vm, BITS(insn, 6, 5), c->r[BITS(insn, 11, 8)], &shc);
    c->base.cycles += c->t.dp_regshift;
    arm_dp_op(c, BITS(insn, 24, 21), BIT(insn, 20), BITS(insn, 15, 12), vn, b, shc);
}

/* ---- PSR transfers ---- */

void vt_arm_i_mrs(vt_arm_cpu *c, uint32_t insn) {
    c->base.cycles += c->t.dp;
    arm_wr(c, BITS(insn, 15, 12), BIT(insn, 22) ? c->spsr : vt_arm_get_cpsr(c));
}

static void msr_common(vt_arm_cpu *c, uint32_t insn, uint32_t v) {
    uint32_t mask = 0;
    for (unsigned i = 0; i < 4; i++)
        if (BIT(insn, 16 + i)) mask |= 0xffu << (8 * i);
    unsigned mode = c->cpsr_ctl & 0x1f;
    bool priv = mode != VT_ARM_MODE_USR;
    c->base.cycles += c->t.dp;
    if (BIT(insn, 22)) {
        if (mode != VT_ARM_MODE_USR && mode != VT_ARM_MODE_SYS)
            c->spsr = (c->spsr & ~mask) | (v & mask);
        return;
    }
    uint32_t allowed = 0xf8000000u;                        /* NZCVQ */
    if (c->features & VT_ARM_F_V6) allowed |= 0x000f0200u; /* GE, E */
    if (priv) allowed |= 0x000001dfu; /* A, I, F, mode (T is not writable by MSR) */
    mask &= allowed;
    vt_arm_set_cpsr(c, (vt_arm_get_cpsr(c) & ~mask) | (v & mask));
}

void vt_arm_i_msr_reg(vt_arm_cpu *c, uint32_t insn) {
    msr_common(c, insn, c->r[insn & 15]);
}

void vt_arm_i_msr_imm(vt_arm_cpu *c, uint32_t insn) {
    unsigned rot = BITS(insn, 11, 8) * 2;
    uint32_t imm = BITS(insn, 7, 0);
    msr_common(c, insn, rot ? (imm >> rot | imm << (32 - rot)) : imm);
}

/* ---- multiplies ---- */

void vt_arm_i_mul(vt_arm_cpu *c, uint32_t insn) {
    uint32_t r = c->r[insn & 15] * c->r[BITS(insn, 11, 8)];
    if (BIT(insn, 21)) r += c->r[BITS(insn, 15, 12)];
    if (BIT(insn, 20)) arm_set_nz(c, r);
    c->base.cycles += c->t.mul;
    arm_wr(c, BITS(insn, 19, 16), r);
}

void vt_arm_i_mull(vt_arm_cpu *c, uint32_t insn) {
    unsigned hi = BITS(insn, 19, 16), lo = BITS(insn, 15, 12);
    uint64_t r;
    if (BIT(insn, 22))
        r = (uint64_t)((int64_t)(int32_t)c->r[insn & 15] * (int32_t)c->r[BITS(insn, 11, 8)]);
    else
        r = (uint64_t)c->r[insn & 15] * c->r[BITS(insn, 11, 8)];
    if (BIT(insn, 21)) r += (uint64_t)c->r[hi] << 32 | c->r[lo];
    if (BIT(insn, 20)) {
        c->n = (uint32_t)(r >> 63);
        c->z = r == 0;
    }
    c->base.cycles += c->t.mul_long;
    arm_wr(c, lo, (uint32_t)r);
    arm_wr(c, hi, (uint32_t)(r >> 32));
}

void vt_arm_i_umaal(vt_arm_cpu *c, uint32_t insn) {
    unsigned hi = BITS(insn, 19, 16), lo = BITS(insn, 15, 12);
    uint64_t r = (uint64_t)c->r[insn & 15] * c->r[BITS(insn, 11, 8)] + c->r[hi] + c->r[lo];
    c->base.cycles += c->t.mul_long;
    arm_wr(c, lo, (uint32_t)r);
    arm_wr(c, hi, (uint32_t)(r >> 32));
}

/* ---- loads and stores ---- */

void vt_arm_i_ldst(vt_arm_cpu *c, uint32_t insn) {
    arm_ldst(c, insn, BIT(insn, 25), BIT(insn, 24), BIT(insn, 23), BIT(insn, 22), BIT(insn, 21),
             BIT(insn, 20));
}

void vt_arm_i_ldst_x(vt_arm_cpu *c, uint32_t insn) {
    arm_ldst_x(c, insn, BIT(insn, 24), BIT(insn, 23), BIT(insn, 22), BIT(insn, 21), BIT(insn, 20),
               BITS(insn, 6, 5));
}

/* Host pointer to a whole aligned block of n words when one cached page holds it (then no
 * access in it can fault), else NULL. */
static inline uint8_t *block_ptr(vt_arm_cpu *c, uint32_t addr, unsigned n, vt_access a) {
    if (!n || (addr & 3) || (addr >> 12) != ((addr + 4 * n - 1) >> 12)) return NULL;
    return vt_tlb_lookup(&c->tlb, addr, a);
}

void vt_arm_ldm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank, bool psr) {
    addr = vt_arm_word_addr(c, addr, false);
    unsigned n = arm_popcount(list), mode = c->cpsr_ctl & 0x1f;
    bool swap = user_bank && mode != VT_ARM_MODE_USR && mode != VT_ARM_MODE_SYS;
    const uint8_t *h = block_ptr(c, addr, n, VT_ACCESS_READ);
    uint32_t pc_val = 0;
    if (h && !swap) {
        /* one cached page holds the block, so no load can fault: straight into registers */
        for (uint32_t l = list & 0x7fff; l; l &= l - 1, h += 4)
            c->r[__builtin_ctz(l)] = load_le32(h);
        if (list & 0x8000) pc_val = load_le32(h);
    } else {
        uint32_t vals[16];
        unsigned k = 0;
        for (uint32_t l = list; l; l &= l - 1, k++) {
            unsigned i = (unsigned)__builtin_ctz(l);
            vals[i] = h ? load_le32(h + 4 * k) : vt_arm_ld32(c, addr + 4 * k);
        }
        if (swap) vt_arm_switch_mode(c, VT_ARM_MODE_USR);
        for (uint32_t l = list & 0x7fff; l; l &= l - 1) {
            unsigned i = (unsigned)__builtin_ctz(l);
            c->r[i] = vals[i];
        }
        if (swap) vt_arm_switch_mode(c, mode);
        if (list & 0x8000) pc_val = vals[15];
    }
    c->base.cycles += c->t.ldm_base + n * c->t.per_reg;
    if (list & 0x8000) {
        if (psr && mode != VT_ARM_MODE_USR && mode != VT_ARM_MODE_SYS) {
            vt_arm_set_cpsr(c, c->spsr);
            c->next_pc = pc_val & (c->thumb ? ~1u : ~3u);
            c->base.cycles += c->t.ldr_pc;
        } else {
            arm_wr_load(c, 15, pc_val);
        }
    }
}

void vt_arm_stm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank) {
    addr = vt_arm_word_addr(c, addr, true);
    unsigned n = arm_popcount(list), mode = c->cpsr_ctl & 0x1f;
    bool swap = user_bank && mode != VT_ARM_MODE_USR && mode != VT_ARM_MODE_SYS;
    uint8_t *h = block_ptr(c, addr, n, VT_ACCESS_WRITE);
    if (h && !swap) {
        /* no store can fault: straight from the registers */
        for (uint32_t l = list; l; l &= l - 1, h += 4)
            store_le32(h, c->r[__builtin_ctz(l)]);
        c->base.cycles += c->t.stm_base + n * c->t.per_reg;
        return;
    }
    uint32_t vals[16];
    if (swap) vt_arm_switch_mode(c, VT_ARM_MODE_USR);
    memcpy(vals, c->r, sizeof vals);
    if (swap) vt_arm_switch_mode(c, mode);
    unsigned k = 0;
    for (uint32_t l = list; l; l &= l - 1, k++) {
        unsigned i = (unsigned)__builtin_ctz(l);
        if (h)
            store_le32(h + 4 * k, vals[i]);
        else
            vt_arm_st32(c, addr + 4 * k, vals[i]);
    }
    c->base.cycles += c->t.stm_base + n * c->t.per_reg;
}

void vt_arm_i_ldm_stm(vt_arm_cpu *c, uint32_t insn) {
    unsigned rn = BITS(insn, 19, 16);
    uint32_t list = insn & 0xffff;
    unsigned n = arm_popcount(list);
    bool p = BIT(insn, 24), u = BIT(insn, 23), s = BIT(insn, 22), w = BIT(insn, 21);
    uint32_t base = c->r[rn];
    uint32_t start = u ? base + (p ? 4 : 0) : base - 4 * n + (p ? 0 : 4);
    uint32_t newbase = u ? base + 4 * n : base - 4 * n;
    if (BIT(insn, 20)) {
        bool pc = (list & 0x8000) != 0;
        /* every load happens before any register changes, so a fault leaves the base
         * intact; a base in the list gets the loaded value */
        vt_arm_ldm(c, start, list, s && !pc, s && pc);
        if (w && !(list & (1u << rn))) c->r[rn] = newbase;
    } else {
        vt_arm_stm(c, start, list, s);
        if (w) arm_wr(c, rn, newbase);
    }
}

void vt_arm_i_swp(vt_arm_cpu *c, uint32_t insn) {
    uint32_t addr = c->r[BITS(insn, 19, 16)], v = c->r[insn & 15];
    uint32_t old;
    if (BIT(insn, 22)) {
        old = vt_arm_ld8(c, addr);
        vt_arm_st8(c, addr, v);
    } else {
        old = vt_arm_ldr_word(c, addr);
        vt_arm_st32(c, addr & ~3u, v);
    }
    c->base.cycles += c->t.swp;
    arm_wr(c, BITS(insn, 15, 12), old);
}

void vt_arm_i_ldrex(vt_arm_cpu *c, uint32_t insn) {
    uint32_t addr = vt_arm_word_addr(c, c->r[BITS(insn, 19, 16)], false);
    uint32_t v = vt_arm_ld32(c, addr);
    c->excl_valid = true;
    c->excl_addr = addr;
    c->base.cycles += c->t.ldr;
    arm_wr(c, BITS(insn, 15, 12), v);
}

void vt_arm_i_strex(vt_arm_cpu *c, uint32_t insn) {
    uint32_t addr = vt_arm_word_addr(c, c->r[BITS(insn, 19, 16)], true);
    uint32_t fail = 1;
    if (c->excl_valid && c->excl_addr == addr) {
        vt_arm_st32(c, addr, c->r[insn & 15]);
        fail = 0;
    }
    c->excl_valid = false;
    c->base.cycles += c->t.str;
    arm_wr(c, BITS(insn, 15, 12), fail);
}

/* ---- branches ---- */

void vt_arm_i_b(vt_arm_cpu *c, uint32_t insn) {
    uint32_t off = (uint32_t)((int32_t)(insn << 8) >> 6);
    if (BIT(insn, 24)) c->r[14] = c->cur_pc + 4;
    c->base.cycles += c->t.branch;
    c->next_pc = c->r[15] + off;
}

void vt_arm_i_blx_imm(vt_arm_cpu *c, uint32_t insn) {
    uint32_t off = (uint32_t)((int32_t)(insn << 8) >> 6) + (BIT(insn, 24) << 1);
    c->r[14] = c->cur_pc + 4;
    c->base.cycles += c->t.branch;
    vt_arm_branch(c, (c->r[15] + off) | 1, true);
}

void vt_arm_i_bx(vt_arm_cpu *c, uint32_t insn) {
    uint32_t target = c->r[insn & 15];
    if (BIT(insn, 5)) c->r[14] = c->cur_pc + 4;
    c->base.cycles += c->t.branch;
    vt_arm_branch(c, target, true);
}

void vt_arm_i_clz(vt_arm_cpu *c, uint32_t insn) {
    uint32_t v = c->r[insn & 15];
    c->base.cycles += c->t.dp;
    arm_wr(c, BITS(insn, 15, 12), v ? (uint32_t)__builtin_clz(v) : 32);
}

/* ---- exceptions and coprocessors ---- */

void vt_arm_swi(vt_arm_cpu *c, uint32_t insn) {
    VT_UNUSED(insn);
    c->base.cycles += c->t.swi_exc;
    vt_arm_raise(c, VT_ARM_EXC_SWI, 0);
}

void vt_arm_bkpt(vt_arm_cpu *c, uint32_t insn) {
    VT_UNUSED(insn);
    c->base.cycles += c->t.swi_exc;
    vt_arm_raise(c, VT_ARM_EXC_BKPT, c->cur_pc);
}

void vt_arm_i_mrc_mcr(vt_arm_cpu *c, uint32_t insn) {
    unsigned cp = BITS(insn, 11, 8), rd = BITS(insn, 15, 12);
    unsigned op1 = BITS(insn, 23, 21), crn = BITS(insn, 19, 16), crm = insn & 15,
             op2 = BITS(insn, 7, 5);
    c->base.cycles += c->t.cp;
    vt_arm_forget_code_page(c); /* CP15 writes flush or remap the TLB */
    if (BIT(insn, 20)) {
        uint32_t v;
        if (!c->hooks.cp_read || c->hooks.cp_read(c->base.env, c, cp, op1, crn, crm, op2, &v))
            vt_arm_undefined(c, insn);
        if (rd == 15) {
            c->n = v >> 31;
            c->z = (v >> 30) & 1;
            c->c = (v >> 29) & 1;
            c->v = (v >> 28) & 1;
        } else {
            c->r[rd] = v;
        }
    } else {
        if (!c->hooks.cp_write ||
            c->hooks.cp_write(c->base.env, c, cp, op1, crn, crm, op2, c->r[rd]))
            vt_arm_undefined(c, insn);
    }
}

/* ARM1136 block cache operations by address range (ARM1136JF-S TRM, "c7, Cache Operations
 * Register": MCRR p15, 0, Rend, Rstart, CRm): c5 invalidate I, c6 invalidate D, c12 clean D,
 * c14 clean and invalidate D. The core models no caches (decoded code follows writes), so
 * they only cost cycles; other CRm values are UNDEFINED. */
void vt_arm_i_cp15_range(vt_arm_cpu *c, uint32_t insn) {
    unsigned crm = insn & 15;
    if (crm != 5 && crm != 6 && crm != 12 && crm != 14) vt_arm_undefined(c, insn);
    c->base.cycles += c->t.cp;
}

void vt_arm_i_undef(vt_arm_cpu *c, uint32_t insn) {
    vt_arm_undefined(c, insn);
}

void vt_arm_i_nop(vt_arm_cpu *c, uint32_t insn) {
    VT_UNUSED(insn);
    c->base.cycles += c->t.dp;
}
