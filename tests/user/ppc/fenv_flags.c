/* IEEE sticky flags set by arithmetic and tested with fetestexcept. */
#include <fenv.h>
#include <stdio.h>
int main(void) {
    volatile double z = 0.0, one = 1.0, big = 1e308, tiny = 1e-308;
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r = one / z;
    printf("div0 %d inf %g\n", !!fetestexcept(FE_DIVBYZERO), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = big * 10.0;
    printf("overflow %d inexact %d\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT));
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny / 1e10;
    printf("underflow %d %g\n", !!fetestexcept(FE_UNDERFLOW), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = z / z;
    printf("invalid %d nan %d\n", !!fetestexcept(FE_INVALID), r != r);
    return 0;
}
