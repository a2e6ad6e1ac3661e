/* SPARC V8 floating-point unit as on the microSPARC-II: single and double precision FPops,
 * FSR rounding modes, current/accrued exception fields and trap-enable mask, fcc compares.
 * Quad-precision FPops and FsMULd/FdMULq are not implemented by the MB86904 and trap as
 * fp_exception with ftt = unimplemented_FPop, as the chip does. IEEE arithmetic uses the host
 * FPU (SSE, deterministic) with its rounding mode set from FSR.RD for each operation.
 * Sources: SPARC V8 manual ch. 4.4 (FSR), 5.1.7 (FPop), appendix B.22-B.26. */
#include "core/cpu/sparc/sparc_cpu.h"
#include "core/cpu/sparc/sparc_ops.h"

#include <fenv.h>
#include <math.h>

#include "core/log.h"

enum { EXC_NX = 1, EXC_DZ = 2, EXC_UF = 4, EXC_OF = 8, EXC_NV = 16 };

typedef struct fpop_info {
    uint8_t cycles, implemented;
} fpop_info;

static const fpop_info fpop_table[0x200] = {
#define X(opf, name, cyc, impl) [opf] = {cyc, impl},
    SPARC_FPOPS(X)
#undef X
};

static float getf(const vt_sparc_cpu *s, unsigned r) {
    float f;
    memcpy(&f, &s->f[r], 4);
    return f;
}
static void setf(vt_sparc_cpu *s, unsigned r, float f) {
    memcpy(&s->f[r], &f, 4);
}
static double getd(const vt_sparc_cpu *s, unsigned r) {
    uint64_t u = (uint64_t)s->f[r & 30] << 32 | s->f[(r & 30) + 1];
    double d;
    memcpy(&d, &u, 8);
    return d;
}
static void setd(vt_sparc_cpu *s, unsigned r, double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    s->f[r & 30] = (uint32_t)(u >> 32);
    s->f[(r & 30) + 1] = (uint32_t)u;
}

static unsigned host_flags(void) {
    int e = fetestexcept(FE_ALL_EXCEPT);
    return (e & FE_INEXACT ? EXC_NX : 0) | (e & FE_DIVBYZERO ? EXC_DZ : 0) |
           (e & FE_UNDERFLOW ? EXC_UF : 0) | (e & FE_OVERFLOW ? EXC_OF : 0) |
           (e & FE_INVALID ? EXC_NV : 0);
}

