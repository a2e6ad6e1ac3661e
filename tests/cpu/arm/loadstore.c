/* ARM loads and stores: pre/post-indexed writeback, scaled register offsets, halfword and
 * signed byte/halfword loads, LDRD/STRD, LDM/STM in all four modes with writeback, SWP,
 * LDREX/STREX pairs, and unaligned word/halfword access (ARMv6 with alignment checks off,
 * as Linux runs user space). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint8_t buf[64] __attribute__((aligned(8)));

static void dump(const char *what) {
    printf("%-10s", what);
    for (int i = 0; i < 32; i++)
        printf("%02x", buf[i]);
    printf("\n");
}

int main(void) {
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * 37 + 5);
    uint8_t *p = buf;
    uint32_t a, b, c, d, base;

    base = (uint32_t)p;
    __asm__ volatile("ldr %0, [%2, #4]!\n\tldr %1, [%2], #-4" : "=&r"(a), "=&r"(b), "+r"(base));
    printf("pre/post %08x %08x %d\n", a, b, (int)(base - (uint32_t)p));
    base = (uint32_t)p;
    c = 3;
    __asm__ volatile("ldr %0, [%2, %3, lsl #2]\n\tldrb %1, [%2, -%3]!"
                     : "=&r"(a), "=&r"(b), "+r"(base)
                     : "r"(c));
    printf("scaled %08x %02x %d\n", a, b, (int)(base - (uint32_t)p));
    base = (uint32_t)p + 8;
    __asm__ volatile(
        "ldrh %0, [%4, #2]\n\tldrsh %1, [%4, #6]\n\tldrsb %2, [%4, #7]\n\tldrsb %3, [%4, #-1]"
        : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d)
        : "r"(base));
    printf("half/signed %08x %08x %08x %08x\n", a, b, c, d);
    base = (uint32_t)p + 16;
    __asm__ volatile("ldrd r2, r3, [%2, #8]!\n\tmov %0, r2\n\tmov %1, r3"
                     : "=&r"(a), "=&r"(b), "+r"(base)::"r2", "r3");
    printf("ldrd %08x %08x %d\n", a, b, (int)(base - (uint32_t)p));
    __asm__ volatile("mov r2, %0\n\tmov r3, %1\n\tstrd r2, r3, [%2], #-8"
                     :
                     : "r"(0x11223344), "r"(0x55667788), "r"(p + 40)
                     : "r2", "r3", "memory");
    dump("strd");
    const char *modes[4] = {"ia", "ib", "da", "db"};
    for (int m = 0; m < 4; m++) {
        uint32_t r[4] = {0};
        base = (uint32_t)p + 24;
        switch (m) {
        case 0:
            __asm__ volatile("ldmia %0!, {r4-r7}\n\tstmia %1, {r4-r7}"
                             : "+r"(base)
                             : "r"(r)
                             : "r4", "r5", "r6", "r7", "memory");
            break;
        case 1:
            __asm__ volatile("ldmib %0!, {r4-r7}\n\tstmia %1, {r4-r7}"
                             : "+r"(base)
                             : "r"(r)
                             : "r4", "r5", "r6", "r7", "memory");
            break;
        case 2:
            __asm__ volatile("ldmda %0!, {r4-r7}\n\tstmia %1, {r4-r7}"
                             : "+r"(base)
                             : "r"(r)
                             : "r4", "r5", "r6", "r7", "memory");
            break;
        default:
            __asm__ volatile("ldmdb %0!, {r4-r7}\n\tstmia %1, {r4-r7}"
                             : "+r"(base)
                             : "r"(r)
                             : "r4", "r5", "r6", "r7", "memory");
            break;
        }
        printf("ldm%s %08x %08x %08x %08x wb %d\n", modes[m], r[0], r[1], r[2], r[3],
               (int)(base - (uint32_t)p));
    }
    base = (uint32_t)p + 48;
    __asm__ volatile("mov r4, #1\n\tmov r5, #2\n\tmov r6, #3\n\tstmdb %0!, {r4-r6}"
                     : "+r"(base)::"r4", "r5", "r6", "memory");
    dump("stmdb");
    a = 0xabcdef01;
    __asm__ volatile("swp %0, %0, [%1]" : "+r"(a) : "r"(p + 4) : "memory");
    b = 0x99;
    __asm__ volatile("swpb %0, %0, [%1]" : "+r"(b) : "r"(p + 9) : "memory");
    printf("swp %08x %08x\n", a, b);
    dump("after-swp");
    uint32_t word __attribute__((aligned(4))) = 5, fail1, fail2, old;
    __asm__ volatile("ldrex %0, [%3]\n\tstrex %1, %4, [%3]\n\tstrex %2, %4, [%3]"
                     : "=&r"(old), "=&r"(fail1), "=&r"(fail2)
                     : "r"(&word), "r"(9)
                     : "memory");
    printf("ldrex/strex old %u fail %u %u now %u\n", old, fail1, fail2, word);
    /* unaligned (v6: allowed for LDR/STR/LDRH/STRH) */
    __asm__ volatile("ldr %0, [%2, #1]\n\tldrh %1, [%2, #3]" : "=&r"(a), "=&r"(b) : "r"(p));
    printf("unaligned %08x %04x\n", a, b);
    __asm__ volatile("str %0, [%1, #2]\n\tstrh %0, [%1, #13]"
                     :
                     : "r"(0xcafebabe), "r"(p)
                     : "memory");
    dump("unal-store");
    char s[40];
    memset(s, 0, sizeof s);
    memcpy(s + 1, "unaligned memcpy across words", 29);
    printf("%s %zu\n", s + 1, strlen(s + 1));
    return 0;
}
