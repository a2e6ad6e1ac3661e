/* The x86 translators' memory-operand helpers: the effective address of a decoded
 * instruction (as x86_calc_ea) and the inline fast path of x86_fast_ptr (flat data segment,
 * offset within the page, software-TLB hit through jit/jit_tlb.h). Anything else jumps to the
 * caller's slow path, which calls the interpreter's handler, so segment faults, #PF, TLB fills
 * and stores to code pages stay the interpreter's. Facts: Intel SDM vol. 3 §3.4.5, §5.3. */
#include "jit/jit_tlb.h"
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST

void x86_jit_emit_ea(vt_x64_emitter *e, const x86_insn *i) {
    vt_x64_mov_ri(e, 4, VT_X64_RCX, i->disp);
    if (i->base != 0xFF)
        vt_x64_alu_rm(e, VT_X64_ADD, 4, VT_X64_RCX, vt_x64_at(ST, X86_JIT_REG(i->base)));
    if (i->index != 0xFF) {
        vt_x64_load(e, 4, VT_X64_RAX, vt_x64_at(ST, X86_JIT_REG(i->index)));
        if (i->scale) vt_x64_shift_ri(e, VT_X64_SHL, 4, VT_X64_RAX, i->scale);
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RCX, VT_X64_RAX);
    }
}

void x86_jit_emit_fast_addr(vt_x64_emitter *e, unsigned seg_n, unsigned size, bool write,
                            bool stack, vt_x64_label *slow) {
    int32_t seg = (int32_t)offsetof(x86_cpu, seg) + (int32_t)(seg_n * sizeof(x86_seg));
    int32_t db = stack ? SEG_ATTR_DB : 0;
    /* present, writable, expand-up data with a 4 GiB limit: no segment check can fail */
    vt_x64_load_zx(e, 2, VT_X64_RAX, vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, attr)));
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, 0x8E | db);
    vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RAX, 0x82 | db);
    vt_x64_jcc(e, VT_X64_CC_NE, slow);
    vt_x64_alu_mi(e, VT_X64_CMP, 4, vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, limit)), -1);
    vt_x64_jcc(e, VT_X64_CC_NE, slow);
    if (size > 1) { /* the last byte must not wrap past 4 GiB (a byte cannot) */
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, -(int32_t)size);
        vt_x64_jcc(e, VT_X64_CC_A, slow);
    }
    vt_x64_alu_rm(e, VT_X64_ADD, 4, VT_X64_RCX,
                  vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, base)));
    if (size > 1) { /* the access must not cross the page (a byte cannot) */
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, 0xFFF);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RAX, 0x1000 - (int32_t)size);
        vt_x64_jcc(e, VT_X64_CC_A, slow);
    }
    vt_jit_emit_tlb_probe(e, (int32_t)offsetof(x86_cpu, tlb),
                          write ? VT_ACCESS_WRITE : VT_ACCESS_READ, VT_X64_RCX, VT_X64_RDX,
                          VT_X64_RSI, VT_X64_RSI, slow);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, 0xFFF);
}

void x86_jit_load(vt_x64_emitter *e, unsigned size, vt_x64_reg dst, vt_x64_mem m) {
    if (size == 4)
        vt_x64_load(e, 4, dst, m);
    else
        vt_x64_load_zx(e, size, dst, m);
}
