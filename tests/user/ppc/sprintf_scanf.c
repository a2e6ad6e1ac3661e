/* sscanf/snprintf round trips of integers, doubles and strings. */
#include <stdio.h>
int main(void) {
    int a;
    double d;
    char s[32];
    unsigned x;
    int n = sscanf("42 2.71828182845904523 word 0xbeef", "%d %lf %31s %x", &a, &d, s, &x);
    char out[128];
    snprintf(out, sizeof out, "%d|%.15f|%s|%u|%#o", a, d, s, x, a);
    printf("%d %s\n", n, out);
    return 0;
}
