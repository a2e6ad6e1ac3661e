/* VFPv2 (the ARM1136's VFP11 coprocessor, CP10/CP11): register file, FPSCR/FPEXC bit names,
 * and the IEEE 754 arithmetic the instruction handlers share (arm_vfp_math.c). Values travel
 * as raw bit patterns (uint64_t; singles in the low 32 bits) with a format selector.
 * Sources: ARM ARM DDI 0100I part C (VFP); VFP11 TRM (DDI 0274) ch. 2 and 4. */
#ifndef VT_ARM_VFP_H
#define VT_ARM_VFP_H

#include "core/common.h"

typedef struct vt_arm_vfp {
    uint32_t s[32]; /* S0-S31; D<n> is S<2n> (low word) and S<2n+1> (high word) */
    uint32_t fpscr, fpexc, fpinst, fpinst2;
} vt_arm_vfp;

/* FPSCR (ARM ARM C2.6). */
enum {
    VT_FPSCR_IOC = 1u << 0, /* cumulative exception flags */
    VT_FPSCR_DZC = 1u << 1,
    VT_FPSCR_OFC = 1u << 2,
    VT_FPSCR_UFC = 1u << 3,
    VT_FPSCR_IXC = 1u << 4,
    VT_FPSCR_IDC = 1u << 7,
    VT_FPSCR_LEN_SHIFT = 16, /* vector length - 1, bits 18:16 */
    VT_FPSCR_STRIDE_SHIFT = 20,
    VT_FPSCR_RMODE_SHIFT = 22, /* 0 nearest, 1 +inf, 2 -inf, 3 zero */
    VT_FPSCR_FZ = 1u << 24,
    VT_FPSCR_DN = 1u << 25,
    /* NZCV, DN, FZ, RMode, STRIDE, LEN and the flags; the trap enables read as zero (no
     * trapped exceptions, hwdocs/arm.md) */
    VT_FPSCR_WRITABLE = 0xf3f7009fu,
};

enum { VT_FPEXC_EN = 1u << 30, VT_FPEXC_EX = 1u << 31 };

/* A floating-point environment for one operation: FPSCR mode bits in, flags out. */
typedef struct vt_vfp_env {
    uint32_t fpscr; /* RMode, FZ, DN are read */
    uint32_t flags; /* VT_FPSCR_* cumulative bits raised by the operation */
} vt_vfp_env;

typedef enum vt_vfp_op { VT_VFP_ADD, VT_VFP_SUB, VT_VFP_MUL, VT_VFP_DIV } vt_vfp_op;

/* dbl: double precision (else single in the low 32 bits). */
uint64_t vt_vfp_arith(vt_vfp_env *e, vt_vfp_op op, bool dbl, uint64_t a, uint64_t b);
uint64_t vt_vfp_sqrt(vt_vfp_env *e, bool dbl, uint64_t a);
/* Compare: returns NZCV in bits 3:0; `quiet_nan_traps` (FCMPE) signals on any NaN. */
unsigned vt_vfp_compare(vt_vfp_env *e, bool dbl, uint64_t a, uint64_t b, bool quiet_nan_traps);
/* Float to 32-bit integer (round by FPSCR, or toward zero), with saturation. */
uint32_t vt_vfp_to_int(vt_vfp_env *e, bool dbl, uint64_t a, bool is_signed, bool round_zero);
uint64_t vt_vfp_from_int(vt_vfp_env *e, bool dbl, uint32_t v, bool is_signed);
/* Single <-> double. */
uint64_t vt_vfp_convert(vt_vfp_env *e, bool to_dbl, uint64_t a);
/* Sign flip (FNEG and the negations inside FNMUL/FNMAC/...): no NaN processing. */
static inline uint64_t vt_vfp_neg(bool dbl, uint64_t a) {
    return a ^ (dbl ? 1ull << 63 : 1ull << 31);
}

#endif
