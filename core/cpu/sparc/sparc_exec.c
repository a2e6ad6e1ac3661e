/* SPARC V8 integer-unit executor: branches with delay slots and annulment, arithmetic/logic
 * with condition codes, multiply/divide, tagged arithmetic, register windows (SAVE/RESTORE/
 * RETT), state registers, Ticc, FLUSH, loads/stores incl. alternate spaces, LDSTUB and SWAP.
 * Cycle costs come from the shared opcode table (sparc_ops.h).
 * Sources: SPARC Architecture Manual V8 ch. 5 (instructions) and appendix B (semantics). */
#include "core/cpu/sparc/sparc_cpu.h"
#include "core/cpu/sparc/sparc_ops.h"

#include "core/log.h"

static const uint8_t arith_cycles[64] = {
#define X(op3, name, cyc) [op3] = cyc,
    SPARC_ARITH_OPS(X)
#undef X
};
static const uint8_t mem_cycles[64] = {
#define X(op3, name, cyc) [op3] = cyc,
    SPARC_MEM_OPS(X)
#undef X
};

/* FBfcc: which fcc values (bit 0 E, 1 L, 2 G, 3 U) branch, by cond (V8 table 5-6). */
static const uint8_t fcc_taken[16] = {0x0, 0xe, 0x6, 0xa, 0x2, 0xc, 0x4, 0x8,
                                      0xf, 0x1, 0x9, 0x5, 0xd, 0x3, 0xb, 0x7};

static inline void advance(vt_sparc_cpu *s) {
    s->pc = s->npc;
    s->npc += 4;
}

#define COLD __attribute__((noinline, cold))
#define ALWAYS_INLINE inline __attribute__((always_inline))

static COLD unsigned trap(vt_sparc_cpu *s, unsigned tt) {
    vt_sparc_trap(s, tt);
    return 3; /* trap entry, approximate (see hwdocs) */
}

/* An encoding the microSPARC-II defines as illegal_instruction. */
static COLD unsigned illegal(vt_sparc_cpu *s) {
    return trap(s, SPARC_TT_ILLEGAL);
}

/* An encoding this model does not implement: trap as the guest would see it, and log. */
static COLD unsigned unimplemented(vt_sparc_cpu *s, uint32_t insn) {
    vt_log(VT_LOG_UNIMP, "unimplemented: sparc %08x at %08x", insn, s->pc);
    return trap(s, SPARC_TT_ILLEGAL);
}

static inline bool icc_cond(uint32_t psr, unsigned cond) {
    bool n = psr & PSR_N, z = psr & PSR_Z, v = psr & PSR_V, c = psr & PSR_C;
    bool r;
    switch (cond & 7) {
    case 0:
        r = false;
        break;
    case 1:
        r = z;
        break;
    case 2:
        r = z || (n != v);
        break;
    case 3:
        r = n != v;
        break;
    case 4:
        r = c || z;
        break;
    case 5:
        r = c;
        break;
    case 6:
        r = n;
        break;
    default:
        r = v;
        break;
    }
    return (cond & 8) ? !r : r;
}

static inline void set_icc(vt_sparc_cpu *s, uint32_t r, bool v, bool c) {
    uint32_t f = (r >> 31 ? PSR_N : 0) | (r == 0 ? PSR_Z : 0) | (v ? PSR_V : 0) | (c ? PSR_C : 0);
    s->psr = (s->psr & ~(PSR_N | PSR_Z | PSR_V | PSR_C)) | f;
}

static inline void add_cc(vt_sparc_cpu *s, uint32_t a, uint32_t b, uint32_t r) {
    set_icc(s, r, ((~(a ^ b) & (a ^ r)) >> 31) != 0, (((a & b) | ((a | b) & ~r)) >> 31) != 0);
}

static inline void sub_cc(vt_sparc_cpu *s, uint32_t a, uint32_t b, uint32_t r) {
    set_icc(s, r, (((a ^ b) & (a ^ r)) >> 31) != 0, (((~a & b) | ((~a | b) & r)) >> 31) != 0);
}

