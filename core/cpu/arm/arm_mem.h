/* ARM core memory access: the shared software TLB fast path (little-endian guest data),
 * the owner's slow path on a miss, and abort unwinding on a fault. Unaligned word/halfword
 * accesses follow the model: ARMv6 with SCTLR.U (Linux user mode) accesses bytes as
 * addressed; ARMv4/v5 word loads rotate (ARM ARM A4.1.23). */
#ifndef VT_ARM_MEM_H
#define VT_ARM_MEM_H

#include "core/cpu/arm/arm_cpu.h"

/* TLB-miss paths (arm_mem.c): the owner's hooks, page-crossing splits, aborts. */
uint32_t vt_arm_read_slow(vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a);
void vt_arm_write_slow(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v);

/* The fast paths below are a few instructions each: force them inline into the handlers
 * (gcc otherwise keeps some out of line once handlers are specialised). */
#define VT_ARM_MEM_INLINE static inline __attribute__((always_inline))

VT_ARM_MEM_INLINE uint32_t vt_arm_ld8(vt_arm_cpu *c, uint32_t va) {
    uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_READ);
    return p ? *p : vt_arm_read_slow(c, va, 1, VT_ACCESS_READ);
}
VT_ARM_MEM_INLINE uint32_t vt_arm_ld16(vt_arm_cpu *c, uint32_t va) {
    if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 1) {
        uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_READ);
        if (p) return load_le16(p);
    }
    return vt_arm_read_slow(c, va, 2, VT_ACCESS_READ);
}
VT_ARM_MEM_INLINE uint32_t vt_arm_ld32(vt_arm_cpu *c, uint32_t va) {
    if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 3) {
        uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_READ);
        if (p) return load_le32(p);
    }
    return vt_arm_read_slow(c, va, 4, VT_ACCESS_READ);
}
VT_ARM_MEM_INLINE void vt_arm_st8(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_WRITE);
    if (p)
        *p = (uint8_t)v;
    else
        vt_arm_write_slow(c, va, 1, v & 0xff);
}
VT_ARM_MEM_INLINE void vt_arm_st16(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 1) {
        uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_WRITE);
        if (p) {
            store_le16(p, (uint16_t)v);
            return;
        }
    }
    vt_arm_write_slow(c, va, 2, v & 0xffff);
}
VT_ARM_MEM_INLINE void vt_arm_st32(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if ((va & VT_TLB_PAGE_MASK) <= VT_TLB_PAGE_MASK - 3) {
        uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_WRITE);
        if (p) {
            store_le32(p, v);
            return;
        }
    }
    vt_arm_write_slow(c, va, 4, v);
}
/* ARM instruction fetch off the run loop's cached code page: looks up the TLB and caches
 * the page (vt_arm_cpu.code_vpn), or takes the owner's path. */
uint32_t vt_arm_fetch_slow(vt_arm_cpu *c, uint32_t va);
/* Thumb instruction fetch (aligned, so never crossing a page). */
VT_ARM_MEM_INLINE uint32_t vt_arm_fetch16(vt_arm_cpu *c, uint32_t va) {
    uint8_t *p = vt_tlb_lookup(&c->tlb, va, VT_ACCESS_EXEC);
    return p ? load_le16(p) : vt_arm_read_slow(c, va, 2, VT_ACCESS_EXEC);
}

/* Unaligned word/halfword accesses by the model's and SCTLR's rules (c->align): the aligned
 * case stays inline, the rest is out of line (arm_mem.c). */
uint32_t vt_arm_ldr_unaligned(vt_arm_cpu *c, uint32_t va);
void vt_arm_str_unaligned(vt_arm_cpu *c, uint32_t va, uint32_t v);
uint32_t vt_arm_ldrh_unaligned(vt_arm_cpu *c, uint32_t va);
void vt_arm_strh_unaligned(vt_arm_cpu *c, uint32_t va, uint32_t v);
uint32_t vt_arm_word_addr_unaligned(vt_arm_cpu *c, uint32_t va, bool write);
/* LDRT/LDRBT and STRT/STRBT: in system mode checked with user permissions whatever the
 * current mode (ARM ARM A4.1.24); otherwise ordinary accesses. */
uint32_t vt_arm_ldrt(vt_arm_cpu *c, uint32_t va, bool byte);
void vt_arm_strt(vt_arm_cpu *c, uint32_t va, uint32_t v, bool byte);

/* Word load as LDR does it: v6 unaligned-capable, v4/v5 rotate by the low address bits,
 * alignment fault with SCTLR.A. */
VT_ARM_MEM_INLINE uint32_t vt_arm_ldr_word(vt_arm_cpu *c, uint32_t va) {
    if (__builtin_expect(!(va & 3), 1)) return vt_arm_ld32(c, va);
    return vt_arm_ldr_unaligned(c, va);
}
VT_ARM_MEM_INLINE void vt_arm_str_word(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if (__builtin_expect(!(va & 3), 1))
        vt_arm_st32(c, va, v);
    else
        vt_arm_str_unaligned(c, va, v);
}
VT_ARM_MEM_INLINE uint32_t vt_arm_ldrh(vt_arm_cpu *c, uint32_t va) {
    if (__builtin_expect(!(va & 1), 1)) return vt_arm_ld16(c, va);
    return vt_arm_ldrh_unaligned(c, va);
}
VT_ARM_MEM_INLINE void vt_arm_strh(vt_arm_cpu *c, uint32_t va, uint32_t v) {
    if (__builtin_expect(!(va & 1), 1))
        vt_arm_st16(c, va, v);
    else
        vt_arm_strh_unaligned(c, va, v);
}
/* Start address of a multi-word (LDM/STM/LDRD/STRD) or exclusive access: in system mode an
 * unaligned one faults with SCTLR.A or the v6 unaligned model, else ignores bits 1:0. */
VT_ARM_MEM_INLINE uint32_t vt_arm_word_addr(vt_arm_cpu *c, uint32_t va, bool write) {
    if (__builtin_expect(!(va & 3), 1)) return va;
    return vt_arm_word_addr_unaligned(c, va, write);
}

#endif
