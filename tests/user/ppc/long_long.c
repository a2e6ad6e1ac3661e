/* 64-bit integer arithmetic, division and printing (libgcc helpers on ppc32). */
#include <inttypes.h>
#include <stdio.h>
int main(void) {
    volatile uint64_t a = 0x123456789abcdefULL, b = 977;
    volatile int64_t c = -9876543210987LL;
    printf("%" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 " %" PRIx64 "\n", a / b, a % b, c / 7,
           c % 7, a * b);
    printf("%lld %llu\n", (long long)(c >> 5), (unsigned long long)a << 3);
    return 0;
}
