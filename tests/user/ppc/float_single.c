/* Single-precision arithmetic and float libm (sinf, expf, powf, sqrtf). */
#include <math.h>
#include <stdio.h>
int main(void) {
    volatile float x = 0.7f;
    for (int i = 0; i < 6; i++, x *= 1.9f)
        printf("%a %a %a %a %a\n", (double)x, (double)sinf(x), (double)expf(x),
               (double)powf(x, 1.3f), (double)sqrtf(x));
    return 0;
}
