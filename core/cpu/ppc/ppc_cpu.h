/* Internal state of the PowerPC 750 core (32-bit PowerPC, big-endian): GPRs, FPRs, CR, XER,
 * FPSCR, MSR, the supervisor SPRs, BATs, segment registers, time base and decrementer, and the
 * software TLBs in front of the MMU. Shared by the core's files only; owners use ppc.h.
 * Sources: MPC750 RISC Microprocessor User's Manual (MPC750UM/AD rev. 1) ch. 2 (register
 * set), ch. 4 (exceptions), ch. 5 (MMU); PowerPC Microprocessor Family: The Programming
 * Environments for 32-bit Microprocessors (MPCFPE32B) ch. 2-7. */
#ifndef VT_PPC_CPU_H
#define VT_PPC_CPU_H

#include "core/bus.h"
#include "core/cpu.h"
#include "core/tlb.h"
#include "core/cpu/ppc/ppc.h"

/* MSR bits (LSB numbering; MPC750 UM ch. 2). */
#define MSR_POW (1u << 18)
#define MSR_ILE (1u << 16)
#define MSR_EE (1u << 15)
#define MSR_PR (1u << 14)
#define MSR_FP (1u << 13)
#define MSR_ME (1u << 12)
#define MSR_FE0 (1u << 11)
#define MSR_SE (1u << 10)
#define MSR_BE (1u << 9)
#define MSR_FE1 (1u << 8)
#define MSR_IP (1u << 6)
#define MSR_IR (1u << 5)
#define MSR_DR (1u << 4)
#define MSR_PM (1u << 2)
#define MSR_RI (1u << 1)
#define MSR_LE (1u << 0)
/* Bits the 750 implements (writes to others are ignored, they read 0). */
#define MSR_MASK 0x0005ff77u
/* MSR bits saved to SRR1 on an exception and restored by rfi (UM ch. 4). */
#define MSR_SRR1_MASK 0x0000ff73u

/* XER */
#define XER_SO (1u << 31)
#define XER_OV (1u << 30)
#define XER_CA (1u << 29)
#define XER_MASK 0xe000007fu /* bits 3-24 are reserved on the 750 (UM ch. 2) */

/* FPSCR (LSB numbering; MPCFPE32B ch. 2). */
#define FPSCR_FX (1u << 31)
#define FPSCR_FEX (1u << 30)
#define FPSCR_VX (1u << 29)
#define FPSCR_OX (1u << 28)
#define FPSCR_UX (1u << 27)
#define FPSCR_ZX (1u << 26)
#define FPSCR_XX (1u << 25)
#define FPSCR_VXSNAN (1u << 24)
#define FPSCR_VXISI (1u << 23)
#define FPSCR_VXIDI (1u << 22)
#define FPSCR_VXZDZ (1u << 21)
#define FPSCR_VXIMZ (1u << 20)
#define FPSCR_VXVC (1u << 19)
#define FPSCR_FR (1u << 18)
#define FPSCR_FI (1u << 17)
#define FPSCR_FPRF_SHIFT 12
#define FPSCR_FPRF (0x1fu << 12)
#define FPSCR_FPCC (0xfu << 12)
#define FPSCR_VXSOFT (1u << 10)
#define FPSCR_VXSQRT (1u << 9)
#define FPSCR_VXCVI (1u << 8)
#define FPSCR_VE (1u << 7)
#define FPSCR_OE (1u << 6)
#define FPSCR_UE (1u << 5)
#define FPSCR_ZE (1u << 4)
#define FPSCR_XE (1u << 3)
#define FPSCR_NI (1u << 2)
#define FPSCR_RN 3u
#define FPSCR_RESERVED (1u << 11) /* bit 20: reads 0, writes ignored */
#define FPSCR_VX_ALL                                                                               \
    (FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC |           \
     FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)
#define FPSCR_EXC_ALL (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)