static ALWAYS_INLINE unsigned exec_branch(vt_sparc_cpu *s, uint32_t insn, bool taken,
                                          unsigned cond) {
    bool annul = (insn >> 29) & 1;
    uint32_t target = s->pc + (uint32_t)(((int32_t)(insn << 10)) >> 8);
    if (taken) {
        if (annul && cond == 8) { /* BA,a / FBA,a: the delay slot is annulled */
            s->pc = target;
            s->npc = target + 4;
            return 2;
        }
        s->pc = s->npc;
        s->npc = target;
        return 1;
    }
    if (annul) {
        s->pc = s->npc + 4;
        s->npc = s->npc + 8;
        return 2;
    }
    advance(s);
    return 1;
}

/* The executors below take the opcode fields the dispatch table already selected (op2, op3)
 * as parameters: every table entry inlines its own copy with the field constant, so the
 * switches fold away. */

static ALWAYS_INLINE unsigned exec_fmt2(vt_sparc_cpu *s, uint32_t insn, unsigned op2) {
    unsigned cond = (insn >> 25) & 0xf;
    switch (op2) {
    case 4: /* SETHI */
        sparc_set_reg(s, (insn >> 25) & 31, insn << 10);
        advance(s);
        return 1;
    case 2:
        return exec_branch(s, insn, icc_cond(s->psr, cond), cond);
    case 6: {
        if (!(s->psr & PSR_EF)) return trap(s, SPARC_TT_FP_DISABLED);
        unsigned fcc = (s->fsr >> FSR_FCC_SHIFT) & 3;
        return exec_branch(s, insn, (fcc_taken[cond] >> fcc) & 1, cond);
    }
    case 7:
        return trap(s, SPARC_TT_CP_DISABLED); /* no coprocessor on the MB86904 */
    default:
        return illegal(s); /* UNIMP and reserved op2 */
    }
}

static unsigned exec_save_restore(vt_sparc_cpu *s, unsigned rd, uint32_t value, bool save) {
    unsigned ncwp =
        save ? (s->cwp + SPARC_NWINDOWS - 1) % SPARC_NWINDOWS : (s->cwp + 1) % SPARC_NWINDOWS;
    if (s->wim & (1u << ncwp))
        return trap(s, save ? SPARC_TT_WIN_OVERFLOW : SPARC_TT_WIN_UNDERFLOW);
    vt_sparc_set_cwp(s, ncwp);
    sparc_set_reg(s, rd, value);
    advance(s);
    return 1;
}

static __attribute__((noinline)) unsigned exec_rett(vt_sparc_cpu *s, uint32_t target) {
    bool super = s->psr & PSR_S;
    if (s->psr & PSR_ET) return trap(s, super ? SPARC_TT_ILLEGAL : SPARC_TT_PRIVILEGED);
    /* With ET=0 every failure below is a trap in error mode (vt_sparc_trap handles it). */
    if (!super) return trap(s, SPARC_TT_PRIVILEGED);
    unsigned ncwp = (s->cwp + 1) % SPARC_NWINDOWS;
    if (s->wim & (1u << ncwp)) return trap(s, SPARC_TT_WIN_UNDERFLOW);
    if (target & 3) return trap(s, SPARC_TT_UNALIGNED);
    vt_sparc_set_cwp(s, ncwp);
    s->psr = (s->psr & ~PSR_S) | PSR_ET | ((s->psr & PSR_PS) ? PSR_S : 0);
    sparc_psr_written(s);
    s->pc = s->npc;
    s->npc = target;
    return 2;
}

