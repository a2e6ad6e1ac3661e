/* The ARM and Thumb instruction lists: encoding mask/value, the architecture feature that
 * introduces it, its handler and its disassembly template. The decoder (arm_decode.c) and
 * the disassembler (arm_disasm.c) both read these lists. First match wins, so specific
 * encodings come before the general ones. Encodings: ARM ARM (DDI 0100I) A3.1, A7.1. */
#include "core/cpu/arm/arm_handlers.h"

#define V5 VT_ARM_F_V5
#define DSP VT_ARM_F_DSP
#define V6 VT_ARM_F_V6
#define VFP VT_ARM_F_VFP

const vt_arm_insn_desc vt_arm_insns[] = {
    /* multiplies and extra load/store space (bits 7 and 4 set) */
    {0x0FC000F0, 0x00000090, 0, vt_arm_i_mul, "%G%c%s %Rq, %Ra, %Ri%N"},
    {0x0FF000F0, 0x00400090, V6, vt_arm_i_umaal, "umaal%c %Rm, %Rq, %Ra, %Ri"},
    {0x0F8000F0, 0x00800090, 0, vt_arm_i_mull, "%g%c%s %Rm, %Rq, %Ra, %Ri"},
    {0x0FB00FF0, 0x01000090, 0, vt_arm_i_swp, "swp%c%b %Rm, %Ra, [%Rq]"},
    {0x0FF00FFF, 0x01900F9F, V6, vt_arm_i_ldrex, "ldrex%c %Rm, [%Rq]"},
    {0x0FF00FF0, 0x01800F90, V6, vt_arm_i_strex, "strex%c %Rm, %Ra, [%Rq]"},
    {0x0E0000F0, 0x000000B0, 0, vt_arm_i_ldst_x, "%ah%c %Rm, %M"},
    {0x0E1000F0, 0x001000D0, 0, vt_arm_i_ldst_x, "ldrsb%c %Rm, %M"},
    {0x0E1000F0, 0x001000F0, 0, vt_arm_i_ldst_x, "ldrsh%c %Rm, %M"},
    {0x0E1000F0, 0x000000D0, DSP, vt_arm_i_ldst_x, "ldrd%c %Rm, %M"},
    {0x0E1000F0, 0x000000F0, DSP, vt_arm_i_ldst_x, "strd%c %Rm, %M"},
    /* miscellaneous space (op 10xx with S clear) */
    {0x0FBF0FFF, 0x010F0000, 0, vt_arm_i_mrs, "mrs%c %Rm, %S"},
    {0x0FB0FFF0, 0x0120F000, 0, vt_arm_i_msr_reg, "msr%c %F, %Ra"},
    {0x0FFFFFF0, 0x012FFF10, 0, vt_arm_i_bx, "bx%c %Ra"},
    {0x0FFFFFF0, 0x012FFF20, VT_ARM_F_JAZ, vt_arm_i_bx, "bxj%c %Ra"},
    {0x0FFFFFF0, 0x012FFF30, V5, vt_arm_i_bx, "blx%c %Ra"},
    {0x0FFF0FF0, 0x016F0F10, V5, vt_arm_i_clz, "clz%c %Rm, %Ra"},
    {0x0F900FF0, 0x01000050, DSP, vt_arm_i_qadd, "%q%c %Rm, %Ra, %Rq"},
    {0x0FF000F0, 0x01200070, V5, vt_arm_bkpt, "bkpt %K"},
    {0x0FF00090, 0x01000080, DSP, vt_arm_i_smlaxy, "smla%y%c %Rq, %Ra, %Ri, %Rm"},
    {0x0FF000B0, 0x01200080, DSP, vt_arm_i_smlaxy, "smlaw%Y%c %Rq, %Ra, %Ri, %Rm"},
    {0x0FF000B0, 0x012000A0, DSP, vt_arm_i_smlaxy, "smulw%Y%c %Rq, %Ra, %Ri"},
    {0x0FF00090, 0x01400080, DSP, vt_arm_i_smlaxy, "smlal%y%c %Rm, %Rq, %Ra, %Ri"},
    {0x0FF00090, 0x01600080, DSP, vt_arm_i_smlaxy, "smul%y%c %Rq, %Ra, %Ri"},
    {0x0F900000, 0x01000000, 0, vt_arm_i_undef, "undefined"},
    /* data processing */
    {0x0E000010, 0x00000000, 0, vt_arm_i_dp_reg, "%D"},
    {0x0E000090, 0x00000010, 0, vt_arm_i_dp_rsr, "%D"},
    {0x0FB0F000, 0x0320F000, 0, vt_arm_i_msr_imm, "msr%c %F, %o"},
    {0x0FB00000, 0x03000000, 0, vt_arm_i_undef, "undefined"},
    {0x0E000000, 0x02000000, 0, vt_arm_i_dp_imm, "%D"},
    /* v6 media space */
    {0x0F800010, 0x06000010, V6, vt_arm_i_parallel, "%E%c %Rm, %Rq, %Ra"},
    {0x0FF00FF0, 0x06800FB0, V6, vt_arm_i_sel, "sel%c %Rm, %Rq, %Ra"},
    {0x0FF00030, 0x06800010, V6, vt_arm_i_pkh, "pkh%T%c %Rm, %Rq, %Ra%Z"},
    {0x0FF00FF0, 0x06A00F30, V6, vt_arm_i_sat16, "ssat16%c %Rm, #%1, %Ra"},
    {0x0FF00FF0, 0x06E00F30, V6, vt_arm_i_sat16, "usat16%c %Rm, #%0, %Ra"},
    {0x0FE00030, 0x06A00010, V6, vt_arm_i_sat, "ssat%c %Rm, #%3, %Ra%Z"},
    {0x0FE00030, 0x06E00010, V6, vt_arm_i_sat, "usat%c %Rm, #%2, %Ra%Z"},
    {0x0FFF0FF0, 0x06BF0F30, V6, vt_arm_i_rev, "rev%c %Rm, %Ra"},
    {0x0FFF0FF0, 0x06BF0FB0, V6, vt_arm_i_rev, "rev16%c %Rm, %Ra"},
    {0x0FFF0FF0, 0x06FF0FB0, V6, vt_arm_i_rev, "revsh%c %Rm, %Ra"},
    {0x0F8003F0, 0x06800070, V6, vt_arm_i_extend, "%x%c %Rm, %+%Ra%w"},
    {0x0FF00090, 0x07000010, V6, vt_arm_i_smlad, "%d%c %Rq, %Ra, %Ri%V"},
    {0x0FF00090, 0x07400010, V6, vt_arm_i_smlad, "%d%c %Rm, %Rq, %Ra, %Ri"},
    {0x0FF00010, 0x07500010, V6, vt_arm_i_smmla, "%e%c %Rq, %Ra, %Ri%V"},
    {0x0FF000F0, 0x07800010, V6, vt_arm_i_usad8, "usad%W%c %Rq, %Ra, %Ri%V"},
    {0x0E000010, 0x06000010, 0, vt_arm_i_undef, "undefined"},
    /* loads and stores, block transfers, branches */
    {0x0C000000, 0x04000000, 0, vt_arm_i_ldst, "%l%c%b%t %Rm, %A"},
    {0x0E000000, 0x08000000, 0, vt_arm_i_ldm_stm, "%L"},
    {0x0E000000, 0x0A000000, 0, vt_arm_i_b, "b%f%c %B"},
    /* VFPv2 on CP10/CP11 (arm_vfp.c) */
    {0x0FE00E00, 0x0C400A00, VFP, vt_arm_i_vfp_xfer64, "%v"},
    {0x0E000E00, 0x0C000A00, VFP, vt_arm_i_vfp_ldst, "%v"},
    {0x0F000E10, 0x0E000A00, VFP, vt_arm_i_vfp_dp, "%v"},
    {0x0F000E10, 0x0E000A10, VFP, vt_arm_i_vfp_xfer, "%v"},
    /* ARM1136 CP15 block cache operations (MCRR p15, 0, Rend, Rstart, c5/c6/c12/c14) */
    {0x0FF00FF0, 0x0C400F00, V6, vt_arm_i_cp15_range, "mcrr%c p15, 0, %Rm, %Rq, %Q"},
    /* other coprocessors: MRC/MCR go to the owner's hooks (CP15 in system mode) */
    {0x0F000010, 0x0E000010, 0, vt_arm_i_mrc_mcr, "%r%c %C"},
    {0x0F000000, 0x0F000000, 0, vt_arm_swi, "svc%c %u"},
    {0x00000000, 0x00000000, 0, vt_arm_i_undef, "undefined"},
};
const size_t vt_arm_insns_count = VT_ARRAY_LEN(vt_arm_insns);

