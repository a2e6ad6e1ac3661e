/* Disassembly of one VFPv2 instruction (arm_vfp_disasm.c), called by the ARM disassembler
 * for the CP10/CP11 encodings. */
#ifndef VT_ARM_VFP_DISASM_H
#define VT_ARM_VFP_DISASM_H

#include "core/strbuf.h"

/* Appends the instruction with its condition suffix `cond` ("" for always). */
void vt_arm_vfp_disasm(vt_strbuf *o, uint32_t insn, const char *cond);

#endif
