/* sin, cos, tan, atan2, asin in all four rounding modes. glibc's ppc32 build of these uses
 * mffscrni (Power ISA 3.0), which qemu-ppc-static -cpu 750 refuses, so the oracle for this
 * program is the same glibc source built for the host (the suite's *_hostref.c rule); the
 * values printed are the correctly rounded results glibc's dbl-64 code aims for. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
int main(void) {
    const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    volatile double xs[] = {0.5, 1.0, 2.5, -3.75, 10.0, 1e-3, 123.456, 1e6};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            double x = xs[i];
            printf("%s %g: sin %a cos %a tan %a atan2 %a asin %a\n", names[m], x, sin(x), cos(x),
                   tan(x), atan2(x, 2.0), asin(x / 2e6));
        }
    }
    return 0;
}
