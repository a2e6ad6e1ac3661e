/* printf and strtod of doubles: %e %f %g %a, rounding of halfway cases, denormals. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    const char *in[] = {
        "0.1",           "2.5",     "1e-310", "1.7976931348623157e308", "-0.0", "3.14159265358979",
        "123456789.125", "0x1.8p-3"};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        double d = strtod(in[i], NULL);
        printf("%s -> %e %.3f %g %a %.0f %.20g\n", in[i], d, d, d, d, d, d);
    }
    printf("%5.1f|%-8.2e|%+g|%08.3f\n", 2.25, 12345.678, 1e20, -3.5);
    return 0;
}