static __attribute__((noinline)) unsigned exec_muldiv(vt_sparc_cpu *s, unsigned op3, unsigned rd,
                                                      uint32_t a, uint32_t b) {
    bool cc = op3 & 0x10;
    uint32_t r;
    bool v = false;
    switch (op3 & 0xf) {
    case 0xa: { /* UMUL */
        uint64_t p = (uint64_t)a * b;
        s->y = (uint32_t)(p >> 32);
        r = (uint32_t)p;
        break;
    }
    case 0xb: { /* SMUL */
        int64_t p = (int64_t)(int32_t)a * (int32_t)b;
        s->y = (uint32_t)((uint64_t)p >> 32);
        r = (uint32_t)p;
        break;
    }
    case 0xe: { /* UDIV */
        if (!b) return trap(s, SPARC_TT_DIV_ZERO);
        uint64_t q = ((uint64_t)s->y << 32 | a) / b;
        if (q > 0xffffffffu) {
            q = 0xffffffffu;
            v = true;
        }
        r = (uint32_t)q;
        break;
    }
    default: { /* SDIV */
        if (!b) return trap(s, SPARC_TT_DIV_ZERO);
        int64_t n = (int64_t)((uint64_t)s->y << 32 | a);
        int64_t d = (int32_t)b;
        int64_t q;
        if (n == INT64_MIN && d == -1)
            q = INT64_MAX; /* saturates below */
        else
            q = n / d;
        if (q > INT32_MAX) {
            q = INT32_MAX;
            v = true;
        } else if (q < INT32_MIN) {
            q = INT32_MIN;
            v = true;
        }
        r = (uint32_t)q;
        break;
    }
    }
    if (cc) set_icc(s, r, v, false);
    sparc_set_reg(s, rd, r);
    advance(s);
    return arith_cycles[op3];
}

static __attribute__((noinline)) unsigned exec_tagged(vt_sparc_cpu *s, unsigned op3, unsigned rd,
                                                      uint32_t a, uint32_t b) {
    bool sub = op3 & 1, tv = op3 & 2;
    uint32_t r = sub ? a - b : a + b;
    bool v = sub ? ((a ^ b) & (a ^ r)) >> 31 : (~(a ^ b) & (a ^ r)) >> 31;
    v = v || ((a | b) & 3);
    if (tv && v) return trap(s, SPARC_TT_TAG_OVERFLOW);
    bool c = sub ? ((~a & b) | ((~a | b) & r)) >> 31 : ((a & b) | ((a | b) & ~r)) >> 31;
    set_icc(s, r, v, c);
    sparc_set_reg(s, rd, r);
    advance(s);
    return 1;
}

static __attribute__((noinline)) unsigned exec_state(vt_sparc_cpu *s, uint32_t insn, unsigned op3,
                                                     unsigned rd, unsigned rs1, uint32_t a,
                                                     uint32_t b) {
    bool super = s->psr & PSR_S;
    switch (op3) {
    case 0x28:
        if (rs1 == 0) {
            sparc_set_reg(s, rd, s->y);
        } else if (rs1 == 15 && rd == 0) {
            /* STBAR: stores complete in program order here, nothing to wait for. */
        } else {
            return unimplemented(s, insn); /* RDASR: the MB86904 has no ancillary registers */
        }
        break;
    case 0x29:
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        sparc_set_reg(s, rd, vt_sparc_get_psr(s));
        break;
    case 0x2a:
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        sparc_set_reg(s, rd, s->wim);
        break;
    case 0x2b:
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        sparc_set_reg(s, rd, s->tbr);
        break;
    case 0x30:
        if (rd != 0) return unimplemented(s, insn); /* WRASR */
        s->y = a ^ b;
        break;
    case 0x31: {
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        uint32_t v = a ^ b;
        if ((v & 31) >= SPARC_NWINDOWS) return illegal(s);
        vt_sparc_put_psr(s, v);
        break;
    }
    case 0x32:
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        s->wim = (a ^ b) & ((1u << SPARC_NWINDOWS) - 1);
        break;
    default: /* 0x33 */
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        s->tbr = (s->tbr & 0xff0u) | ((a ^ b) & 0xfffff000u);
        break;
    }
    advance(s);
    return arith_cycles[op3];
}

