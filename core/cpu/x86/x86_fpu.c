/* The x87 FPU as the guest sees it: register stack with TOP and tag word, control/status
 * words, stack overflow/underflow rules, masked and unmasked exception handling (#MF on the
 * next waiting instruction), FCMOVcc/FCOMI, FXAM, FNSAVE/FRSTOR/FSTENV/FLDENV images, and the
 * D8-DF opcode decoding. The arithmetic itself is x87_host.c. Facts: Intel SDM vol. 1 ch. 8,
 * vol. 2 F* pages, vol. 3 §9.6 (environment layouts). */
#include <string.h>

#include "core/cpu/x86/x86_cpu.h"
#include "core/cpu/x86/x87_host.h"

enum {
    FE_IE = 1,
    FE_DE = 2,
    FE_ZE = 4,
    FE_OE = 8,
    FE_UE = 16,
    FE_PE = 32,
    FE_SF = 64,
    FE_ES = 0x80,
    FC0 = 0x100,
    FC1 = 0x200,
    FC2 = 0x400,
    FC3 = 0x4000,
    FE_B = 0x8000
};

static const x87_reg indefinite = {0xC000000000000000ull, 0xFFFF};

static inline unsigned phys(x86_cpu *c, unsigned i) {
    return (c->fpu.top + i) & 7;
}
static inline bool empty(x86_cpu *c, unsigned i) {
    return (c->fpu.tag_empty >> phys(c, i)) & 1;
}
static inline x87_reg *st(x86_cpu *c, unsigned i) {
    return &c->fpu.st[phys(c, i)];
}

/* 10-byte memory image <-> register */
static void to_img(const x87_reg *r, uint8_t img[10]) {
    store_le64(img, r->mant);
    store_le16(img + 8, r->se);
}
static x87_reg from_img(const uint8_t img[10]) {
    x87_reg r = {load_le64(img), load_le16(img + 8)};
    return r;
}

/* FNINIT state; the register contents survive (they are only tagged empty). */
void x86_fpu_reset(x86_cpu *c) {
    x87_reg keep[8];
    memcpy(keep, c->fpu.st, sizeof keep);
    memset(&c->fpu, 0, sizeof c->fpu);
    memcpy(c->fpu.st, keep, sizeof keep);
    c->fpu.cw = 0x037F;
    c->fpu.tag_empty = 0xFF;
}

static uint16_t get_sw(x86_cpu *c) {
    return (uint16_t)((c->fpu.sw & ~0x3800u) | (c->fpu.top & 7u) << 11);
}

/* Records exception flags; returns true when an unmasked one among I/Z/D means "do not write". */
static bool raise_flags(x86_cpu *c, unsigned flags) {
    flags &= 0x7F;
    /* An unmasked pre-computation exception (invalid, zero-divide, denormal) cancels the
       operation, so the post-computation flags the host's masked run produced do not occur. */
    bool cancel = (flags & ~c->fpu.cw & (FE_IE | FE_ZE | FE_DE)) != 0;
    if (cancel) flags &= FE_IE | FE_ZE | FE_DE | FE_SF;
    c->fpu.sw |= (uint16_t)flags;
    if (flags & ~c->fpu.cw & 0x3F) c->fpu.sw |= FE_ES | FE_B;
    return cancel;
}

static void set_cm(x86_cpu *c, unsigned mask, unsigned bits) {
    c->fpu.sw = (uint16_t)((c->fpu.sw & ~mask) | (bits & mask));
}

/* Most instructions define only C1 and leave C0/C2/C3 as they were (what P6 and later do). */
static void set_c(x86_cpu *c, unsigned bits) {
    set_cm(c, FC1, bits);
}

static void push(x86_cpu *c, x87_reg v) {
    unsigned np = (c->fpu.top - 1) & 7;
    if (!((c->fpu.tag_empty >> np) & 1)) { /* stack overflow */
        set_c(c, FC1);
        if (raise_flags(c, FE_IE | FE_SF)) return;
        v = indefinite;
    }
    c->fpu.top = (uint8_t)np;
    c->fpu.st[np] = v;
    c->fpu.tag_empty &= (uint8_t) ~(1u << np);
}

static void pop(x86_cpu *c) {
    c->fpu.tag_empty |= (uint8_t)(1u << c->fpu.top);
    c->fpu.top = (c->fpu.top + 1) & 7;
}

static void set_st(x86_cpu *c, unsigned i, x87_reg v) {
    *st(c, i) = v;
    c->fpu.tag_empty &= (uint8_t) ~(1u << phys(c, i));
}

/* Stack underflow on reading an empty register: true when the instruction must stop. */
static bool underflow(x86_cpu *c) {
    set_c(c, 0);
    return raise_flags(c, FE_IE | FE_SF);
}

/* Runs a host operation, merges flags and condition codes; returns the host status word, or
 * -1 when an unmasked pre-computation exception cancels the result. */
