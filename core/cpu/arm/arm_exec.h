/* Internal helpers shared by the ARM and Thumb executors: the instruction description
 * table type (one list drives decode and disassembly), register access with PC semantics,
 * condition codes, the barrel shifter and flag helpers (ARM ARM A3, A5.1). */
#ifndef VT_ARM_EXEC_H
#define VT_ARM_EXEC_H

#include "core/cpu/arm/arm_cpu.h"
#include "core/cpu/arm/arm_mem.h"

/* One encoding: matches when (insn & mask) == value and the model has `features`.
 * `fmt` is the disassembly template (arm_disasm.c documents the % codes). */
typedef struct vt_arm_insn_desc {
    uint32_t mask, value;
    unsigned features;
    vt_arm_handler fn;
    const char *fmt;
} vt_arm_insn_desc;

extern const vt_arm_insn_desc vt_arm_insns[]; /* conditional space (cond != 0xF) */
extern const size_t vt_arm_insns_count;
extern const vt_arm_insn_desc vt_arm_uncond_insns[]; /* cond == 0xF */
extern const size_t vt_arm_uncond_insns_count;
extern const vt_arm_insn_desc vt_thumb_insns[];
extern const size_t vt_thumb_insns_count;

/* Finds the description of an instruction for this model (NULL: undefined). */
vt_arm_handler vt_arm_decode_fill(vt_arm_cpu *c, uint32_t pc, uint32_t insn);
/* A faster equivalent of handler fn for this particular instruction (arm_exec.c). */
vt_arm_handler vt_arm_specialize(vt_arm_handler fn, uint32_t insn);
/* The handler of the instruction at pc, through the cache slot of this address; the slot
 * also holds the instruction word, so code rewritten since is simply decoded again. */
static inline vt_arm_handler vt_arm_decode(vt_arm_cpu *c, uint32_t pc, uint32_t insn) {
    struct vt_arm_dcache_entry *e = &c->dcache[(pc >> 2) & (VT_ARM_DCACHE_SIZE - 1)];
    if (__builtin_expect(e->insn == insn, 1)) return e->fn;
    return vt_arm_decode_fill(c, pc, insn);
}
const vt_arm_insn_desc *vt_arm_decode_const(const vt_arm_cpu *c, uint32_t insn);
static inline const vt_arm_insn_desc *vt_thumb_decode(const vt_arm_cpu *c, uint32_t insn) {
    return &vt_thumb_insns[c->thumb_index[insn & 0xffff]];
}
int vt_arm_decode_init(vt_arm_cpu *c, vt_error *err) VT_MUST_CHECK;
void vt_arm_decode_free(vt_arm_cpu *c);

