/* x86 integer arithmetic executors: the eight ALU operations, INC/DEC/NOT/NEG, MUL/IMUL/
 * DIV/IDIV, shifts and rotates, SHLD/SHRD, bit tests and scans, XADD/CMPXCHG/CMPXCHG8B,
 * CMOVcc/SETcc, BSWAP, MOVZX/MOVSX and the flag instructions.
 * Facts: Intel SDM vol. 2 instruction pages (flag effects, count masking, #DE rules). */
#include "core/cpu/x86/x86_cpu.h"

/* op: 0 add 1 or 2 adc 3 sbb 4 and 5 sub 6 xor 7 cmp. Returns the result (cmp: unused).
 * Always inlined so the 32-bit forms below fold op and size to constants. */
static inline __attribute__((always_inline)) uint32_t alu(x86_cpu *c, unsigned op, unsigned size,
                                                          uint32_t a, uint32_t b) {
    uint32_t m = x86_mask(size), r;
    switch (op) {
    case 0:
        r = (a + b) & m;
        x86_lazy(c, CC_ADD, size, r, a, b);
        break;
    case 1:
        r = (a | b) & m;
        x86_lazy(c, CC_LOGIC, size, r, 0, 0);
        break;
    case 2:
        r = (a + b + x86_get_cf(c)) & m;
        x86_lazy(c, CC_ADC, size, r, a, b);
        break;
    case 3:
        r = (a - b - x86_get_cf(c)) & m;
        x86_lazy(c, CC_SBB, size, r, a, b);
        break;
    case 4:
        r = a & b & m;
        x86_lazy(c, CC_LOGIC, size, r, 0, 0);
        break;
    case 6:
        r = (a ^ b) & m;
        x86_lazy(c, CC_LOGIC, size, r, 0, 0);
        break;
    default:
        r = (a - b) & m;
        x86_lazy(c, CC_SUB, size, r, a, b);
        break;
    }
    return r;
}

static unsigned opsize_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

void h_alu(x86_cpu *c, x86_insn *i) {
    unsigned op = (i->opc >> 3) & 7, form = i->opc & 7;
    unsigned size = opsize_b(i);
    if (form == 4 || form == 5) {
        uint32_t r = alu(c, op, size, x86_get_reg(c, X86_EAX, size), i->imm);
        if (op != 7) x86_set_reg(c, X86_EAX, size, r);
    } else if (form < 2) { /* r/m op= reg */
        uint32_t a = x86_rm_read(c, i, size);
        uint32_t r = alu(c, op, size, a, x86_get_reg(c, i->reg, size));
        if (op != 7) x86_rm_write(c, i, size, r);
    } else {
        uint32_t r = alu(c, op, size, x86_get_reg(c, i->reg, size), x86_rm_read(c, i, size));
        if (op != 7) x86_set_reg(c, i->reg, size, r);
    }
}

/* The 32-bit "Ev,Gv", "Gv,Ev" and group 1 "Ev,Iz"/"Ev,Ibs" forms (a quarter of integer
 * code) with op and size constant: the same reads, flags record and writes as h_alu and
 * h_grp1. */
static inline __attribute__((always_inline)) void alu32(x86_cpu *c, x86_insn *i, unsigned op,
                                                        bool to_reg) {
    uint32_t rm = x86_rm_read(c, i, 4), reg = c->r[i->reg];
    if (to_reg) {
        uint32_t r = alu(c, op, 4, reg, rm);
        if (op != 7) c->r[i->reg] = r;
    } else {
        uint32_t r = alu(c, op, 4, rm, reg);
        if (op != 7) x86_rm_write(c, i, 4, r);
    }
}

#define ALU32(op)                                                                                  \
    static void alu32_to_rm_##op(x86_cpu *c, x86_insn *i) {                                        \
        alu32(c, i, op, false);                                                                    \
    }                                                                                              \
    static void alu32_to_reg_##op(x86_cpu *c, x86_insn *i) {                                       \
        alu32(c, i, op, true);                                                                     \
    }                                                                                              \
    static void alu32_imm_##op(x86_cpu *c, x86_insn *i) {                                          \
        uint32_t r = alu(c, op, 4, x86_rm_read(c, i, 4), i->imm);                                  \
        if (op != 7) x86_rm_write(c, i, 4, r);                                                     \
    }                                                                                              \
    _Static_assert(op < 8, "ALU operation")
