/* ARMv6 media instructions: all parallel add/subtract flavours with their GE flags, SEL,
 * saturation (SSAT/USAT/SSAT16/USAT16 with shifts, Q flag), packing (PKHBT/PKHTB),
 * extension with rotation (SXTB/SXTH/UXTB16/UXTAH...), byte reversal and CLZ. */
#include <stdio.h>
#include <stdint.h>

static const uint32_t v[] = {0,          0x01020304, 0x7f7f8080, 0x80007fff, 0xffff0001, 0xfefefefe,
                             0x12345678, 0x9abcdef0, 0x7fffffff, 0x80000000, 0xffffffff};
#define NV (sizeof v / sizeof v[0])

static uint32_t psr(void) {
    uint32_t f;
    __asm__ volatile("mrs %0, cpsr" : "=r"(f));
    return f;
}

#define PAR(name)                                                                                  \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t r, s;                                                                             \
        __asm__ volatile("msr cpsr_fs, #0\n\t" #name " %0, %2, %3\n\tsel %1, %2, %3"               \
                         : "=&r"(r), "=&r"(s)                                                      \
                         : "r"(a), "r"(b)                                                          \
                         : "cc");                                                                  \
        printf(#name " %08x %08x -> %08x ge%x sel %08x\n", a, b, r, (psr() >> 16) & 15, s);        \
    }
// clang-format off
#define PAR_ALL(p) PAR(p##add16) PAR(p##sub16) PAR(p##add8) PAR(p##sub8) PAR(p##addsubx) PAR(p##subaddx)
PAR_ALL(s) PAR_ALL(u) PAR_ALL(q) PAR_ALL(uq) PAR_ALL(sh) PAR_ALL(uh)
// clang-format on
#define REF(p) t_##p##add16, t_##p##sub16, t_##p##add8, t_##p##sub8, t_##p##addsubx, t_##p##subaddx

#define UN(name, insn)                                                                             \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t r;                                                                                \
        (void)b;                                                                                   \
        __asm__ volatile("msr cpsr_f, #0\n\t" insn : "=&r"(r) : "r"(a) : "cc");                    \
        printf(#name " %08x -> %08x q%u\n", a, r, (psr() >> 27) & 1);                              \
    }
    UN(ssat8, "ssat %0, #8, %1") UN(ssat16s,
                                    "ssat %0, #16, %1, asr #4") UN(ssat1, "ssat %0, #1, %1, lsl #3")
        UN(usat8, "usat %0, #8, %1") UN(usat31, "usat %0, #31, %1, asr #32") UN(usat0,
                                                                                "usat %0, #0, %1")
            UN(ssat16x, "ssat16 %0, #9, %1") UN(usat16x, "usat16 %0, #7, %1") UN(sxtb,
                                                                                 "sxtb %0, %1")
                UN(sxth_ror8, "sxth %0, %1, ror #8") UN(uxtb_ror16, "uxtb %0, %1, ror #16")
                    UN(uxth, "uxth %0, %1") UN(sxtb16, "sxtb16 %0, %1, ror #24")
                        UN(uxtb16, "uxtb16 %0, %1") UN(rev, "rev %0, %1") UN(rev16, "rev16 %0, %1")
                            UN(revsh, "revsh %0, %1") UN(clz, "clz %0, %1")

#define BIN(name, insn)                                                                            \
    static void t_##name(uint32_t a, uint32_t b) {                                                 \
        uint32_t r;                                                                                \
        __asm__ volatile(insn : "=&r"(r) : "r"(a), "r"(b));                                        \
        printf(#name " %08x %08x -> %08x\n", a, b, r);                                             \
    }
                                BIN(pkhbt, "pkhbt %0, %1, %2, lsl #8")
                                    BIN(pkhtb, "pkhtb %0, %1, %2, asr #12")
                                        BIN(pkhtb32, "pkhtb %0, %1, %2, asr #32")
                                            BIN(sxtab, "sxtab %0, %1, %2, ror #8")
                                                BIN(sxtah, "sxtah %0, %1, %2")
                                                    BIN(uxtab, "uxtab %0, %1, %2")
                                                        BIN(uxtah, "uxtah %0, %1, %2, ror #24")
                                                            BIN(sxtab16, "sxtab16 %0, %1, %2")
                                                                BIN(uxtab16,
                                                                    "uxtab16 %0, %1, %2, ror #8")

                                                                    int main(void) {
    void (*f[])(uint32_t, uint32_t) = {
        REF(s),    REF(u),      REF(q),       REF(uq),   REF(sh),  REF(uh),   t_ssat8,
        t_ssat16s, t_ssat1,     t_usat8,      t_usat31,  t_usat0,  t_ssat16x, t_usat16x,
        t_sxtb,    t_sxth_ror8, t_uxtb_ror16, t_uxth,    t_sxtb16, t_uxtb16,  t_rev,
        t_rev16,   t_revsh,     t_clz,        t_pkhbt,   t_pkhtb,  t_pkhtb32, t_sxtab,
        t_sxtah,   t_uxtab,     t_uxtah,      t_sxtab16, t_uxtab16};
    for (unsigned k = 0; k < sizeof f / sizeof f[0]; k++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++)
                f[k](v[i], v[j]);
    return 0;
}
