/* PowerPC 750 floating-point unit: double and single arithmetic (single results rounded once,
 * via a round-to-odd double intermediate), fused multiply-add rounded once, NaN propagation
 * (frA, frB, frC), invalid-operation classes, FPSCR exception/status bits (FX, FEX, VX*, OX,
 * UX, ZX, XX, FR, FI, FPRF), the four rounding modes, fres/frsqrte estimates, fsel, fctiw[z],
 * frsp, compares and the FPSCR moves. Host IEEE arithmetic (SSE) does the rounding; fenv
 * supplies the mode and the flags.
 * Sources: MPCFPE32B ch. 3 (FP model, invalid-operation cases), ch. 2 (FPRF encodings),
 * ch. 8 (per-instruction FPSCR effects), appendix D (load/store single conversions); MPC750 UM
 * ch. 2 (no fsqrt); the 750-specific choices are listed in hwdocs/ppc.md. */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

#include <fenv.h>
#include <math.h>

#define SIGN64 0x8000000000000000ull
#define QUIET64 0x0008000000000000ull
#define DEFAULT_NAN 0x7ff8000000000000ull
#define FRT(i) RD(i)
#define FRA(i) RA(i)
#define FRB(i) RB(i)
#define FRC(i) RC(i)

static inline double dbl(uint64_t u) {
    double d;
    memcpy(&d, &u, 8);
    return d;
}
static inline uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static inline unsigned exp_of(uint64_t u) {
    return (unsigned)(u >> 52) & 0x7ff;
}
static inline uint64_t frac_of(uint64_t u) {
    return u & 0xfffffffffffffull;
}
static inline bool is_nan(uint64_t u) {
    return exp_of(u) == 0x7ff && frac_of(u);
}
static inline bool is_snan(uint64_t u) {
    return is_nan(u) && !(u & QUIET64);
}
static inline bool is_inf(uint64_t u) {
    return exp_of(u) == 0x7ff && !frac_of(u);
}
static inline bool is_zero(uint64_t u) {
    return !(u << 1);
}

/* --- single <-> double formats (MPCFPE32B appendix D) ------------------------------------------
 */

uint64_t vt_ppc_single_to_double(uint32_t w) {
    uint64_t sign = (uint64_t)(w >> 31) << 63;
    unsigned e = (w >> 23) & 0xff;
    uint64_t f = w & 0x7fffff;
    if (e == 0xff) return sign | 0x7ff0000000000000ull | f << 29; /* inf/NaN: bits kept */
    if (e) return sign | (uint64_t)(e - 127 + 1023) << 52 | f << 29;
    if (!f) return sign;
    /* denormal: normalise */
    int ex = 1 - 127;
    while (!(f & 0x800000)) {
        f <<= 1;
        ex--;
    }
    return sign | (uint64_t)(ex + 1023) << 52 | (f & 0x7fffff) << 29;
}

uint32_t vt_ppc_double_to_single(uint64_t d) {
    uint32_t sign = (uint32_t)(d >> 63) << 31;
    unsigned e = exp_of(d);
    if (e > 896 || e == 0x7ff || is_zero(d)) /* in range, inf/NaN, zero: take the bits */
        return sign | (uint32_t)(((d >> 32) & 0x40000000u) | ((d >> 29) & 0x3fffffffu));
    if (e >= 874) { /* single denormal: shift in the implicit bit, truncating */
        uint64_t f = frac_of(d) | 1ull << 52;
        return sign | (uint32_t)(f >> (29 + 897 - e));
    }
    /* Below the single denormal range the result is undefined (D.7); we store a zero of the
     * same sign, as QEMU does (hwdocs/ppc.md). */
    return sign;
}

/* --- FPSCR bookkeeping ------------------------------------------------------------------- */

