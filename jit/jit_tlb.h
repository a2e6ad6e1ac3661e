/* The inline fast path both translators emit for guest memory accesses: a probe of the
 * software TLB of core/tlb.h (one direct-mapped slot per page number, one tag per access
 * kind), the same lookup vt_tlb_lookup does in C. */
#ifndef VT_JIT_TLB_H
#define VT_JIT_TLB_H

#include "core/tlb.h"
#include "jit/x64_emit.h"

/* Jumps to `slow` unless the 32-bit guest address in `va` hits, for access `a`, the vt_tlb at
 * offset tlb_off of the guest state (VT_JIT_STATE); on a hit `host` holds the host address of
 * the page's first byte. Clobbers `page` and `slot` (`host` may be `slot`); keeps `va`. */
void vt_jit_emit_tlb_probe(vt_x64_emitter *e, int32_t tlb_off, vt_access a, vt_x64_reg va,
                           vt_x64_reg page, vt_x64_reg slot, vt_x64_reg host, vt_x64_label *slow);

#endif
