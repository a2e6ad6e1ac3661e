/* Thumb code for the ARM JIT (built with -mthumb by tests/jit/run.sh): arithmetic with every
 * flag-setting form, shifts by immediates and registers, multiplies, loads and stores of
 * every size and signedness, PUSH/POP, LDMIA/STMIA (struct copies), conditional branches,
 * calls through BL and BX, a switch; prints checksums that qemu-arm-static must match. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct rec {
    uint32_t a, b, c, d;
};

static __attribute__((noinline)) uint32_t mix(uint32_t x, uint32_t y, int s) {
    uint32_t r = x ^ (y << (s & 31));
    r += (y >> (s & 7)) | (uint32_t)((int32_t)x >> 3);
    r = (r << 5) | (r >> 27);
    if ((int32_t)r < 0) r = ~r;
    if (r > y) r -= y;
    return r * 2654435761u + (uint32_t)s;
}

static __attribute__((noinline)) int32_t sums(const int8_t *b, const int16_t *h, int n) {
    int32_t s = 0;
    for (int i = 0; i < n; i++)
        s += b[i] * 3 - h[i] + (b[i] & h[i]);
    return s;
}

static __attribute__((noinline)) uint32_t pick(uint32_t k) {
    switch (k % 7) {
    case 0:
        return k * 3;
    case 1:
        return k ^ 0x5a5a;
    case 2:
        return k >> 2;
    case 3:
        return k + 1000;
    case 4:
        return ~k;
    case 5:
        return k & 0xff;
    default:
        return k - 7;
    }
}

static __attribute__((noinline)) void copy_recs(struct rec *dst, const struct rec *src, int n) {
    for (int i = 0; i < n; i++)
        dst[i] = src[i];
}

int main(void) {
    static int8_t b[256];
    static int16_t h[256];
    static uint8_t ub[256];
    static uint16_t uh[256];
    static struct rec r1[32], r2[32];
    uint32_t x = 1, acc = 0;
    for (int i = 0; i < 256; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (int8_t)(x >> 16);
        h[i] = (int16_t)(x >> 8);
        ub[i] = (uint8_t)(x >> 20);
        uh[i] = (uint16_t)(x >> 4);
    }
    for (int i = 0; i < 32; i++)
        r1[i] = (struct rec){(uint32_t)i, x ^ (uint32_t)i, x >> i, 7};
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 256; i++)
            acc = mix(acc, ub[i] + uh[i], i + round);
        acc += (uint32_t)sums(b, h, 256);
        acc ^= pick(acc + (uint32_t)round);
        copy_recs(r2, r1, 32);
        r1[round & 31].d += acc;
        uint64_t p = (uint64_t)acc * (uint64_t)(round + 3);
        acc += (uint32_t)(p >> 32) - (uint32_t)p;
        int32_t q = (int32_t)acc / (round + 1);
        acc ^= (uint32_t)q;
    }
    uint32_t sum2 = 0;
    for (int i = 0; i < 32; i++)
        sum2 += r2[i].a + r2[i].b * 3 + r2[i].c * 5 + r2[i].d * 7;
    char buf[64];
    snprintf(buf, sizeof buf, "%08x %08x", acc, sum2);
    printf("thumb: %s %zu\n", buf, strlen(buf));
    return 0;
}