static void fpscr_summary(vt_ppc_cpu *s) {
    uint32_t f = s->fpscr & ~(FPSCR_VX | FPSCR_FEX);
    if (f & FPSCR_VX_ALL) f |= FPSCR_VX;
    if (((f >> 22) & f & 0x78u) || ((f & FPSCR_VX) && (f & FPSCR_VE))) f |= FPSCR_FEX;
    s->fpscr = f;
}

/* Sets exception bits; FX follows any that changes from 0 to 1. */
static void fp_raise(vt_ppc_cpu *s, uint32_t exc) {
    if (exc & ~s->fpscr & FPSCR_EXC_ALL) s->fpscr |= FPSCR_FX;
    s->fpscr |= exc;
    fpscr_summary(s);
}

/* FPRF class codes (MPCFPE32B ch. 2). */
enum {
    C_QNAN = 0x11,
    C_NINF = 0x09,
    C_NNORM = 0x08,
    C_NDEN = 0x18,
    C_NZERO = 0x12,
    C_PZERO = 0x02,
    C_PDEN = 0x14,
    C_PNORM = 0x04,
    C_PINF = 0x05
};

static unsigned fp_class(uint64_t u, bool single) {
    bool neg = u >> 63;
    unsigned e = exp_of(u);
    if (is_nan(u)) return C_QNAN;
    if (is_inf(u)) return neg ? C_NINF : C_PINF;
    if (is_zero(u)) return neg ? C_NZERO : C_PZERO;
    bool den = single ? e < 897 : e == 0;
    return den ? (neg ? C_NDEN : C_PDEN) : (neg ? C_NNORM : C_PNORM);
}

static void set_fprf(vt_ppc_cpu *s, unsigned c) {
    s->fpscr = (s->fpscr & ~FPSCR_FPRF) | c << FPSCR_FPRF_SHIFT;
}
static void set_fr_fi(vt_ppc_cpu *s, bool fr, bool fi) {
    s->fpscr = (s->fpscr & ~(FPSCR_FR | FPSCR_FI)) | (fr ? FPSCR_FR : 0) | (fi ? FPSCR_FI : 0);
}

/* Ends an FP instruction: Rc copies FX, FEX, VX, OX into CR1; an enabled exception with
 * MSR[FE0|FE1] != 0 takes the program exception (precise modes; UM ch. 4). */
static unsigned fp_finish(vt_ppc_cpu *s, uint32_t i, bool exc_raised) {
    if (RCBIT(i)) ppc_set_crf(s, 1, s->fpscr >> 28);
    if (exc_raised && (s->fpscr & FPSCR_FEX) && (s->msr & (MSR_FE0 | MSR_FE1)))
        vt_ppc_program(s, VT_PPC_PROG_FP);
    return 0;
}

static const int host_rounding[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};

/* --- arithmetic -------------------------------------------------------------------------- */

typedef enum { OP_ADD, OP_MUL, OP_DIV, OP_FMA } fp_op;

/* One host operation in the current rounding mode; the flags it raised in *flags. */
static double host_op(fp_op op, double a, double b, double c, int mode, int *flags) {
    volatile double va = a, vb = b, vc = c, r;
    fesetround(mode);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case OP_ADD:
        r = va + vb;
        break;
    case OP_MUL:
        r = va * vc;
        break;
    case OP_DIV:
        r = va / vb;
        break;
    default:
        r = fma(va, vc, vb);
        break;
    }
    *flags = fetestexcept(FE_ALL_EXCEPT);
    double out = r;
    fesetround(FE_TONEAREST);
    return out;
}

static float host_to_single(double d, int mode, int *flags) {
    volatile double vd = d;
    volatile float r;
    fesetround(mode);
    feclearexcept(FE_ALL_EXCEPT);
    r = (float)vd;
    *flags = fetestexcept(FE_ALL_EXCEPT);
    float out = r;
    fesetround(FE_TONEAREST);
    return out;
}