static ALWAYS_INLINE unsigned exec_arith(vt_sparc_cpu *s, uint32_t insn, unsigned op3) {
    unsigned rd = (insn >> 25) & 31, rs1 = (insn >> 14) & 31;
    uint32_t a = sparc_reg(s, rs1);
    uint32_t b =
        (insn & 0x2000) ? (uint32_t)(((int32_t)(insn << 19)) >> 19) : sparc_reg(s, insn & 31);
    uint32_t r;
    uint32_t carry = (s->psr & PSR_C) ? 1 : 0;
    switch (op3) {
    case 0x00:
        r = a + b;
        break;
    case 0x01:
        r = a & b;
        break;
    case 0x02:
        r = a | b;
        break;
    case 0x03:
        r = a ^ b;
        break;
    case 0x04:
        r = a - b;
        break;
    case 0x05:
        r = a & ~b;
        break;
    case 0x06:
        r = a | ~b;
        break;
    case 0x07:
        r = ~(a ^ b);
        break;
    case 0x08:
        r = a + b + carry;
        break;
    case 0x0c:
        r = a - b - carry;
        break;
    case 0x10:
        r = a + b;
        add_cc(s, a, b, r);
        break;
    case 0x11:
        r = a & b;
        set_icc(s, r, false, false);
        break;
    case 0x12:
        r = a | b;
        set_icc(s, r, false, false);
        break;
    case 0x13:
        r = a ^ b;
        set_icc(s, r, false, false);
        break;
    case 0x14:
        r = a - b;
        sub_cc(s, a, b, r);
        break;
    case 0x15:
        r = a & ~b;
        set_icc(s, r, false, false);
        break;
    case 0x16:
        r = a | ~b;
        set_icc(s, r, false, false);
        break;
    case 0x17:
        r = ~(a ^ b);
        set_icc(s, r, false, false);
        break;
    case 0x18:
        r = a + b + carry;
        add_cc(s, a, b, r);
        break;
    case 0x1c:
        r = a - b - carry;
        sub_cc(s, a, b, r);
        break;
    case 0x0a:
    case 0x0b:
    case 0x0e:
    case 0x0f:
    case 0x1a:
    case 0x1b:
    case 0x1e:
    case 0x1f:
        return exec_muldiv(s, op3, rd, a, b);
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
        return exec_tagged(s, op3, rd, a, b);
    case 0x24: { /* MULScc (V8 B.17) */
        bool nv = ((s->psr & PSR_N) != 0) != ((s->psr & PSR_V) != 0);
        uint32_t op1 = (nv ? 0x80000000u : 0) | (a >> 1);
        uint32_t op2 = (s->y & 1) ? b : 0;
        r = op1 + op2;
        add_cc(s, op1, op2, r);
        s->y = (a & 1) << 31 | s->y >> 1;
        break;
    }
    case 0x25:
        r = a << (b & 31);
        break;
    case 0x26:
        r = a >> (b & 31);
        break;
    case 0x27:
        r = (uint32_t)((int32_t)a >> (b & 31));
        break;
    case 0x28:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
        return exec_state(s, insn, op3, rd, rs1, a, b);
    case 0x34:
    case 0x35: {
        if (!(s->psr & PSR_EF)) return trap(s, SPARC_TT_FP_DISABLED);
        unsigned cyc;
        int tt = vt_sparc_fpop(s, insn, &cyc);
        if (tt) return trap(s, (unsigned)tt);
        advance(s);
        return cyc;
    }
    case 0x36:
    case 0x37:
        return trap(s, SPARC_TT_CP_DISABLED);
    case 0x38: { /* JMPL */
        uint32_t target = a + b;
        if (target & 3) return trap(s, SPARC_TT_UNALIGNED);
        sparc_set_reg(s, rd, s->pc);
        s->pc = s->npc;
        s->npc = target;
        return arith_cycles[op3];
    }
    case 0x39:
        return exec_rett(s, a + b);
    case 0x3a: /* Ticc */
        if (icc_cond(s->psr, (insn >> 25) & 0xf))
            return trap(s, SPARC_TT_TRAP_INSN + ((a + b) & 0x7f));
        advance(s);
        return 1;
    case 0x3b: /* FLUSH: no instruction cache or decoded-instruction cache to invalidate. */
        advance(s);
        return arith_cycles[op3];
    case 0x3c:
        return exec_save_restore(s, rd, a + b, true);
    case 0x3d:
        return exec_save_restore(s, rd, a + b, false);
    default:
        return illegal(s);
    }
    sparc_set_reg(s, rd, r);
    advance(s);
    return arith_cycles[op3];
}

