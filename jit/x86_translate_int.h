/* Internal interface between the x86 translator (jit/x86_translate.c: block walk, handler
 * calls, exits) and the files that emit native forms of guest instructions
 * (jit/x86_translate_*.c): the guest-state field offsets, the effective-address and
 * memory-operand fast path (jit/x86_translate_mem.c) and the handler fallback. Not a public
 * header: only jit/x86_*.c include it. */
#ifndef VT_JIT_X86_TRANSLATE_INT_H
#define VT_JIT_X86_TRANSLATE_INT_H

#include <stddef.h>

#include "jit/jit_cache.h"
#include "jit/x86_jit.h"

#define X86_JIT_ST VT_JIT_STATE
#define X86_JIT_OFF(field) ((int32_t)offsetof(x86_cpu, field))
#define X86_JIT_REG(n) ((int32_t)(offsetof(x86_cpu, r) + 4 * (size_t)(n)))

/* ECX = disp + base + index << scale (32-bit address arithmetic; the caller masks 16-bit
 * addresses). Clobbers EAX. */
void x86_jit_emit_ea(vt_x64_emitter *e, const x86_insn *i);

/* Jumps to slow unless the `size`-byte access at offset ECX of segment seg can take the
 * interpreter's fast path (x86_fast_ptr): a present, writable, expand-up data segment with a
 * 4 GiB limit, no page crossing and a software-TLB hit for the access (for a read-modify-write
 * pass write: a write hit also allows the read). On the fast path RSI + RCX is the host
 * address. `stack` also requires a 32-bit stack (SS.B), so the offset is not masked to 16
 * bits. A segment flat at translation (x86_jit_flat_assumed) is not checked here: the block's
 * entry and every handler call re-check it (x86_jit_emit_flat_check). Clobbers RAX, RDX. */
void x86_jit_emit_fast_addr(vt_x64_emitter *e, const x86_cpu *c, unsigned seg, unsigned size,
                            bool write, bool stack, vt_x64_label *slow);

/* As x86_jit_emit_fast_addr for a read, but in user mode with a direct base
 * (vt_x86_jit_set_direct_base) and a flat segment RSI = the base and RCX stays the linear
 * address: no check at all, and a fault site opens here (jit/jit_cache.h), closed by
 * x86_jit_fast_end, whose slow path it resumes at. Between the two the caller's code must
 * access guest memory only before it changes guest state (a host fault on the access
 * then leaves the state as the slow path expects). Clobbers RAX, RDX. */
void x86_jit_emit_read_addr(vt_jit_builder *bld, const x86_cpu *c, unsigned seg, unsigned size,
                            bool stack, vt_x64_label *slow);

/* The same for a store, which must be the first thing the caller's code changes after it
 * (a store-only form, PUSH, CALL): pages holding blocks are host read-only then, so a store
 * into one faults into the slow path, whose interpreter store unmarks it (x86_jit.h). A site
 * already open (PUSH r/m32 read its operand directly) is kept. */
void x86_jit_emit_write_addr(vt_jit_builder *bld, const x86_cpu *c, unsigned seg, unsigned size,
                             bool stack, vt_x64_label *slow);

/* RSI = the direct base (user mode, not lockstep) unless it already holds it. */
void x86_jit_load_direct_base(vt_x64_emitter *e, const x86_cpu *c);

/* The segments (bits as x86_cpu.seg_not_flat) a translation made now assumes flat. */
uint8_t x86_jit_flat_assumed(const x86_cpu *c);

/* Leaves with END (the state's EIP must be the next instruction's) unless every segment
 * x86_jit_flat_assumed(c) named at translation is still flat. */
void x86_jit_emit_flat_check(vt_jit_builder *bld, const x86_cpu *c);

/* One call of i's interpreter handler with the interpreter's bookkeeping before it and its
 * cycles and the flow / code-write exits after it (jit/x86_translate.c). */
void x86_jit_emit_handler(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                          const uint8_t *code);

/* Emits the queued slow paths, each jumping back behind its fast path; before the commit. */
void x86_jit_emit_slow_paths(vt_jit_builder *bld, x86_cpu *c);