/* Extra P6 cycles per x87 operation beyond the 1-cycle issue (approximate latencies from
 * Agner Fog's PPro/PII/PIII table and Intel's P6 optimization manual appendix; hwdocs/x86.md). */
static const uint8_t x87_cycles[] = {
    [X87H_ADD] = 2,      [X87H_MUL] = 4,     [X87H_SUB] = 2,     [X87H_SUBR] = 2,
    [X87H_DIV] = 37,     [X87H_DIVR] = 37,   [X87H_PREM] = 30,   [X87H_PREM1] = 30,
    [X87H_SCALE] = 30,   [X87H_PATAN] = 150, [X87H_YL2X] = 100,  [X87H_YL2XP1] = 100,
    [X87H_COM] = 0,      [X87H_UCOM] = 0,    [X87H_SQRT] = 68,   [X87H_SIN] = 100,
    [X87H_COS] = 100,    [X87H_RNDINT] = 20, [X87H_2XM1] = 70,   [X87H_PTAN] = 150,
    [X87H_SINCOS] = 120, [X87H_XTRACT] = 10, [X87H_LDPI] = 1,    [X87H_LDI16] = 2,
    [X87H_LDI32] = 2,    [X87H_LDI64] = 2,   [X87H_LDBCD] = 60,  [X87H_STI16] = 4,
    [X87H_STI32] = 4,    [X87H_STI64] = 4,   [X87H_STBCD] = 150,
};

static int host(x86_cpu *c, x87_hop op, const void *a, const void *b, void *r1, void *r2, int *p2) {
    uint16_t sw = vt_x87_host(c->fpu.cw, op, a, b, r1, r2, p2);
    if ((size_t)op < sizeof x87_cycles) c->cpu.cycles += x87_cycles[op];
    if (raise_flags(c, sw & 0x3F)) {
        set_c(c, 0); /* unmasked pre-computation exception: no result, C1 cleared (observed) */
        return -1;
    }
    return sw;
}

/* FCOM/FUCOM family: the condition codes are written even when an unmasked invalid operation
 * cancels the pop (observed); returns true when the instruction must not pop. */
static bool compare(x86_cpu *c, const uint8_t a[10], const uint8_t b[10], bool unordered) {
    uint16_t sw = vt_x87_host(c->fpu.cw, unordered ? X87H_UCOM : X87H_COM, a, b, NULL, NULL, NULL);
    bool stop = raise_flags(c, sw & 0x3F);
    set_cm(c, FC0 | FC1 | FC2 | FC3, sw & (FC0 | FC2 | FC3));
    return stop;
}

/* ---- arithmetic on registers ---- */
static const x87_hop arith_ops[8] = {X87H_ADD, X87H_MUL,  X87H_COM, X87H_COM,
                                     X87H_SUB, X87H_SUBR, X87H_DIV, X87H_DIVR};

/* dest = dest op src for op 0..7 (D8 reg numbering), dest/src given as values. */
static void arith(x86_cpu *c, unsigned op, unsigned dest_i, x87_reg d, x87_reg s, bool popit) {
    uint8_t a[10], b[10], r[10];
    to_img(&d, a);
    to_img(&s, b);
    if (op == 2 || op == 3) {
        if (!compare(c, a, b, false) && op == 3) pop(c);
        return;
    }
    int sw = host(c, arith_ops[op], a, b, r, NULL, NULL);
    if (sw < 0) return;
    set_c(c, (unsigned)sw & FC1);
    set_st(c, dest_i, from_img(r));
    if (popit) pop(c);
}

static void fcomi(x86_cpu *c, unsigned i, bool unordered, bool popit) {
    if (empty(c, 0) || empty(c, i)) {
        if (underflow(c)) return;
        x86_set_arith(c, F_ZF | F_PF | F_CF);
        if (popit) pop(c);
        return;
    }
    uint8_t a[10], b[10];
    to_img(st(c, 0), a);
    to_img(st(c, i), b);
    /* EFLAGS are written even when an unmasked invalid operation stops the pop (observed) */
    uint16_t hsw = vt_x87_host(c->fpu.cw, unordered ? X87H_UCOM : X87H_COM, a, b, NULL, NULL, NULL);
    bool stop = raise_flags(c, hsw & 0x3F);
    x86_set_arith(c,
                  ((hsw & FC3) ? F_ZF : 0) | ((hsw & FC2) ? F_PF : 0) | ((hsw & FC0) ? F_CF : 0));
    if (popit && !stop) pop(c);
}

static void fcom_regs(x86_cpu *c, unsigned i, bool unordered, int pops) {
    if (empty(c, 0) || empty(c, i)) {
        if (underflow(c)) return;
        set_cm(c, FC0 | FC1 | FC2 | FC3, FC0 | FC2 | FC3);
    } else {
        uint8_t a[10], b[10];
        to_img(st(c, 0), a);
        to_img(st(c, i), b);
        if (compare(c, a, b, unordered)) return;
    }
    while (pops-- > 0)
        pop(c);
}

