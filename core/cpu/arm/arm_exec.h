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
    if (__builtin_expect(e->insn == insn && e->fn != NULL, 1)) return e->fn;
    return vt_arm_decode_fill(c, pc, insn);
}
const vt_arm_insn_desc *vt_arm_decode_const(const vt_arm_cpu *c, uint32_t insn);
const vt_arm_insn_desc *vt_thumb_decode(const vt_arm_cpu *c, uint32_t insn);
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
        c->base.cycles += c->t->pc_write;
    } else {
        c->r[n] = v;
    }
}
/* Load into a register: r15 interworks on v5+ (ARM ARM A4.1.23). */
static inline void arm_wr_load(vt_arm_cpu *c, unsigned n, uint32_t v) {
    if (n == 15) {
        vt_arm_branch(c, v, (c->features & VT_ARM_F_V5) != 0);
        c->base.cycles += c->t->ldr_pc;
    } else {
        c->r[n] = v;
    }
}

static inline bool arm_cond(const vt_arm_cpu *c, unsigned cond) {
    switch (cond) {
    case 0x0:
        return c->z;
    case 0x1:
        return !c->z;
    case 0x2:
        return c->c;
    case 0x3:
        return !c->c;
    case 0x4:
        return c->n;
    case 0x5:
        return !c->n;
    case 0x6:
        return c->v;
    case 0x7:
        return !c->v;
    case 0x8:
        return c->c && !c->z;
    case 0x9:
        return !c->c || c->z;
    case 0xa:
        return c->n == c->v;
    case 0xb:
        return c->n != c->v;
    case 0xc:
        return !c->z && c->n == c->v;
    case 0xd:
        return c->z || c->n != c->v;
    default:
        return true;
    }
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
        c->base.cycles += c->t->pc_write;
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
/* LDM/STM core shared by ARM and Thumb PUSH/POP (addresses already computed). */
void vt_arm_ldm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank, bool psr);
void vt_arm_stm(vt_arm_cpu *c, uint32_t addr, uint32_t list, bool user_bank);

#endif
