/* The x87 arithmetic backend: every operation that must give the real FPU's bits (rounding,
 * precision control, NaN rules, transcendental results, exception flags) is carried out by the
 * host's own x87 unit under the guest's control word (x87_host.c). Why: see hwdocs/x86.md. */
#ifndef VT_X87_HOST_H
#define VT_X87_HOST_H

#include <stdint.h>

typedef struct x87_reg x87_reg;

typedef enum x87_hop {
    /* st0 = a op b (a = ST0, b = the other operand) */
    X87H_ADD,
    X87H_MUL,
    X87H_SUB,
    X87H_SUBR,
    X87H_DIV,
    X87H_DIVR,
    X87H_PREM,
    X87H_PREM1,
    X87H_SCALE,
    /* ST1 op ST0 then pop: a = ST0, b = ST1, result in r1 */
    X87H_PATAN,
    X87H_YL2X,
    X87H_YL2XP1,
    /* compares a with b: condition codes only */
    X87H_COM,
    X87H_UCOM,
    /* unary on a */
    X87H_SQRT,
    X87H_SIN,
    X87H_COS,
    X87H_RNDINT,
    X87H_2XM1,
    /* unary with a pushed second result: r1 = new ST0, r2 = new ST1 (not for C2 = 1) */
    X87H_PTAN,
    X87H_SINCOS,
    X87H_XTRACT,
    /* constants into r1 */
    X87H_LD1,
    X87H_LDL2T,
    X87H_LDL2E,
    X87H_LDPI,
    X87H_LDLG2,
    X87H_LDLN2,
    X87H_LDZ,
    /* loads from the memory image at a into r1 */
    X87H_LDF32,
    X87H_LDF64,
    X87H_LDI16,
    X87H_LDI32,
    X87H_LDI64,
    X87H_LDBCD,
    /* stores of a into the memory image at r1 */
    X87H_STF32,
    X87H_STF64,
    X87H_STI16,
    X87H_STI32,
    X87H_STI64,
    X87H_STBCD,
} x87_hop;

/* Runs op with the guest control word `cw` (all exceptions masked on the host). Returns the host
 * status word right after the operation: exception flags (bits 0-5) and C0-C3. For the two-result
 * operations *pushed2 tells whether r2 was produced. */
uint16_t vt_x87_host(uint16_t cw, x87_hop op, const void *a, const void *b, void *r1, void *r2,
                     int *pushed2);

/* ST0 (image a) op memory operand m, op in D8 /reg order (0 add 1 mul 2/3 com 4 sub 5 subr
 * 6 div 7 divr); result image in r1 (not for compares). Exact memory-operand flag semantics. */
typedef enum x87_memfmt { X87M_F32, X87M_F64, X87M_I32, X87M_I16 } x87_memfmt;
uint16_t vt_x87_host_mem(uint16_t cw, unsigned op, x87_memfmt fmt, const void *a, const void *m,
                         void *r1);

#endif