static void fxam(x86_cpu *c) {
    x87_reg *r = st(c, 0);
    unsigned sign = (r->se & 0x8000) ? FC1 : 0, cls;
    unsigned e = r->se & 0x7FFF;
    if (empty(c, 0))
        cls = FC3 | FC0;
    else if (e == 0x7FFF)
        cls = (r->mant & 0x8000000000000000ull) ? ((r->mant << 1) ? FC0 : FC2 | FC0) : 0;
    else if (e == 0)
        cls = r->mant == 0 ? FC3 : FC3 | FC2;
    else
        cls = (r->mant & 0x8000000000000000ull) ? FC2 : 0;
    set_cm(c, FC0 | FC1 | FC2 | FC3, sign | cls);
}

/* ---- environment images ---- */
static uint16_t tag_word(x86_cpu *c) {
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t;
        const x87_reg *r = &c->fpu.st[p];
        unsigned e = r->se & 0x7FFF;
        if ((c->fpu.tag_empty >> p) & 1)
            t = 3;
        else if (e == 0 && r->mant == 0)
            t = 1;
        else if (e == 0x7FFF || e == 0 || !(r->mant >> 63))
            t = 2;
        else
            t = 0;
        tw |= (uint16_t)(t << (2 * p));
    }
    return tw;
}

/* Writes the 14/28-byte environment (protected-mode layout) to a buffer. */
static unsigned env_image(x86_cpu *c, uint8_t *p, bool is32) {
    uint16_t w[7] = {
        c->fpu.cw, get_sw(c), tag_word(c), (uint16_t)c->fpu.fip, c->fpu.fcs, (uint16_t)c->fpu.fdp,
        c->fpu.fds};
    if (!is32) {
        for (int k = 0; k < 7; k++)
            store_le16(p + 2 * k, w[k]);
        return 14;
    }
    memset(p, 0, 28);
    store_le32(p, 0xFFFF0000u | w[0]);
    store_le32(p + 4, 0xFFFF0000u | w[1]);
    store_le32(p + 8, 0xFFFF0000u | w[2]);
    store_le32(p + 12, c->fpu.fip);
    store_le32(p + 16, (uint32_t)c->fpu.fop << 16 | c->fpu.fcs);
    store_le32(p + 20, c->fpu.fdp);
    store_le32(p + 24, 0xFFFF0000u | c->fpu.fds);
    return 28;
}

static unsigned env_load(x86_cpu *c, const uint8_t *p, bool is32) {
    unsigned step = is32 ? 4 : 2;
    c->fpu.cw = load_le16(p);
    uint16_t sw = load_le16(p + step);
    uint16_t tw = load_le16(p + 2 * step);
    c->fpu.sw = sw & ~0x3800;
    c->fpu.top = (sw >> 11) & 7;
    c->fpu.tag_empty = 0;
    for (unsigned k = 0; k < 8; k++)
        if (((tw >> (2 * k)) & 3) == 3) c->fpu.tag_empty |= (uint8_t)(1u << k);
    if (is32) {
        c->fpu.fip = load_le32(p + 12);
        c->fpu.fcs = load_le16(p + 16);
        c->fpu.fop = load_le16(p + 18) & 0x7FF;
        c->fpu.fdp = load_le32(p + 20);
        c->fpu.fds = load_le16(p + 24);
    }
    /* unmasked pending exceptions keep ES/B set */
    if (c->fpu.sw & ~c->fpu.cw & 0x3F)
        c->fpu.sw |= FE_ES | FE_B;
    else
        c->fpu.sw &= ~(FE_ES | FE_B);
    return is32 ? 28 : 14;
}

void x86_fpu_fsave(x86_cpu *c, uint8_t *p, bool is32) {
    unsigned n = env_image(c, p, is32);
    for (unsigned i = 0; i < 8; i++)
        to_img(st(c, i), p + n + 10 * i);
}

void x86_fpu_frstor(x86_cpu *c, const uint8_t *p, bool is32) {
    unsigned n = env_load(c, p, is32);
    for (unsigned i = 0; i < 8; i++)
        *st(c, i) = from_img(p + n + 10 * i);
}

/* ---- memory operand helpers ---- */
/* The whole operand in one page through the fast path (x86_fast_ptr), else piecewise (the
 * slow paths raise the faults). */
static void read_mem(x86_cpu *c, x86_insn *i, uint8_t *buf, unsigned n) {
    const uint8_t *p = x86_fast_ptr(c, i->seg, i->ea, n, false);
    if (p) {
        memcpy(buf, p, n);
        return;
    }
    for (unsigned k = 0; k < n; k += (n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1)) {
        unsigned s = n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
        uint32_t v = x86_read(c, i->seg, i->ea + k, s);
        for (unsigned b = 0; b < s; b++)
            buf[k + b] = (uint8_t)(v >> (8 * b));
    }
}