/* Adds the deferred cycles and instruction count of native instructions to the state. */
void x86_jit_flush_counts(vt_x64_emitter *e, uint32_t *cycles, uint32_t *insns);

/* Before a memory fast path: on a machine the deferred counts are added now (its budget is
 * re-checked after the instruction); in user mode they stay deferred (x86_translate_ops.c). */
void x86_jit_fast_begin(vt_x64_emitter *e, const x86_cpu *c, uint32_t *cycles, uint32_t *insns);

/* Ends i's fast path (at the current position) and queues its slow path at label `slow`
 * (x86_jit_emit_slow_paths): the handler, with the state's counts exact around it. i's own cost
 * joins the deferred counts in user mode (the fast path then adds nothing; the slow path adds the
 * deferred counts before the handler and takes them back after it), or is added at once on a
 * machine. */
void x86_jit_fast_end(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip, uint32_t next,
                      const uint8_t *code, uint32_t *cycles, uint32_t *insns, vt_x64_label *slow);

/* The register cache (jit/x86_translate_regs.c): within a block, up to X86_JIT_RC_SLOTS guest
 * registers chosen from the block's uses live in host registers that survive calls (RBP,
 * R12-R15), loaded after the block's entry checks. `dirty` ones are written back before every
 * handler call (and reloaded after it, so the handler may change any register) and before the
 * block leaves; a slow path does both on its own path. Translated code reaches the cache
 * through the emitter's owner pointer, so a form body needs nothing but its emitter. */
#define X86_JIT_RC_SLOTS 5
typedef struct x86_jit_rc {
    int8_t slot[8]; /* guest register -> host slot, -1 when not cached */
    uint8_t cached; /* guest registers held in host registers (bit n = register n) */
    uint8_t dirty;  /* cached registers possibly newer than the state */
    uint8_t poison; /* registers never cached in this block (a high byte of them is used) */
    bool retry;     /* a poisoned register was met while cached: translate again */
} x86_jit_rc;

/* A flag record left unwritten by a register-only ALU instruction (x86_translate_live.c):
 * its result in EDI and its source in R11 (which nothing in translated code touches between
 * it and `until` outside slow paths) rebuild it until `until`, which writes every flag, so only
 * slow paths and handlers before that write it (x86_jit_emit_pending). */
typedef struct x86_jit_pending {
    const x86_insn *until; /* NULL: nothing pending */
    uint8_t op;            /* the ALU row (0 ADD ... 7 CMP; not ADC/SBB), 8 TEST, 9 replay */
    /* op 9, a shift by an immediate: EDI holds its operand instead, and the form's body
     * replayed on EDI writes the record */
    const x86_insn *insn;
    void (*replay)(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags);
} x86_jit_pending;
#define X86_JIT_PENDING_RESULT VT_X64_RDI
#define X86_JIT_PENDING_SOURCE VT_X64_R11
#define X86_JIT_PENDING_REPLAY 9

/* A memory fast path's slow path, emitted after the block's last instruction (out of the way
 * of the straight-line code): the state of the translation where the fast path branched off
 * and where it rejoins. */
typedef struct x86_jit_slow {
    vt_x64_label slow, done;
    int site;              /* the fast path's fault site, or -1 */
    int32_t cycles, insns; /* counts deferred before the instruction (user mode) */
    x86_insn *i;
    uint32_t eip, next;
    const uint8_t *code;
    x86_jit_rc rc;           /* the register cache at the fast path */
    x86_jit_pending pending; /* the flag record pending there */
    bool rsi_base;           /* RSI held the direct base at `done` */
} x86_jit_slow;

/* The translation of one block: what code emitted with only the emitter (e->owner) reaches. */
typedef struct x86_jit_tx {
    x86_jit_rc rc;
    x86_jit_pending pending; /* a flag record not written yet (user mode) */
    bool rsi_base;           /* RSI holds the direct base (x86_jit_emit_read_addr) */
    unsigned n_slow;
    x86_jit_slow slow[VT_X86_BLOCK_MAX];
} x86_jit_tx;