/* Population count without a libgcc call (no -mpopcnt in the build flags). */
static inline unsigned arm_popcount(uint32_t v) {
    v = v - ((v >> 1) & 0x55555555u);
    v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
    return (((v + (v >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}

#define BIT(x, n) (((x) >> (n)) & 1u)
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))

/* Register write; r15 branches (no interworking, as for ARMv4 data processing). */
static inline void arm_wr(vt_arm_cpu *c, unsigned n, uint32_t v) {
    if (n == 15) {
        c->next_pc = v & (c->thumb ? ~1u : ~3u);
        c->base.cycles += c->t.pc_write;
    } else {
        c->r[n] = v;
    }
}
/* Load into a register: r15 interworks on v5+ (ARM ARM A4.1.23). */
static inline void arm_wr_load(vt_arm_cpu *c, unsigned n, uint32_t v) {
    if (n == 15) {
        vt_arm_branch(c, v, (c->features & VT_ARM_F_V5) != 0);
        c->base.cycles += c->t.ldr_pc;
    } else {
        c->r[n] = v;
    }
}

/* Condition table: bit f of arm_cond_pass[cond] says whether cond holds when the flags are
 * f = NZCV (ARM ARM A3.2.1); AL and the 0xF space always pass. A table lookup instead of a
 * switch keeps conditional execution free of an indirect, badly predicted jump. */
#define ARM_F_N(f) ((f) >> 3 & 1)
#define ARM_F_Z(f) ((f) >> 2 & 1)
#define ARM_F_C(f) ((f) >> 1 & 1)
#define ARM_F_V(f) ((f)&1)
#define ARM_COND_EQ(f) ARM_F_Z(f)
#define ARM_COND_NE(f) !ARM_F_Z(f)
#define ARM_COND_CS(f) ARM_F_C(f)
#define ARM_COND_CC(f) !ARM_F_C(f)
#define ARM_COND_MI(f) ARM_F_N(f)
#define ARM_COND_PL(f) !ARM_F_N(f)
#define ARM_COND_VS(f) ARM_F_V(f)
#define ARM_COND_VC(f) !ARM_F_V(f)
#define ARM_COND_HI(f) (ARM_F_C(f) && !ARM_F_Z(f))
#define ARM_COND_LS(f) (!ARM_F_C(f) || ARM_F_Z(f))
#define ARM_COND_GE(f) (ARM_F_N(f) == ARM_F_V(f))
#define ARM_COND_LT(f) (ARM_F_N(f) != ARM_F_V(f))
#define ARM_COND_GT(f) (!ARM_F_Z(f) && ARM_F_N(f) == ARM_F_V(f))
#define ARM_COND_LE(f) (ARM_F_Z(f) || ARM_F_N(f) != ARM_F_V(f))
#define ARM_COND_AL(f) 1
#define ARM_COND_MASK(p)                                                                           \
    (uint16_t)(p(0) << 0 | p(1) << 1 | p(2) << 2 | p(3) << 3 | p(4) << 4 | p(5) << 5 | p(6) << 6 | \
               p(7) << 7 | p(8) << 8 | p(9) << 9 | p(10) << 10 | p(11) << 11 | p(12) << 12 |       \
               p(13) << 13 | p(14) << 14 | p(15) << 15)
static const uint16_t arm_cond_pass[16] = {
    ARM_COND_MASK(ARM_COND_EQ), ARM_COND_MASK(ARM_COND_NE), ARM_COND_MASK(ARM_COND_CS),
    ARM_COND_MASK(ARM_COND_CC), ARM_COND_MASK(ARM_COND_MI), ARM_COND_MASK(ARM_COND_PL),
    ARM_COND_MASK(ARM_COND_VS), ARM_COND_MASK(ARM_COND_VC), ARM_COND_MASK(ARM_COND_HI),
    ARM_COND_MASK(ARM_COND_LS), ARM_COND_MASK(ARM_COND_GE), ARM_COND_MASK(ARM_COND_LT),
    ARM_COND_MASK(ARM_COND_GT), ARM_COND_MASK(ARM_COND_LE), ARM_COND_MASK(ARM_COND_AL),
    ARM_COND_MASK(ARM_COND_AL),
};

static inline bool arm_cond(const vt_arm_cpu *c, unsigned cond) {
    unsigned f = c->n << 3 | c->z << 2 | c->c << 1 | c->v;
    return (arm_cond_pass[cond & 15] >> f) & 1;
}

static inline void arm_set_nz(vt_arm_cpu *c, uint32_t r) {
    c->n = r >> 31;
    c->z = r == 0;
}

static inline uint32_t arm_add_flags(vt_arm_cpu *c, uint32_t a, uint32_t b, uint32_t carry) {
    uint64_t r = (uint64_t)a + b + carry;
    uint32_t r32 = (uint32_t)r;
    arm_set_nz(c, r32);
    c->c = (uint32_t)(r >> 32);
    c->v = ((~(a ^ b) & (a ^ r32)) >> 31) & 1;
    return r32;
}

/* Shift by an immediate amount (A5.1.4-A5.1.13); type 0 LSL 1 LSR 2 ASR 3 ROR/RRX. */
static inline uint32_t arm_shift_imm(const vt_arm_cpu *c, uint32_t v, unsigned type, unsigned amt,
                                     uint32_t *carry) {
    switch (type) {
    case 0:
        if (!amt) {
            *carry = c->c;
            return v;
        }
        *carry = (v >> (32 - amt)) & 1;
        return v << amt;
    case 1:
        if (!amt) {
            *carry = v >> 31;
            return 0;
        }
        *carry = (v >> (amt - 1)) & 1;
        return v >> amt;
    case 2:
        if (!amt) {
            *carry = v >> 31;
            return (uint32_t)((int32_t)v >> 31);
        }
        *carry = (v >> (amt - 1)) & 1;
        return (uint32_t)((int32_t)v >> amt);
    default:
        if (!amt) {
            *carry = v & 1;
            return (c->c << 31) | (v >> 1);
        }
        *carry = (v >> (amt - 1)) & 1;
        return v >> amt | v << (32 - amt);
    }
}

/* Shift by a register amount (bottom byte of Rs). */
static inline uint32_t arm_shift_reg(const vt_arm_cpu *c, uint32_t v, unsigned type, unsigned amt,
                                     uint32_t *carry) {
    amt &= 0xff;
    if (!amt) {
        *carry = c->c;
        return v;
    }
    switch (type) {
    case 0:
        if (amt < 32) {
            *carry = (v >> (32 - amt)) & 1;
            return v << amt;
        }
        *carry = amt == 32 ? (v & 1) : 0;
        return 0;
    case 1:
        if (amt < 32) {
            *carry = (v >> (amt - 1)) & 1;
            return v >> amt;
        }
        *carry = amt == 32 ? (v >> 31) : 0;
        return 0;
    case 2:
        if (amt < 32) {
            *carry = (v >> (amt - 1)) & 1;
            return (uint32_t)((int32_t)v >> amt);
        }
        *carry = v >> 31;
        return (uint32_t)((int32_t)v >> 31);
    default:
        amt &= 31;
        if (!amt) {
            *carry = v >> 31;
            return v;
        }
        *carry = (v >> (amt - 1)) & 1;
        return v >> amt | v << (32 - amt);
    }
}

/* Signed saturation to `bits` (1..32) bits; sets *sat when clamped. */
static inline int32_t arm_ssat(int64_t v, unsigned bits, bool *sat) {
    int64_t max = ((int64_t)1 << (bits - 1)) - 1, min = -((int64_t)1 << (bits - 1));
    if (v > max) {
        *sat = true;
        return (int32_t)max;
    }
    if (v < min) {
        *sat = true;
        return (int32_t)min;
    }
    return (int32_t)v;
}
static inline uint32_t arm_usat(int64_t v, unsigned bits, bool *sat) {
    int64_t max = ((int64_t)1 << bits) - 1;
    if (v > max) {
        *sat = true;
        return (uint32_t)max;
    }
    if (v < 0) {
        *sat = true;
        return 0;
    }
    return (uint32_t)v;
}

/* Data-processing operation (opcode as in ARM bits 24:21), inlined into the ARM handlers;
 * vt_arm_dp_op is the out-of-line copy the Thumb handlers share. */
static inline __attribute__((always_inline)) void
arm_dp_op(vt_arm_cpu *c, unsigned op, bool s, unsigned rd, uint32_t a, uint32_t b, uint32_t shc) {
    uint32_t r;
    bool logical = false, write = true;
    switch (op) {
    case 0x0:
        r = a & b;
        logical = true;
        break;
    case 0x1:
        r = a ^ b;
        logical = true;
        break;
    case 0x2:
        r = s ? arm_add_flags(c, a, ~b, 1) : a - b;
        break;
    case 0x3:
        r = s ? arm_add_flags(c, b, ~a, 1) : b - a;
        break;
    case 0x4:
        r = s ? arm_add_flags(c, a, b, 0) : a + b;
        break;
    case 0x5:
        r = s ? arm_add_flags(c, a, b, c->c) : a + b + c->c;
        break;
    case 0x6:
        r = s ? arm_add_flags(c, a, ~b, c->c) : a - b - !c->c;
        break;
    case 0x7:
        r = s ? arm_add_flags(c, b, ~a, c->c) : b - a - !c->c;
        break;
    case 0x8:
        r = a & b;
        logical = true;
        write = false;
        break;
    case 0x9:
        r = a ^ b;
        logical = true;
        write = false;
        break;
    case 0xa:
        arm_add_flags(c, a, ~b, 1);
        r = 0;
        write = false;
        break;
    case 0xb:
        arm_add_flags(c, a, b, 0);
        r = 0;
        write = false;
        break;
    case 0xc:
        r = a | b;
        logical = true;
        break;
    case 0xd:
        r = b;
        logical = true;
        break;
    case 0xe:
        r = a & ~b;
        logical = true;
        break;
    default:
        r = ~b;
        logical = true;
        break;
    }
    if (s && rd == 15 && write) {
        /* exception return: CPSR <- SPSR (A4.1.xx "S bit with Rd = R15") */
        unsigned mode = c->cpsr_ctl & 0x1f;
        if (mode != VT_ARM_MODE_USR && mode != VT_ARM_MODE_SYS) vt_arm_set_cpsr(c, c->spsr);
        c->next_pc = r & (c->thumb ? ~1u : ~3u);
        c->base.cycles += c->t.pc_write;
        return;
    }
    if (s && logical) {
        arm_set_nz(c, r);
        c->c = shc;
    }
    if (write) arm_wr(c, rd, r);
}

void vt_arm_dp_op(vt_arm_cpu *c, unsigned op, bool s, unsigned rd, uint32_t a, uint32_t b,
                  uint32_t shc);
/* LDRH/STRH/LDRSB/LDRSH/LDRD/STRD (A5.3): p u imm w l = insn bits 24:20, sh = bits 6:5
 * (1..3); inlined like arm_ldst. */
static inline __attribute__((always_inline)) void
arm_ldst_x(vt_arm_cpu *c, uint32_t insn, bool p, bool u, bool imm, bool w, bool l, unsigned sh) {
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12);
    uint32_t off = imm ? (BITS(insn, 11, 8) << 4 | (insn & 15)) : c->r[insn & 15];
    uint32_t base = c->r[rn];
    uint32_t addr_off = u ? base + off : base - off;
    uint32_t addr = p ? addr_off : base;
    bool wb = !p || w;
    if (!l && sh != 1) {
        /* LDRD (sh 2) / STRD (sh 3), v5TE: Rd even */
        if (!(c->features & VT_ARM_F_DSP) || (rd & 1) || rd == 14) vt_arm_undefined(c, insn);
        addr = vt_arm_word_addr(c, addr, sh == 3);
        if (sh == 2) {
            uint32_t lo = vt_arm_ld32(c, addr), hi = vt_arm_ld32(c, addr + 4);
            if (wb) arm_wr(c, rn, addr_off);
            c->r[rd] = lo;
            c->r[rd + 1] = hi;
            c->base.cycles += c->t.ldr + 1;
        } else {
            vt_arm_st32(c, addr, c->r[rd]);
            vt_arm_st32(c, addr + 4, c->r[rd + 1]);
            if (wb) arm_wr(c, rn, addr_off);
            c->base.cycles += c->t.str + 1;
        }
        return;
    }
    if (l) {
        uint32_t v;
        if (sh == 1)
            v = vt_arm_ldrh(c, addr);
        else if (sh == 2)
            v = (uint32_t)(int32_t)(int8_t)vt_arm_ld8(c, addr);
        else
            v = (uint32_t)(int32_t)(int16_t)vt_arm_ldrh(c, addr);
        if (wb) arm_wr(c, rn, addr_off);
        c->base.cycles += c->t.ldr;
        arm_wr_load(c, rd, v);
    } else {
        vt_arm_strh(c, addr, c->r[rd]);
        if (wb) arm_wr(c, rn, addr_off);
        c->base.cycles += c->t.str;
    }
}

/* LDR/STR(B) (A5.2), bits i p u b w l = insn bits 25:20; inlined into the generic handler
 * and into the variants arm_specialize.c makes per constant bit combination. */
static inline __attribute__((always_inline)) void
arm_ldst(vt_arm_cpu *c, uint32_t insn, bool i, bool p, bool u, bool byte, bool w, bool l) {
    unsigned rn = BITS(insn, 19, 16), rd = BITS(insn, 15, 12);
    uint32_t carry;
    uint32_t off =
        i ? arm_shift_imm(c, c->r[insn & 15], BITS(insn, 6, 5), BITS(insn, 11, 7), &carry)
          : insn & 0xfff;
    uint32_t base = c->r[rn];
    uint32_t addr_off = u ? base + off : base - off;
    uint32_t addr = p ? addr_off : base;
    bool wb = !p || w;
    bool user = !p && w; /* LDRT/STRT/LDRBT/STRBT: user permissions */
    if (l) {
        uint32_t v = user   ? vt_arm_ldrt(c, addr, byte)
                     : byte ? vt_arm_ld8(c, addr)
                            : vt_arm_ldr_word(c, addr);
        if (wb) arm_wr(c, rn, addr_off);
        c->base.cycles += c->t.ldr;
        arm_wr_load(c, rd, v);
    } else {
        uint32_t v = c->r[rd];
        if (user)
            vt_arm_strt(c, addr, v, byte);
        else if (byte)
            vt_arm_st8(c, addr, v);
        else
            vt_arm_str_word(c, addr, v);
        c->base.cycles += c->t.str;
        if (wb) arm_wr(c, rn, addr_off);
    }
}

/* VFP register file at reset, and its "AVFP" save-state chunk (arm_vfp.c). */
struct vt_state_writer;
struct vt_state_reader;
void vt_arm_vfp_reset(vt_arm_cpu *c);
void vt_arm_vfp_save(const vt_arm_cpu *c, struct vt_state_writer *w);
int vt_arm_vfp_load(vt_arm_cpu *c, struct vt_state_reader *r) VT_MUST_CHECK;

/* LDM/STM core shared by ARM and Thumb PUSH/POP (addresses already computed). */
void vt_arm_ldm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank, bool psr);
void vt_arm_stm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank);

#endif