ALU32(0);
ALU32(1);
ALU32(2);
ALU32(3);
ALU32(4);
ALU32(5);
ALU32(6);
ALU32(7);
#undef ALU32

x86_handler *x86_alu_fast(const x86_insn *i) {
    static x86_handler *const fast[8][3] = {
        {alu32_to_rm_0, alu32_to_reg_0, alu32_imm_0}, {alu32_to_rm_1, alu32_to_reg_1, alu32_imm_1},
        {alu32_to_rm_2, alu32_to_reg_2, alu32_imm_2}, {alu32_to_rm_3, alu32_to_reg_3, alu32_imm_3},
        {alu32_to_rm_4, alu32_to_reg_4, alu32_imm_4}, {alu32_to_rm_5, alu32_to_reg_5, alu32_imm_5},
        {alu32_to_rm_6, alu32_to_reg_6, alu32_imm_6}, {alu32_to_rm_7, alu32_to_reg_7, alu32_imm_7}};
    unsigned form = i->opc & 7;
    if (i->osize != 4) return NULL;
    if (i->opc == 0x81 || i->opc == 0x83) return fast[i->reg][2];
    if (i->opc >= 0x40 || (form != 1 && form != 3)) return NULL;
    return fast[i->opc >> 3][form == 3];
}

void h_grp1(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t a = x86_rm_read(c, i, size);
    uint32_t r = alu(c, i->reg, size, a, i->imm & x86_mask(size));
    if (i->reg != 7) x86_rm_write(c, i, size, r);
}

void h_test(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t a, b;
    if (i->opc >= 0xA8) {
        a = x86_get_reg(c, X86_EAX, size);
        b = i->imm;
    } else {
        a = x86_rm_read(c, i, size);
        b = x86_get_reg(c, i->reg, size);
    }
    alu(c, 4, size, a, b);
}

static uint32_t incdec(x86_cpu *c, unsigned size, uint32_t a, bool dec) {
    uint32_t cf = x86_get_cf(c) ? F_CF : 0;
    uint32_t r = (dec ? a - 1 : a + 1) & x86_mask(size);
    x86_lazy(c, dec ? CC_DEC : CC_INC, size, r, a, cf);
    return r;
}

void h_incdec_r(x86_cpu *c, x86_insn *i) {
    unsigned n = i->opc & 7;
    x86_set_reg(c, n, i->osize, incdec(c, i->osize, x86_get_reg(c, n, i->osize), i->opc >= 0x48));
}

void h_grp4(x86_cpu *c, x86_insn *i) {
    if (i->reg > 1) x86_raise_ud(c);
    x86_rm_write(c, i, 1, incdec(c, 1, x86_rm_read(c, i, 1), i->reg == 1));
}

/* Group 5 INC/DEC live here; the control transfers are in x86_exec_ctrl.c. */
void x86_grp5_incdec(x86_cpu *c, x86_insn *i);
void x86_grp5_incdec(x86_cpu *c, x86_insn *i) {
    x86_rm_write(c, i, i->osize, incdec(c, i->osize, x86_rm_read(c, i, i->osize), i->reg == 1));
}

