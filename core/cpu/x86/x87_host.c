/* x87 backend on an x86 host: each guest operation runs as the same instruction on the host
 * FPU with the guest's rounding and precision control, so results, NaN propagation,
 * transcendental values and exception flags are exactly the hardware's (SDM vol. 1 ch. 8).
 * Operands travel as 10-byte memory images; the host x87 stack is empty before and after
 * (the C ABI guarantees it at calls), so FNCLEX suffices to start each operation clean. */
#include "core/cpu/x86/x87_host.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)

/* The guest's control word into the host FPU, unless the host holds it already (the usual
 * 0x37F of both: FLDCW costs more than the operation); returns the host's own, which
 * leave_cw puts back. */
static uint16_t enter_cw(uint16_t hcw) {
    uint16_t save;
    __asm__ volatile("fnstcw %0" : "=m"(save));
    if (save != hcw) __asm__ volatile("fldcw %0" : : "m"(hcw) : "memory");
    return save;
}

static void leave_cw(uint16_t save, uint16_t hcw) {
    if (save != hcw) __asm__ volatile("fldcw %0" : : "m"(save) : "memory");
}

/* Two operands: ST0 = a, ST1 = b; `ins` is the instruction bytes; result is ST0. */
#define BIN(ins)                                                                                   \
    __asm__ volatile("fnclex\n\tfldt %[b]\n\tfldt %[a]\n\t" ins                                    \
                     "\n\tfnstsw %[sw]\n\tfstpt %[r1]\n\tfstp %%st(0)"                             \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     : [a] "m"(*(const char(*)[10])a), [b] "m"(*(const char(*)[10])b)              \
                     : "memory")
/* Two operands, the instruction pops once: result is the remaining ST0. */
#define BINP(ins)                                                                                  \
    __asm__ volatile("fnclex\n\tfldt %[b]\n\tfldt %[a]\n\t" ins "\n\tfnstsw %[sw]\n\tfstpt %[r1]"  \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     : [a] "m"(*(const char(*)[10])a), [b] "m"(*(const char(*)[10])b)              \
                     : "memory")
/* Compare and pop both. */
#define CMP(ins)                                                                                   \
    __asm__ volatile("fnclex\n\tfldt %[b]\n\tfldt %[a]\n\t" ins "\n\tfnstsw %[sw]"                 \
                     : [sw] "=m"(sw)                                                               \
                     : [a] "m"(*(const char(*)[10])a), [b] "m"(*(const char(*)[10])b)              \
                     : "memory")
#define UN(ins)                                                                                    \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins "\n\tfnstsw %[sw]\n\tfstpt %[r1]"               \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     : [a] "m"(*(const char(*)[10])a)                                              \
                     : "memory")
/* Unary that may push: r2 only when C2 (bit 10) stayed clear. */
#define UN2(ins)                                                                                   \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins                                                 \
                     "\n\tfnstsw %%ax\n\tmovw %%ax, %[sw]\n\tfstpt %[r1]\n\t"                      \
                     "testw $0x400, %%ax\n\tjnz 1f\n\tfstpt %[r2]\n1:"                             \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1), [r2] "=m"(*(char(*)[10])r2)     \
                     : [a] "m"(*(const char(*)[10])a)                                              \
                     : "memory", "ax", "cc")
/* Unary producing two results (FXTRACT). */
#define UN2X(ins)                                                                                  \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins                                                 \
                     "\n\tfnstsw %[sw]\n\tfstpt %[r1]\n\tfstpt %[r2]"                              \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1), [r2] "=m"(*(char(*)[10])r2)     \
                     : [a] "m"(*(const char(*)[10])a)                                              \
                     : "memory")
#define CONST(ins)                                                                                 \
    __asm__ volatile("fnclex\n\t" ins "\n\tfnstsw %[sw]\n\tfstpt %[r1]"                            \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     :                                                                             \
                     : "memory")
#define LOAD(ins, n)                                                                               \
    __asm__ volatile("fnclex\n\t" ins " %[a]"                                                      \
                     "\n\tfnstsw %[sw]\n\tfstpt %[r1]"                                             \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     : [a] "m"(*(const char(*)[n])a)                                               \
                     : "memory")
