/* VFPv2 IEEE 754 arithmetic with ARM's rules. The host FPU (SSE, IEEE 754) computes the
 * correctly rounded results and the invalid / divide-by-zero / overflow / inexact flags in the
 * FPSCR rounding mode; singles are computed in double and narrowed, which is exact or a
 * harmless double rounding for + - * / sqrt (53 >= 2*24+2). What differs from the host is done
 * here: NaN selection and default NaN (ARM ARM C2.4), flush-to-zero of inputs and results
 * (C2.7), underflow detected before rounding (C2.4.x), and float-to-integer conversions. */
#include <fenv.h>
#include <math.h>

#include "core/cpu/arm/arm_vfp.h"

/* keeps the compiler from moving host FP operations across the fenv calls */
#define FP_BARRIER(v) __asm__ volatile("" : "+m"(v))

static uint64_t sign_bit(bool dbl) {
    return dbl ? 1ull << 63 : 1ull << 31;
}
static uint64_t abs_bits(bool dbl, uint64_t a) {
    return a & (sign_bit(dbl) - 1);
}
static uint64_t inf_bits(bool dbl) {
    return dbl ? 0x7ff0000000000000ull : 0x7f800000u;
}
static uint64_t quiet_bit(bool dbl) {
    return dbl ? 1ull << 51 : 1ull << 22;
}
static uint64_t min_normal(bool dbl) {
    return dbl ? 1ull << 52 : 1ull << 23;
}
static uint64_t default_nan(bool dbl) {
    return inf_bits(dbl) | quiet_bit(dbl);
}
static bool is_nan(bool dbl, uint64_t a) {
    return abs_bits(dbl, a) > inf_bits(dbl);
}
static bool is_snan(bool dbl, uint64_t a) {
    return is_nan(dbl, a) && !(a & quiet_bit(dbl));
}

static double to_host(bool dbl, uint64_t a) {
    if (dbl) {
        double d;
        memcpy(&d, &a, sizeof d);
        return d;
    }
    uint32_t w = (uint32_t)a;
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}
static uint64_t double_bits(double d) {
    uint64_t a;
    memcpy(&a, &d, sizeof a);
    return a;
}
static uint64_t float_bits(float f) {
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return w;
}

/* Flush-to-zero of a denormal input (C2.7): signed zero, Input Denormal flag. */
static uint64_t flush_in(vt_vfp_env *e, bool dbl, uint64_t a) {
    if ((e->fpscr & VT_FPSCR_FZ) && abs_bits(dbl, a) && abs_bits(dbl, a) < min_normal(dbl)) {
        e->flags |= VT_FPSCR_IDC;
        return a & sign_bit(dbl);
    }
    return a;
}

/* NaN operand(s): the first signalling NaN, else the first quiet one, made quiet (C2.4). */
static uint64_t nan_result(vt_vfp_env *e, bool dbl, uint64_t a, uint64_t b) {
    uint64_t r;
    if (is_snan(dbl, a) || is_snan(dbl, b)) e->flags |= VT_FPSCR_IOC;
    if (is_snan(dbl, a))
        r = a;
    else if (is_snan(dbl, b))
        r = b;
    else
        r = is_nan(dbl, a) ? a : b;
    return e->fpscr & VT_FPSCR_DN ? default_nan(dbl) : r | quiet_bit(dbl);
}

static const int host_round[4] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};

static void host_begin(const vt_vfp_env *e) {
    fesetround(host_round[(e->fpscr >> VT_FPSCR_RMODE_SHIFT) & 3]);
    feclearexcept(FE_ALL_EXCEPT);
}

/* Host flags as FPSCR flags; underflow is ARM's own (tininess before rounding), see finish. */
static uint32_t host_end(void) {
    int x = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW | FE_INEXACT);
    fesetround(FE_TONEAREST);
    return (x & FE_INVALID ? VT_FPSCR_IOC : 0) | (x & FE_DIVBYZERO ? VT_FPSCR_DZC : 0) |
           (x & FE_OVERFLOW ? VT_FPSCR_OFC : 0) | (x & FE_INEXACT ? VT_FPSCR_IXC : 0);
}

/* Final flags of a rounded result. `tiny`: the exact result was non-zero and below the
 * smallest normal. ARM flushes it to zero in FZ mode (Underflow, not Inexact), else raises
 * Underflow when it was also inexact. A NaN out of the host is an invalid operation: ARM's
 * default NaN is positive (the host's is negative). */
static uint64_t finish(vt_vfp_env *e, bool dbl, uint64_t r, uint32_t flags, bool tiny) {
    if (is_nan(dbl, r)) r = default_nan(dbl);
    if (tiny) {
        if (e->fpscr & VT_FPSCR_FZ) {
            r &= sign_bit(dbl);
            flags = (flags & ~VT_FPSCR_IXC) | VT_FPSCR_UFC;
        } else if (flags & VT_FPSCR_IXC) {
            flags |= VT_FPSCR_UFC;
        }
    }
    e->flags |= flags;
    return r;
}

static double host_op(vt_vfp_op op, double x, double y) {
    switch (op) {
    case VT_VFP_ADD:
        return x + y;
    case VT_VFP_SUB:
        return x - y;
    case VT_VFP_MUL:
        return x * y;
    default:
        return x / y;
    }
}

/* Is the exact result of a double operation non-zero and below 2^-1022? Quad precision is
 * exact for + - * in that range and far closer than one double ulp for /. */
