/* The ARM block translator's working state, shared by its files: arm_translate.c (ARM
 * classification, data processing, multiplies, branches, handler calls, blocks),
 * arm_translate_regs.c (guest registers, flags and counts in host terms),
 * arm_translate_mem.c (loads and stores) and arm_thumb_translate.c. Internal to them. */
#ifndef VT_JIT_ARM_TRANSLATE_INT_H
#define VT_JIT_ARM_TRANSLATE_INT_H

#include <stddef.h>

#include "jit/arm_jit_int.h"

#define OFF(f) ((int32_t)offsetof(vt_arm_cpu, f))
#define AT(off) vt_x64_at(VT_JIT_STATE, (off))
#define REG(n) AT(OFF(r) + 4 * (int32_t)(n))
#define CYCLES AT(OFF(base.cycles))
#define INSNS AT(OFF(base.insns))

/* Guest registers r0-r14 live in host registers within a block: loaded on first use,
 * written back before every exit, helper call that may fault or read them, and budget stop;
 * LRU eviction. R8-R11 do not survive a call: a slow path reloads them after it (the state
 * holds their values then). Every allocation an instruction needs happens before its
 * condition test or slow-path split, so all paths agree on the mapping. */
#define VT_ARMT_RC_SLOTS 9

/* The ARM flags the host flags still hold: N and Z (SF, ZF), or all four after an addition
 * (C = CF) or a subtraction (C = !CF), V = OF. */
typedef enum vt_armt_live {
    VT_ARMT_LIVE_NONE,
    VT_ARMT_LIVE_NZ,
    VT_ARMT_LIVE_ADD,
    VT_ARMT_LIVE_SUB
} vt_armt_live;

typedef struct vt_armt_regcache {
    int8_t slot_of[15];              /* guest register -> slot, -1 when not cached */
    int8_t guest[VT_ARMT_RC_SLOTS];  /* slot -> guest register, -1 when free */
    bool dirty[VT_ARMT_RC_SLOTS];    /* the host register is newer than the state */
    uint32_t used[VT_ARMT_RC_SLOTS]; /* instruction stamp of the last use */
} vt_armt_regcache;

/* A register operand: a cached host register, or for r15 the constant it reads as. */
typedef struct vt_armt_opnd {
    vt_x64_reg h; /* VT_X64_NOREG: the constant v */
    uint32_t v;
} vt_armt_opnd;

/* A load/store's slow path, emitted after the block's body with the register cache and the
 * pending counts as they were at the access. */
typedef struct vt_armt_ldst_slow {
    const vt_arm_tinsn *in;
    vt_x64_label entry, back; /* from the fast path's checks; back to its end */
    vt_armt_regcache rc;
    uint32_t pend_cycles, pend_insns;
    vt_x64_reg hd;     /* Rd's host register */
    vt_armt_opnd n, m; /* base and offset register */
    int site;          /* the direct load's fault site (jit/jit_cache.h), or -1 */
} vt_armt_ldst_slow;

typedef struct vt_armt_ctx {
    vt_arm_cpu *c;
    vt_arm_jit *j;
    vt_jit_builder bld;
    vt_x64_emitter *e;
    uint32_t pend_cycles, pend_insns; /* retired by emitted code, not yet added to the state */
    vt_armt_regcache rc;
    uint32_t stamp; /* the current instruction's number: its operands are never evicted */
    /* what the host flags hold at the current instruction's start (set when the previous
     * instruction set them and nothing emitted since clobbered them), and at its end */
    vt_armt_live live, live_out;
    vt_armt_ldst_slow
        slow[VT_ARM_JIT_MAX_INSNS]; /* load/store slow paths, emitted after the body */
    unsigned n_slow;
} vt_armt_ctx;

/* arm_translate_regs.c: counts, the register cache, operands, conditions */
void vt_armt_add_counts(vt_armt_ctx *t, uint32_t cycles, uint32_t insns);
void vt_armt_flush_pending(vt_armt_ctx *t);
void vt_armt_pending_to_state(vt_armt_ctx *t, int sign);
void vt_armt_store_u32(vt_armt_ctx *t, int32_t off, uint32_t v);
void vt_armt_rc_reset(vt_armt_regcache *rc);
void vt_armt_rc_writeback(vt_armt_ctx *t);
void vt_armt_rc_reload_volatile(vt_armt_ctx *t);
void vt_armt_rc_clean(vt_armt_ctx *t);
void vt_armt_rc_drop(vt_armt_ctx *t, unsigned n);
void vt_armt_rc_forget_all(vt_armt_ctx *t);
vt_x64_reg vt_armt_rc_reg(vt_armt_ctx *t, unsigned n, bool load);
void vt_armt_rc_set_dirty(vt_armt_ctx *t, unsigned n);
vt_armt_opnd vt_armt_src(vt_armt_ctx *t, unsigned n, const vt_arm_tinsn *in);
void vt_armt_mov_opnd(vt_armt_ctx *t, vt_x64_reg dst, vt_armt_opnd o);
vt_x64_reg vt_armt_dst_reg(vt_armt_ctx *t, unsigned n, const vt_arm_tinsn *in);
void vt_armt_emit_cond(vt_armt_ctx *t, unsigned cond, vt_x64_label *skip);

/* arm_translate_mem.c: loads and stores */
void vt_armt_store_insn_pcs(vt_armt_ctx *t, const vt_arm_tinsn *in);
void vt_armt_emit_leave_check(vt_armt_ctx *t, uint32_t next);
void vt_armt_emit_ldst(vt_armt_ctx *t, const vt_arm_tinsn *in);
void vt_armt_emit_ldst_slow(vt_armt_ctx *t, vt_armt_ldst_slow *sp);
void vt_armt_emit_ldm_stm(vt_armt_ctx *t, const vt_arm_tinsn *in);

/* arm_translate.c */
bool vt_armt_emit_shift_imm(vt_armt_ctx *t, uint32_t insn, vt_armt_opnd m, bool carry_out);
/* Leaves for the block at the PC in EAX (stored to r15, counts retired): straight into its
 * translation when the recent-lookup table has it (Linux user mode), else the dispatcher. */
void vt_armt_emit_jump_exit(vt_armt_ctx *t);

#endif