/* Exception vectors (offsets; MPC750 UM ch. 4). */
enum {
    PPC_EXC_RESET = 0x0100,
    PPC_EXC_MCHECK = 0x0200,
    PPC_EXC_DSI = 0x0300,
    PPC_EXC_ISI = 0x0400,
    PPC_EXC_EXTERNAL = 0x0500,
    PPC_EXC_ALIGN = 0x0600,
    PPC_EXC_PROGRAM = 0x0700,
    PPC_EXC_FPU = 0x0800,
    PPC_EXC_DEC = 0x0900,
    PPC_EXC_SC = 0x0c00,
    PPC_EXC_TRACE = 0x0d00,
    PPC_EXC_PERFMON = 0x0f00,
    PPC_EXC_IABR = 0x1300,
    PPC_EXC_SMI = 0x1400,
    PPC_EXC_THERMAL = 0x1700,
};

/* DSISR / SRR1 storage-fault bits (UM ch. 4: DSI and ISI). */
#define DSISR_NOTRANS (1u << 30)
#define DSISR_PROT (1u << 27)
#define DSISR_RESV (1u << 26) /* lwarx/stwcx. to write-through memory */
#define DSISR_STORE (1u << 25)
#define DSISR_DABR (1u << 22)
#define DSISR_EAR (1u << 20)
#define SRR1_ISI_GUARD (1u << 28)

/* SPR numbers the 750 implements (UM ch. 2 / 2-2). */
enum {
    SPR_XER = 1,
    SPR_LR = 8,
    SPR_CTR = 9,
    SPR_DSISR = 18,
    SPR_DAR = 19,
    SPR_DEC = 22,
    SPR_SDR1 = 25,
    SPR_SRR0 = 26,
    SPR_SRR1 = 27,
    SPR_TBL_R = 268,
    SPR_TBU_R = 269,
    SPR_SPRG0 = 272,
    SPR_EAR = 282,
    SPR_TBL_W = 284,
    SPR_TBU_W = 285,
    SPR_PVR = 287,
    SPR_IBAT0U = 528,
    SPR_DBAT0U = 536,
    SPR_UMMCR0 = 936,
    SPR_UPMC1 = 937,
    SPR_UPMC2 = 938,
    SPR_USIA = 939,
    SPR_UMMCR1 = 940,
    SPR_UPMC3 = 941,
    SPR_UPMC4 = 942,
    SPR_MMCR0 = 952,
    SPR_PMC1 = 953,
    SPR_PMC2 = 954,
    SPR_SIA = 955,
    SPR_MMCR1 = 956,
    SPR_PMC3 = 957,
    SPR_PMC4 = 958,
    SPR_HID0 = 1008,
    SPR_HID1 = 1009,
    SPR_IABR = 1010,
    SPR_DABR = 1013,
    SPR_L2CR = 1017,
    SPR_ICTC = 1019,
    SPR_THRM1 = 1020,
    SPR_THRM2 = 1021,
    SPR_THRM3 = 1022,
};
/* Processor version register of the MPC750 (version 0x0008, revision 2.2). */
#define PPC750_PVR 0x00080202u

/* vt_ppc_cpu.pend latches (bits 0-2 are the level-sensitive pins). */
enum {
    PEND_PINS = 7u,
    PEND_DEC = 1u << 8,      /* decrementer bit 0 went 0 -> 1 */
    PEND_PM = 1u << 9,       /* performance-monitor condition */
    PEND_THERMAL = 1u << 10, /* thermal-assist condition */
    PEND_SRESET = 1u << 11,  /* SRESET pin edge */
};

typedef enum ppc_xlate { PPC_XLATE_DATA = 0, PPC_XLATE_INSN = 1 } ppc_xlate;

