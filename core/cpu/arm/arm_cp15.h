/* ARM system-control coprocessor (CP15) state of a core running in system mode: the control
 * register with its named bits, translation table bases, domains, fault status/address,
 * FCSE/context IDs, TI925T configuration registers and the architectural TLB (ASID-tagged,
 * so stale entries behave as on silicon until invalidated). Types only; arm_cp15.c and
 * arm_mmu.c hold the behaviour. Sources: ARM ARM DDI 0100I B3-B5, ARM925T TRM (DDI 0161)
 * ch. 2, ARM1136JF-S TRM (DDI 0211K) ch. 3 and 6. */
#ifndef VT_ARM_CP15_H
#define VT_ARM_CP15_H

#include "core/common.h"

/* Control register c1,c0,0 bits (ARM ARM B3.4; ARM1136 TRM 3.3.7). */
enum {
    VT_SCTLR_M = 1u << 0,   /* MMU enable */
    VT_SCTLR_A = 1u << 1,   /* alignment fault checking */
    VT_SCTLR_C = 1u << 2,   /* data cache */
    VT_SCTLR_W = 1u << 3,   /* write buffer */
    VT_SCTLR_B = 1u << 7,   /* big-endian (not modelled: logged when set) */
    VT_SCTLR_S = 1u << 8,   /* system protection (AP=00 meaning) */
    VT_SCTLR_R = 1u << 9,   /* ROM protection (AP=00 meaning) */
    VT_SCTLR_Z = 1u << 11,  /* branch prediction */
    VT_SCTLR_I = 1u << 12,  /* instruction cache */
    VT_SCTLR_V = 1u << 13,  /* high exception vectors at 0xffff0000 */
    VT_SCTLR_RR = 1u << 14, /* round-robin cache replacement */
    VT_SCTLR_L4 = 1u << 15, /* v4 behaviour of loads to PC (no interworking) */
    VT_SCTLR_U = 1u << 22,  /* v6 unaligned data access model */
    VT_SCTLR_XP = 1u << 23, /* v6 extended page tables, subpages off */
};

/* Fault status codes, FSR[3:0] (ARM ARM B4.6.x; ARM1136 TRM 6.9). */
enum {
    VT_FSR_ALIGNMENT = 0x1,
    VT_FSR_EXT_SECTION = 0x8, /* external abort, non-translation, section/MMU off */
    VT_FSR_EXT_PAGE = 0xa,
    VT_FSR_EXT_L1 = 0xc, /* external abort on first-level translation */
    VT_FSR_EXT_L2 = 0xe,
    VT_FSR_TRANS_SECTION = 0x5,
    VT_FSR_TRANS_PAGE = 0x7,
    VT_FSR_DOMAIN_SECTION = 0x9,
    VT_FSR_DOMAIN_PAGE = 0xb,
    VT_FSR_PERM_SECTION = 0xd,
    VT_FSR_PERM_PAGE = 0xf,
    VT_FSR_WNR = 1u << 11, /* v6 DFSR: the abort was caused by a write */
};

/* One architectural TLB entry: a translated section, supersection or page. Permissions are
 * checked at access time against the current DACR and SCTLR.S/R, as the hardware does. */
typedef struct vt_arm_tlb_entry {
    uint32_t va;       /* virtual base (modified VA, after FCSE) */
    uint64_t pa;       /* physical base */
    uint8_t size_log2; /* 10 tiny, 12 small, 16 large, 20 section, 24 supersection */
    uint8_t ap4;       /* AP of the four subpages, 2 bits each (all equal without subpages) */
    uint8_t domain;    /* 0..15 */
    uint8_t asid;      /* v6 ASID the entry was loaded under (nG entries only match it) */
    bool valid, page;  /* page: second-level entry (fault codes say "page") */
    bool apx, xn, ng;  /* v6 attributes */
} vt_arm_tlb_entry;

/* 64 entries, as the ARM1136's main TLB (TRM 6.3); ARM925T's separate I/D TLBs are folded
 * into the same structure (hwdocs/arm.md). */
#define VT_ARM_TLB_ENTRIES 64

typedef struct vt_arm_cp15 {
    uint32_t sctlr;
    uint32_t actlr, cpacr;        /* v6 auxiliary control, coprocessor access control */
    uint32_t ttbr0, ttbr1, ttbcr; /* ttbr1/ttbcr: v6 only */
    uint32_t dacr;
    uint32_t dfsr, ifsr; /* ifsr: v6 only */
    uint32_t far, ifar, wfar;
    uint32_t fcse_pid;   /* c13,c0,0: bits 31:25 */
    uint32_t context_id; /* c13,c0,1 (v6): ASID in bits 7:0 */
    uint32_t dcache_lockdown, icache_lockdown, tlb_lockdown;
    uint32_t ti_config; /* TI925T c15,c1,0: transparent mode, clock switching */
    uint32_t ti_cache;  /* TI925T op1=7 c15,c0,0: D-cache write-through/write-back mode */
    /* ARM1136 performance monitor (c15,c12,0-3), counted lazily from the core's cycle and
     * instruction counts since `pmu_cycles`/`pmu_insns` */
    uint32_t pmcr, ccnt, pmn[2], ccnt_div_rem;
    uint64_t pmu_cycles, pmu_insns;
    /* ARM1136 CP14 debug registers: status/control, vector catch, breakpoint and watchpoint
     * value/control pairs (stored; debug events are not modelled) */
    uint32_t dscr, vcr, bvr[6], bcr[6], wvr[2], wcr[2];
    vt_arm_tlb_entry tlb[VT_ARM_TLB_ENTRIES];
    unsigned tlb_next; /* round-robin replacement */
    /* the software TLB holds privileged-only permissions: flush it on the way to user mode */
    bool fast_tlb_priv;
} vt_arm_cp15;

#endif
