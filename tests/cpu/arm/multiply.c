/* ARM multiplies: MUL/MLA flags, long multiplies, v5TE DSP (SMLAxy, SMULWy, SMLALxy,
 * QADD/QSUB/QDADD/QDSUB with the sticky Q flag) and v6 (UMAAL, SMLAD/SMLSD/SMUAD/SMUSD,
 * SMLALD, SMMUL/SMMLA/SMMLS with rounding, USAD8/USADA8). */
#include <stdio.h>
#include <stdint.h>

static const uint32_t v[] = {0,          1,          0x7fff,     0x8000,
                             0xffff,     0x7fffffff, 0x80000000, 0xffffffff,
                             0x12345678, 0x9abcdef0, 0x00010001, 0x80008000};
#define NV (sizeof v / sizeof v[0])

static uint32_t getq(void) {
    uint32_t f;
    __asm__ volatile("mrs %0, cpsr" : "=r"(f));
    return (f >> 27) & 1;
}
static void clrq(void) {
    __asm__ volatile("msr cpsr_f, #0" ::: "cc");
}

#define OP3(name, insn)                                                                            \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t r;                                                                                \
        clrq();                                                                                    \
        __asm__ volatile(insn " %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b));                          \
        printf(#name " %08x %08x -> %08x q%u\n", a, b, r, getq());                                 \
    }
#define OP4(name, insn)                                                                            \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t r;                                                                                \
        clrq();                                                                                    \
        __asm__ volatile(insn " %0, %1, %2, %3" : "=&r"(r) : "r"(a), "r"(b), "r"(a ^ 0x5555aaaa)); \
        printf(#name " %08x %08x -> %08x q%u\n", a, b, r, getq());                                 \
    }
#define LONG(name, insn)                                                                           \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t lo = a ^ 0x0f0f0f0f, hi = b ^ 0xf0f0f0f0;                                         \
        __asm__ volatile(insn " %0, %1, %2, %3" : "+&r"(lo), "+&r"(hi) : "r"(a), "r"(b));          \
        printf(#name " %08x %08x -> %08x%08x\n", a, b, hi, lo);                                    \
    }
OP3(mul, "mul")
OP4(mla, "mla")
OP3(qadd, "qadd")
OP3(qsub, "qsub")
OP3(qdadd, "qdadd")
OP3(qdsub, "qdsub")
OP3(smulbb, "smulbb")
OP3(smulbt, "smulbt")
OP3(smultb, "smultb")
OP3(smultt, "smultt")
OP3(smulwb, "smulwb")
OP3(smulwt, "smulwt")
OP4(smlabb, "smlabb")
OP4(smlatt, "smlatt")
OP4(smlawb, "smlawb")
OP4(smlawt, "smlawt")
OP3(smuad, "smuad")
OP3(smuadx, "smuadx")
OP3(smusd, "smusd")
OP3(smusdx, "smusdx")
OP4(smlad, "smlad")
OP4(smlsdx, "smlsdx")
OP3(smmul, "smmul")
OP3(smmulr, "smmulr")
OP4(smmla, "smmla")
OP4(smmlsr, "smmlsr")
OP3(usad8, "usad8")
OP4(usada8, "usada8")
LONG(umull, "umull")
LONG(smull, "smull")
LONG(umlal, "umlal")
LONG(smlal, "smlal")
LONG(umaal, "umaal")
LONG(smlalbt, "smlalbt")
LONG(smlald, "smlald")
LONG(smlsldx, "smlsldx")

static void muls_flags(uint32_t a, uint32_t b) {
    uint32_t r, f;
    __asm__ volatile("msr cpsr_f, #0x30000000\n\tmuls %0, %2, %3\n\tmrs %1, cpsr"
                     : "=&r"(r), "=&r"(f)
                     : "r"(a), "r"(b)
                     : "cc");
    printf("muls %08x %08x -> %08x %x\n", a, b, r, f >> 28);
}

int main(void) {
    void (*f[])(uint32_t, uint32_t) = {
        t_mul,    t_mla,     t_qadd,   t_qsub,    t_qdadd,   t_qdsub,  t_smulbb, t_smulbt,
        t_smultb, t_smultt,  t_smulwb, t_smulwt,  t_smlabb,  t_smlatt, t_smlawb, t_smlawt,
        t_smuad,  t_smuadx,  t_smusd,  t_smusdx,  t_smlad,   t_smlsdx, t_smmul,  t_smmulr,
        t_smmla,  t_smmlsr,  t_usad8,  t_usada8,  t_umull,   t_smull,  t_umlal,  t_smlal,
        t_umaal,  t_smlalbt, t_smlald, t_smlsldx, muls_flags};
    for (unsigned k = 0; k < sizeof f / sizeof f[0]; k++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++)
                f[k](v[i], v[j]);
    return 0;
}
