/* Internal state of the SPARC V8 core (microSPARC-II / MB86904): integer unit with 8 register
 * windows, FPU registers and FSR, and the on-chip SPARC Reference MMU. Shared by the core's
 * files only (executor, FPU, SRMMU, disassembler); machines use core/cpu.h.
 * Sources: SPARC Architecture Manual V8 ch. 4-7 and appendix H (SRMMU); microSPARC-II
 * user's guide (MB86904) for PSR/MMU implementation and version fields. */
#ifndef VT_SPARC_CPU_H
#define VT_SPARC_CPU_H

#include "core/bus.h"
#include "core/cpu.h"
#include "core/tlb.h"

#define SPARC_NWINDOWS 8

/* Trap types (V8 manual table 7-1). */
enum {
    SPARC_TT_INSN_ACCESS = 0x01,
    SPARC_TT_ILLEGAL = 0x02,
    SPARC_TT_PRIVILEGED = 0x03,
    SPARC_TT_FP_DISABLED = 0x04,
    SPARC_TT_WIN_OVERFLOW = 0x05,
    SPARC_TT_WIN_UNDERFLOW = 0x06,
    SPARC_TT_UNALIGNED = 0x07,
    SPARC_TT_FP_EXCEPTION = 0x08,
    SPARC_TT_DATA_ACCESS = 0x09,
    SPARC_TT_TAG_OVERFLOW = 0x0a,
    SPARC_TT_INTERRUPT = 0x10, /* + level */
    SPARC_TT_INSN_ACCESS_ERROR = 0x21,
    SPARC_TT_CP_DISABLED = 0x24,
    SPARC_TT_DATA_ACCESS_ERROR = 0x29,
    SPARC_TT_DIV_ZERO = 0x2a,
    SPARC_TT_TRAP_INSN = 0x80,
};

/* PSR fields. */
#define PSR_ICC_SHIFT 20
#define PSR_N (1u << 23)
#define PSR_Z (1u << 22)
#define PSR_V (1u << 21)
#define PSR_C (1u << 20)
#define PSR_EF (1u << 12)
#define PSR_S (1u << 7)
#define PSR_PS (1u << 6)
#define PSR_ET (1u << 5)
#define PSR_PIL_SHIFT 8
/* MB86904: impl 0, version 4. */
#define SPARC_PSR_IMPL_VER 0x04000000u

/* SRMMU control register (microSPARC-II): E, NF, boot mode. */
#define MMU_CR_E 0x1u
#define MMU_CR_NF 0x2u
#define MMU_CR_BM 0x4000u
#define MMU_CR_IMPL_VER 0x04000000u

/* FSR fields. */
#define FSR_FTT_SHIFT 14
#define FSR_FTT_MASK (7u << FSR_FTT_SHIFT)
#define FSR_QNE (1u << 13)
#define FSR_FCC_SHIFT 10
#define FSR_TEM_SHIFT 23
#define FSR_AEXC_SHIFT 5
#define FSR_VER_MB86904 (4u << 17) /* FPU version field as on the microSPARC-II */
enum { FTT_NONE = 0, FTT_IEEE = 1, FTT_UNIMP = 3, FTT_SEQUENCE = 4 };

typedef struct vt_sparc_cpu {
    vt_cpu cpu;
    uint32_t pc, npc;
    uint32_t g[8];
    uint32_t win[SPARC_NWINDOWS * 16]; /* per window: outs 0..7, locals 8..15 */
    uint32_t psr;                      /* every field except CWP, which lives in cwp */
    unsigned cwp;
    uint32_t wim, tbr, y;
    uint32_t f[32];
    uint32_t fsr;
    uint32_t fq_addr, fq_insn; /* the one-deep FP deferred-trap queue */
    /* Interrupt request lines 1..15 (bit n), as driven by the interrupt controller. */
    uint32_t irq_lines;
    bool error_mode; /* trap with ET=0: the chip stops (error mode) */
    /* SRMMU */
    uint32_t mmu_cr, mmu_ctpr, mmu_ctx, mmu_sfsr, mmu_sfar;
    uint64_t prom_base; /* physical base of boot-mode instruction fetches */
    vt_tlb tlb[2];      /* [0] user, [1] supervisor */
    vt_tlb phys;        /* MMU-bypass (ASI 0x20-0x2f) accesses, keyed by physical page */
    /* Bumped whenever instruction translation may change (TLB flush, trap, PSR write, RETT):
     * the run loop keeps the current code page's host address only while this is unchanged. */
    uint64_t fetch_epoch;
    /* Interrupt request lines that trap now: with ET=1, the levels above PIL and 15 (V8 7.3.2);
     * 0 with ET=0. Follows the PSR (sparc_psr_written). */
    uint32_t irq_take;
    /* Register pointers r0..r31 for each CWP, built once at creation (the struct never
     * moves); rp is the row of the current CWP, so a window change is one store. */
    uint32_t *win_regs[SPARC_NWINDOWS][32];
    uint32_t *const *rp;
    uint32_t zero_sink;
} vt_sparc_cpu;

