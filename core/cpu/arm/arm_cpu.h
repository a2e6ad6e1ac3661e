/* ARM core state shared by the ARM/Thumb executors, the disassembler and machine glue (Linux
 * user mode uses only arm.h): registers with per-mode banks, PSR bits, the model's feature set and
 * cycle table, the shared software TLB and the owner's hooks (declared in arm.h, the public
 * part). Sources: ARM Architecture Reference Manual (DDI 0100I) A2, ARM925T TRM
 * (DDI 0161), ARM1136JF-S TRM (DDI 0211). */
#ifndef VT_ARM_CPU_H
#define VT_ARM_CPU_H

#include <setjmp.h>

#include "core/cpu/arm/arm.h"
#include "core/cpu/arm/arm_cp15.h"
#include "core/cpu/arm/arm_vfp.h"

/* Architecture features a model implements (gate whole instruction groups). */
enum {
    VT_ARM_F_V5 = 1u << 0,  /* CLZ, BLX, BKPT, LDC2..., Thumb BLX */
    VT_ARM_F_DSP = 1u << 1, /* v5TE: SMLAxy, QADD, LDRD/STRD, PLD, MCRR */
    VT_ARM_F_V6 = 1u << 2,  /* v6: media, LDREX/STREX, REV, CPS, SETEND, UMAAL */
    VT_ARM_F_JAZ = 1u << 3, /* BXJ exists (Jazelle, acts as BX without a JVM) */
    VT_ARM_F_VFP = 1u << 4, /* VFPv2 on CP10/CP11 (VFP11) */
};

/* Cycle costs per instruction class (hwdocs/arm.md gives sources; approximate where the
 * TRM is silent). */
typedef struct vt_arm_timing {
    uint8_t dp, dp_regshift, pc_write, ldr, ldr_pc, str, ldm_base, stm_base, per_reg;
    uint8_t mul, mul_long, mul_dsp, branch, swi_exc, swp, cp, media;
    uint8_t vfp, vfp_mul_d, vfp_div_s, vfp_div_d; /* per element; div also for sqrt */
} vt_arm_timing;

typedef struct vt_arm_model {
    const char *name;
    unsigned features;
    const vt_arm_timing *timing;
    uint32_t midr;  /* CP15 c0,c0,0 main ID register value */
    uint32_t ctr;   /* c0,c0,1 cache type */
    uint32_t tlbtr; /* c0,c0,3 TLB type (v6) */
} vt_arm_model;

/* How unaligned word/halfword data accesses behave (ARM ARM A2.8, B3.4.1, ARM1136 TRM 4). */
enum {
    VT_ARM_ALIGN_ROTATE = 0,    /* v4/v5 (and v6 with U=0): LDR rotates, STR aligns down */
    VT_ARM_ALIGN_UNALIGNED = 1, /* v6 with U=1: bytes as addressed */
    VT_ARM_ALIGN_TRAP = 2,      /* SCTLR.A=1: alignment fault */
};

/* Bits of vt_arm_cpu.lines (vt_cpu set_irq line 0 is IRQ, 1 is FIQ). */
enum { VT_ARM_LINE_IRQ = 1, VT_ARM_LINE_FIQ = 2 };

typedef void (*vt_arm_handler)(vt_arm_cpu *c, uint32_t insn);

/* The optional JIT (jit/arm_jit.c, `--jit`): when installed it runs each slice in place of
 * the interpreter loop and hears about every owner memory access, so it can keep translated
 * code pages write-protected in the TLB and invalidate code that a store overwrites. */
typedef struct vt_arm_jit_hooks {
    void (*run)(vt_arm_cpu *c); /* until cycles >= stop_at, like the interpreter loop */
    /* before an owner write hook stores v (lockstep logs it) */
    void (*before_write)(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v);
    /* after an owner read/write hook returned (it may have filled the TLB) */
    void (*after_access)(vt_arm_cpu *c, uint32_t va, unsigned size, bool write);
    void (*flush)(vt_arm_cpu *c); /* mappings changed: forget every translation */
    /* System mode. tlb_filled: the MMU just cached va's page (physical page pa) in the
     * software TLB; the JIT withholds write permission from pages holding translated code.
     * store: a store missed the software TLB; true when the miss was only that withheld
     * permission and the JIT did the store itself (as the TLB hit would have: no MMU access,
     * so the architectural TLB sees exactly what it sees without the JIT). */
    void (*tlb_filled)(vt_arm_cpu *c, uint32_t va, uint64_t pa);
    bool (*store)(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v);
    void (*destroy)(vt_arm_cpu *c);
} vt_arm_jit_hooks;

/* Decode cache slots (one per word address modulo the size): 64 KiB of code. */
#define VT_ARM_DCACHE_SIZE 16384u

