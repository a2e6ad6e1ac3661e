/* x86 lockstep (`vitrine user i386 --jit lockstep`, issue 16): each translated block runs in the
 * JIT with every store logged, the result is taken and undone (old bytes back, the starting
 * state restored), the interpreter (x86_interp_step) runs the same instructions, and the two are
 * compared. Traps are caught here in both halves and compared; the interpreter's is then raised
 * to run() (which hands it to the owner: a syscall or a signal happens once). In this mode
 * translation stops before an instruction that only calls its handler, so handlers run once, in
 * the interpreter. Undefined EFLAGS bits: Intel SDM vol. 2, each instruction's "Flags Affected". */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/x86_jit.h"
#include "jit/x86_lockstep.h"

#define LOG_MAX 256 /* stores one block can make: 16 instructions, no string or handler ones */

typedef struct ls_write {
    uint32_t la, size, value;
    uint8_t *host[4]; /* each byte's host address (a store may cross a page) */
    uint8_t old[4];
} ls_write;

typedef struct ls_log {
    ls_write w[LOG_MAX];
    unsigned n;
    bool overflow;
} ls_log;

struct x86_lockstep {
    ls_log *log; /* where x86_lockstep_note_store records; NULL between halves */
    ls_log jit_log, interp_log;
    uint64_t blocks;
    bool diverged;
    char divergence[512];
};

/* The state a block can change (everything run() and the handlers of translatable
 * instructions write), raw for restoring and EFLAGS evaluated for comparing. */
typedef struct ls_state {
    uint32_t r[8], eip, insn_eip, eip_seen, cr2, eflags_raw, cc_res, cc_a, cc_b, eflags;
    uint8_t cc_op, cc_size;
    x86_seg seg[6];
    x87_state fpu;
    uint64_t cycles, insns;
    vt_x86_trap trap;
} ls_state;

static void take(x86_cpu *c, ls_state *s) {
    memcpy(s->r, c->r, sizeof s->r);
    memcpy(s->seg, c->seg, sizeof s->seg);
    s->eip = c->eip;
    s->insn_eip = c->insn_eip;
    /* after a fault run() resumes at the faulting instruction: that is the EIP compared */
    s->eip_seen = c->trap.kind == VT_X86_TRAP_FAULT ? c->insn_eip : c->eip;
    s->cr2 = c->cr2;
    s->eflags_raw = c->eflags;
    s->cc_res = c->cc_res;
    s->cc_a = c->cc_a;
    s->cc_b = c->cc_b;
    s->cc_op = c->cc_op;
    s->cc_size = c->cc_size;
    s->eflags = x86_get_flags(c);
    s->fpu = c->fpu;
    s->cycles = c->cpu.cycles;
    s->insns = c->cpu.insns;
    s->trap = c->trap;
}

static void put(x86_cpu *c, const ls_state *s) {
    memcpy(c->r, s->r, sizeof c->r);
    memcpy(c->seg, s->seg, sizeof c->seg);
    c->eip = s->eip;
    c->insn_eip = s->insn_eip;
    c->cr2 = s->cr2;
    c->eflags = s->eflags_raw;
    c->cc_res = s->cc_res;
    c->cc_a = s->cc_a;
    c->cc_b = s->cc_b;
    c->cc_op = s->cc_op;
    c->cc_size = s->cc_size;
    c->fpu = s->fpu;
    c->cpu.cycles = s->cycles;
    c->cpu.insns = s->insns;
    c->trap = s->trap;
}

void x86_lockstep_note_store(x86_cpu *c, uint32_t la, unsigned size, uint32_t v, uint8_t *p,
                             uint8_t *next_page) {
    ls_log *log = c->jit->lockstep->log;
    if (!log) return;
    if (log->n == LOG_MAX) {
        log->overflow = true;
        return;
    }
    ls_write w = {.la = la, .size = size, .value = v & x86_mask(size)};
    for (unsigned k = 0; k < size; k++) {
        uint32_t off = (la & 0xFFF) + k;
        w.host[k] = off < 0x1000 ? p + k : next_page + (off - 0x1000);
        w.old[k] = *w.host[k]; /* may raise a host fault (guest memory): then nothing is logged */
    }
    log->w[log->n++] = w;
}

/* Puts back the bytes the logged stores replaced, newest first. Only bytes that changed are
 * written: a store that faulted on the host after it was logged left its page untouched. */
static void undo(const ls_log *log) {
    for (unsigned n = log->n; n-- > 0;)
        for (unsigned k = 0; k < log->w[n].size; k++)
            if (*log->w[n].host[k] != log->w[n].old[k]) *log->w[n].host[k] = log->w[n].old[k];
}

