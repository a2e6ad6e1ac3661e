/* State shared by the ARM JIT's dispatcher (arm_jit.c), translator (arm_translate.c) and
 * lockstep checker (arm_lockstep.c). Internal to jit/arm_*. */
#ifndef VT_JIT_ARM_JIT_INT_H
#define VT_JIT_ARM_JIT_INT_H

#include "core/cpu/arm/arm_handlers.h"
#include "jit/arm_jit.h"
#include "jit/jit_cache.h"

/* One guest memory write seen by the lockstep log (old: the bytes it replaced). */
typedef struct vt_arm_jit_write {
    uint32_t va, size, value, old;
    bool old_known;
} vt_arm_jit_write;

#define VT_ARM_JIT_LOG_MAX 256
#define VT_ARM_JIT_PHYS_CACHE 64u
#define VT_ARM_JIT_RECENT 4096u

typedef struct vt_arm_jit_log {
    vt_arm_jit_write w[VT_ARM_JIT_LOG_MAX];
    unsigned n;
    bool overflow;
} vt_arm_jit_log;

typedef struct vt_arm_jit vt_arm_jit;
struct vt_arm_jit {
    vt_jit_cache *cache;
    vt_jit_mode mode;
    uint8_t *direct_base; /* vt_arm_jit_set_direct_base: host address of VA 0, or NULL */
    bool flush_pending;   /* mappings changed inside a hook: flush at the next dispatch */
    bool plant_bug;       /* test-only translation bug (vt_arm_jit_plant_bug_for_test) */
    /* the block the dispatcher asks for: key and the address of its first guest byte in the
     * space jit_pages tracks (the VA in Linux user mode, the physical address on a machine) */
    vt_jit_key key;
    uint64_t src;
    /* System mode: software-TLB slots whose write permission the JIT withholds because the
     * page holds translated code (vpn, host page as filled); valid while the slot still holds
     * that page for reading. The store hook completes such stores without an MMU access. */
    struct vt_arm_jit_wprot {
        uint64_t vpn;
        uint8_t *host;
    } wprot[VT_TLB_SIZE];
    /* host page -> physical address of recent dispatches (direct-mapped) */
    struct vt_arm_jit_phys {
        const uint8_t *host;
        uint64_t pa;
    } phys[VT_ARM_JIT_PHYS_CACHE];
    /* recent lookups by PC (direct-mapped; an entry is used only when valid with the key) */
    vt_jit_block *recent[VT_ARM_JIT_RECENT];
    vt_arm_jit_stats stats;
    /* lockstep */
    vt_arm_jit_log *log; /* where before_write records, NULL when not recording */
    vt_arm_jit_log jit_log, interp_log;
    bool diverged;
    char divergence[512];
};

/* ---- the translator (arm_translate.c, arm_thumb_translate.c) ---- */

#define VT_ARM_JIT_MAX_INSNS 64
#define VT_ARM_COND_AL 0xEu

/* How an instruction is translated. Native kinds are emitted from an ARM-state encoding (a
 * Thumb instruction carries the ARM instruction with the same effect, flags and cost). */
typedef enum vt_arm_tkind {
    VT_ARM_K_FALLBACK, /* the interpreter's handler, one call */
    VT_ARM_K_DP,
    VT_ARM_K_LDST,
    VT_ARM_K_MUL,
    VT_ARM_K_MULL,
    VT_ARM_K_LDM_STM,
    VT_ARM_K_BRANCH, /* B/BL/B<cond> to `target` */
    VT_ARM_K_CONST,  /* Rd (bits 15-12 of insn) = `target` (Thumb BL prefix) */
    VT_ARM_K_BX,     /* BX/BLX Rm (ARM encoding); BLX links `target` */
} vt_arm_tkind;

/* One instruction of a block as the translator sees it. */
typedef struct vt_arm_tinsn {
    uint32_t pc;
    uint32_t insn;    /* native kinds: the ARM encoding they are emitted from */
    uint32_t raw;     /* the encoding `fn` takes (Thumb: the Thumb instruction) */
    unsigned cond;    /* its condition (VT_ARM_COND_AL for Thumb but B<cond>) */
    uint32_t r15;     /* r15 in the state while it executes (ARM pc + 8, Thumb pc + 4) */
    uint32_t pc_read; /* what r15 reads as an operand (Thumb: word-aligned for PC-relative) */
    uint32_t next;    /* the next instruction's address */
    uint32_t target;  /* branch target / constant */
    vt_arm_tkind kind;
    bool ends;         /* may write the PC or the decoding state: the block stops after it */
    bool dynamic;      /* its cost is known only at run time: a handler call (ends a budget
                          segment), or a conditional one that costs dp when it fails */
    bool stores;       /* a handler that may write memory (and so this block's own code) */
    uint32_t cost;     /* cycles (native kinds; when it runs, for a conditional one) */
    vt_arm_handler fn; /* the interpreter's handler (fallbacks, slow paths) */
} vt_arm_tinsn;

/* The cycles vt_arm_ldm/vt_arm_stm charge for an LDM/STM encoding (no S bit). */
uint32_t vt_arm_ldm_stm_cost(const vt_arm_cpu *c, uint32_t insn);
/* Classifies the Thumb instruction at pc (arm_thumb_translate.c). */
void vt_arm_thumb_classify(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, vt_arm_tinsn *in);
/* Emits and commits a block of n classified instructions under the dispatcher's key and
 * source address (jit->key: the Thumb bit, in system mode the physical page too; jit->src).
 * NULL when a second try also fails (the arena was flushed in between). */
vt_jit_block *vt_arm_jit_emit_block(vt_arm_cpu *c, const vt_arm_tinsn *ins, unsigned n);

/* Translates the ARM- or Thumb-state block at pc; NULL when it cannot (no cached code page: the
 * interpreter steps and fills the TLB; lockstep and a first instruction that falls back). */
vt_jit_block *vt_arm_jit_translate(vt_arm_cpu *c, uint32_t pc);
/* Drops the TLB's write permission for the page holding va, so stores to it take the slow
 * path, where the JIT sees them. */
void vt_arm_jit_protect_page(vt_arm_cpu *c, uint32_t va);
/* Lockstep: every store takes the slow path (where before_write logs it). */
void vt_arm_jit_withhold_all_writes(vt_arm_cpu *c);
/* Lockstep: runs block b through the JIT and the same instructions through the interpreter,
 * compares; on a difference records it and leaves the interpreter's result in place. */
void vt_arm_jit_lockstep_block(vt_arm_cpu *c, vt_jit_block *b);

#endif