static void muldiv(x86_cpu *c, x86_insn *i, unsigned size, uint32_t src) {
    uint32_t m = x86_mask(size);
    unsigned bits = size * 8;
    uint64_t acc;
    if (size == 1)
        acc = c->r[X86_EAX] & 0xFFFF;
    else if (size == 2)
        acc = (c->r[X86_EDX] & 0xFFFF) << 16 | (c->r[X86_EAX] & 0xFFFF);
    else
        acc = (uint64_t)c->r[X86_EDX] << 32 | c->r[X86_EAX];
    uint64_t lo, hi;
    /* P6 latencies (Intel P6 optimization manual appendix C): MUL/IMUL 4, DIV 17/25/41,
       IDIV 22/30/46 by operand size */
    static const uint8_t div_cost[2][5] = {{0, 17, 25, 0, 41}, {0, 22, 30, 0, 46}};
    c->cpu.cycles += i->reg < 6 ? 3u : div_cost[i->reg == 7][size];
    switch (i->reg) {
    case 4: { /* MUL */
        uint64_t p = (uint64_t)(c->r[X86_EAX] & m) * src;
        lo = p & m;
        hi = (p >> bits) & m;
        x86_set_arith(c, (hi ? F_CF | F_OF : 0) | x86_szp((uint32_t)lo, size));
        break;
    }
    case 5: { /* IMUL */
        int64_t p =
            (int64_t)(int32_t)x86_sext(c->r[X86_EAX] & m, size) * (int32_t)x86_sext(src, size);
        lo = (uint64_t)p & m;
        hi = ((uint64_t)p >> bits) & m;
        bool ovf = p != (int64_t)(int32_t)x86_sext((uint32_t)lo, size);
        x86_set_arith(c, (ovf ? F_CF | F_OF : 0) | x86_szp((uint32_t)lo, size));
        break;
    }
    case 6: { /* DIV */
        if (src == 0) x86_raise(c, EXC_DE, 0);
        uint64_t q = acc / src, r = acc % src;
        if (q > m) x86_raise(c, EXC_DE, 0);
        lo = q;
        hi = r;
        break;
    }
    default: { /* IDIV */
        if (src == 0) x86_raise(c, EXC_DE, 0);
        int64_t sa = size == 4 ? (int64_t)acc : (int64_t)(int32_t)x86_sext((uint32_t)acc, size * 2);
        int64_t sd = (int32_t)x86_sext(src, size);
        if (size == 4 && sa == INT64_MIN && sd == -1) x86_raise(c, EXC_DE, 0);
        int64_t q = sa / sd, r = sa % sd;
        int64_t qmax = (int64_t)(x86_sign(size)) - 1, qmin = -(int64_t)x86_sign(size);
        if (q > qmax || q < qmin) x86_raise(c, EXC_DE, 0);
        lo = (uint64_t)q & m;
        hi = (uint64_t)r & m;
        break;
    }
    }
    if (size == 1) {
        x86_set_reg(c, X86_EAX, 2, (uint32_t)(hi << 8 | lo));
    } else {
        x86_set_reg(c, X86_EAX, size, (uint32_t)lo);
        x86_set_reg(c, X86_EDX, size, (uint32_t)hi);
    }
}

void h_grp3(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t a = x86_rm_read(c, i, size);
    switch (i->reg) {
    case 0:
    case 1:
        alu(c, 4, size, a, i->imm);
        break;
    case 2:
        x86_rm_write(c, i, size, ~a & x86_mask(size));
        break;
    case 3: {
        uint32_t r = alu(c, 5, size, 0, a);
        x86_rm_write(c, i, size, r);
        break;
    }
    default:
        muldiv(c, i, size, a);
        break;
    }
}

static uint32_t imul(x86_cpu *c, unsigned size, uint32_t a, uint32_t b) {
    int64_t p = (int64_t)(int32_t)x86_sext(a, size) * (int32_t)x86_sext(b, size);
    uint32_t r = (uint32_t)p & x86_mask(size);
    bool ovf = p != (int64_t)(int32_t)x86_sext(r, size);
    x86_set_arith(c, (ovf ? F_CF | F_OF : 0) | x86_szp(r, size));
    return r;
}

void h_imul2(x86_cpu *c, x86_insn *i) {
    uint32_t b = x86_rm_read(c, i, i->osize);
    x86_set_reg(c, i->reg, i->osize, imul(c, i->osize, x86_get_reg(c, i->reg, i->osize), b));
}

void h_imul3(x86_cpu *c, x86_insn *i) {
    uint32_t a = x86_rm_read(c, i, i->osize);
    x86_set_reg(c, i->reg, i->osize, imul(c, i->osize, a, i->imm));
}

