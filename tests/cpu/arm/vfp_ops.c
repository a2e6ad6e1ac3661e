/* VFPv2 through compiled code (-mfpu=vfp -mfloat-abi=softfp): single and double arithmetic,
 * square root, compares, conversions in every rounding mode, flush-to-zero and default-NaN,
 * with the FPSCR flags each operation raises; results printed as bit patterns. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t get_fpscr(void) {
    uint32_t v;
    __asm__ volatile("fmrx %0, fpscr" : "=r"(v));
    return v;
}
static void set_fpscr(uint32_t v) {
    __asm__ volatile("fmxr fpscr, %0" : : "r"(v));
}
static uint32_t fbits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static uint64_t dbits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static float fval(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static double dval(uint64_t u) {
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static const uint32_t fv[] = {0x00000000, 0x80000000, 0x3f800000, 0xc0400000, 0x7f800000,
                              0xff800000, 0x7fc00000, 0x7f800001, 0x00000001, 0x00800000,
                              0x007fffff, 0x7f7fffff, 0x3eaaaaab, 0x4f000000, 0xcf000001,
                              0x0c800000, 0x33800000, 0x5f800000};
static const uint64_t dv[] = {0,
                              0x8000000000000000ull,
                              0x3ff0000000000000ull,
                              0xc008000000000000ull,
                              0x7ff0000000000000ull,
                              0x7ff8000000000000ull,
                              0x7ff0000000000001ull,
                              1,
                              0x0010000000000000ull,
                              0x000fffffffffffffull,
                              0x7fefffffffffffffull,
                              0x3fd5555555555555ull,
                              0x41e0000000000000ull,
                              0xc1e0000000200000ull,
                              0x2000000000000000ull,
                              0x5ff0000000000000ull};
#define N(a) (sizeof(a) / sizeof(a[0]))

int main(void) {
    static const uint32_t modes[] = {0, 1u << 22, 2u << 22, 3u << 22, 1u << 24, 1u << 25, 3u << 24};
    for (unsigned mi = 0; mi < N(modes); mi++) {
        uint32_t mode = modes[mi];
        printf("mode %08x\n", mode);
        for (unsigned i = 0; i < N(fv); i++) {
            for (unsigned j = 0; j < N(fv); j++) {
                volatile float a = fval(fv[i]), b = fval(fv[j]);
                uint32_t r[4], fl[4];
                set_fpscr(mode);
                r[0] = fbits(a + b);
                fl[0] = get_fpscr();
                set_fpscr(mode);
                r[1] = fbits(a - b);
                fl[1] = get_fpscr();
                set_fpscr(mode);
                r[2] = fbits(a * b);
                fl[2] = get_fpscr();
                set_fpscr(mode);
                r[3] = fbits(a / b);
                fl[3] = get_fpscr();
                set_fpscr(mode);
                int lt = a < b, eq = a == b;
                uint32_t cf = get_fpscr();
                set_fpscr(0);
                printf("s %08x %08x: %08x/%02x %08x/%02x %08x/%02x %08x/%02x %d%d/%02x\n", fv[i],
                       fv[j], r[0], fl[0] & 0x9f, r[1], fl[1] & 0x9f, r[2], fl[2] & 0x9f, r[3],
                       fl[3] & 0x9f, lt, eq, cf & 0x9f);
            }
            volatile float a = fval(fv[i]);
            set_fpscr(mode);
            uint32_t sq = fbits(sqrtf(a)), sqf = get_fpscr();
            set_fpscr(mode);
            int si = (int)a;
            uint32_t sif = get_fpscr();
            set_fpscr(mode);
            unsigned ui = (unsigned)a;
            uint32_t uif = get_fpscr();
            set_fpscr(mode);
            uint64_t wd = dbits((double)a);
            uint32_t wdf = get_fpscr();
            set_fpscr(0);
            printf("s1 %08x: sqrt %08x/%02x int %d/%02x uint %u/%02x dbl %016llx/%02x\n", fv[i], sq,
                   sqf & 0x9f, si, sif & 0x9f, ui, uif & 0x9f, (unsigned long long)wd, wdf & 0x9f);
        }
        for (unsigned i = 0; i < N(dv); i++) {
            for (unsigned j = 0; j < N(dv); j++) {
                volatile double a = dval(dv[i]), b = dval(dv[j]);
                uint64_t r[4];
                uint32_t fl[4];
                set_fpscr(mode);
                r[0] = dbits(a + b);
                fl[0] = get_fpscr();
                set_fpscr(mode);
                r[1] = dbits(a - b);
                fl[1] = get_fpscr();
                set_fpscr(mode);
                r[2] = dbits(a * b);
                fl[2] = get_fpscr();
                set_fpscr(mode);
                r[3] = dbits(a / b);
                fl[3] = get_fpscr();
                set_fpscr(0);
                printf("d %016llx %016llx: %016llx/%02x %016llx/%02x %016llx/%02x %016llx/%02x\n",
                       (unsigned long long)dv[i], (unsigned long long)dv[j],
                       (unsigned long long)r[0], fl[0] & 0x9f, (unsigned long long)r[1],
                       fl[1] & 0x9f, (unsigned long long)r[2], fl[2] & 0x9f,
                       (unsigned long long)r[3], fl[3] & 0x9f);
            }
            volatile double a = dval(dv[i]);
            set_fpscr(mode);
            uint64_t sq = dbits(sqrt(a));
            uint32_t sqf = get_fpscr();
            set_fpscr(mode);
            uint32_t nf = fbits((float)a), nff = get_fpscr();
            set_fpscr(mode);
            int si = (int)a;
            uint32_t sif = get_fpscr();
            set_fpscr(0);
            printf("d1 %016llx: sqrt %016llx/%02x flt %08x/%02x int %d/%02x\n",
                   (unsigned long long)dv[i], (unsigned long long)sq, sqf & 0x9f, nf, nff & 0x9f,
                   si, sif & 0x9f);
        }
        static const int32_t iv[] = {0, 1, -1, 16777217, -16777219, 2147483647, -2147483647 - 1};
        for (unsigned i = 0; i < N(iv); i++) {
            volatile int32_t x = iv[i];
            volatile uint32_t u = (uint32_t)iv[i];
            set_fpscr(mode);
            uint32_t f = fbits((float)x), ff = get_fpscr();
            set_fpscr(mode);
            uint32_t g = fbits((float)u), gf = get_fpscr();
            set_fpscr(0);
            printf("i %d: %08x/%02x %08x/%02x %016llx\n", iv[i], f, ff & 0x9f, g, gf & 0x9f,
                   (unsigned long long)dbits((double)u));
        }
    }
    return 0;
}