const vt_arm_insn_desc vt_arm_uncond_insns[] = {
    {0xFE000000, 0xFA000000, V5, vt_arm_i_blx_imm, "blx %X"},
    {0xFD70F000, 0xF550F000, DSP, vt_arm_i_nop, "pld %A"},
    {0xFFF1FE20, 0xF1000000, V6, vt_arm_i_cps, "cps %P"},
    {0xFFFFFDFF, 0xF1010000, V6, vt_arm_i_setend, "setend %n"},
    {0xFE50FFFF, 0xF8100A00, V6, vt_arm_i_rfe, "rfe%p %Rq%!"},
    {0xFE5FFFE0, 0xF84D0500, V6, vt_arm_i_srs, "srs%p #%j%!"},
    {0x00000000, 0x00000000, 0, vt_arm_i_undef, "undefined"},
};
const size_t vt_arm_uncond_insns_count = VT_ARRAY_LEN(vt_arm_uncond_insns);

const vt_arm_insn_desc vt_thumb_insns[] = {
    {0xF800, 0x0000, 0, vt_thumb_i_shift_imm, "lsls %ta, %td, #%i"},
    {0xF800, 0x0800, 0, vt_thumb_i_shift_imm, "lsrs %ta, %td, #%i"},
    {0xF800, 0x1000, 0, vt_thumb_i_shift_imm, "asrs %ta, %td, #%i"},
    {0xFC00, 0x1800, 0, vt_thumb_i_addsub, "%s %ta, %td, %tg"},
    {0xFC00, 0x1C00, 0, vt_thumb_i_addsub, "%s %ta, %td, #%I"},
    {0xE000, 0x2000, 0, vt_thumb_i_imm8, "%o %ti, #%k"},
    {0xFC00, 0x4000, 0, vt_thumb_i_alu, "%D %ta, %td"},
    {0xFF00, 0x4700, 0, vt_thumb_i_hireg, "%h %H"},
    {0xFC00, 0x4400, 0, vt_thumb_i_hireg, "%h %r, %H"},
    {0xF800, 0x4800, 0, vt_thumb_i_ldr_pc, "ldr %ti, [pc, #%K]"},
    {0xF000, 0x5000, 0, vt_thumb_i_ldst_reg, "%l %ta, [%td, %tg]"},
    {0xE000, 0x6000, 0, vt_thumb_i_ldst_imm, "%l %ta, [%td, #%j]"},
    {0xF000, 0x8000, 0, vt_thumb_i_ldst_imm, "%l %ta, [%td, #%j]"},
    {0xF000, 0x9000, 0, vt_thumb_i_ldst_sp, "%l %ti, [sp, #%K]"},
    {0xF000, 0xA000, 0, vt_thumb_i_add_pcsp, "add %ti, %p, #%K"},
    {0xFF00, 0xB000, 0, vt_thumb_i_adjsp, "%a sp, #%n"},
    {0xFF00, 0xB200, V6, vt_thumb_i_extend, "%x %ta, %td"},
    {0xFF00, 0xBA00, V6, vt_thumb_i_rev, "%v %ta, %td"},
    {0xFFF7, 0xB650, V6, vt_thumb_i_setend, "setend %E"},
    {0xFFE8, 0xB660, V6, vt_thumb_i_cps, "cps%F"},
    {0xF600, 0xB400, 0, vt_thumb_i_pushpop, "%P {%L}"},
    {0xFF00, 0xBE00, V5, vt_thumb_i_bkpt, "bkpt #%k"},
    {0xF000, 0xC000, 0, vt_thumb_i_ldstm, "%m %ti!, {%L}"},
    {0xFF00, 0xDE00, 0, vt_arm_i_undef, "undefined"},
    {0xFF00, 0xDF00, 0, vt_thumb_i_swi, "svc #%k"},
    {0xF000, 0xD000, 0, vt_thumb_i_bcond, "b%c %B"},
    {0xF800, 0xE000, 0, vt_thumb_i_b, "b %B"},
    {0xF801, 0xE800, V5, vt_thumb_i_bl_suffix, "blx (suffix) #%J"},
    {0xF800, 0xF000, 0, vt_thumb_i_bl_prefix, "bl (prefix) #%J"},
    {0xF800, 0xF800, 0, vt_thumb_i_bl_suffix, "bl (suffix) #%J"},
    {0x0000, 0x0000, 0, vt_arm_i_undef, "undefined"},
};
const size_t vt_thumb_insns_count = VT_ARRAY_LEN(vt_thumb_insns);