static __attribute__((noinline)) unsigned exec_fp_mem(vt_sparc_cpu *s, unsigned op3, unsigned rd,
                                                      uint32_t addr, unsigned asi) {
    if (!(s->psr & PSR_EF)) return trap(s, SPARC_TT_FP_DISABLED);
    bool dbl = (op3 & 3) == 3 && op3 != 0x26;
    unsigned size = (dbl || op3 == 0x26) ? 8 : 4;
    if (addr & (size - 1)) return trap(s, SPARC_TT_UNALIGNED);
    uint64_t v;
    int tt;
    switch (op3) {
    case 0x20:
    case 0x21:
    case 0x23:
        if ((tt = vt_sparc_load(s, addr, asi, size, &v))) return trap(s, (unsigned)tt);
        if (op3 == 0x20) {
            s->f[rd] = (uint32_t)v;
        } else if (op3 == 0x23) {
            s->f[rd & ~1u] = (uint32_t)(v >> 32);
            s->f[rd | 1u] = (uint32_t)v;
        } else {
            const uint32_t mask = 0xcfc00fffu; /* RD, TEM, NS, fcc, aexc, cexc */
            s->fsr = (s->fsr & ~mask) | ((uint32_t)v & mask);
        }
        break;
    case 0x26: /* STDFQ */
        if (!(s->psr & PSR_S)) return trap(s, SPARC_TT_PRIVILEGED);
        if (!(s->fsr & FSR_QNE)) {
            s->fsr = (s->fsr & ~FSR_FTT_MASK) | FTT_SEQUENCE << FSR_FTT_SHIFT;
            return trap(s, SPARC_TT_FP_EXCEPTION);
        }
        v = (uint64_t)s->fq_addr << 32 | s->fq_insn;
        if ((tt = vt_sparc_store(s, addr, asi, 8, v))) return trap(s, (unsigned)tt);
        s->fsr &= ~FSR_QNE;
        break;
    default:
        v = op3 == 0x24   ? s->f[rd]
            : op3 == 0x25 ? s->fsr
                          : (uint64_t)s->f[rd & ~1u] << 32 | s->f[rd | 1u];
        if ((tt = vt_sparc_store(s, addr, asi, size, v))) return trap(s, (unsigned)tt);
        break;
    }
    advance(s);
    return mem_cycles[op3];
}