static void write_mem(x86_cpu *c, x86_insn *i, const uint8_t *buf, unsigned n) {
    uint8_t *p = x86_fast_ptr(c, i->seg, i->ea, n, true);
    if (p) {
        memcpy(p, buf, n);
        return;
    }
    x86_probe_write(c, i->seg, i->ea, n);
    for (unsigned k = 0; k < n;) {
        unsigned s = n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
        uint32_t v = 0;
        for (unsigned b = 0; b < s; b++)
            v |= (uint32_t)buf[k + b] << (8 * b);
        x86_write(c, i->seg, i->ea + k, s, v);
        k += s;
    }
}

/* Loads a memory operand of the given format into an 80-bit value (flags merged). */
static bool load_operand(x86_cpu *c, x86_insn *i, x87_hop op, unsigned n, x87_reg *out) {
    uint8_t m[10], r[10];
    read_mem(c, i, m, n);
    /* an unmasked denormal operand still loads (observed); an unmasked invalid (SNaN) does not */
    uint16_t sw = vt_x87_host(c->fpu.cw, op, m, NULL, r, NULL, NULL);
    if ((size_t)op < sizeof x87_cycles) c->cpu.cycles += x87_cycles[op];
    if (raise_flags(c, sw & 0x3F) && (sw & ~c->fpu.cw & (FE_IE | FE_ZE))) return false;
    *out = from_img(r);
    return true;
}

static void store_operand(x86_cpu *c, x86_insn *i, x87_hop op, unsigned n, bool popit) {
    uint8_t a[10], m[10];
    if (empty(c, 0)) {
        if (underflow(c)) return;
        to_img(&indefinite, a);
    } else {
        to_img(st(c, 0), a);
    }
    uint16_t sw = vt_x87_host(c->fpu.cw, op, a, NULL, m, NULL, NULL);
    /* unmasked invalid (e.g. integer overflow) leaves memory untouched */
    if (raise_flags(c, sw & 0x3F)) return;
    set_c(c, sw & FC1);
    write_mem(c, i, m, n);
    if (popit) pop(c);
}

static bool fcmov_cond(x86_cpu *c, unsigned opc, unsigned reg) {
    static const uint8_t cc[4] = {2, 4, 6, 10}; /* B, E, BE, U as Jcc condition numbers */
    bool r = x86_cond(c, cc[reg & 3]);
    return opc == 0xDA ? r : !r;
}

static void unary(x86_cpu *c, x87_hop op) {
    if (empty(c, 0)) {
        if (underflow(c)) return;
        set_st(c, 0, indefinite);
        return;
    }
    uint8_t a[10], r[10];
    to_img(st(c, 0), a);
    int sw = host(c, op, a, NULL, r, NULL, NULL);
    if (sw < 0) return;
    set_cm(c, op == X87H_SIN || op == X87H_COS ? FC1 | FC2 : FC1, (unsigned)sw);
    if ((op == X87H_SIN || op == X87H_COS) && (sw & FC2)) return; /* out of range: unchanged */
    set_st(c, 0, from_img(r));
}

static void unary2(x86_cpu *c, x87_hop op) {
    if (empty(c, 0) || (!empty(c, 7))) {
        /* empty source: underflow; full stack: overflow (the push cannot happen) */
        bool under = empty(c, 0);
        set_c(c, under ? 0 : FC1);
        if (raise_flags(c, FE_IE | FE_SF)) return;
        set_st(c, 0, indefinite);
        push(c, indefinite);
        return;
    }
    uint8_t a[10], r1[10], r2[10];
    int p2 = 0;
    to_img(st(c, 0), a);
    int sw = host(c, op, a, NULL, r1, r2, &p2);
    if (sw < 0) return;
    set_cm(c, op == X87H_XTRACT ? FC1 : FC1 | FC2, (unsigned)sw);
    if (!p2) {
        set_st(c, 0, from_img(r1));
        return;
    }
    set_st(c, 0, from_img(r2));
    push(c, from_img(r1));
}

static void two_op(x86_cpu *c, x87_hop op, bool popit) {
    if (empty(c, 0) || empty(c, 1)) {
        if (underflow(c)) return;
        if (popit) {
            pop(c);
            set_st(c, 0, indefinite);
        } else {
            set_st(c, 0, indefinite);
        }
        return;
    }
    uint8_t a[10], b[10], r[10];
    to_img(st(c, 0), a);
    to_img(st(c, 1), b);
    int sw = host(c, op, a, b, r, NULL, NULL);
    if (sw < 0) return;
    if (op == X87H_PREM || op == X87H_PREM1) {
        /* a NaN result (NaN operand or invalid) leaves C0/C3 alone and clears C1/C2 (observed on
           P6-class and later parts; the SDM only says "undefined") */
        x87_reg res = from_img(r);
        bool nan = (res.se & 0x7FFF) == 0x7FFF && (res.mant << 1) != 0;
        set_cm(c, nan ? FC1 | FC2 : FC0 | FC1 | FC2 | FC3, (unsigned)sw);
    } else
        set_c(c, (unsigned)sw);
    if (popit) {
        pop(c);
        set_st(c, 0, from_img(r));
    } else {
        set_st(c, 0, from_img(r));
    }
}