/* Underflow as the PowerPC signals it with UE=0: the exact result is tiny *before*
 * rounding (non-zero, below the smallest normal of the target format) and the result is
 * inexact (MPCFPE32B ch. 3). The host detects tininess after rounding, so its flag is
 * replaced. `t` is the result rounded toward zero (with the sticky bit in the single case),
 * which is below the normal limit exactly when the exact result is. */
static int with_ppc_underflow(int flags, double t, bool single) {
    double limit = single ? 0x1p-126 : 0x1p-1022;
    bool tiny = fabs(t) < limit && (t != 0 || (flags & FE_INEXACT));
    flags &= ~FE_UNDERFLOW;
    return (tiny && (flags & FE_INEXACT)) ? flags | FE_UNDERFLOW : flags;
}

/* Rounds the exact result of op once, to double or to single precision. */
static uint64_t round_op(vt_ppc_cpu *s, fp_op op, double a, double b, double c, bool single,
                         bool *fr, int *flags) {
    int mode = host_rounding[s->fpscr & FPSCR_RN];
    if (!single) {
        int f2;
        double r = host_op(op, a, b, c, mode, flags);
        double t = host_op(op, a, b, c, FE_TOWARDZERO, &f2);
        *fr = (*flags & FE_INEXACT) && fabs(r) != fabs(t);
        *flags = with_ppc_underflow(*flags, t, false);
        return bits(r);
    }
    /* Round to odd in double (53 >= 24 + 2 bits), then to single: one correct rounding. */
    int f0, f2;
    double t = host_op(op, a, b, c, FE_TOWARDZERO, &f0);
    if (f0 & FE_INEXACT)
        t = dbl(bits(t) | 1);
    else if (t == 0) /* an exact zero takes its sign from the real mode (x - x = -0 in RM) */
        t = host_op(op, a, b, c, mode, &f0);
    float r = host_to_single(t, mode, flags);
    float z = host_to_single(t, FE_TOWARDZERO, &f2);
    *flags |= f0 & FE_INEXACT;
    *fr = (*flags & FE_INEXACT) && fabsf(r) != fabsf(z);
    *flags = with_ppc_underflow(*flags, t, true);
    return bits((double)r);
}

/* The operation with its exact result scaled by 2^k (a scaled; the addend too for add and
 * multiply-add), for the exponent-adjusted results of enabled overflow/underflow. */
static uint64_t scaled_op(vt_ppc_cpu *s, fp_op op, uint64_t a, uint64_t be, uint64_t c, int k,
                          bool single, bool *fr, int *flags) {
    double sb = (op == OP_ADD || op == OP_FMA) ? ldexp(dbl(be), k) : dbl(be);
    return round_op(s, op, ldexp(dbl(a), k), sb, dbl(c), single, fr, flags);
}

static unsigned write_result(vt_ppc_cpu *s, uint32_t i, uint64_t r, bool single) {
    s->fpr[FRT(i)] = r;
    set_fprf(s, fp_class(r, single));
    return 0;
}

/* The NaN result when an operand is a NaN: the first of frA, frB, frC, made quiet (and
 * rounded to single precision for single instructions). */
static uint64_t nan_result(uint64_t r, bool single) {
    r |= QUIET64;
    return single ? r & ~0x1fffffffull : r;
}

/* The common path of fadd/fsub/fmul/fdiv/fmadd families. nb/nr: negate the addend / the
 * final (non-NaN) result. */