static bool double_exact_tiny(vt_vfp_op op, double x, double y) {
    __float128 a = x, b = y, q;
    switch (op) {
    case VT_VFP_ADD:
        q = a + b;
        break;
    case VT_VFP_SUB:
        q = a - b;
        break;
    case VT_VFP_MUL:
        q = a * b;
        break;
    default:
        q = a / b;
        break;
    }
    if (q < 0) q = -q;
    return q != 0 && q < (__float128)0x1p-1022;
}

uint64_t vt_vfp_arith(vt_vfp_env *e, vt_vfp_op op, bool dbl, uint64_t a, uint64_t b) {
    a = flush_in(e, dbl, a);
    b = flush_in(e, dbl, b);
    if (is_nan(dbl, a) || is_nan(dbl, b)) return nan_result(e, dbl, a, b);
    double x = to_host(dbl, a), y = to_host(dbl, b), r;
    uint64_t res;
    host_begin(e);
    FP_BARRIER(x);
    FP_BARRIER(y);
    r = host_op(op, x, y);
    FP_BARRIER(r);
    if (dbl) {
        res = double_bits(r);
    } else {
        float f = (float)r;
        FP_BARRIER(f);
        res = float_bits(f);
    }
    uint32_t flags = host_end();
    bool tiny = false;
    if (abs_bits(dbl, res) <= min_normal(dbl) && !is_nan(dbl, res))
        tiny = dbl ? double_exact_tiny(op, x, y) : r != 0 && fabs(r) < 0x1p-126;
    return finish(e, dbl, res, flags, tiny);
}

uint64_t vt_vfp_sqrt(vt_vfp_env *e, bool dbl, uint64_t a) {
    a = flush_in(e, dbl, a);
    if (is_nan(dbl, a)) return nan_result(e, dbl, a, a);
    double x = to_host(dbl, a), r;
    uint64_t res;
    host_begin(e);
    FP_BARRIER(x);
    r = sqrt(x);
    FP_BARRIER(r);
    if (dbl) {
        res = double_bits(r);
    } else {
        float f = (float)r;
        FP_BARRIER(f);
        res = float_bits(f);
    }
    /* a square root is never tiny: sqrt of the smallest denormal is normal */
    return finish(e, dbl, res, host_end(), false);
}

unsigned vt_vfp_compare(vt_vfp_env *e, bool dbl, uint64_t a, uint64_t b, bool quiet_nan_traps) {
    a = flush_in(e, dbl, a);
    b = flush_in(e, dbl, b);
    if (is_nan(dbl, a) || is_nan(dbl, b)) {
        if (quiet_nan_traps || is_snan(dbl, a) || is_snan(dbl, b)) e->flags |= VT_FPSCR_IOC;
        return 0x3; /* unordered: C and V */
    }
    double x = to_host(dbl, a), y = to_host(dbl, b);
    return x == y ? 0x6 : x < y ? 0x8 : 0x2;
}

/* Round to an integral value in FPSCR mode m, without the host's rounding mode. */
static double round_int(double x, unsigned m) {
    switch (m) {
    case 0: {
        double f = floor(x), d = x - f; /* exact */
        if (d != 0.5) return d < 0.5 ? f : f + 1;
        return fmod(f, 2) == 0 ? f : f + 1;
    }
    case 1:
        return ceil(x);
    case 2:
        return floor(x);
    default:
        return trunc(x);
    }
}

uint32_t vt_vfp_to_int(vt_vfp_env *e, bool dbl, uint64_t a, bool is_signed, bool round_zero) {
    a = flush_in(e, dbl, a);
    if (is_nan(dbl, a)) {
        e->flags |= VT_FPSCR_IOC;
        return 0;
    }
    double x = to_host(dbl, a);
    double r = round_int(x, round_zero ? 3 : (e->fpscr >> VT_FPSCR_RMODE_SHIFT) & 3);
    double lo = is_signed ? -2147483648.0 : 0, hi = is_signed ? 2147483647.0 : 4294967295.0;
    if (r < lo || r > hi) {
        e->flags |= VT_FPSCR_IOC;
        if (r < lo) return is_signed ? 0x80000000u : 0;
        return is_signed ? 0x7fffffffu : 0xffffffffu;
    }
    if (r != x) e->flags |= VT_FPSCR_IXC;
    return is_signed ? (uint32_t)(int32_t)r : (uint32_t)r;
}

uint64_t vt_vfp_from_int(vt_vfp_env *e, bool dbl, uint32_t v, bool is_signed) {
    double x = is_signed ? (double)(int32_t)v : (double)v; /* exact */
    if (dbl) return double_bits(x);
    host_begin(e);
    FP_BARRIER(x);
    float f = (float)x;
    FP_BARRIER(f);
    e->flags |= host_end();
    return float_bits(f);
}

uint64_t vt_vfp_convert(vt_vfp_env *e, bool to_dbl, uint64_t a) {
    bool from_dbl = !to_dbl;
    a = flush_in(e, from_dbl, a);
    if (is_nan(from_dbl, a)) {
        if (is_snan(from_dbl, a)) e->flags |= VT_FPSCR_IOC;
        if (e->fpscr & VT_FPSCR_DN) return default_nan(to_dbl);
        /* quiet, same sign, fraction's top bits kept (C2.4) */
        if (to_dbl) return (a & 0x80000000u) << 32 | default_nan(true) | (a & 0x003fffffu) << 29;
        return (a >> 32 & 0x80000000u) | default_nan(false) | (a >> 29 & 0x003fffffu);
    }
    if (to_dbl) return double_bits(to_host(false, a)); /* exact */
    double x = to_host(true, a);
    host_begin(e);
    FP_BARRIER(x);
    float f = (float)x;
    FP_BARRIER(f);
    uint32_t flags = host_end();
    return finish(e, false, float_bits(f), flags, x != 0 && fabs(x) < 0x1p-126);
}