/* The arithmetic flags insn i writes (`writes`) and those of them it leaves undefined, as far as
 * the decoded record tells (a shift count in CL is not known here: such a shift may write
 * nothing, so it only adds undefined bits). Instructions not listed add nothing. */
typedef struct ls_flags {
    uint32_t writes, undefined;
} ls_flags;

static ls_flags shift_flags(const x86_insn *i) {
    unsigned op = i->opc, bits = 8u * (op & 1 ? i->osize : 1);
    bool rotate = i->reg < 4;
    uint32_t all = rotate ? F_CF | F_OF : F_ARITH, undef = rotate ? 0 : F_AF;
    if (op == 0xD2 || op == 0xD3) /* count in CL: OF (count != 1); CF past the width */
        return (ls_flags){0, undef | F_OF | (!rotate && bits < 32 ? F_CF : 0)};
    unsigned count = (op == 0xD0 || op == 0xD1 ? 1 : i->imm) & 31;
    if (!count) return (ls_flags){0, 0}; /* flags unaffected */
    if (count != 1) undef |= F_OF;
    if (!rotate && (i->reg == 4 || i->reg == 5 || i->reg == 6) && count >= bits) undef |= F_CF;
    return (ls_flags){all, undef};
}

static ls_flags insn_flags(const x86_insn *i) {
    unsigned op = i->opc;
    if (op < 0x40 && (op & 7) < 6) { /* ADD OR ADC SBB AND SUB XOR CMP */
        unsigned alu = (op >> 3) & 7;
        return (ls_flags){F_ARITH, alu == 1 || alu == 4 || alu == 6 ? F_AF : 0};
    }
    if (op >= 0x80 && op <= 0x83)
        return (ls_flags){F_ARITH, i->reg == 1 || i->reg == 4 || i->reg == 6 ? F_AF : 0};
    if (op == 0x84 || op == 0x85 || op == 0xA8 || op == 0xA9) return (ls_flags){F_ARITH, F_AF};
    if ((op >= 0x40 && op <= 0x4F) || ((op == 0xFE || op == 0xFF) && i->reg < 2))
        return (ls_flags){F_ARITH & ~F_CF, 0}; /* INC, DEC */
    if (op == 0xF6 || op == 0xF7) {
        if (i->reg < 2) return (ls_flags){F_ARITH, F_AF}; /* TEST */
        if (i->reg == 3) return (ls_flags){F_ARITH, 0};   /* NEG */
        if (i->reg == 4 || i->reg == 5) return (ls_flags){F_ARITH, F_SF | F_ZF | F_AF | F_PF};
        if (i->reg >= 6) return (ls_flags){F_ARITH, F_ARITH}; /* DIV, IDIV */
        return (ls_flags){0, 0};                              /* NOT */
    }
    if (op == 0x69 || op == 0x6B || op == 0x1AF)
        return (ls_flags){F_ARITH, F_SF | F_ZF | F_AF | F_PF};
    if ((op >= 0xC0 && op <= 0xC1) || (op >= 0xD0 && op <= 0xD3)) return shift_flags(i);
    if (op == 0x1A4 || op == 0x1AC) { /* SHLD/SHRD by an immediate */
        unsigned count = i->imm & 31;
        if (!count) return (ls_flags){0, 0};
        if (count > 8u * i->osize) return (ls_flags){F_ARITH, F_ARITH};
        return (ls_flags){F_ARITH, F_AF | (count != 1 ? F_OF : 0)};
    }
    if (op == 0x1A5 || op == 0x1AD) return (ls_flags){0, i->osize == 2 ? F_ARITH : F_AF | F_OF};
    if (op == 0x1A3 || op == 0x1AB || op == 0x1B3 || op == 0x1BB || op == 0x1BA)
        return (ls_flags){F_ARITH & ~F_ZF, F_OF | F_SF | F_AF | F_PF}; /* BT*: ZF unaffected */
    if (op == 0x1BC || op == 0x1BD) return (ls_flags){F_ARITH, F_ARITH & ~F_ZF}; /* BSF, BSR */
    if (op == 0x27 || op == 0x2F) return (ls_flags){F_ARITH, F_OF};              /* DAA, DAS */
    if (op == 0x37 || op == 0x3F) return (ls_flags){F_ARITH, F_OF | F_SF | F_ZF | F_PF};
    if (op == 0xD4 || op == 0xD5) return (ls_flags){F_ARITH, F_OF | F_AF | F_CF}; /* AAM, AAD */
    return (ls_flags){0, 0};
}

/* The EFLAGS bits left undefined by the first n instructions of b. */
static uint32_t undefined_flags(const x86_block *b, uint64_t n) {
    uint32_t mask = 0;
    for (uint64_t k = 0; k < n && k < b->n; k++) {
        ls_flags f = insn_flags(&b->insn[k]);
        mask = (mask & ~f.writes) | f.undefined;
    }
    return mask;
}

