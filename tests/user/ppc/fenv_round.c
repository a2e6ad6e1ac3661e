/* Arithmetic (+ - * / sqrt fma, conversions) in all four rounding modes. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
int main(void) {
    const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    volatile double a = 1.0, b = 3.0, c = -2.0 / 7.0;
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double q = a / b, s = sqrt(2.0 * b), f = fma(a / b, b, -a), d = c * b;
        volatile float fl = (float)q;
        printf("%s: %a %a %a %a %a %ld %d\n", names[m], q, s, f, d, (double)fl, lrint(2.5 * b),
               fegetround() == modes[m]);
    }
    fesetround(FE_TONEAREST);
    return 0;
}
