/* libm exp, log, pow, sqrt, fma, cbrt, log10 in all four rounding modes (glibc's results in
 * directed modes are not correctly rounded, but are deterministic for a given FPU). */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
int main(void) {
    const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    volatile double xs[] = {0.5, 1.0, 2.5, 10.0, 1e-3, 123.456, 700.0};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            double x = xs[i];
            printf("%s %g: exp %a log %a pow %a sqrt %a fma %a cbrt %a log10 %a\n", names[m], x,
                   exp(x), log(x), pow(x, 0.3), sqrt(x), fma(x, 3.1, -x), cbrt(x), log10(x));
        }
    }
    return 0;
}