/* ---- shifts and rotates (group 2) ---- */
void h_grp2(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i), bits = size * 8;
    uint32_t m = x86_mask(size), sb = x86_sign(size);
    unsigned cnt;
    if (i->opc <= 0xC1)
        cnt = i->imm & 0x1F;
    else if (i->opc <= 0xD1)
        cnt = 1;
    else
        cnt = c->r[X86_ECX] & 0x1F;
    uint32_t a = x86_rm_read(c, i, size);
    if (cnt == 0) return; /* flags and operand untouched (the write still faults if needed) */
    /* rotates keep SF/ZF/AF/PF, shifts rewrite them: only rotates need the old flags */
    uint32_t f = i->reg < 4 ? x86_get_flags(c) & F_ARITH : 0, r = a;
    bool cf = i->reg < 4 ? (f & F_CF) != 0 : false;
    switch (i->reg) {
    case 0: { /* ROL */
        unsigned k = cnt % bits;
        r = k ? ((a << k) | (a >> (bits - k))) & m : a;
        cf = r & 1;
        f = (f & ~(F_CF | F_OF)) | (cf ? F_CF : 0) | ((!!(r & sb) ^ cf) ? F_OF : 0);
        break;
    }
    case 1: { /* ROR */
        unsigned k = cnt % bits;
        r = k ? ((a >> k) | (a << (bits - k))) & m : a;
        cf = (r & sb) != 0;
        f = (f & ~(F_CF | F_OF)) | (cf ? F_CF : 0) | ((!!(r & sb) ^ !!(r & (sb >> 1))) ? F_OF : 0);
        break;
    }
    case 2: { /* RCL through CF */
        unsigned k = size == 4 ? cnt : cnt % (bits + 1);
        for (unsigned n = 0; n < k; n++) {
            bool out = (r & sb) != 0;
            r = ((r << 1) | cf) & m;
            cf = out;
        }
        f = (f & ~(F_CF | F_OF)) | (cf ? F_CF : 0) | ((!!(r & sb) ^ cf) ? F_OF : 0);
        break;
    }
    case 3: { /* RCR */
        unsigned k = size == 4 ? cnt : cnt % (bits + 1);
        bool of = !!(a & sb) ^ cf; /* defined for a count of 1: MSB(dest) XOR CF before */
        for (unsigned n = 0; n < k; n++) {
            bool out = r & 1;
            r = (r >> 1) | (cf ? sb : 0);
            cf = out;
        }
        f = (f & ~(F_CF | F_OF)) | (cf ? F_CF : 0) | (of ? F_OF : 0);
        break;
    }
    case 4:
    case 6: { /* SHL/SAL */
        uint64_t w = (uint64_t)a << cnt;
        r = (uint32_t)w & m;
        cf = cnt <= bits ? (w >> bits) & 1 : 0;
        f = x86_szp(r, size) | (cf ? F_CF : 0) | ((!!(r & sb) ^ cf) ? F_OF : 0);
        break;
    }
    case 5: { /* SHR */
        r = cnt >= bits ? 0 : a >> cnt;
        cf = cnt <= bits ? (a >> (cnt - 1)) & 1 : 0;
        f = x86_szp(r, size) | (cf ? F_CF : 0) | ((a & sb) ? F_OF : 0);
        break;
    }
    default: { /* SAR */
        int32_t s = (int32_t)x86_sext(a, size);
        unsigned k = cnt >= bits ? bits - 1 : cnt;
        r = (uint32_t)(s >> k) & m;
        cf = cnt >= bits ? (a & sb) != 0 : (s >> (cnt - 1)) & 1;
        f = x86_szp(r, size) | (cf ? F_CF : 0);
        break;
    }
    }
    x86_rm_write(c, i, size, r);
    x86_set_arith(c, f);
}