typedef struct vt_ppc_cpu {
    vt_cpu cpu;
    uint32_t pc;   /* the executing instruction */
    uint32_t npc;  /* the next one; branches and exceptions set it */
    uint32_t insn; /* its instruction word (for the alignment exception's DSISR) */
    uint32_t gpr[32];
    uint64_t fpr[32]; /* IEEE double bit patterns */
    uint32_t cr, xer, lr, ctr, fpscr, msr;
    uint32_t srr0, srr1, dar, dsisr, sdr1, ear, dabr, iabr, pir;
    uint32_t sprg[4];
    uint32_t sr[16];
    uint32_t ibat[8], dbat[8]; /* upper, lower pairs: [2n] BATnU, [2n+1] BATnL */
    uint32_t hid0, hid1, l2cr, ictc, thrm[3], mmcr0, mmcr1, pmc[4], sia;
    /* lwarx reservation (address of the 32-byte granule, UM ch. 3) */
    bool reserve;
    uint32_t reserve_addr;
    /* Time base and decrementer: tb = tb_base + ticks(cycles); the decrementer reads
     * dec_base - (ticks(cycles) - dec_ticks) and interrupts when bit 0 goes 0 -> 1. */
    uint64_t tb_hz;
    uint64_t tb_base;
    uint32_t dec_base;
    uint64_t dec_ticks;
    uint64_t dec_due;   /* cycle count at which the next 0 -> 1 transition happens */
    uint32_t irq_lines; /* pin levels, bit per VT_PPC_IRQ_* */
    /* Interrupt conditions waiting to be taken, one word so the run loop tests them at once:
     * the INT/SMI/MCP pin levels (bits 0-2, as irq_lines) and the PEND_* latches. */
    uint32_t pend;
    bool pm_active;     /* some PMC counts an event the model implements */
    bool checkstop;     /* machine check with MSR[ME]=0: the processor stops */
    uint64_t exc_count; /* exceptions taken (trace uses it to see if one happened) */
    /* Software TLBs by mode: [PR<<1 | translated]; data uses MSR[DR], fetch MSR[IR]. */
    vt_tlb tlb[4];
    /* user mode */
    vt_ppc_page_fn page_fn;
    void *page_opaque;
    vt_ppc_trap trap;
} vt_ppc_cpu;

static inline vt_ppc_cpu *ppc_of(vt_cpu *c) {
    return (vt_ppc_cpu *)c;
}

/* ppc_except.c */
/* Enters exception `vector` with SRR0 = srr0 and SRR1 = MSR bits | srr1_bits; in user mode
 * records a trap and ends the slice instead. */
void vt_ppc_exception(vt_ppc_cpu *s, unsigned vector, uint32_t srr0, uint32_t srr1_bits);
void vt_ppc_program(vt_ppc_cpu *s, uint32_t cause);
/* An encoding the 750 does not implement: program exception (illegal) and the log line. */
void vt_ppc_unimplemented(vt_ppc_cpu *s, uint32_t insn);
void vt_ppc_set_msr(vt_ppc_cpu *s, uint32_t msr);
/* Takes a pending interrupt if one is enabled: true when it did. */
bool vt_ppc_check_irq(vt_ppc_cpu *s);
uint64_t vt_ppc_tb_ticks(const vt_ppc_cpu *s);
uint32_t vt_ppc_get_dec(const vt_ppc_cpu *s);
void vt_ppc_set_dec(vt_ppc_cpu *s, uint32_t v);
/* mfspr/mtspr by number: 0 or -1 (the caller raises program/illegal). */
int vt_ppc_mfspr(vt_ppc_cpu *s, unsigned spr, uint32_t *out) VT_MUST_CHECK;
int vt_ppc_mtspr(vt_ppc_cpu *s, unsigned spr, uint32_t v) VT_MUST_CHECK;

/* ppc_perfmon.c: recompute pm_active after an MMCR0/MMCR1 write; count one instruction. */
void vt_ppc_pm_update(vt_ppc_cpu *s);
void vt_ppc_pm_count(vt_ppc_cpu *s, unsigned cycles, uint32_t pc);

/* ppc_thermal.c: a THRM1/2/3 write (n = 0..2) and the comparisons it starts. */
void vt_ppc_thrm_write(vt_ppc_cpu *s, unsigned n, uint32_t v);

/* ppc_mmu.c: translation, the software-TLB slow path and bus access. Each returns 0, or -1
 * after raising the guest's exception (DSI/ISI/machine check). */
int vt_ppc_load_slow(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) VT_MUST_CHECK;
int vt_ppc_store_slow(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) VT_MUST_CHECK;
int vt_ppc_fetch_slow(vt_ppc_cpu *s, uint32_t ea, uint32_t *insn) VT_MUST_CHECK;
/* Translates ea for a data access without side effects on the guest; -1 when it faults
 * (raising DSI only if `raise`). */
int vt_ppc_translate(vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, bool write, bool raise,
                     uint64_t *pa) VT_MUST_CHECK;
void vt_ppc_tlb_flush_all(vt_ppc_cpu *s);
bool vt_ppc_peek(vt_ppc_cpu *s, uint32_t ea, uint32_t *insn);