static void load_const(x86_cpu *c, x87_hop op) {
    uint8_t r[10];
    vt_x87_host(c->fpu.cw, op, NULL, NULL, r, NULL, NULL);
    set_c(c, 0);
    push(c, from_img(r));
}

/* D9 E0-FF forms that are one host operation: constants, unary and two-operand functions.
 * The rest (sign, FTST, FXAM, FDECSTP/FINCSTP) are special cases in d9_misc. */
enum { D9_SPECIAL, D9_CONST, D9_UNARY, D9_UNARY2, D9_TWO_OP, D9_TWO_OP_POP };
static const struct {
    uint8_t kind;
    uint8_t op; /* x87_hop */
} d9_ops[32] = {
    [0xE8 - 0xE0] = {D9_CONST, X87H_LD1},         [0xE9 - 0xE0] = {D9_CONST, X87H_LDL2T},
    [0xEA - 0xE0] = {D9_CONST, X87H_LDL2E},       [0xEB - 0xE0] = {D9_CONST, X87H_LDPI},
    [0xEC - 0xE0] = {D9_CONST, X87H_LDLG2},       [0xED - 0xE0] = {D9_CONST, X87H_LDLN2},
    [0xEE - 0xE0] = {D9_CONST, X87H_LDZ},         [0xF0 - 0xE0] = {D9_UNARY, X87H_2XM1},
    [0xF1 - 0xE0] = {D9_TWO_OP_POP, X87H_YL2X},   [0xF2 - 0xE0] = {D9_UNARY2, X87H_PTAN},
    [0xF3 - 0xE0] = {D9_TWO_OP_POP, X87H_PATAN},  [0xF4 - 0xE0] = {D9_UNARY2, X87H_XTRACT},
    [0xF5 - 0xE0] = {D9_TWO_OP, X87H_PREM1},      [0xF8 - 0xE0] = {D9_TWO_OP, X87H_PREM},
    [0xF9 - 0xE0] = {D9_TWO_OP_POP, X87H_YL2XP1}, [0xFA - 0xE0] = {D9_UNARY, X87H_SQRT},
    [0xFB - 0xE0] = {D9_UNARY2, X87H_SINCOS},     [0xFC - 0xE0] = {D9_UNARY, X87H_RNDINT},
    [0xFD - 0xE0] = {D9_TWO_OP, X87H_SCALE},      [0xFE - 0xE0] = {D9_UNARY, X87H_SIN},
    [0xFF - 0xE0] = {D9_UNARY, X87H_COS},
};

/* D9 register forms E0-FF */
static void d9_misc(x86_cpu *c, x86_insn *i) {
    x87_hop op = (x87_hop)d9_ops[i->modrm - 0xE0].op;
    switch (d9_ops[i->modrm - 0xE0].kind) {
    case D9_CONST:
        load_const(c, op);
        return;
    case D9_UNARY:
        unary(c, op);
        return;
    case D9_UNARY2:
        unary2(c, op);
        return;
    case D9_TWO_OP:
        two_op(c, op, false);
        return;
    case D9_TWO_OP_POP:
        two_op(c, op, true);
        return;
    default:
        break;
    }
    switch (i->modrm) {
    case 0xE0:
    case 0xE1:
        if (empty(c, 0)) {
            if (!underflow(c)) set_st(c, 0, indefinite);
            return;
        }
        set_c(c, 0);
        if (i->modrm == 0xE0)
            st(c, 0)->se ^= 0x8000;
        else
            st(c, 0)->se &= 0x7FFF;
        return;
    case 0xE4: { /* FTST */
        x87_reg z = {0, 0};
        if (empty(c, 0)) {
            if (underflow(c)) return;
            set_cm(c, FC0 | FC1 | FC2 | FC3, FC0 | FC2 | FC3);
            return;
        }
        uint8_t a[10], b[10];
        to_img(st(c, 0), a);
        to_img(&z, b);
        int sw = host(c, X87H_COM, a, b, NULL, NULL, NULL);
        if (sw >= 0) set_cm(c, FC0 | FC1 | FC2 | FC3, (unsigned)sw);
        return;
    }
    case 0xE5:
        fxam(c);
        return;
    case 0xF6:
        c->fpu.top = (c->fpu.top - 1) & 7;
        set_c(c, 0);
        return;
    case 0xF7:
        c->fpu.top = (c->fpu.top + 1) & 7;
        set_c(c, 0);
        return;
    default:
        x86_raise_ud(c);
    }
}