void h_shd(x86_cpu *c, x86_insn *i) {
    unsigned size = i->osize, bits = size * 8;
    unsigned cnt = ((i->opc & 1) ? c->r[X86_ECX] : i->imm) & 0x1F;
    uint32_t a = x86_rm_read(c, i, size), b = x86_get_reg(c, i->reg, size);
    if (cnt == 0) return;
    uint32_t m = x86_mask(size), sb = x86_sign(size), r;
    bool cf;
    bool left = i->opc < 0x1AC;
    if (size == 4) {
        if (left) {
            uint64_t w = ((uint64_t)a << 32 | b) << cnt;
            r = (uint32_t)(w >> 32);
            cf = (a >> (32 - cnt)) & 1;
        } else {
            uint64_t w = ((uint64_t)b << 32 | a) >> cnt;
            r = (uint32_t)w;
            cf = (a >> (cnt - 1)) & 1;
        }
    } else {
        /* 16-bit: the 32-bit concatenation rotates for counts above 16 (what P6 does) */
        uint64_t w;
        if (left) {
            w = (uint64_t)a << 32 | (uint64_t)b << 16 | a;
            r = (uint32_t)(w >> (32 - cnt)) & m;
            cf = (w >> (48 - cnt)) & 1;
        } else {
            w = (uint64_t)a << 32 | (uint64_t)b << 16 | a;
            r = (uint32_t)(w >> cnt) & m;
            cf = (w >> (cnt - 1)) & 1;
        }
    }
    uint32_t f = x86_szp(r, size) | (cf ? F_CF : 0) | (((r ^ a) & sb) ? F_OF : 0);
    (void)bits;
    x86_rm_write(c, i, size, r);
    x86_set_arith(c, f);
}

/* ---- bit test / scan ---- */
void h_bt(x86_cpu *c, x86_insn *i) {
    unsigned size = i->osize, bits = size * 8;
    unsigned op; /* 0 bt 1 bts 2 btr 3 btc */
    int32_t off;
    if (i->opc == 0x1BA) {
        if (i->reg < 4) x86_raise_ud(c);
        op = i->reg - 4;
        off = (int32_t)(i->imm & (bits - 1));
    } else {
        op = (i->opc >> 3) & 3;
        off = (int32_t)x86_sext(x86_get_reg(c, i->reg, size), size);
    }
    uint32_t v, ea = i->ea;
    unsigned bit;
    if (i->mem) {
        if (i->opc != 0x1BA) {
            int32_t word = off >> (size == 4 ? 5 : 4);
            ea += (uint32_t)(word * (int32_t)size);
            if (i->asize == 2) ea &= 0xFFFF;
        }
        bit = (unsigned)off & (bits - 1);
        v = x86_read(c, i->seg, ea, size);
    } else {
        bit = (unsigned)off & (bits - 1);
        v = x86_get_reg(c, i->rm, size);
    }
    uint32_t f = x86_get_flags(c) & F_ARITH & ~F_CF;
    if ((v >> bit) & 1) f |= F_CF;
    if (op) {
        uint32_t nv = op == 1 ? v | 1u << bit : op == 2 ? v & ~(1u << bit) : v ^ 1u << bit;
        if (i->mem)
            x86_write(c, i->seg, ea, size, nv);
        else
            x86_set_reg(c, i->rm, size, nv);
    }
    x86_set_arith(c, f);
}

void h_bsf_bsr(x86_cpu *c, x86_insn *i) {
    uint32_t v = x86_rm_read(c, i, i->osize);
    uint32_t f = x86_get_flags(c) & F_ARITH & ~F_ZF;
    if (v == 0) {
        f |= F_ZF; /* destination left unchanged (undefined per SDM; what P6 and later do) */
    } else {
        unsigned n =
            i->opc == 0x1BC ? (unsigned)__builtin_ctz(v) : 31u - (unsigned)__builtin_clz(v);
        x86_set_reg(c, i->reg, i->osize, n);
    }
    x86_set_arith(c, f);
}

