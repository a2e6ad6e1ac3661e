/* Thumb code (compiled with -mthumb): ordinary C — recursion, division helpers, switch
 * tables, 64-bit arithmetic, qsort with a callback across ARM/Thumb interworking in libc,
 * floating-point formatting — plus Thumb-specific flag and v6 extension instructions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static uint64_t fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static const char *name(int k) {
    switch (k) {
    case 0:
        return "zero";
    case 1:
        return "one";
    case 2:
        return "two";
    case 3:
        return "three";
    case 4:
        return "four";
    case 5:
        return "five";
    default:
        return "many";
    }
}

int main(void) {
    int v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (i * 7919) % 101 - 50;
    qsort(v, 64, sizeof v[0], cmp);
    for (int i = 0; i < 64; i += 8)
        printf("%d ", v[i]);
    printf("\nfib %llu\n", (unsigned long long)fib(27));
    for (int i = -3; i < 8; i++)
        printf("%s ", name(i));
    printf("\n");
    int64_t big = 0x123456789abcLL;
    for (int i = 1; i < 10; i++)
        printf("%lld %lld %d %u\n", (long long)(big / i), (long long)(big % (i * 1000 + 7)),
               -1000 / i, 4000000000u / (unsigned)i);
    printf("%.6f %.3e %g\n", 3.0 / 7.0, 1e10 / 3, 0.1 + 0.2);
    uint32_t r;
    volatile int64_t x = 0x7fffffffffffff00LL, y = 0x180;
    printf("64-bit %llx %llx %d\n", (unsigned long long)(x + y), (unsigned long long)(x * y),
           x < y);
#ifndef NO_V6
    for (uint32_t a = 0x7ffffffe; a != 0x80000002; a++) {
        volatile int32_t s = (int32_t)a;
        printf("cmp %d %d %d %d\n", s<0, s + 1> s, (uint32_t)s >= 0x80000000u, s >> 3);
        __asm__ volatile("rev %0, %1" : "=l"(r) : "l"(a));
        printf("rev %08x\n", r);
        __asm__ volatile("sxtb %0, %1" : "=l"(r) : "l"(a));
        printf("sxtb %08x\n", r);
        __asm__ volatile("revsh %0, %1" : "=l"(r) : "l"(a));
        printf("revsh %08x\n", r);
    }
#endif
    return 0;
}