/* RSI no longer holds the direct base (a call or a TLB probe clobbered it). */
static inline void x86_jit_rsi_clobbered(vt_x64_emitter *e) {
    if (e->owner) ((x86_jit_tx *)e->owner)->rsi_base = false;
}

/* Chooses the registers to cache for block b (none in `poison`); tx becomes e's owner. */
void x86_jit_rc_plan(x86_jit_tx *tx, vt_x64_emitter *e, const x86_block *b, uint8_t poison);
/* Loads every cached register from the state (a block's entry, after its exit checks). */
void x86_jit_rc_load(vt_x64_emitter *e);
/* Stores the dirty registers to the state on the path being emitted (the cache unchanged). */
void x86_jit_rc_writeback(vt_x64_emitter *e);
/* Reloads every cached register on the path being emitted (after a handler ran). */
void x86_jit_rc_reload(vt_x64_emitter *e);
/* Writes back the dirty registers on every path from here on; they stay cached, clean. */
void x86_jit_rc_clean(vt_x64_emitter *e);
/* Writes back the dirty registers and caches nothing from here on (before the block's
 * closing flow, whose code works on the state). */
void x86_jit_rc_forget(vt_x64_emitter *e);

/* Guest register n of `size` bytes as an operand (AL..BH numbering for byte registers: 4-7
 * are bits 8-15 of registers 0-3): its host register when cached (then marked dirty: the
 * caller may write it), else the state's field. */
vt_x64_mem x86_jit_reg_at(vt_x64_emitter *e, unsigned n, unsigned size);
/* The same for a 32-bit register the caller only reads (an address, a copy's source). */
vt_x64_mem x86_jit_reg_src(vt_x64_emitter *e, unsigned n);

/* dst = the `size`-byte value at m, zero-extended to 32 bits. */
void x86_jit_load(vt_x64_emitter *e, unsigned size, vt_x64_reg dst, vt_x64_mem m);

/* What the dispatcher computes before an instruction's memory address (helper calls clobber
 * the address registers), for the body to use. */
typedef enum x86_jit_pre {
    X86_PRE_NONE,
    X86_PRE_CF,    /* R8D = CF (0 or 1), as x86_get_cf */
    X86_PRE_FLAGS, /* R9D = the arithmetic flags, as x86_get_flags(c) & F_ARITH */
    X86_PRE_COND,  /* R8D = x86_cond(c, opcode & 15) (0 or 1) */
} x86_jit_pre;

/* Whether the flags i writes are dead: a later instruction before `end` (one past the block's
 * last) rewrites the whole flag state before anything can observe it (x86_translate_live.c). */
bool x86_jit_flags_dead(const x86_insn *i, const x86_insn *end);

/* Whether the record i (a 32-bit register/immediate ADD OR AND SUB XOR CMP TEST, or a shift
 * by a constant) writes may stay pending, filling *p: up to a later instruction of the block
 * that writes every flag, only flagless moves (memory ones too), flag-dead rotates and the like
 * come. The caller keeps i's result (a shift: its operand) in EDI and its source in R11. */
bool x86_jit_flags_deferred(const x86_insn *i, const x86_insn *end, x86_jit_pending *p);

/* Writes the pending record p (on the path being emitted) exactly as the instruction would
 * have (x86_translate_alu.c). Clobbers RAX, RDX. */
void x86_jit_emit_pending(vt_x64_emitter *e, const x86_jit_pending *p);

/* A native form: the body is emitted with the r/m operand as `rm` (the guest register in the
 * state, or [R10] = the host address of a memory operand after the fast path) and `flags`
 * false when the flags it writes are dead (it may then leave them unwritten). A body may
 * clobber RAX, RCX, RDX, R8, R9 and R11; it must not fault or call out. */