static inline unsigned ppc_data_mode(const vt_ppc_cpu *s) {
    return ((s->msr & MSR_PR) ? 2u : 0u) | ((s->msr & MSR_DR) ? 1u : 0u);
}
static inline unsigned ppc_insn_mode(const vt_ppc_cpu *s) {
    return ((s->msr & MSR_PR) ? 2u : 0u) | ((s->msr & MSR_IR) ? 1u : 0u);
}

/* Little-endian mode (ppc_mmu.c): the 750 "munges" the address of an aligned access (XOR of
 * its low three bits with 8 - size) and raises alignment for unaligned ones. */
int vt_ppc_load_le(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) VT_MUST_CHECK;
int vt_ppc_store_le(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) VT_MUST_CHECK;
/* ppc_mem.c: the alignment exception for the executing instruction at ea. */
void vt_ppc_alignment(vt_ppc_cpu *s, uint32_t ea);

/* Loads/stores of 1, 2, 4 or 8 bytes (big-endian): a software-TLB hit inline when the access
 * stays inside one page, anything else through the MMU. */
static inline int ppc_load(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) {
    if (__builtin_expect(s->msr & MSR_LE, 0)) return vt_ppc_load_le(s, ea, size, out);
    if (((ea & VT_TLB_PAGE_MASK) + size) <= (1u << VT_TLB_PAGE_BITS)) {
        const uint8_t *h = vt_tlb_lookup(&s->tlb[ppc_data_mode(s)], ea, VT_ACCESS_READ);
        if (h) {
            *out = load_be(h, size);
            return 0;
        }
    }
    return vt_ppc_load_slow(s, ea, size, out);
}
static inline int ppc_store(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) {
    if (__builtin_expect(s->msr & MSR_LE, 0)) return vt_ppc_store_le(s, ea, size, v);
    if (((ea & VT_TLB_PAGE_MASK) + size) <= (1u << VT_TLB_PAGE_BITS)) {
        uint8_t *h = vt_tlb_lookup(&s->tlb[ppc_data_mode(s)], ea, VT_ACCESS_WRITE);
        if (h) {
            store_be(h, size, v);
            return 0;
        }
    }
    return vt_ppc_store_slow(s, ea, size, v);
}

/* ppc_exec.c */
void vt_ppc_run_loop(vt_ppc_cpu *s);

/* The handlers (ppc_int.c, ppc_branch.c, ppc_mem.c, ppc_fpu.c, ppc_system.c): each executes
 * one instruction, sets npc when it branches or traps, and returns extra cycles beyond the
 * table's cost. */
typedef unsigned (*ppc_handler)(vt_ppc_cpu *s, uint32_t insn);

/* CR helpers */
static inline void ppc_set_crf(vt_ppc_cpu *s, unsigned field, unsigned v) {
    unsigned sh = 28 - 4 * field;
    s->cr = (s->cr & ~(0xfu << sh)) | (v & 0xfu) << sh;
}
static inline void ppc_set_cr0(vt_ppc_cpu *s, uint32_t r) {
    unsigned v = (int32_t)r < 0 ? 8 : r ? 4 : 2;
    ppc_set_crf(s, 0, v | ((s->xer & XER_SO) ? 1 : 0));
}

/* Instruction fields */
#define RD(i) (((i) >> 21) & 31)
#define RA(i) (((i) >> 16) & 31)
#define RB(i) (((i) >> 11) & 31)
#define RC(i) (((i) >> 6) & 31)
#define SIMM(i) ((uint32_t)(int32_t)(int16_t)(i))
#define UIMM(i) ((i)&0xffffu)
#define RCBIT(i) ((i)&1u)
#define OEBIT(i) (((i) >> 10) & 1u)

/* ppc_fpu.c: the load/store single format conversions (MPCFPE32B ch. 3 and appendix D). */
uint64_t vt_ppc_single_to_double(uint32_t w);
uint32_t vt_ppc_double_to_single(uint64_t d);

/* FP instructions with MSR[FP]=0 take the FP-unavailable exception (UM ch. 4). */
static inline bool ppc_fp_off(vt_ppc_cpu *s) {
    if (s->msr & MSR_FP) return false;
    vt_ppc_exception(s, PPC_EXC_FPU, s->pc, 0);
    return true;
}

/* ppc_disasm.c */
void vt_ppc_disasm_insn(uint32_t pc, uint32_t insn, char *buf, size_t len);

#endif