struct vt_arm_cpu {
    vt_cpu base;
    uint32_t r[16];         /* current-mode view; r[15] reads as the architectural PC */
    uint32_t next_pc;       /* where execution continues after the current instruction */
    uint32_t cur_pc;        /* address of the executing instruction */
    uint32_t n, z, c, v, q; /* flags as 0/1 */
    uint32_t ge;            /* GE[3:0] (v6) */
    uint32_t cpsr_ctl;      /* I, F, A, E, T bits and mode (the rest lives in the fields above) */
    bool thumb;
    uint32_t spsr; /* current mode's SPSR (unused in USR/SYS) */
    /* Banks: index 0 usr/sys, 1 fiq, 2 irq, 3 svc, 4 abt, 5 und. */
    uint32_t bank_r13[6], bank_r14[6], bank_spsr[6];
    uint32_t fiq_r8_12[5], usr_r8_12[5];
    uint8_t lines;        /* asserted interrupt inputs, VT_ARM_LINE_*: one test per instruction */
    uint32_t vector_base; /* 0 or 0xffff0000 (SCTLR.V) */
    uint8_t align;        /* VT_ARM_ALIGN_*, from the model and SCTLR.A/U */
    /* System mode: the core's own CP15, MMU and bus access serve the hooks (a machine);
     * otherwise (Linux user mode, tests) the owner's hooks answer everything. */
    bool sysmode;
    vt_arm_cp15 cp15;
    vt_arm_vfp vfp;
    /* Exclusive monitor (LDREX/STREX) */
    bool excl_valid;
    uint32_t excl_addr;
    const vt_arm_model *model;
    unsigned features;
    vt_arm_timing t; /* a copy of the model's cycle table: one load less per instruction */
    vt_arm_hooks hooks;
    vt_tlb tlb;
    /* The page of the last ARM-state fetch, so fetches skip the TLB while execution stays
     * on it: page number (VT_ARM_NO_CODE_PAGE when unset) and host address. Kept only in
     * ARM state with no interrupt line asserted, and forgotten whenever owner code may have
     * changed the TLB (vt_arm_forget_code_page). */
    uint32_t code_vpn;
    const uint8_t *code_host;
    jmp_buf abort_jmp;                 /* memory aborts unwind the current instruction to run() */
    const vt_arm_jit_hooks *jit_hooks; /* NULL: interpreter only */
    struct vt_arm_jit *jit;
    /* Decode tables built once per core from the instruction lists (arm_decode.c). */
    const struct vt_arm_insn_desc *const *arm_cand; /* flat candidate lists */
    uint16_t arm_index[4097];                       /* per key bits[27:20,7:4]: start in arm_cand */
    uint8_t *thumb_index;                           /* 65536 entries: index into the Thumb list */
    /* Decoded-instruction cache indexed by address and tagged with the instruction word
     * itself, so rewritten code can never run a stale decode (no invalidation needed). */
    struct vt_arm_dcache_entry {
        uint32_t insn;
        vt_arm_handler fn;
    } dcache[VT_ARM_DCACHE_SIZE];
};

/* Creates an ARM core of the named model with the given hooks (Linux user mode uses this
 * directly; machines go through vt_cpu_create and set hooks afterwards). */
vt_arm_cpu *vt_arm_create(const vt_cpu_config *cfg, vt_error *err) VT_MUST_CHECK;
static inline vt_arm_cpu *vt_arm_from_cpu(vt_cpu *c) {
    return (vt_arm_cpu *)c;
}

#define VT_ARM_NO_CODE_PAGE UINT32_MAX
/* Drops the cached code page: the core calls it around every owner hook that may touch the
 * TLB, on mode, T-bit and interrupt-line changes and on entry to the run loop. */
static inline void vt_arm_forget_code_page(vt_arm_cpu *c) {
    c->code_vpn = VT_ARM_NO_CODE_PAGE;
}

/* Executes exactly one instruction as the interpreter loop does (interrupt check, fetch,
 * condition, handler, PC update, instruction count): the JIT's fallback and reference. */
void vt_arm_interp_step(vt_arm_cpu *c);

uint32_t vt_arm_get_cpsr(const vt_arm_cpu *c);
/* Writes the whole CPSR (mode switch with register banking included). */
void vt_arm_set_cpsr(vt_arm_cpu *c, uint32_t v);
void vt_arm_switch_mode(vt_arm_cpu *c, unsigned mode);
/* Architectural exception entry: banks, SPSR, vector (high vectors off). */
void vt_arm_take_exception(vt_arm_cpu *c, vt_arm_exception e, uint32_t return_addr);
/* Raises exception e for the current instruction (owner hook first) and unwinds. */
void vt_arm_raise(vt_arm_cpu *c, vt_arm_exception e, uint32_t addr) __attribute__((noreturn));
/* Undefined/unimplemented: logs `unimplemented: arm <hex> at <pc>` and raises UNDEF. */
void vt_arm_undefined(vt_arm_cpu *c, uint32_t insn) __attribute__((noreturn));
/* Sets the PC (next instruction), switching ARM/Thumb on bit 0 when `interwork`. */
void vt_arm_branch(vt_arm_cpu *c, uint32_t target, bool interwork);

/* Disassembles one instruction word (thumb: low 16 bits, or a BL pair in the high half). */
void vt_arm_disasm_insn(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, bool thumb, char *buf,
                        size_t len);

#endif