#define STORE(ins, n)                                                                              \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins " %[r1]"                                        \
                     "\n\tfnstsw %[sw]"                                                            \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[n])r1)                                   \
                     : [a] "m"(*(const char(*)[10])a)                                              \
                     : "memory")

uint16_t vt_x87_host(uint16_t cw, x87_hop op, const void *a, const void *b, void *r1, void *r2,
                     int *pushed2) {
    uint16_t sw = 0;
    uint16_t hcw = (uint16_t)(cw | 0x3F); /* never trap on the host */
    uint16_t save = enter_cw(hcw);
    switch (op) {
    /* D8 E1 fsub st,st1 etc., encoded as bytes so no assembler operand-order quirk applies */
    case X87H_ADD:
        BIN(".byte 0xd8,0xc1");
        break;
    case X87H_MUL:
        BIN(".byte 0xd8,0xc9");
        break;
    case X87H_SUB:
        BIN(".byte 0xd8,0xe1");
        break;
    case X87H_SUBR:
        BIN(".byte 0xd8,0xe9");
        break;
    case X87H_DIV:
        BIN(".byte 0xd8,0xf1");
        break;
    case X87H_DIVR:
        BIN(".byte 0xd8,0xf9");
        break;
    case X87H_PREM:
        BIN(".byte 0xd9,0xf8");
        break;
    case X87H_PREM1:
        BIN(".byte 0xd9,0xf5");
        break;
    case X87H_SCALE:
        BIN(".byte 0xd9,0xfd");
        break;
    case X87H_PATAN:
        BINP(".byte 0xd9,0xf3");
        break;
    case X87H_YL2X:
        BINP(".byte 0xd9,0xf1");
        break;
    case X87H_YL2XP1:
        BINP(".byte 0xd9,0xf9");
        break;
    case X87H_COM:
        CMP(".byte 0xde,0xd9");
        break;
    case X87H_UCOM:
        CMP(".byte 0xda,0xe9");
        break;
    case X87H_SQRT:
        UN(".byte 0xd9,0xfa");
        break;
    case X87H_SIN:
        UN(".byte 0xd9,0xfe");
        break;
    case X87H_COS:
        UN(".byte 0xd9,0xff");
        break;
    case X87H_RNDINT:
        UN(".byte 0xd9,0xfc");
        break;
    case X87H_2XM1:
        UN(".byte 0xd9,0xf0");
        break;
    case X87H_PTAN:
        UN2(".byte 0xd9,0xf2");
        break;
    case X87H_SINCOS:
        UN2(".byte 0xd9,0xfb");
        break;
    case X87H_XTRACT:
        UN2X(".byte 0xd9,0xf4");
        break;
    case X87H_LD1:
        CONST(".byte 0xd9,0xe8");
        break;
    case X87H_LDL2T:
        CONST(".byte 0xd9,0xe9");
        break;
    case X87H_LDL2E:
        CONST(".byte 0xd9,0xea");
        break;
    case X87H_LDPI:
        CONST(".byte 0xd9,0xeb");
        break;
    case X87H_LDLG2:
        CONST(".byte 0xd9,0xec");
        break;
    case X87H_LDLN2:
        CONST(".byte 0xd9,0xed");
        break;
    case X87H_LDZ:
        CONST(".byte 0xd9,0xee");
        break;
    case X87H_LDF32:
        LOAD("flds", 4);
        break;
    case X87H_LDF64:
        LOAD("fldl", 8);
        break;
    case X87H_LDI16:
        LOAD("filds", 2);
        break;
    case X87H_LDI32:
        LOAD("fildl", 4);
        break;
    case X87H_LDI64:
        LOAD("fildll", 8);
        break;
    case X87H_LDBCD:
        LOAD("fbld", 10);
        break;
    case X87H_STF32:
        STORE("fstps", 4);
        break;
    case X87H_STF64:
        STORE("fstpl", 8);
        break;
    case X87H_STI16:
        STORE("fistps", 2);
        break;
    case X87H_STI32:
        STORE("fistpl", 4);
        break;
    case X87H_STI64:
        STORE("fistpll", 8);
        break;
    case X87H_STBCD:
        STORE("fbstp", 10);
        break;
    }
    leave_cw(save, hcw);
    if (pushed2)
        *pushed2 = (op == X87H_XTRACT) || ((op == X87H_PTAN || op == X87H_SINCOS) && !(sw & 0x400));
    return sw;
}