/* Instructions that do not check for pending exceptions (the FN* control forms). */
static bool no_wait(const x86_insn *i) {
    unsigned opc = i->opc;
    if (i->mem) {
        if (opc == 0xD9 && (i->reg == 6 || i->reg == 7)) return true; /* fnstenv fnstcw */
        if (opc == 0xDD && (i->reg == 6 || i->reg == 7)) return true; /* fnsave fnstsw */
        return false;
    }
    if (opc == 0xDB && (i->modrm == 0xE2 || i->modrm == 0xE3)) return true;
    if (opc == 0xDF && i->modrm == 0xE0) return true;
    return false;
}

static void check_pending(x86_cpu *c) {
    if (c->fpu.sw & FE_ES) x86_raise(c, EXC_MF, 0);
}

void h_fwait(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    if ((c->cr0 & 0xA) == 0xA) x86_raise(c, EXC_NM, 0); /* MP and TS */
    check_pending(c);
}

static void mem_arith(x86_cpu *c, x86_insn *i, x87_memfmt fmt, unsigned n) {
    uint8_t m[8], a[10], r[10];
    read_mem(c, i, m, n);
    if (empty(c, 0)) {
        if (underflow(c)) return;
        if (i->reg == 2 || i->reg == 3) {
            set_cm(c, FC0 | FC1 | FC2 | FC3, FC0 | FC2 | FC3);
            if (i->reg == 3) pop(c);
        } else {
            set_st(c, 0, indefinite);
        }
        return;
    }
    to_img(st(c, 0), a);
    uint16_t sw = vt_x87_host_mem(c->fpu.cw, i->reg, fmt, a, m, r);
    c->cpu.cycles += i->reg >= 6 ? 37 : i->reg == 1 ? 4 : 2;
    bool stop = raise_flags(c, sw & 0x3F);
    if (i->reg == 2 || i->reg == 3) { /* FCOM/FICOM m: codes written even when cancelled */
        set_cm(c, FC0 | FC1 | FC2 | FC3, sw & (FC0 | FC2 | FC3));
        if (i->reg == 3 && !stop) pop(c);
        return;
    }
    if (stop) {
        set_c(c, 0);
        return;
    }
    set_c(c, sw);
    set_st(c, 0, from_img(r));
}

/* The plain memory loads and stores (FLD/FST/FSTP, FILD/FIST/FISTP, FBLD/FBSTP) differ only
 * in the memory format: one table by opcode (low 3 bits) and ModRM reg instead of a case each. */
enum { MOVE_NONE, MOVE_LOAD, MOVE_STORE, MOVE_STORE_POP };
typedef struct mem_move {
    uint8_t kind;
    uint8_t fmt; /* x87_hop */
    uint8_t size;
} mem_move;

static const mem_move mem_moves[8][8] = {
    [1] = {[0] = {MOVE_LOAD, X87H_LDF32, 4},
           [2] = {MOVE_STORE, X87H_STF32, 4},
           [3] = {MOVE_STORE_POP, X87H_STF32, 4}}, /* 0xD9 */
    [3] = {[0] = {MOVE_LOAD, X87H_LDI32, 4},
           [2] = {MOVE_STORE, X87H_STI32, 4},
           [3] = {MOVE_STORE_POP, X87H_STI32, 4}}, /* 0xDB */
    [5] = {[0] = {MOVE_LOAD, X87H_LDF64, 8},
           [2] = {MOVE_STORE, X87H_STF64, 8},
           [3] = {MOVE_STORE_POP, X87H_STF64, 8}}, /* 0xDD */
    [7] = {[0] = {MOVE_LOAD, X87H_LDI16, 2},
           [2] = {MOVE_STORE, X87H_STI16, 2},
           [3] = {MOVE_STORE_POP, X87H_STI16, 2},
           [4] = {MOVE_LOAD, X87H_LDBCD, 10},
           [5] = {MOVE_LOAD, X87H_LDI64, 8},
           [6] = {MOVE_STORE_POP, X87H_STBCD, 10},
           [7] = {MOVE_STORE_POP, X87H_STI64, 8}}, /* 0xDF */
};

