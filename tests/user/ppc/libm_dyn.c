/* A dynamically linked program: ld.so.1 and libc.so.6/libm.so.6 loaded from the -L sysroot
 * (PT_INTERP, AT_BASE, the PLT), libm calls and printf through them. */
#include <math.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    volatile double x = 0.75;
    printf("argc %d last %s exp %a pow %a argv0-set %d\n", argc, argv[argc - 1], exp(x),
           pow(x, 2.5), (int)(strlen(argv[0]) > 0));
    return 0;
}