static ALWAYS_INLINE unsigned exec_mem(vt_sparc_cpu *s, uint32_t insn, unsigned op3) {
    unsigned rd = (insn >> 25) & 31;
    uint32_t a = sparc_reg(s, (insn >> 14) & 31);
    uint32_t addr =
        a + ((insn & 0x2000) ? (uint32_t)(((int32_t)(insn << 19)) >> 19) : sparc_reg(s, insn & 31));
    bool super = s->psr & PSR_S;
    unsigned asi = super ? 0x0b : 0x0a;
    if (!mem_cycles[op3] && op3 != 0) return illegal(s);
    if (op3 >= 0x30) return trap(s, SPARC_TT_CP_DISABLED);
    if (op3 >= 0x20) return exec_fp_mem(s, op3, rd, addr, asi);
    if (op3 & 0x10) { /* alternate space */
        if (!super) return trap(s, SPARC_TT_PRIVILEGED);
        if (insn & 0x2000) return illegal(s);
        asi = (insn >> 5) & 0xff;
    }
    unsigned base = op3 & 0xf;
    unsigned size = base == 0x3 || base == 0x7                  ? 8
                    : base == 0x0 || base == 0x4 || base == 0xf ? 4
                    : base == 0x2 || base == 0x6 || base == 0xa ? 2
                                                                : 1;
    if ((base == 0x3 || base == 0x7) && (rd & 1)) return illegal(s);
    if (addr & (size - 1)) return trap(s, SPARC_TT_UNALIGNED);
    uint64_t v = 0;
    int tt;
    switch (base) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x3:
    case 0x9:
    case 0xa:
        if ((tt = vt_sparc_load(s, addr, asi, size, &v))) return trap(s, (unsigned)tt);
        if (base == 0x3) {
            sparc_set_reg(s, rd, (uint32_t)(v >> 32));
            sparc_set_reg(s, rd + 1, (uint32_t)v);
        } else if (base == 0x9) {
            sparc_set_reg(s, rd, (uint32_t)(int32_t)(int8_t)v);
        } else if (base == 0xa) {
            sparc_set_reg(s, rd, (uint32_t)(int32_t)(int16_t)v);
        } else {
            sparc_set_reg(s, rd, (uint32_t)v);
        }
        break;
    case 0x4:
    case 0x5:
    case 0x6:
    case 0x7:
        v = base == 0x7 ? (uint64_t)sparc_reg(s, rd) << 32 | sparc_reg(s, rd + 1)
                        : sparc_reg(s, rd);
        if ((tt = vt_sparc_store(s, addr, asi, size, v))) return trap(s, (unsigned)tt);
        break;
    case 0xd: /* LDSTUB */
    case 0xf: /* SWAP */
        if ((tt = vt_sparc_load(s, addr, asi, size, &v))) return trap(s, (unsigned)tt);
        if ((tt = vt_sparc_store(s, addr, asi, size, base == 0xd ? 0xff : sparc_reg(s, rd))))
            return trap(s, (unsigned)tt);
        sparc_set_reg(s, rd, (uint32_t)v);
        break;
    default:
        return illegal(s);
    }
    advance(s);
    return mem_cycles[op3];
}

static ALWAYS_INLINE unsigned exec_call(vt_sparc_cpu *s, uint32_t insn) {
    uint32_t target = s->pc + (insn << 2);
    sparc_set_reg(s, 15, s->pc);
    s->pc = s->npc;
    s->npc = target;
    return 1;
}

/* Dispatch index of an instruction word: op (bits 31..30) and bits 24..19, which hold op3 for
 * formats 3 (op 2 and 3) and op2 plus three bits of the displacement/immediate for format 2. */
#define SPARC_DISPATCH_INDEX(insn) (((insn) >> 24 & 0xc0u) | ((insn) >> 19 & 0x3fu))