static bool is_snan_f(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return (u & 0x7f800000u) == 0x7f800000u && (u & 0x7fffff) && !(u & 0x400000);
}
static bool is_snan_d(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return (u & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (u & 0xfffffffffffffull) &&
           !(u & 0x8000000000000ull);
}

/* SPARC NaN results: an operand NaN propagates quieted, rs2's taking precedence over rs1's;
 * an invalid operation without NaN operands gives the default NaN (all ones but the sign). */
static float nan_f(float r, float a, float b) {
    if (!isnan(r)) return r;
    uint32_t u;
    if (isnan(b))
        memcpy(&u, &b, 4), u |= 0x400000;
    else if (isnan(a))
        memcpy(&u, &a, 4), u |= 0x400000;
    else
        u = 0x7fffffffu;
    memcpy(&r, &u, 4);
    return r;
}
static double nan_d(double r, double a, double b) {
    if (!isnan(r)) return r;
    uint64_t u;
    if (isnan(b))
        memcpy(&u, &b, 8), u |= 0x8000000000000ull;
    else if (isnan(a))
        memcpy(&u, &a, 8), u |= 0x8000000000000ull;
    else
        u = 0x7fffffffffffffffull;
    memcpy(&r, &u, 8);
    return r;
}

static unsigned fcmp(double a, double b) {
    if (isnan(a) || isnan(b)) return 3;
    return a == b ? 0 : a < b ? 1 : 2;
}

static int32_t to_int(double d, unsigned *exc) {
    if (isnan(d) || d >= 2147483648.0 || d < -2147483648.0) {
        *exc |= EXC_NV;
        return (isnan(d) || d > 0) ? INT32_MAX : INT32_MIN;
    }
    double t = trunc(d);
    if (t != d) *exc |= EXC_NX;
    return (int32_t)t;
}

int vt_sparc_fpop(vt_sparc_cpu *s, uint32_t insn, unsigned *cycles) {
    unsigned opf = (insn >> 5) & 0x1ff, rd = (insn >> 25) & 31, rs1 = (insn >> 14) & 31,
             rs2 = insn & 31;
    bool fpop2 = ((insn >> 19) & 0x3f) == 0x35;
    const fpop_info *info = &fpop_table[opf];
    bool is_cmp = (opf & 0x1f0) == 0x050;
    *cycles = info->cycles ? info->cycles : 1;
    if (!info->cycles || !info->implemented || is_cmp != fpop2) {
        if (info->cycles == 0)
            vt_log(VT_LOG_UNIMP, "unimplemented: sparc %08x at %08x", insn, s->pc);
        /* Deferred trap with the FPop in the queue (V8 4.4, FQ). */
        s->fsr = (s->fsr & ~FSR_FTT_MASK) | FTT_UNIMP << FSR_FTT_SHIFT | FSR_QNE;
        s->fq_addr = s->pc;
        s->fq_insn = insn;
        return SPARC_TT_FP_EXCEPTION;
    }
    static const int modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
    int saved_mode = fegetround();
    fesetround(modes[s->fsr >> 30]);
    feclearexcept(FE_ALL_EXCEPT);
    unsigned exc = 0;
    volatile float fa = getf(s, rs1), fb = getf(s, rs2);
    volatile double da = getd(s, rs1), db = getd(s, rs2);
    float fr = 0;
    double dr = 0;
    int32_t ir = 0;
    enum { R_NONE, R_F, R_D, R_I, R_FCC } kind = R_F;
    unsigned fcc = 0;
    switch (opf) {
    case 0x001:
        s->f[rd] = s->f[rs2];
        kind = R_NONE;
        break;
    case 0x005:
        s->f[rd] = s->f[rs2] ^ 0x80000000u;
        kind = R_NONE;
        break;
    case 0x009:
        s->f[rd] = s->f[rs2] & 0x7fffffffu;
        kind = R_NONE;
        break;
    case 0x029:
        fr = nan_f(sqrtf(fb), fb, fb);
        break;
    case 0x02a:
        dr = nan_d(sqrt(db), db, db);
        kind = R_D;
        break;
    case 0x041:
        fr = nan_f(fa + fb, fa, fb);
        break;
    case 0x042:
        dr = nan_d(da + db, da, db);
        kind = R_D;
        break;
    case 0x045:
        fr = nan_f(fa - fb, fa, fb);
        break;
    case 0x046:
        dr = nan_d(da - db, da, db);
        kind = R_D;
        break;
    case 0x049:
        fr = nan_f(fa * fb, fa, fb);
        break;
    case 0x04a:
        dr = nan_d(da * db, da, db);
        kind = R_D;
        break;
    case 0x04d:
        fr = nan_f(fa / fb, fa, fb);
        break;
    case 0x04e:
        dr = nan_d(da / db, da, db);
        kind = R_D;
        break;
    case 0x0c4:
        fr = (float)(int32_t)s->f[rs2];
        break;
    case 0x0c6:
        fr = nan_f((float)db, 0, (float)db);
        break;
    case 0x0c8:
        dr = (double)(int32_t)s->f[rs2];
        kind = R_D;
        break;
    case 0x0c9:
        dr = nan_d((double)fb, 0, (double)fb);
        kind = R_D;
        break;
    case 0x0d1:
        ir = to_int(fb, &exc);
        kind = R_I;
        break;
    case 0x0d2:
        ir = to_int(db, &exc);
        kind = R_I;
        break;
    case 0x051:
    case 0x055:
        fcc = fcmp(fa, fb);
        if (is_snan_f(fa) || is_snan_f(fb) || (opf == 0x055 && fcc == 3)) exc |= EXC_NV;
        kind = R_FCC;
        break;
    default: /* 0x052, 0x056 */
        fcc = fcmp(da, db);
        if (is_snan_d(da) || is_snan_d(db) || (opf == 0x056 && fcc == 3)) exc |= EXC_NV;
        kind = R_FCC;
        break;
    }
    if (kind == R_F || kind == R_D) exc |= host_flags();
    fesetround(saved_mode);
    unsigned tem = (s->fsr >> FSR_TEM_SHIFT) & 0x1f;
    s->fsr = (s->fsr & ~0x1fu) | exc; /* cexc */
    if (exc & tem) {
        s->fsr = (s->fsr & ~FSR_FTT_MASK) | FTT_IEEE << FSR_FTT_SHIFT | FSR_QNE;
        s->fq_addr = s->pc;
        s->fq_insn = insn;
        return SPARC_TT_FP_EXCEPTION;
    }
    s->fsr = (s->fsr & ~FSR_FTT_MASK) | (s->fsr & 0x3e0u) | exc << FSR_AEXC_SHIFT;
    switch (kind) {
    case R_F:
        setf(s, rd, fr);
        break;
    case R_D:
        setd(s, rd, dr);
        break;
    case R_I:
        s->f[rd] = (uint32_t)ir;
        break;
    case R_FCC:
        s->fsr = (s->fsr & ~(3u << FSR_FCC_SHIFT)) | fcc << FSR_FCC_SHIFT;
        break;
    default:
        break;
    }
    return 0;
}