typedef struct ls_check {
    struct x86_lockstep *ls;
    uint32_t block, len, eip;
} ls_check;

/* Records the report that field `what` (a printf format and its arguments) differs; true. */
static bool __attribute__((format(printf, 4, 5)))
report(ls_check *k, uint64_t jit, uint64_t interp, const char *what, ...) {
    char name[96];
    va_list ap;
    va_start(ap, what);
    vsnprintf(name, sizeof name, what, ap);
    va_end(ap);
    snprintf(k->ls->divergence, sizeof k->ls->divergence,
             "lockstep: JIT and interpreter differ after the block at pc %08" PRIx32 " (%" PRIu32
             " bytes of guest code), eip %08" PRIx32 ": %s jit=%" PRIx64 " interp=%" PRIx64,
             k->block, k->len, k->eip, name, jit, interp);
    return true;
}

/* Whether jit != interp, reported then (the name is formatted only for a difference). */
#define differ(k, jit, interp, ...) ((jit) != (interp) && report(k, jit, interp, __VA_ARGS__))

static bool differ_seg(ls_check *k, int n, const x86_seg *a, const x86_seg *b) {
    static const char *const names[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
    return differ(k, a->sel, b->sel, "%s selector", names[n]) ||
           differ(k, a->base, b->base, "%s base", names[n]) ||
           differ(k, a->limit, b->limit, "%s limit", names[n]) ||
           differ(k, a->attr, b->attr, "%s attributes", names[n]);
}

static bool differ_fpu(ls_check *k, const x87_state *a, const x87_state *b) {
    for (int n = 0; n < 8; n++)
        if (differ(k, a->st[n].mant, b->st[n].mant, "x87 r%d significand", n) ||
            differ(k, a->st[n].se, b->st[n].se, "x87 r%d sign/exponent", n))
            return true;
    return differ(k, a->cw, b->cw, "fcw") || differ(k, a->sw, b->sw, "fsw") ||
           differ(k, a->top, b->top, "x87 top") || differ(k, a->tag_empty, b->tag_empty, "ftw");
}

static bool differ_stores(ls_check *k, const ls_log *lj, const ls_log *li) {
    if (differ(k, lj->n, li->n, "stores")) return true;
    for (unsigned n = 0; n < lj->n; n++) {
        const ls_write *a = &lj->w[n], *b = &li->w[n];
        if (differ(k, a->la, b->la, "store %u address", n) ||
            differ(k, a->size, b->size, "store %u to %08" PRIx32 " size", n, b->la) ||
            differ(k, a->value, b->value, "store %u to %08" PRIx32 " value", n, b->la))
            return true;
    }
    return false;
}

/* n: the instructions the interpreter retired (their flags decide which bits are undefined). */
static bool compare(ls_check *k, const x86_block *b, uint64_t n_insns, const ls_state *sj,
                    const ls_state *si) {
    static const char *const names[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    for (int n = 0; n < 8; n++)
        if (differ(k, sj->r[n], si->r[n], "%s", names[n])) return true;
    uint32_t undef = undefined_flags(b, n_insns);
    uint32_t fj = sj->eflags & ~undef, fi = si->eflags & ~undef;
    char masked[40] = "";
    if (undef && fj != fi)
        snprintf(masked, sizeof masked, " (undefined bits %03" PRIx32 " masked)", undef);
    if (differ(k, sj->eip_seen, si->eip_seen, "eip") || differ(k, fj, fi, "eflags%s", masked))
        return true;
    for (int n = 0; n < 6; n++)
        if (differ_seg(k, n, &sj->seg[n], &si->seg[n])) return true;
    if (differ_fpu(k, &sj->fpu, &si->fpu) || differ(k, sj->cycles, si->cycles, "cycles") ||
        differ(k, sj->insns, si->insns, "instructions") ||
        differ(k, sj->trap.kind, si->trap.kind, "trap kind"))
        return true;
    if (si->trap.kind != VT_X86_TRAP_NONE &&
        (differ(k, (uint32_t)sj->trap.vector, (uint32_t)si->trap.vector, "trap vector") ||
         differ(k, sj->trap.error_code, si->trap.error_code, "trap error code") ||
         differ(k, sj->trap.fault_addr, si->trap.fault_addr, "trap address") ||
         differ(k, sj->cr2, si->cr2, "cr2")))
        return true;
    return differ_stores(k, &k->ls->jit_log, &k->ls->interp_log);
}

/* The JIT's half: true when a trap (a longjmp to c->abort) ended it. */
static bool run_jit_half(x86_cpu *c, vt_jit_block *nb) {
    if (setjmp(c->abort)) return true;
    (void)vt_jit_run(c->jit->cache, nb, c);
    return false;
}

/* The interpreter's half: up to n instructions, or until a trap. */
static void run_interp_half(x86_cpu *c, uint64_t n) {
    if (setjmp(c->abort)) return;
    for (uint64_t k = 0; k < n; k++)
        x86_interp_step(c);
}

static void start_log(struct x86_lockstep *ls, ls_log *log) {
    log->n = 0;
    log->overflow = false;
    ls->log = log;
}

/* Compares the halves' results (si: the interpreter's after n instructions) and reports the
 * first difference on stderr; from then on the interpreter alone runs. */
static void check(ls_check *k, const x86_block *b, uint64_t n, const ls_state *sj,
                  const ls_state *si) {
    struct x86_lockstep *ls = k->ls;
    ls->blocks++;
    k->eip = si->eip_seen;
    if (ls->jit_log.overflow || ls->interp_log.overflow) {
        ls->diverged = true;
        snprintf(ls->divergence, sizeof ls->divergence,
                 "lockstep: more than %d stores in the block at pc %08" PRIx32
                 ": not checked, the interpreter runs on alone",
                 LOG_MAX, k->block);
    } else if (compare(k, b, n, sj, si)) {
        ls->diverged = true;
    }
    if (ls->diverged) fprintf(stderr, "vitrine: %s\n", ls->divergence);
}

bool x86_lockstep_run_block(x86_cpu *c) {
    x86_jit *j = c->jit;
    struct x86_lockstep *ls = j->lockstep;
    const uint8_t *code;
    if (ls->diverged) return false; /* the interpreter alone from then on */
    x86_block *b = x86_jit_block_at(c, &code);
    if (!b || c->cpu.cycles + b->lead_cost >= c->cpu.stop_at) return false;
    vt_jit_block *nb = x86_jit_native_of(c, b, code);
    if (!nb) return false;
    ls_check k = {ls, c->seg[SEG_CS].base + c->eip, b->len, 0};
    ls_state s0, sj, si;
    jmp_buf outer;
    memcpy(outer, c->abort, sizeof outer);
    take(c, &s0);
    start_log(ls, &ls->jit_log);
    j->code_written = false;
    bool trapped = run_jit_half(c, nb);
    ls->log = NULL;
    take(c, &sj);
    undo(&ls->jit_log);
    put(c, &s0);
    j->stats.blocks_run++;
    j->stats.native_runs++;
    uint64_t ran = sj.insns - s0.insns + trapped;
    start_log(ls, &ls->interp_log);
    if (!ran) { /* its first instruction is a handler's: nothing may have changed */
        memcpy(c->abort, outer, sizeof outer);
        check(&k, b, 0, &sj, &s0);
        return false; /* the interpreter steps that instruction */
    }
    j->code_written = false;
    /* the instructions the JIT retired; after its trap, on to the interpreter's trap */
    run_interp_half(c, trapped || ran > b->n ? b->n : ran);
    ls->log = NULL;
    take(c, &si);
    memcpy(c->abort, outer, sizeof outer);
    check(&k, b, si.insns - s0.insns, &sj, &si);
    if (si.trap.kind != VT_X86_TRAP_NONE) longjmp(c->abort, 1); /* run() takes it, once */
    return true;
}

int vt_x86_set_lockstep(vt_cpu *cpu) {
    x86_cpu *c = X86(cpu);
    if (!c->user) return -1;
    /* translations made without lockstep chain, use the jump cache and call handlers: dropped */
    if (c->jit && !c->jit->lockstep && vt_x86_set_jit(cpu, false)) return -1;
    if (vt_x86_set_jit(cpu, true)) return -1;
    if (!c->jit->lockstep && !(c->jit->lockstep = calloc(1, sizeof *c->jit->lockstep))) return -1;
    vt_tlb_flush(&c->tlb); /* from now on every fill is made without write permission */
    return 0;
}

bool vt_x86_lockstep_diverged(const vt_cpu *cpu, char *msg, size_t len) {
    const x86_cpu *c = (const x86_cpu *)cpu;
    if (strcmp(cpu->ops->isa, "x86") || !c->jit || !c->jit->lockstep || !c->jit->lockstep->diverged)
        return false;
    snprintf(msg, len, "%s", c->jit->lockstep->divergence);
    return true;
}

uint64_t vt_x86_lockstep_blocks(const vt_cpu *cpu) {
    const x86_cpu *c = (const x86_cpu *)cpu;
    if (strcmp(cpu->ops->isa, "x86") || !c->jit || !c->jit->lockstep) return 0;
    return c->jit->lockstep->blocks;
}