/* sparc_cpu.c */
static inline void vt_sparc_set_cwp(vt_sparc_cpu *s, unsigned cwp) {
    s->cwp = cwp % SPARC_NWINDOWS;
    s->rp = s->win_regs[s->cwp];
}
void vt_sparc_trap(vt_sparc_cpu *s, unsigned tt);
uint32_t vt_sparc_get_psr(const vt_sparc_cpu *s);
void vt_sparc_put_psr(vt_sparc_cpu *s, uint32_t v);

/* After any write of PSR S, ET or PIL: instruction translation may differ (S) and the set of
 * interrupt levels that trap changes (ET, PIL). */
static inline void sparc_psr_written(vt_sparc_cpu *s) {
    s->fetch_epoch++;
    s->irq_take = (s->psr & PSR_ET) ? (0xfffeu << ((s->psr >> PSR_PIL_SHIFT) & 15)) | 0x8000u : 0;
}

static inline uint32_t sparc_reg(const vt_sparc_cpu *s, unsigned n) {
    return *s->rp[n];
}
static inline void sparc_set_reg(vt_sparc_cpu *s, unsigned n, uint32_t v) {
    if (n) *s->rp[n] = v;
}

/* sparc_srmmu.c: memory access through the SRMMU by ASI (the slow path: TLB miss, MMIO,
 * MMU/cache ASIs). Returns 0, or a trap type. */
int vt_sparc_asi_access(vt_sparc_cpu *s, uint32_t va, unsigned asi, unsigned size, bool store,
                        uint64_t *val);
int vt_sparc_fetch(vt_sparc_cpu *s, uint32_t va, uint32_t *insn);

/* The software TLB a fast-path access of this ASI uses (user/supervisor data, or MMU bypass
 * keyed by physical address), or NULL. */
static inline vt_tlb *sparc_fast_tlb(vt_sparc_cpu *s, unsigned asi, uint64_t *key, uint32_t va) {
    if (asi == 0x0b || asi == 0x0a) {
        *key = va;
        return &s->tlb[asi & 1];
    }
    if (asi >= 0x20 && asi <= 0x2f) {
        *key = (uint64_t)(asi & 0xf) << 32 | va;
        return &s->phys;
    }
    return NULL;
}

/* Loads/stores by ASI: a software-TLB hit inline, anything else through the SRMMU. */
static inline int vt_sparc_load(vt_sparc_cpu *s, uint32_t va, unsigned asi, unsigned size,
                                uint64_t *out) {
    uint64_t key;
    vt_tlb *t = sparc_fast_tlb(s, asi, &key, va);
    if (t) {
        const uint8_t *h = vt_tlb_lookup(t, key, VT_ACCESS_READ);
        if (h) {
            *out = load_be(h, size);
            return 0;
        }
    }
    return vt_sparc_asi_access(s, va, asi, size, false, out);
}

static inline int vt_sparc_store(vt_sparc_cpu *s, uint32_t va, unsigned asi, unsigned size,
                                 uint64_t v) {
    uint64_t key;
    vt_tlb *t = sparc_fast_tlb(s, asi, &key, va);
    if (t) {
        uint8_t *h = vt_tlb_lookup(t, key, VT_ACCESS_WRITE);
        if (h) {
            store_be(h, size, v);
            return 0;
        }
    }
    return vt_sparc_asi_access(s, va, asi, size, true, &v);
}

void vt_sparc_mmu_flush(vt_sparc_cpu *s);
/* Reads 4 bytes at va as the supervisor would (for the disassembler); false on failure. */
bool vt_sparc_peek(vt_sparc_cpu *s, uint32_t va, uint32_t *insn);

/* sparc_exec.c: runs until cpu.cycles reaches cpu.stop_at (re-read after every instruction)
 * or the processor enters error mode: interrupt sampling, fetch, execute, cycle accounting. */
void vt_sparc_run_loop(vt_sparc_cpu *s);

/* sparc_fpu.c: FPop1/FPop2; returns 0 or a trap type; *cycles gets the cost. */
int vt_sparc_fpop(vt_sparc_cpu *s, uint32_t insn, unsigned *cycles);

/* sparc_disasm.c */
void vt_sparc_disasm_insn(uint32_t pc, uint32_t insn, char *buf, size_t len);

#endif
