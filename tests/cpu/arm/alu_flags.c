/* ARM data-processing edge cases: carries, overflows, shifter carry-out (LSL/LSR/ASR/ROR by
 * 0, 1, 31, 32, 33 and RRX), flag-setting logic ops, conditional execution. Prints every
 * result and NZCV so the output can be compared with qemu-arm-static. */
#include <stdio.h>
#include <stdint.h>

static const uint32_t vals[] = {0,          1,          2,          0x7fffffff, 0x80000000,
                                0x80000001, 0xfffffffe, 0xffffffff, 0x12345678, 0xdeadbeef};
#define NV (sizeof vals / sizeof vals[0])

#define BINOP(name, insn)                                                                          \
    static void name(uint32_t a, uint32_t b, uint32_t cin) {                                       \
        uint32_t r, f;                                                                             \
        __asm__ volatile("msr cpsr_f, %3\n\t" insn " %0, %2, %4\n\tmrs %1, cpsr"                   \
                         : "=&r"(r), "=&r"(f)                                                      \
                         : "r"(a), "r"(cin ? 0x20000000u : 0), "r"(b)                              \
                         : "cc");                                                                  \
        printf(#name " %08x %08x c%u -> %08x %x\n", a, b, cin, r, f >> 28);                        \
    }
BINOP(adds, "adds")
BINOP(adcs, "adcs")
BINOP(subs, "subs")
BINOP(sbcs, "sbcs")
BINOP(rsbs, "rsbs")
BINOP(rscs, "rscs")
BINOP(ands, "ands")
BINOP(eors, "eors")
BINOP(orrs, "orrs")
BINOP(bics, "bics")

#define SHIFT(name, op)                                                                            \
    static void name(uint32_t a, uint32_t n, uint32_t cin) {                                       \
        uint32_t r, f;                                                                             \
        __asm__ volatile("msr cpsr_f, %3\n\tmovs %0, %2, " op " %4\n\tmrs %1, cpsr"                \
                         : "=&r"(r), "=&r"(f)                                                      \
                         : "r"(a), "r"(cin ? 0x20000000u : 0), "r"(n)                              \
                         : "cc");                                                                  \
        printf(#name " %08x by %u c%u -> %08x %x\n", a, n, cin, r, f >> 28);                       \
    }
SHIFT(lsl_reg, "lsl")
SHIFT(lsr_reg, "lsr")
SHIFT(asr_reg, "asr")
SHIFT(ror_reg, "ror")

#define IMMSH(insn)                                                                                \
    do {                                                                                           \
        uint32_t r, f;                                                                             \
        __asm__ volatile("msr cpsr_f, %3\n\t" insn "\n\tmrs %1, cpsr"                              \
                         : "=&r"(r), "=&r"(f)                                                      \
                         : "r"(a), "r"(c)                                                          \
                         : "cc");                                                                  \
        printf("%-22s %08x c%u -> %08x %x\n", insn, a, cin, r, f >> 28);                           \
    } while (0)

static void imm_shifts(uint32_t a, uint32_t cin) {
    uint32_t c = cin ? 0x20000000u : 0;
    IMMSH("movs %0, %2, lsl #31");
    IMMSH("movs %0, %2, lsr #32");
    IMMSH("movs %0, %2, asr #32");
    IMMSH("movs %0, %2, rrx");
    IMMSH("movs %0, %2, ror #1");
    IMMSH("movs %0, %2, lsr #1");
    IMMSH("mvns %0, %2, asr #5");
    IMMSH("movs %0, #0x80000000");
    IMMSH("teq %2, #0xff000000");
    IMMSH("cmn %2, %2, lsl #1");
}

static void conds(uint32_t a, uint32_t b) {
    uint32_t mask = 0;
    __asm__ volatile("cmp %1, %2\n\t"
                     "orreq %0, %0, #1\n\torrne %0, %0, #2\n\torrcs %0, %0, #4\n\t"
                     "orrcc %0, %0, #8\n\torrmi %0, %0, #16\n\torrpl %0, %0, #32\n\t"
                     "orrvs %0, %0, #64\n\torrvc %0, %0, #128\n\torrhi %0, %0, #256\n\t"
                     "orrls %0, %0, #512\n\torrge %0, %0, #1024\n\torrlt %0, %0, #2048\n\t"
                     "orrgt %0, %0, #4096\n\torrle %0, %0, #8192\n\t"
                     : "+r"(mask)
                     : "r"(a), "r"(b)
                     : "cc");
    printf("cond %08x %08x -> %04x\n", a, b, mask);
}

int main(void) {
    void (*bin[])(uint32_t, uint32_t, uint32_t) = {adds, adcs, subs, sbcs, rsbs,
                                                   rscs, ands, eors, orrs, bics};
    for (unsigned k = 0; k < sizeof bin / sizeof bin[0]; k++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j += 3)
                for (uint32_t c = 0; c < 2; c++)
                    bin[k](vals[i], vals[j], c);
    static const uint32_t amounts[] = {0, 1, 4, 31, 32, 33, 255, 256};
    void (*sh[])(uint32_t, uint32_t, uint32_t) = {lsl_reg, lsr_reg, asr_reg, ror_reg};
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < NV; i += 2)
            for (unsigned j = 0; j < sizeof amounts / sizeof amounts[0]; j++)
                for (uint32_t c = 0; c < 2; c++)
                    sh[k](vals[i], amounts[j], c);
    for (unsigned i = 0; i < NV; i++)
        for (uint32_t c = 0; c < 2; c++)
            imm_shifts(vals[i], c);
    for (unsigned i = 0; i < NV; i++)
        for (unsigned j = 0; j < NV; j++)
            conds(vals[i], vals[j]);
    return 0;
}
