/* ARM core memory slow path: TLB misses go to the owner's read/write hooks (which may fill
 * the TLB), accesses crossing a page are split into bytes, and a refused access raises the
 * data or prefetch abort for the current instruction. Instruction fetches off the cached
 * code page refill it from the TLB. */
#include "core/cpu/arm/arm_mem.h"

#include "core/cpu/arm/arm_mmu.h"

uint32_t vt_arm_fetch_slow(vt_arm_cpu *c, uint32_t va) {
    const uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_EXEC);
    if (!p) return vt_arm_read_slow(c, va, 4, VT_ACCESS_EXEC);
    c->code_vpn = va >> VT_TLB_PAGE_BITS;
    c->code_host = p - (va & VT_TLB_PAGE_MASK);
    return load_le32(p);
}

uint32_t vt_arm_read_slow(vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a) {
    uint32_t v = 0;
    vt_arm_forget_code_page(c); /* the owner's hook may change the TLB */
    if ((va & VT_TLB_PAGE_MASK) + size > VT_TLB_PAGE_MASK + 1) {
        /* crosses a page: byte by byte */
        for (unsigned i = 0; i < size; i++) {
            uint32_t b;
            if (c->hooks.read(c->base.env, c, va + i, 1, a, &b))
                vt_arm_raise(c, a == VT_ACCESS_EXEC ? VT_ARM_EXC_PABT : VT_ARM_EXC_DABT, va + i);
            v |= (b & 0xff) << (8 * i);
        }
        if (c->jit_hooks) c->jit_hooks->after_access(c, va, size, false);
        return v;
    }
    if (c->hooks.read(c->base.env, c, va, size, a, &v))
        vt_arm_raise(c, a == VT_ACCESS_EXEC ? VT_ARM_EXC_PABT : VT_ARM_EXC_DABT, va);
    if (c->jit_hooks) c->jit_hooks->after_access(c, va, size, false);
    return v;
}

void vt_arm_write_slow(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v) {
    vt_arm_forget_code_page(c); /* the owner's hook may change the TLB */
    if ((va & VT_TLB_PAGE_MASK) + size > VT_TLB_PAGE_MASK + 1) {
        /* probe every byte first so a fault leaves memory untouched */
        for (unsigned i = 0; i < size; i++) {
            uint32_t b;
            if (c->hooks.read(c->base.env, c, va + i, 1, VT_ACCESS_WRITE, &b))
                vt_arm_raise(c, VT_ARM_EXC_DABT, va + i);
        }
        if (c->jit_hooks) c->jit_hooks->before_write(c, va, size, v);
        for (unsigned i = 0; i < size; i++)
            if (c->hooks.write(c->base.env, c, va + i, 1, (v >> (8 * i)) & 0xff))
                vt_arm_raise(c, VT_ARM_EXC_DABT, va + i);
        if (c->jit_hooks) c->jit_hooks->after_access(c, va, size, true);
        return;
    }
    if (c->jit_hooks && c->jit_hooks->store(c, va, size, v)) return;
    if (c->jit_hooks) c->jit_hooks->before_write(c, va, size, v);
    if (c->hooks.write(c->base.env, c, va, size, v)) vt_arm_raise(c, VT_ARM_EXC_DABT, va);
    if (c->jit_hooks) c->jit_hooks->after_access(c, va, size, true);
}

uint32_t vt_arm_ldr_unaligned(vt_arm_cpu *c, uint32_t va) {
    if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, false);
    if (c->align == VT_ARM_ALIGN_UNALIGNED) return vt_arm_ld32(c, va);
    uint32_t v = vt_arm_ld32(c, va & ~3u);
    unsigned rot = 8 * (va & 3);
    return v >> rot | v << (32 - rot); /* A4.1.23 */
}

void vt_arm_str_unaligned(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, true);
    vt_arm_st32(c, c->align == VT_ARM_ALIGN_UNALIGNED ? va : va & ~3u, v);
}

/* Legacy unaligned halfwords are UNPREDICTABLE: bit 0 is ignored, as ARM9 cores do. */
uint32_t vt_arm_ldrh_unaligned(vt_arm_cpu *c, uint32_t va) {
    if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, false);
    return vt_arm_ld16(c, c->align == VT_ARM_ALIGN_UNALIGNED ? va : va & ~1u);
}

void vt_arm_strh_unaligned(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, true);
    vt_arm_st16(c, c->align == VT_ARM_ALIGN_UNALIGNED ? va : va & ~1u, v);
}

/* Linux user mode keeps the bytes as addressed (QEMU's user mode does the same). */
uint32_t vt_arm_word_addr_unaligned(vt_arm_cpu *c, uint32_t va, bool write) {
    if (!c->sysmode) return va;
    if (c->align != VT_ARM_ALIGN_ROTATE) vt_arm_alignment_fault(c, va, write);
    return va & ~3u;
}

uint32_t vt_arm_ldrt(vt_arm_cpu *c, uint32_t va, bool byte) {
    if (!c->sysmode) return byte ? vt_arm_ld8(c, va) : vt_arm_ldr_word(c, va);
    if (byte) return vt_arm_user_access(c, va, 1, false, 0);
    if (!(va & 3) || c->align == VT_ARM_ALIGN_UNALIGNED) {
        if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 3)
            return vt_arm_user_access(c, va, 4, false, 0);
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; i++)
            v |= vt_arm_user_access(c, va + i, 1, false, 0) << (8 * i);
        return v;
    }
    if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, false);
    uint32_t v = vt_arm_user_access(c, va & ~3u, 4, false, 0);
    unsigned rot = 8 * (va & 3);
    return v >> rot | v << (32 - rot);
}

void vt_arm_strt(vt_arm_cpu *c, uint32_t va, uint32_t v, bool byte) {
    if (!c->sysmode) {
        if (byte)
            vt_arm_st8(c, va, v);
        else
            vt_arm_str_word(c, va, v);
        return;
    }
    if (byte) {
        vt_arm_user_access(c, va, 1, true, v & 0xff);
        return;
    }
    if (va & 3) {
        if (c->align == VT_ARM_ALIGN_TRAP) vt_arm_alignment_fault(c, va, true);
        if (c->align == VT_ARM_ALIGN_ROTATE) va &= ~3u;
    }
    if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 3) {
        vt_arm_user_access(c, va, 4, true, v);
        return;
    }
    for (unsigned i = 0; i < 4; i++) /* probe first: a fault leaves memory untouched */
        vt_arm_user_access(c, va + i, 0, true, 0);
    for (unsigned i = 0; i < 4; i++)
        vt_arm_user_access(c, va + i, 1, true, (v >> (8 * i)) & 0xff);
}