/* ---- exchange-and-op ---- */
void h_xadd(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t d = x86_rm_read(c, i, size), s = x86_get_reg(c, i->reg, size);
    if (i->mem) x86_probe_write(c, i->seg, i->ea, size);
    uint32_t r = alu(c, 0, size, d, s);
    x86_set_reg(c, i->reg, size, d);
    x86_rm_write(c, i, size, r);
}

void h_cmpxchg(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t d = x86_rm_read(c, i, size), acc = x86_get_reg(c, X86_EAX, size);
    if (i->mem) x86_probe_write(c, i->seg, i->ea, size);
    alu(c, 7, size, acc, d);
    if (acc == d) {
        x86_rm_write(c, i, size, x86_get_reg(c, i->reg, size));
    } else {
        if (i->mem) x86_rm_write(c, i, size, d); /* the locked cycle always writes back */
        x86_set_reg(c, X86_EAX, size, d);
    }
}

void h_cmpxchg8b(x86_cpu *c, x86_insn *i) {
    if (i->reg != 1 || !i->mem) x86_raise_ud(c);
    uint64_t m = x86_read64(c, i->seg, i->ea);
    uint64_t acc = (uint64_t)c->r[X86_EDX] << 32 | c->r[X86_EAX];
    uint32_t f = x86_get_flags(c) & F_ARITH & ~F_ZF;
    if (m == acc) {
        x86_write64(c, i->seg, i->ea, (uint64_t)c->r[X86_ECX] << 32 | c->r[X86_EBX]);
        f |= F_ZF;
    } else {
        x86_write64(c, i->seg, i->ea, m);
        c->r[X86_EAX] = (uint32_t)m;
        c->r[X86_EDX] = (uint32_t)(m >> 32);
    }
    x86_set_arith(c, f);
}

void h_cmov(x86_cpu *c, x86_insn *i) {
    uint32_t v = x86_rm_read(c, i, i->osize); /* the source is read (and may fault) always */
    if (x86_cond(c, i->opc & 0xF)) x86_set_reg(c, i->reg, i->osize, v);
}

void h_setcc(x86_cpu *c, x86_insn *i) {
    x86_rm_write(c, i, 1, x86_cond(c, i->opc & 0xF));
}

void h_bswap(x86_cpu *c, x86_insn *i) {
    unsigned n = i->opc & 7;
    /* with a 16-bit operand the result is undefined; P6 writes zero to the low word */
    if (i->osize == 2)
        x86_set_reg(c, n, 2, 0);
    else
        c->r[n] = __builtin_bswap32(c->r[n]);
}

void h_movx(x86_cpu *c, x86_insn *i) {
    unsigned ssize = (i->opc & 1) ? 2 : 1;
    uint32_t v = x86_rm_read(c, i, ssize);
    if (i->opc >= 0x1BE) v = x86_sext(v, ssize);
    x86_set_reg(c, i->reg, i->osize, v);
}

void h_cbw(x86_cpu *c, x86_insn *i) {
    if (i->osize == 2)
        x86_set_reg(c, X86_EAX, 2, x86_sext(c->r[X86_EAX] & 0xFF, 1));
    else
        c->r[X86_EAX] = x86_sext(c->r[X86_EAX] & 0xFFFF, 2);
}

void h_cwd(x86_cpu *c, x86_insn *i) {
    uint32_t s = c->r[X86_EAX] & x86_sign(i->osize);
    x86_set_reg(c, X86_EDX, i->osize, s ? 0xFFFFFFFFu : 0);
}

void h_sahf(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_set_flags(c, (c->r[X86_EAX] >> 8) & 0xFF, F_CF | F_PF | F_AF | F_ZF | F_SF);
}

void h_lahf(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_set_reg(c, 4, 1, (x86_get_flags(c) & 0xD7) | 2);
}

void h_salc(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_set_reg(c, X86_EAX, 1, x86_get_cf(c) ? 0xFF : 0);
}

