/* ARM system mode: the MMU (v4/v5 and VMSAv6 page tables, domains, permissions, faults, the
 * ASID-tagged architectural TLB with the shared software TLB in front) and CP15 register
 * transfers, installed as the core's memory and coprocessor hooks when it has a bus.
 * Sources: ARM ARM DDI 0100I B3-B4; ARM925T TRM (DDI 0161); ARM1136JF-S TRM (DDI 0211K). */
#ifndef VT_ARM_MMU_H
#define VT_ARM_MMU_H

#include "core/cpu/arm/arm_cpu.h"

/* A translation: physical address and what each privilege may do there (VT_PERM_*). */
typedef struct vt_arm_xlat {
    uint64_t pa;
    unsigned perms_priv, perms_user;
    bool whole_page; /* the 4 KiB page around va maps contiguously with these permissions */
} vt_arm_xlat;

/* Translates va for access a with the current CP15 state; returns 0, or the fault status
 * (FSR[3:0] status, FSR[7:4] domain) without recording it. */
uint32_t vt_arm_mmu_translate(vt_arm_cpu *c, uint32_t va, vt_access a, bool user, vt_arm_xlat *x);

/* Architectural TLB maintenance (CP15 c8); each also drops the affected software-TLB pages. */
void vt_arm_tlb_invalidate_all(vt_arm_cpu *c);
void vt_arm_tlb_invalidate_mva(vt_arm_cpu *c, uint32_t mva, bool match_asid, uint8_t asid);
void vt_arm_tlb_invalidate_asid(vt_arm_cpu *c, uint8_t asid);
/* Drops the software TLB only (permissions, ASID or translation base changed). */
void vt_arm_fast_tlb_flush(vt_arm_cpu *c);

/* One access with user permissions (LDRT/STRT), bypassing the software TLB; size 0 only
 * checks the translation. Aborts like any access. */
uint32_t vt_arm_user_access(vt_arm_cpu *c, uint32_t va, unsigned size, bool write, uint32_t v);

/* Records an abort in the fault status/address registers (data or prefetch by `a`). */
void vt_arm_record_fault(vt_arm_cpu *c, uint32_t va, uint32_t fsr, vt_access a);
/* Alignment fault on a data access at va: records it and raises the data abort. */
void vt_arm_alignment_fault(vt_arm_cpu *c, uint32_t va, bool write) __attribute__((noreturn));

/* CP15 (arm_cp15.c): reset values, and the MRC/MCR hooks of system mode (which also route
 * the ARM1136's CP14 debug registers). */
void vt_arm_cp15_reset(vt_arm_cpu *c);
int vt_arm_cp15_read(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                     unsigned crm, unsigned op2, uint32_t *val);
int vt_arm_cp15_write(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                      unsigned crm, unsigned op2, uint32_t val);

/* ARM1136 performance monitor, CP15 c15,c12,op2 (arm_v6_pmu.c). */
int vt_arm_v6_pmu_read(vt_arm_cpu *c, unsigned op2, uint32_t *v);
int vt_arm_v6_pmu_write(vt_arm_cpu *c, unsigned op2, uint32_t v);

/* ARM1136 CP14 debug registers, MRC/MCR p14, 0, Rd, c0, crm, op2 (arm_v6_debug.c). */
int vt_arm_v6_debug_read(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t *v);
int vt_arm_v6_debug_write(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t v);

/* The "AC15" save-state chunk (system mode only). */
struct vt_state_writer;
struct vt_state_reader;
void vt_arm_cp15_save(const vt_arm_cpu *c, struct vt_state_writer *w);
int vt_arm_cp15_load(vt_arm_cpu *c, struct vt_state_reader *r) VT_MUST_CHECK;

/* Installs the system-mode hooks (MMU over c->base.bus, CP15). */
void vt_arm_sysmode_init(vt_arm_cpu *c);

#endif
