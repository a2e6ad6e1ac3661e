/* Inline software-TLB probe shared by the ARM and x86 translators (jit/jit_tlb.h); the TLB's
 * layout is core/tlb.h's. */
#include "jit/jit_tlb.h"

#include "jit/jit_cache.h"

#include <stddef.h>

_Static_assert(sizeof(vt_tlb_entry) == 32, "the slot index is scaled by a shift of 5");

void vt_jit_emit_tlb_probe(vt_x64_emitter *e, int32_t tlb_off, vt_access a, vt_x64_reg va,
                           vt_x64_reg page, vt_x64_reg slot, vt_x64_reg host, vt_x64_label *slow) {
    int32_t base = tlb_off + (int32_t)offsetof(vt_tlb, e);
    vt_x64_mov_rr(e, 4, page, va);
    vt_x64_shift_ri(e, VT_X64_SHR, 4, page, VT_TLB_PAGE_BITS);
    vt_x64_mov_rr(e, 4, slot, page);
    vt_x64_alu_ri(e, VT_X64_AND, 4, slot, VT_TLB_SIZE - 1);
    vt_x64_shift_ri(e, VT_X64_SHL, 4, slot, 5);
    int32_t tag = base + (int32_t)offsetof(vt_tlb_entry, tag) + 8 * (int32_t)a;
    vt_x64_alu_rm(e, VT_X64_CMP, 8, page, vt_x64_at_index(VT_JIT_STATE, slot, 1, tag));
    vt_x64_jcc(e, VT_X64_CC_NE, slow);
    vt_x64_load(
        e, 8, host,
        vt_x64_at_index(VT_JIT_STATE, slot, 1, base + (int32_t)offsetof(vt_tlb_entry, host)));
}