static unsigned arith(vt_ppc_cpu *s, uint32_t i, fp_op op, uint64_t a, uint64_t b, uint64_t c,
                      bool nb, bool nr) {
    bool single = (i >> 26) == 59;
    bool uses_b = op != OP_MUL, uses_c = op == OP_MUL || op == OP_FMA;
    uint32_t exc = 0;
    if (is_snan(a) || (uses_b && is_snan(b)) || (uses_c && is_snan(c))) exc |= FPSCR_VXSNAN;
    uint64_t be = nb ? b ^ SIGN64 : b; /* effective addend */
    bool any_nan = is_nan(a) || (uses_b && is_nan(b)) || (uses_c && is_nan(c));
    switch (op) {
    case OP_ADD:
        if (is_inf(a) && is_inf(be) && (a ^ be) >> 63) exc |= FPSCR_VXISI;
        break;
    case OP_MUL:
        if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c))) exc |= FPSCR_VXIMZ;
        break;
    case OP_DIV:
        if (is_inf(a) && is_inf(b)) exc |= FPSCR_VXIDI;
        if (is_zero(a) && is_zero(b)) exc |= FPSCR_VXZDZ;
        break;
    default:
        /* inf * 0 is invalid even with a QNaN addend (MPCFPE32B fmadd). */
        if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c)))
            exc |= FPSCR_VXIMZ;
        else if (!any_nan && (is_inf(a) || is_inf(c)) && is_inf(be) && ((a ^ c ^ be) >> 63))
            exc |= FPSCR_VXISI;
        break;
    }
    if (exc) {
        fp_raise(s, exc);
        if (s->fpscr & FPSCR_VE) { /* enabled: frD and FPRF unchanged */
            set_fr_fi(s, false, false);
            return fp_finish(s, i, true);
        }
    }
    if (any_nan || exc) {
        uint64_t r = is_nan(a)               ? a
                     : (uses_b && is_nan(b)) ? b
                     : (uses_c && is_nan(c)) ? c
                                             : DEFAULT_NAN;
        set_fr_fi(s, false, false);
        write_result(s, i, nan_result(r, single), single);
        return fp_finish(s, i, exc != 0);
    }
    if (op == OP_DIV && is_zero(b) && !is_inf(a)) { /* finite non-zero / 0 */
        fp_raise(s, FPSCR_ZX);
        set_fr_fi(s, false, false);
        if (s->fpscr & FPSCR_ZE) return fp_finish(s, i, true);
        write_result(s, i, ((a ^ b) & SIGN64) | 0x7ff0000000000000ull, single);
        return fp_finish(s, i, true);
    }
    bool fr;
    int flags;
    uint64_t r = round_op(s, op, dbl(a), dbl(be), dbl(c), single, &fr, &flags);
    uint32_t raised = 0;
    if (flags & FE_OVERFLOW) raised |= FPSCR_OX;
    if (flags & FE_UNDERFLOW) raised |= FPSCR_UX;
    if (flags & FE_INEXACT) raised |= FPSCR_XX;
    if ((raised & FPSCR_OX) && (s->fpscr & FPSCR_OE)) {
        /* Enabled overflow: the result with its exponent reduced by 1536 (192 single). */
        int k = single ? -192 : -1536;
        r = scaled_op(s, op, a, be, c, k, single, &fr, &flags);
        raised = FPSCR_OX | ((flags & FE_INEXACT) ? FPSCR_XX : 0);
    } else if ((s->fpscr & FPSCR_UE) && ((raised & FPSCR_UX) || fp_class(r, single) == C_NDEN ||
                                         fp_class(r, single) == C_PDEN)) {
        /* Enabled underflow: exponent increased by 1536 (192 single). */
        int k = single ? 192 : 1536;
        r = scaled_op(s, op, a, be, c, k, single, &fr, &flags);
        raised = FPSCR_UX | ((flags & FE_INEXACT) ? FPSCR_XX : 0);
    }
    if (raised) fp_raise(s, raised);
    set_fr_fi(s, fr, flags & FE_INEXACT);
    if (nr) r ^= SIGN64;
    write_result(s, i, r, single);
    return fp_finish(s, i, raised != 0);
}