typedef struct x86_jit_form {
    uint8_t size;       /* bytes of the r/m operand */
    bool write;         /* the r/m operand is written (a memory operand needs write permission) */
    bool moffs;         /* the operand is memory at the immediate (A0-A3), not ModRM's */
    uint8_t pre;        /* x86_jit_pre */
    bool pre_for_flags; /* only the flags need `pre`: skipped when they are dead */
    bool store_only;    /* the operand is only written, by the body's first write (no read) */
    bool store_first;   /* read and written: the store to it is the body's first change */
    void (*emit)(vt_x64_emitter *e, const x86_insn *i, vt_x64_mem rm, bool flags);
} x86_jit_form;

/* dst = PF | ZF | SF of the `size`-byte value in v (as x86_szp), from a host TEST. */
void x86_jit_emit_szp(vt_x64_emitter *e, unsigned size, vt_x64_reg v, vt_x64_reg dst);
/* As x86_set_arith: EFLAGS' arithmetic flags = f (only F_ARITH bits set), record CC_EAGER.
 * Clobbers RDX (f must not be RDX). */
void x86_jit_emit_set_arith(vt_x64_emitter *e, vt_x64_reg f);

/* R9D = the arithmetic flags x86_get_flags(c) & F_ARITH would give, inline for eager and
 * ADD/SUB/ADC/SBB/INC/DEC/logic records of any size (x86_translate_flags.c). Clobbers RAX, RDX and,
 * on the call path, every caller-saved register. */
void x86_jit_emit_flags(vt_x64_emitter *e);

/* R8D = CF (0 or 1) as x86_get_cf gives it, inline for the records x86_jit_emit_flags
 * replays (x86_translate_flags.c). Clobbers RAX, RDX and, on the call path, every
 * caller-saved register. */
void x86_jit_emit_cf(vt_x64_emitter *e);

/* The host's RFLAGS hold the guest's CF, PF, ZF, SF and OF (AF unspecified), so a host
 * Jcc/SETcc/CMOVcc with the guest's condition code (0-15, the same encoding) decides the guest
 * condition as x86_cond does (x86_translate_flags.c). Clobbers RAX, RDX and, on the call
 * path, every caller-saved register. */
void x86_jit_emit_cond_flags(vt_x64_emitter *e);

/* Each fills *f and returns true when i has a native form in its file. */
bool x86_jit_alu_form(const x86_insn *i, x86_jit_form *f);    /* x86_translate_alu.c */
bool x86_jit_shift_form(const x86_insn *i, x86_jit_form *f);  /* x86_translate_shift.c */
bool x86_jit_move_form(const x86_insn *i, x86_jit_form *f);   /* x86_translate_move.c */
bool x86_jit_mul_form(const x86_insn *i, x86_jit_form *f);    /* x86_translate_mul.c */
bool x86_jit_bits_form(const x86_insn *i, x86_jit_form *f);   /* x86_translate_bits.c */
bool x86_jit_flagop_form(const x86_insn *i, x86_jit_form *f); /* x86_translate_flagop.c */

/* PUSH imm32/imm8, PUSH r/m32, POP r/m32 and LEAVE with every access on the fast path, else
 * the handler: true when i is one of them (x86_translate_stack.c; counts as x86_jit_emit_op). */
bool x86_jit_emit_stack_op(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, uint32_t eip,
                           uint32_t next, const uint8_t *code, uint32_t *cycles, uint32_t *insns);

/* Emits i natively when one of the files above has a form for it; false (nothing emitted)
 * otherwise (`end`: one past the block's last instruction). A register-only form adds i's cycles to
 * the deferred *cycles / *insns; a memory form flushes them, then runs the fast path and counts
 * itself, or calls the handler (x86_translate_ops.c). */
bool x86_jit_emit_op(vt_jit_builder *bld, x86_cpu *c, x86_insn *i, const x86_insn *end,
                     uint32_t eip, uint32_t next, const uint8_t *code, uint32_t *cycles,
                     uint32_t *insns);

/* Whether x86_jit_emit_op's form of i can call the handler (a memory access: a memory operand,
 * moffs or the stack), after which a machine re-checks the budget. */
bool x86_jit_op_has_slow_path(const x86_insn *i);

#endif