/* ST0 op memory operand: `ins` names the memory form (fadds, fimull, ...). */
#define MEMOP(ins, n)                                                                              \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins " %[m]"                                         \
                     "\n\tfnstsw %[sw]\n\tfstpt %[r1]"                                             \
                     : [sw] "=m"(sw), [r1] "=m"(*(char(*)[10])r1)                                  \
                     : [a] "m"(*(const char(*)[10])a), [m] "m"(*(const char(*)[n])m)               \
                     : "memory")
#define MEMCMP(ins, n)                                                                             \
    __asm__ volatile("fnclex\n\tfldt %[a]\n\t" ins " %[m]"                                         \
                     "\n\tfnstsw %[sw]\n\tfstp %%st(0)"                                            \
                     : [sw] "=m"(sw)                                                               \
                     : [a] "m"(*(const char(*)[10])a), [m] "m"(*(const char(*)[n])m)               \
                     : "memory")
#define FOUR(op, n, f)                                                                             \
    switch (op) {                                                                                  \
    case 0:                                                                                        \
        MEMOP("fadd" f, n);                                                                        \
        break;                                                                                     \
    case 1:                                                                                        \
        MEMOP("fmul" f, n);                                                                        \
        break;                                                                                     \
    case 2:                                                                                        \
    case 3:                                                                                        \
        MEMCMP("fcom" f, n);                                                                       \
        break;                                                                                     \
    case 4:                                                                                        \
        MEMOP("fsub" f, n);                                                                        \
        break;                                                                                     \
    case 5:                                                                                        \
        MEMOP("fsubr" f, n);                                                                       \
        break;                                                                                     \
    case 6:                                                                                        \
        MEMOP("fdiv" f, n);                                                                        \
        break;                                                                                     \
    default:                                                                                       \
        MEMOP("fdivr" f, n);                                                                       \
        break;                                                                                     \
    }
#define FOURI(op, n, f)                                                                            \
    switch (op) {                                                                                  \
    case 0:                                                                                        \
        MEMOP("fiadd" f, n);                                                                       \
        break;                                                                                     \
    case 1:                                                                                        \
        MEMOP("fimul" f, n);                                                                       \
        break;                                                                                     \
    case 2:                                                                                        \
    case 3:                                                                                        \
        MEMCMP("ficom" f, n);                                                                      \
        break;                                                                                     \
    case 4:                                                                                        \
        MEMOP("fisub" f, n);                                                                       \
        break;                                                                                     \
    case 5:                                                                                        \
        MEMOP("fisubr" f, n);                                                                      \
        break;                                                                                     \
    case 6:                                                                                        \
        MEMOP("fidiv" f, n);                                                                       \
        break;                                                                                     \
    default:                                                                                       \
        MEMOP("fidivr" f, n);                                                                      \
        break;                                                                                     \
    }

uint16_t vt_x87_host_mem(uint16_t cw, unsigned op, x87_memfmt fmt, const void *a, const void *m,
                         void *r1) {
    uint16_t sw = 0;
    uint16_t hcw = (uint16_t)(cw | 0x3F);
    uint16_t save = enter_cw(hcw);
    char dummy[10];
    if (!r1) r1 = dummy;
    switch (fmt) {
    case X87M_F32:
        FOUR(op, 4, "s");
        break;
    case X87M_F64:
        FOUR(op, 8, "l");
        break;
    case X87M_I32:
        FOURI(op, 4, "l");
        break;
    default:
        FOURI(op, 2, "s");
        break;
    }
    leave_cw(save, hcw);
    return sw;
}

#else
#error                                                                                             \
    "the x87 backend currently needs an x86 host (see hwdocs/x86.md: softfloat backend is future work)"
#endif