unsigned h_fadd(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    return arith(s, i, OP_ADD, s->fpr[FRA(i)], s->fpr[FRB(i)], 0, false, false);
}
unsigned h_fsub(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    return arith(s, i, OP_ADD, s->fpr[FRA(i)], s->fpr[FRB(i)], 0, true, false);
}
unsigned h_fmul(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    return arith(s, i, OP_MUL, s->fpr[FRA(i)], 0, s->fpr[FRC(i)], false, false);
}
unsigned h_fdiv(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    return arith(s, i, OP_DIV, s->fpr[FRA(i)], s->fpr[FRB(i)], 0, false, false);
}
/* xo 28 fmsub, 29 fmadd, 30 fnmsub, 31 fnmadd: bit 0 of xo = add, bit 1 = negate. */
unsigned h_fmadd(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    unsigned xo = (i >> 1) & 31;
    return arith(s, i, OP_FMA, s->fpr[FRA(i)], s->fpr[FRB(i)], s->fpr[FRC(i)], !(xo & 1),
                 (xo & 2) != 0);
}

/* frsp: round to single (MPCFPE32B ch. 3). */
unsigned h_frsp(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t b = s->fpr[FRB(i)];
    if (is_nan(b)) {
        bool sn = is_snan(b);
        if (sn) {
            fp_raise(s, FPSCR_VXSNAN);
            if (s->fpscr & FPSCR_VE) {
                set_fr_fi(s, false, false);
                return fp_finish(s, i, true);
            }
        }
        set_fr_fi(s, false, false);
        write_result(s, i, nan_result(b, true), true);
        return fp_finish(s, i, sn);
    }
    int flags, f2;
    int mode = host_rounding[s->fpscr & FPSCR_RN];
    float r = host_to_single(dbl(b), mode, &flags);
    float z = host_to_single(dbl(b), FE_TOWARDZERO, &f2);
    flags = with_ppc_underflow(flags, dbl(b), true);
    uint32_t raised = (flags & FE_OVERFLOW ? FPSCR_OX : 0) | (flags & FE_UNDERFLOW ? FPSCR_UX : 0) |
                      (flags & FE_INEXACT ? FPSCR_XX : 0);
    if (raised) fp_raise(s, raised);
    set_fr_fi(s, (flags & FE_INEXACT) && fabsf(r) != fabsf(z), flags & FE_INEXACT);
    write_result(s, i, bits((double)r), true);
    return fp_finish(s, i, raised != 0);
}

/* fctiw/fctiwz: to a signed word in the current mode (or toward zero); the word goes to the
 * low half of frD, the high half reads 0xfff80000 on 750-family parts. FPRF is left as it
 * was (the architecture leaves it undefined). */
unsigned h_fctiw(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t b = s->fpr[FRB(i)];
    bool z = ((i >> 1) & 0x3ff) == 15;
    int mode = z ? FE_TOWARDZERO : host_rounding[s->fpscr & FPSCR_RN];
    uint32_t exc = 0, word;
    bool fr = false, fi = false;
    if (is_nan(b)) {
        exc = FPSCR_VXCVI | (is_snan(b) ? FPSCR_VXSNAN : 0);
        word = 0x80000000u;
    } else {
        volatile double vb = dbl(b), r;
        fesetround(mode);
        r = nearbyint(vb);
        fesetround(FE_TONEAREST);
        double rr = r;
        if (rr > 2147483647.0 || rr < -2147483648.0) {
            exc = FPSCR_VXCVI;
            word = (b >> 63) ? 0x80000000u : 0x7fffffffu;
        } else {
            word = (uint32_t)(int32_t)rr;
            fi = rr != dbl(b);
            fr = fi && fabs(rr) > fabs(dbl(b));
        }
    }
    if (exc) {
        fp_raise(s, exc);
        set_fr_fi(s, false, false);
        if (s->fpscr & FPSCR_VE) return fp_finish(s, i, true);
    } else if (fi) {
        fp_raise(s, FPSCR_XX);
    }
    set_fr_fi(s, fr, fi);
    s->fpr[FRT(i)] = 0xfff8000000000000ull | word;
    return fp_finish(s, i, exc || fi);
}

