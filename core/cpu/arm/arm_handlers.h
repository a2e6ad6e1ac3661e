/* Declarations of every ARM and Thumb instruction handler; the instruction lists in
 * arm_insns.c bind them to encodings. */
#ifndef VT_ARM_HANDLERS_H
#define VT_ARM_HANDLERS_H

#include "core/cpu/arm/arm_exec.h"

/* clang-format off */
#define VT_ARM_HANDLERS(X)                                                                  \
    X(vt_arm_i_dp_imm) X(vt_arm_i_dp_reg) X(vt_arm_i_dp_rsr) X(vt_arm_i_mrs)                \
    X(vt_arm_i_msr_reg) X(vt_arm_i_msr_imm) X(vt_arm_i_mul) X(vt_arm_i_mull)                \
    X(vt_arm_i_umaal) X(vt_arm_i_ldst) X(vt_arm_i_ldst_x) X(vt_arm_i_ldm_stm)               \
    X(vt_arm_i_swp) X(vt_arm_i_ldrex) X(vt_arm_i_strex) X(vt_arm_i_b) X(vt_arm_i_blx_imm)   \
    X(vt_arm_i_bx) X(vt_arm_i_clz) X(vt_arm_i_mrc_mcr) X(vt_arm_i_cp15_range) X(vt_arm_i_undef) X(vt_arm_i_nop)    \
    X(vt_arm_i_qadd) X(vt_arm_i_smlaxy) X(vt_arm_i_parallel) X(vt_arm_i_sel)                \
    X(vt_arm_i_pkh) X(vt_arm_i_sat) X(vt_arm_i_sat16) X(vt_arm_i_extend) X(vt_arm_i_rev)    \
    X(vt_arm_i_smlad) X(vt_arm_i_smmla) X(vt_arm_i_usad8) X(vt_arm_i_cps)                  \
    X(vt_arm_i_setend) X(vt_arm_i_rfe) X(vt_arm_i_srs) X(vt_arm_swi) X(vt_arm_bkpt)         \
    X(vt_thumb_i_shift_imm) X(vt_thumb_i_addsub) X(vt_thumb_i_imm8) X(vt_thumb_i_alu)       \
    X(vt_thumb_i_hireg) X(vt_thumb_i_ldr_pc) X(vt_thumb_i_ldst_reg) X(vt_thumb_i_ldst_imm)  \
    X(vt_thumb_i_ldst_sp) X(vt_thumb_i_add_pcsp) X(vt_thumb_i_adjsp) X(vt_thumb_i_pushpop)  \
    X(vt_thumb_i_ldstm) X(vt_thumb_i_bcond) X(vt_thumb_i_b) X(vt_thumb_i_bl_prefix)         \
    X(vt_thumb_i_bl_suffix) X(vt_thumb_i_swi) X(vt_thumb_i_bkpt) X(vt_thumb_i_extend)       \
    X(vt_thumb_i_rev) X(vt_thumb_i_setend) X(vt_thumb_i_cps) X(vt_arm_i_vfp_dp)            \
    X(vt_arm_i_vfp_xfer) X(vt_arm_i_vfp_xfer64) X(vt_arm_i_vfp_ldst)
/* clang-format on */

#define VT_ARM_DECLARE(fn) void fn(vt_arm_cpu *c, uint32_t insn);
VT_ARM_HANDLERS(VT_ARM_DECLARE)
#undef VT_ARM_DECLARE

/* Shared by the ARM media and Thumb v6 handlers. */
uint32_t vt_arm_extend(unsigned op, uint32_t n, uint32_t m, unsigned rot, bool add);
uint32_t vt_arm_rev(unsigned kind, uint32_t v);

#endif