/* a table of macro calls (clang-format staircases it) */
// clang-format off
#define SPARC_HEX16(M, h)                                                                          \
    M(h##0) M(h##1) M(h##2) M(h##3) M(h##4) M(h##5) M(h##6) M(h##7)                                \
    M(h##8) M(h##9) M(h##a) M(h##b) M(h##c) M(h##d) M(h##e) M(h##f)
#define SPARC_OP3S(M)                                                                              \
    SPARC_HEX16(M, 0x0) SPARC_HEX16(M, 0x1) SPARC_HEX16(M, 0x2) SPARC_HEX16(M, 0x3)
#define SPARC_OP2S(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
// clang-format on

void vt_sparc_run_loop(vt_sparc_cpu *s) {
    /* One handler per dispatch index (threaded code: each handler ends with its own fetch and
     * indirect jump, so the host's branch predictor sees per-opcode history). Fetching goes
     * through the software TLB once per page entered; the word is read from guest memory every
     * time, so stores to code (self-modifying code, DMA, FLUSH) are seen at once with nothing
     * to invalidate. */
#define F2_ENTRY(op2)                                                                              \
    &&f2_##op2, &&f2_##op2, &&f2_##op2, &&f2_##op2, &&f2_##op2, &&f2_##op2, &&f2_##op2, &&f2_##op2,
#define CALL_ENTRY(x) &&call,
#define ARITH_ENTRY(op3) &&arith_##op3,
#define MEM_ENTRY(op3) &&mem_##op3,
    static const void *const dispatch[256] = {SPARC_OP2S(F2_ENTRY) SPARC_OP3S(CALL_ENTRY)
                                                  SPARC_OP3S(ARITH_ENTRY) SPARC_OP3S(MEM_ENTRY)};
    vt_cpu *c = &s->cpu;
    uint32_t insn;
    unsigned cyc;

    /* The page being executed: host address of its first byte, while pc stays in it and the
     * fetch epoch (bumped on every change of translation or privilege) is unchanged. */
    const uint8_t *code_page = NULL;
    uint32_t code_vpn = UINT32_MAX; /* never equal to pc >> 12 */
    uint64_t code_epoch = 0;

#define DISPATCH()                                                                                 \
    do {                                                                                           \
        if (__builtin_expect(c->cycles >= c->stop_at, 0)) goto out;                                \
        if (__builtin_expect((s->irq_lines & s->irq_take) != 0, 0)) goto irq;                      \
        if (__builtin_expect((s->pc >> 12) != code_vpn || s->fetch_epoch != code_epoch, 0))        \
            ENTER_PAGE();                                                                          \
        insn = load_be32(code_page + (s->pc & 0xfffu));                                            \
        goto *dispatch[SPARC_DISPATCH_INDEX(insn)];                                                \
    } while (0)
/* A new code page (or a changed translation): one software-TLB lookup; a miss takes the
 * SRMMU walk, which fills the TLB or traps. */
#define ENTER_PAGE()                                                                               \
    do {                                                                                           \
        const uint8_t *h_ = vt_tlb_lookup(&s->tlb[(s->psr & PSR_S) != 0], s->pc, VT_ACCESS_EXEC);  \
        if (__builtin_expect(!h_, 0)) goto fetch_slow;                                             \
        code_page = h_ - (s->pc & 0xfffu);                                                         \
        code_vpn = s->pc >> 12;                                                                    \
        code_epoch = s->fetch_epoch;                                                               \
    } while (0)
#define RETIRE()                                                                                   \
    do {                                                                                           \
        c->cycles += cyc;                                                                          \
        c->insns++;                                                                                \
        if (__builtin_expect(s->error_mode, 0)) goto out;                                          \
        DISPATCH();                                                                                \
    } while (0)

    DISPATCH();

irq: /* a line in irq_take is pending, so the highest requesting level is taken */
    c->cycles += trap(s, SPARC_TT_INTERRUPT + (31u - (unsigned)__builtin_clz(s->irq_lines)));
    DISPATCH();
fetch_slow : {
    uint32_t word; /* not insn itself: taking its address would keep it out of registers */
    int tt = vt_sparc_fetch(s, s->pc, &word);
    insn = word;
    if (tt) {
        c->cycles += trap(s, (unsigned)tt);
        if (s->error_mode) goto out;
        DISPATCH();
    }
    goto *dispatch[SPARC_DISPATCH_INDEX(insn)];
}

#define F2_HANDLER(op2)                                                                            \
    f2_##op2 : cyc = exec_fmt2(s, insn, op2);                                                      \
    RETIRE();
#define ARITH_HANDLER(op3)                                                                         \
    arith_##op3 : cyc = exec_arith(s, insn, op3);                                                  \
    RETIRE();
#define MEM_HANDLER(op3)                                                                           \
    mem_##op3 : cyc = exec_mem(s, insn, op3);                                                      \
    RETIRE();
    SPARC_OP2S(F2_HANDLER)
    SPARC_OP3S(ARITH_HANDLER)
    SPARC_OP3S(MEM_HANDLER)
call:
    cyc = exec_call(s, insn);
    RETIRE();

out:
    if (s->error_mode) c->cycles = c->stop_at > c->cycles ? c->stop_at : c->cycles;
}