/* fres / frsqrte: the architecture bounds the estimates (1 part in 256 / in 32); the 750's
 * own tables are not published. We compute the correctly rounded value and keep 12 fraction
 * bits (truncating): relative error < 2^-12 (hwdocs/ppc.md). */
static uint64_t estimate(uint64_t r, bool single) {
    if (is_nan(r) || is_inf(r) || is_zero(r)) return r;
    if (single) { /* keep 12 fraction bits of the single result */
        uint32_t w = vt_ppc_double_to_single(r);
        if (((w >> 23) & 0xff) != 0) w &= ~0x7ffu;
        return vt_ppc_single_to_double(w);
    }
    return exp_of(r) ? r & ~0xffffffffffull : r;
}

static unsigned estimate_special(vt_ppc_cpu *s, uint32_t i, uint64_t b, bool single, bool *done) {
    *done = true;
    if (is_nan(b)) {
        bool sn = is_snan(b);
        if (sn) fp_raise(s, FPSCR_VXSNAN);
        set_fr_fi(s, false, false);
        if (!(sn && (s->fpscr & FPSCR_VE))) write_result(s, i, nan_result(b, single), single);
        return fp_finish(s, i, sn);
    }
    if (is_zero(b)) {
        fp_raise(s, FPSCR_ZX);
        set_fr_fi(s, false, false);
        if (!(s->fpscr & FPSCR_ZE))
            write_result(s, i, (b & SIGN64) | 0x7ff0000000000000ull, single);
        return fp_finish(s, i, true);
    }
    *done = false;
    return 0;
}

unsigned h_fres(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t b = s->fpr[FRB(i)];
    bool done;
    unsigned r = estimate_special(s, i, b, true, &done);
    if (done) return r;
    bool fr;
    int flags;
    uint64_t q = round_op(s, OP_DIV, 1.0, dbl(b), 0, true, &fr, &flags);
    uint32_t raised = (flags & FE_OVERFLOW ? FPSCR_OX : 0) | (flags & FE_UNDERFLOW ? FPSCR_UX : 0);
    if (raised) fp_raise(s, raised);
    set_fr_fi(s, false, false);
    write_result(s, i, estimate(q, true), true);
    return fp_finish(s, i, raised != 0);
}

unsigned h_frsqrte(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t b = s->fpr[FRB(i)];
    bool done;
    unsigned r = estimate_special(s, i, b, false, &done);
    if (done) return r;
    if (b >> 63) { /* negative non-zero (incl. -inf) */
        fp_raise(s, FPSCR_VXSQRT);
        set_fr_fi(s, false, false);
        if (!(s->fpscr & FPSCR_VE)) write_result(s, i, DEFAULT_NAN, false);
        return fp_finish(s, i, true);
    }
    set_fr_fi(s, false, false);
    write_result(s, i, is_inf(b) ? 0 : estimate(bits(1.0 / sqrt(dbl(b))), false), false);
    return fp_finish(s, i, false);
}

/* fsel: frA >= 0 (and not a NaN) ? frC : frB; no FPSCR change. */
unsigned h_fsel(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t a = s->fpr[FRA(i)];
    bool ge = !is_nan(a) && (is_zero(a) || !(a >> 63));
    s->fpr[FRT(i)] = ge ? s->fpr[FRC(i)] : s->fpr[FRB(i)];
    return fp_finish(s, i, false);
}

/* fmr, fneg, fabs, fnabs: sign-bit moves, no FPSCR change. */
unsigned h_fmove(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t b = s->fpr[FRB(i)];
    switch ((i >> 1) & 0x3ff) {
    case 40:
        b ^= SIGN64;
        break; /* fneg */
    case 136:
        b |= SIGN64;
        break; /* fnabs */
    case 264:
        b &= ~SIGN64;
        break; /* fabs */
    default:
        break; /* fmr */
    }
    s->fpr[FRT(i)] = b;
    return fp_finish(s, i, false);
}

