/* libm and printf on VFP code (-mfpu=vfp -mfloat-abi=softfp): the program's own floating
 * point runs on VFP instructions, glibc's armel libm is soft-float; results printed exactly. */
#include <math.h>
#include <stdio.h>

static double poly(double x) { /* compiled to fmacd/fmuld chains */
    double r = 0;
    for (int i = 10; i >= 0; i--)
        r = r * x + 1.0 / (i + 1);
    return r;
}

int main(void) {
    volatile double xs[] = {0.5, -1.25, 3.0, 1e-300, 123456.789, 0.1, -0.0, 700.0};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("%a: sin %a cos %a exp %a log %a sqrt %a atan2 %a pow %a\n", x, sin(x), cos(x),
               exp(x), log(fabs(x)), sqrt(fabs(x)), atan2(x, 1.5), pow(fabs(x), 0.3));
        printf("  fmod %a floor %a ceil %a round %a hypot %a cbrt %a poly %a %.17g %e\n",
               fmod(x, 0.7), floor(x), ceil(x), round(x), hypot(x, 2.0), cbrt(x), poly(x), x * 3.7,
               x / 7.0);
        float f = (float)x;
        printf("  float %a sinf %a expf %a %g\n", (double)f, (double)sinf(f), (double)expf(f / 8),
               (double)(f * f - 1.0f));
    }
    double acc = 0;
    for (int i = 1; i <= 2000; i++)
        acc += 1.0 / ((double)i * i);
    printf("basel %.17g %a\n", acc, sqrt(acc * 6));
    return 0;
}
