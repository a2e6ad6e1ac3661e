/* ARMv4T program without a C library (Debian's armel libc needs v5TE), for the arm925t
 * model: ARM and Thumb code calling each other through BX, multiplies, shifts, LDM/STM,
 * halfword and signed loads, SWP, flags; results printed in hex through raw EABI syscalls.
 * Built with -march=armv4t -nostdlib -ffreestanding. */
#include <stdint.h>

static long sys3(long nr, long a, long b, long c) {
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    register long r7 __asm__("r7") = nr;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

static void put_hex(uint32_t v) {
    char buf[9];
    for (int i = 7; i >= 0; i--) {
        buf[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    buf[8] = '\n';
    sys3(4, 1, (long)buf, 9);
}

__attribute__((noinline, target("thumb"))) uint32_t thumb_mix(uint32_t a, uint32_t b) {
    uint32_t r = a * b + (a >> 3) - (b << 2);
    for (int i = 0; i < 5; i++)
        r ^= (r << 7) | (r >> 25);
    return r;
}

__attribute__((noinline, target("arm"))) uint32_t arm_mix(uint32_t a, uint32_t b) {
    uint64_t m = (uint64_t)a * b;
    int64_t s = (int64_t)(int32_t)a * (int32_t)b;
    return (uint32_t)(m >> 32) ^ (uint32_t)m ^ (uint32_t)(s >> 29) ^ thumb_mix(b, a);
}

static volatile uint16_t halves[4] = {0x8001, 0x7ffe, 0xffff, 0x1234};
static volatile int8_t bytes[4] = {-1, 2, -128, 127};

void __attribute__((noreturn)) _start(void) {
    uint32_t x = 0x12345678;
    for (uint32_t i = 0; i < 8; i++) {
        x = arm_mix(x, i * 0x9e3779b9u + 1);
        put_hex(x);
    }
    for (int i = 0; i < 4; i++) {
        put_hex(halves[i]);
        put_hex((uint32_t)(int32_t)(int16_t)halves[i]);
        put_hex((uint32_t)(int32_t)bytes[i]);
    }
    uint32_t word = 5, old = 9;
    __asm__ volatile("swp %0, %0, [%1]" : "+r"(old) : "r"(&word) : "memory");
    put_hex(old);
    put_hex(word);
    uint32_t f;
    __asm__ volatile("subs %0, %1, %1\n\tmrs %0, cpsr" : "=r"(f) : "r"(x) : "cc");
    put_hex(f & 0xf0000000u);
    sys3(1, 0, 0, 0);
    for (;;) {
    }
}