/* fcmpu / fcmpo (MPCFPE32B 8: VXVC for fcmpo on any NaN, for an SNaN only when VE=0). */
unsigned h_fcmp(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint64_t a = s->fpr[FRA(i)], b = s->fpr[FRB(i)];
    unsigned c;
    uint32_t exc = 0;
    if (is_nan(a) || is_nan(b)) {
        c = 1;
        bool sn = is_snan(a) || is_snan(b);
        if (sn) exc |= FPSCR_VXSNAN;
        if (((i >> 1) & 0x3ff) == 32 && (!sn || !(s->fpscr & FPSCR_VE))) exc |= FPSCR_VXVC;
    } else {
        double x = dbl(a), y = dbl(b);
        c = x < y ? 8 : x > y ? 4 : 2;
    }
    s->fpscr = (s->fpscr & ~FPSCR_FPCC) | c << FPSCR_FPRF_SHIFT;
    ppc_set_crf(s, (i >> 23) & 7, c);
    if (exc) fp_raise(s, exc);
    if (exc && (s->fpscr & FPSCR_FEX) && (s->msr & (MSR_FE0 | MSR_FE1)))
        vt_ppc_program(s, VT_PPC_PROG_FP);
    return 0;
}

/* --- FPSCR moves -------------------------------------------------------------------------- */

/* mffs: FPSCR into the low word of frD; 750-family parts put 0xfff80000 in the high word. */
unsigned h_mffs(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    s->fpr[FRT(i)] = 0xfff8000000000000ull | s->fpscr;
    return fp_finish(s, i, false);
}

/* Writes FPSCR bits under mask: FEX and VX are always recomputed, never written (8: mtfsf). */
static unsigned fpscr_write(vt_ppc_cpu *s, uint32_t i, uint32_t v, uint32_t mask) {
    mask &= ~(FPSCR_FEX | FPSCR_VX | FPSCR_RESERVED);
    s->fpscr = (s->fpscr & ~mask) | (v & mask);
    fpscr_summary(s);
    return fp_finish(s, i, true);
}

unsigned h_mtfsf(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    unsigned fm = (i >> 17) & 0xff;
    uint32_t mask = 0;
    for (unsigned f = 0; f < 8; f++)
        if (fm & (0x80u >> f)) mask |= 0xf0000000u >> (4 * f);
    return fpscr_write(s, i, (uint32_t)s->fpr[FRB(i)], mask);
}

unsigned h_mtfsfi(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    unsigned f = (i >> 23) & 7;
    uint32_t imm = (i >> 12) & 0xf;
    return fpscr_write(s, i, imm << (28 - 4 * f), 0xf0000000u >> (4 * f));
}

/* mtfsb0/mtfsb1 crbD: setting an exception bit sets FX as any 0 -> 1 change does. */
unsigned h_mtfsb(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    uint32_t bit = 1u << (31 - RD(i));
    if (((i >> 1) & 0x3ff) == 38) {
        if (bit & (FPSCR_FEX | FPSCR_VX | FPSCR_RESERVED)) return fp_finish(s, i, false);
        if (bit & FPSCR_EXC_ALL)
            fp_raise(s, bit);
        else
            s->fpscr |= bit;
        fpscr_summary(s);
    } else {
        s->fpscr &= ~(bit & ~(FPSCR_FEX | FPSCR_VX));
        fpscr_summary(s);
    }
    return fp_finish(s, i, true);
}

/* mcrfs: FPSCR field crfS to CR field crfD; the exception bits copied are cleared. */
unsigned h_mcrfs(vt_ppc_cpu *s, uint32_t i) {
    if (ppc_fp_off(s)) return 0;
    unsigned src = (i >> 18) & 7;
    uint32_t field = 0xf0000000u >> (4 * src);
    ppc_set_crf(s, (i >> 23) & 7, s->fpscr >> (28 - 4 * src));
    s->fpscr &= ~(field & (FPSCR_FX | FPSCR_EXC_ALL));
    fpscr_summary(s);
    return 0;
}