void h_fpu(x86_cpu *c, x86_insn *i) {
    if (c->cr0 & 0xC) x86_raise(c, EXC_NM, 0); /* EM or TS */
    if (!no_wait(i)) check_pending(c);
    unsigned opc = i->opc, reg = i->reg, rm = i->rm;
    bool ctrl = no_wait(i) || (opc == 0xD9 && i->mem && (reg == 4 || reg == 5)) ||
                (opc == 0xDD && i->mem && reg == 4);
    if (!ctrl) {
        c->fpu.fip = c->insn_eip;
        c->fpu.fcs = c->seg[SEG_CS].sel;
        c->fpu.fop = (uint16_t)(((opc & 7) << 8) | i->modrm);
        if (i->mem) {
            c->fpu.fdp = i->ea;
            c->fpu.fds = c->seg[i->seg].sel;
        }
    }
    if (i->mem) {
        const mem_move *mv = &mem_moves[opc & 7][reg];
        if (mv->kind == MOVE_LOAD) {
            x87_reg v;
            if (load_operand(c, i, (x87_hop)mv->fmt, mv->size, &v)) {
                set_c(c, 0);
                push(c, v);
            }
            return;
        }
        if (mv->kind != MOVE_NONE) {
            store_operand(c, i, (x87_hop)mv->fmt, mv->size, mv->kind == MOVE_STORE_POP);
            return;
        }
        switch (opc) {
        case 0xD8:
            mem_arith(c, i, X87M_F32, 4);
            return;
        case 0xDA:
            mem_arith(c, i, X87M_I32, 4);
            return;
        case 0xDC:
            mem_arith(c, i, X87M_F64, 8);
            return;
        case 0xDE:
            mem_arith(c, i, X87M_I16, 2);
            return;
        case 0xD9:
            switch (reg) {
            case 4: {
                uint8_t b[28];
                read_mem(c, i, b, i->osize == 4 ? 28 : 14);
                env_load(c, b, i->osize == 4);
                return;
            }
            case 5:
                c->fpu.cw = (uint16_t)(x86_read(c, i->seg, i->ea, 2) | 0x40);
                if (c->fpu.sw & ~c->fpu.cw & 0x3F)
                    c->fpu.sw |= FE_ES | FE_B;
                else
                    c->fpu.sw &= ~(FE_ES | FE_B);
                return;
            case 6: {
                uint8_t b[28];
                unsigned n = env_image(c, b, i->osize == 4);
                write_mem(c, i, b, n);
                c->fpu.cw |= 0x3F; /* FNSTENV masks all exceptions */
                return;
            }
            case 7:
                x86_write(c, i->seg, i->ea, 2, c->fpu.cw);
                return;
            default:
                break;
            }
            break;
        case 0xDB:
            switch (reg) {
            case 5: {
                uint8_t b[10];
                read_mem(c, i, b, 10);
                set_c(c, 0);
                push(c, from_img(b));
                return;
            }
            case 7: {
                uint8_t b[10];
                if (empty(c, 0)) {
                    if (underflow(c)) return;
                    to_img(&indefinite, b);
                } else {
                    to_img(st(c, 0), b);
                    set_c(c, 0);
                }
                write_mem(c, i, b, 10);
                pop(c);
                return;
            }
            default:
                break;
            }
            break;
        case 0xDD:
            switch (reg) {
            case 4: {
                uint8_t b[108];
                read_mem(c, i, b, i->osize == 4 ? 108 : 94);
                x86_fpu_frstor(c, b, i->osize == 4);
                return;
            }
            case 6: {
                uint8_t b[108];
                x86_fpu_fsave(c, b, i->osize == 4);
                write_mem(c, i, b, i->osize == 4 ? 108 : 94);
                x86_fpu_reset(c);
                return;
            }
            case 7:
                x86_write(c, i->seg, i->ea, 2, get_sw(c));
                return;
            default:
                break;
            }
            break;
        default:
            break;
        }
        x86_raise_ud(c);
    }
    /* register forms */
    switch (opc) {
    case 0xD8:
        if (empty(c, 0) || empty(c, rm)) {
            if (underflow(c)) return;
            if (reg == 2 || reg == 3) {
                set_cm(c, FC0 | FC1 | FC2 | FC3, FC0 | FC2 | FC3);
                if (reg == 3) pop(c);
            } else
                set_st(c, 0, indefinite);
            return;
        }
        arith(c, reg, 0, *st(c, 0), *st(c, rm), false);
        return;
    case 0xDC:
    case 0xDE: {
        if (opc == 0xDE && reg == 3) { /* FCOMPP */
            if (rm != 1) break;
            fcom_regs(c, 1, false, 2);
            return;
        }
        if (reg == 2 || reg == 3) { /* FCOM2/FCOMP3/FCOMP5 aliases */
            fcom_regs(c, rm, false, reg == 3 || opc == 0xDE ? 1 : 0);
            return;
        }
        if (empty(c, 0) || empty(c, rm)) {
            if (underflow(c)) return;
            set_st(c, rm, indefinite);
            if (opc == 0xDE) pop(c);
            return;
        }
        unsigned op = reg >= 4 ? reg ^ 1 : reg;
        arith(c, op, rm, *st(c, rm), *st(c, 0), opc == 0xDE);
        return;
    }
    case 0xD9:
        if (reg == 0) { /* FLD ST(i) */
            if (empty(c, rm)) {
                if (underflow(c)) return;
                push(c, indefinite);
                return;
            }
            set_c(c, 0);
            push(c, *st(c, rm));
            return;
        }
        if (reg == 1) { /* FXCH */
            if (empty(c, 0) || empty(c, rm)) {
                if (underflow(c)) return;
                if (empty(c, 0)) set_st(c, 0, indefinite);
                if (empty(c, rm)) set_st(c, rm, indefinite);
            }
            x87_reg t = *st(c, 0);
            *st(c, 0) = *st(c, rm);
            *st(c, rm) = t;
            set_c(c, 0);
            return;
        }
        if (i->modrm == 0xD0) return; /* FNOP */
        if (reg == 3) {               /* FSTP1 alias */
            goto fstp;
        }
        if (reg >= 4) {
            d9_misc(c, i);
            return;
        }
        break;
    case 0xDA:
        if (reg < 4) {
            if (empty(c, 0) || empty(c, rm)) {
                if (underflow(c)) return;
                set_st(c, 0, indefinite);
                return;
            }
            if (fcmov_cond(c, opc, reg)) set_st(c, 0, *st(c, rm));
            return;
        }
        if (i->modrm == 0xE9) {
            fcom_regs(c, 1, true, 2);
            return;
        }
        break;
    case 0xDB:
        if (reg < 4) {
            if (empty(c, 0) || empty(c, rm)) {
                if (underflow(c)) return;
                set_st(c, 0, indefinite);
                return;
            }
            if (fcmov_cond(c, opc, reg)) set_st(c, 0, *st(c, rm));
            return;
        }
        switch (i->modrm) {
        case 0xE0:
        case 0xE1:
        case 0xE4:
            return; /* FENI/FDISI/FSETPM: no-ops on the 387 and later */
        case 0xE2:
            c->fpu.sw &= (uint16_t) ~(0x7F | FE_ES | FE_B);
            return;
        case 0xE3:
            x86_fpu_reset(c);
            return;
        default:
            break;
        }
        if (reg == 5) {
            fcomi(c, rm, true, false);
            return;
        }
        if (reg == 6) {
            fcomi(c, rm, false, false);
            return;
        }
        break;
    case 0xDD:
        switch (reg) {
        case 0:
            c->fpu.tag_empty |= (uint8_t)(1u << phys(c, rm));
            return; /* FFREE */
        case 1: {
            x87_reg t = *st(c, 0);
            *st(c, 0) = *st(c, rm);
            *st(c, rm) = t;
            return;
        }
        case 2:
        case 3:
        fstp:
            if (empty(c, 0)) {
                if (underflow(c)) return;
                set_st(c, rm, indefinite);
            } else {
                set_st(c, rm, *st(c, 0));
                set_c(c, 0);
            }
            if (reg == 3 || opc == 0xD9 || opc == 0xDF) pop(c);
            return;
        case 4:
            fcom_regs(c, rm, true, 0);
            return;
        case 5:
            fcom_regs(c, rm, true, 1);
            return;
        default:
            break;
        }
        break;
    case 0xDF:
        if (i->modrm == 0xE0) {
            x86_set_reg(c, X86_EAX, 2, get_sw(c));
            return;
        }
        if (reg == 0) {
            c->fpu.tag_empty |= (uint8_t)(1u << phys(c, rm));
            pop(c);
            return;
        } /* FFREEP */
        if (reg == 1) {
            x87_reg t = *st(c, 0);
            *st(c, 0) = *st(c, rm);
            *st(c, rm) = t;
            return;
        }
        if (reg == 2 || reg == 3) goto fstp;
        if (reg == 5) {
            fcomi(c, rm, true, true);
            return;
        }
        if (reg == 6) {
            fcomi(c, rm, false, true);
            return;
        }
        break;
    default:
        break;
    }
    x86_raise_ud(c);
}

/* ---- MMX aliasing (SDM vol. 1 §9.5) ---- */
void x86_mmx_enter(x86_cpu *c) {
    if (c->cr0 & 4) x86_raise_ud_quiet(c);
    if (c->cr0 & 8) x86_raise(c, EXC_NM, 0);
    check_pending(c);
    c->fpu.top = 0;
    c->fpu.tag_empty = 0;
}

uint64_t x86_mmx_get(x86_cpu *c, unsigned n) {
    return c->fpu.st[n & 7].mant;
}

void x86_mmx_set(x86_cpu *c, unsigned n, uint64_t v) {
    c->fpu.st[n & 7].mant = v;
    c->fpu.st[n & 7].se = 0xFFFF;
}

void h_emms(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    if (c->cr0 & 4) x86_raise_ud_quiet(c);
    if (c->cr0 & 8) x86_raise(c, EXC_NM, 0);
    check_pending(c);
    c->fpu.tag_empty = 0xFF;
}