/* ---- BCD (SDM pseudocode; OF/AF etc. as documented, undefined ones per P6 behaviour) ---- */
void h_daa(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    uint32_t f = x86_get_flags(c);
    uint32_t al = c->r[X86_EAX] & 0xFF, old = al;
    bool cf = f & F_CF, ncf = false, af = false;
    if ((al & 0xF) > 9 || (f & F_AF)) {
        ncf = cf || al + 6 > 0xFF;
        al = (al + 6) & 0xFF;
        af = true;
    }
    if (old > 0x99 || cf) {
        al = (al + 0x60) & 0xFF;
        ncf = true;
    } else {
        ncf = false;
    }
    x86_set_reg(c, X86_EAX, 1, al);
    x86_set_arith(c, x86_szp(al, 1) | (ncf ? F_CF : 0) | (af ? F_AF : 0) | (f & F_OF));
}

void h_das(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    uint32_t f = x86_get_flags(c);
    uint32_t al = c->r[X86_EAX] & 0xFF, old = al;
    bool cf = f & F_CF, ncf = false, af = false;
    if ((al & 0xF) > 9 || (f & F_AF)) {
        ncf = cf || al < 6;
        al = (al - 6) & 0xFF;
        af = true;
    }
    if (old > 0x99 || cf) {
        al = (al - 0x60) & 0xFF;
        ncf = true;
    }
    x86_set_reg(c, X86_EAX, 1, al);
    x86_set_arith(c, x86_szp(al, 1) | (ncf ? F_CF : 0) | (af ? F_AF : 0) | (f & F_OF));
}

static void aaa_aas(x86_cpu *c, bool sub) {
    uint32_t f = x86_get_flags(c);
    uint32_t ax = c->r[X86_EAX] & 0xFFFF;
    bool adj = (ax & 0xF) > 9 || (f & F_AF);
    if (adj) ax = sub ? ((ax - 6) & 0xFFFF) - 0x100 : ax + 0x106;
    ax &= 0xFF0F;
    x86_set_reg(c, X86_EAX, 2, ax);
    x86_set_arith(c, (f & ~(F_CF | F_AF)) | (adj ? F_CF | F_AF : 0));
}

void h_aaa(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    aaa_aas(c, false);
}
void h_aas(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    aaa_aas(c, true);
}

void h_aam(x86_cpu *c, x86_insn *i) {
    uint32_t base = i->imm & 0xFF;
    if (!base) x86_raise(c, EXC_DE, 0);
    uint32_t al = c->r[X86_EAX] & 0xFF;
    uint32_t ah = al / base, nal = al % base;
    x86_set_reg(c, X86_EAX, 2, ah << 8 | nal);
    x86_set_arith(c, x86_szp(nal, 1));
}

void h_aad(x86_cpu *c, x86_insn *i) {
    uint32_t base = i->imm & 0xFF;
    uint32_t al = ((c->r[X86_EAX] & 0xFF) + ((c->r[X86_EAX] >> 8) & 0xFF) * base) & 0xFF;
    x86_set_reg(c, X86_EAX, 2, al);
    x86_set_arith(c, x86_szp(al, 1));
}

/* CMC CLC STC CLI STI CLD STD */
void h_flagop(x86_cpu *c, x86_insn *i) {
    switch (i->opc) {
    case 0xF5:
        x86_set_flags(c, x86_get_flags(c) ^ F_CF, F_CF);
        break;
    case 0xF8:
        x86_set_flags(c, 0, F_CF);
        break;
    case 0xF9:
        x86_set_flags(c, F_CF, F_CF);
        break;
    case 0xFC:
        c->eflags &= ~F_DF;
        break;
    case 0xFD:
        c->eflags |= F_DF;
        break;
    default: { /* CLI/STI: IOPL-sensitive (SDM vol. 3 §20 for v8086) */
        unsigned iopl = (c->eflags >> 12) & 3;
        if (x86_pmode(c) && (x86_vm86(c) ? iopl < 3 : (unsigned)c->cpl > iopl))
            x86_raise(c, EXC_GP, 0);
        if (i->opc == 0xFA) {
            c->eflags &= ~F_IF;
        } else {
            if (!(c->eflags & F_IF)) c->intr_shadow = true;
            c->eflags |= F_IF;
        }
        break;
    }
    }
}
