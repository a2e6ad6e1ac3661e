/* Lockstep checking (`--jit lockstep`): each translated block runs once through the JIT and
 * once through the interpreter from the same starting state, and the two results are compared:
 * registers, flags, cycle and instruction counts, and every memory write (address, size,
 * value, in order). The JIT's writes are undone before the interpreter's run; the interpreter's
 * result is the one kept. In this mode blocks hold translated instructions only (no handler
 * calls) and a load that misses the TLB (it may fault) ends the block before it, so nothing
 * with outside effects (a syscall, a signal for a fault) runs twice. A store that faults in the
 * JIT's run is not caught (its exception is taken once, from the JIT's state). */
#include <inttypes.h>
#include <stdio.h>

#include "jit/arm_jit_int.h"

typedef struct snapshot {
    uint32_t r[16];
    uint32_t n, z, c, v, q, ge, cpsr_ctl, spsr, excl_addr;
    bool thumb, excl_valid;
    uint64_t cycles, insns;
} snapshot;

static void take(const vt_arm_cpu *c, snapshot *s) {
    *s = (snapshot){.n = c->n,
                    .z = c->z,
                    .c = c->c,
                    .v = c->v,
                    .q = c->q,
                    .ge = c->ge,
                    .cpsr_ctl = c->cpsr_ctl,
                    .spsr = c->spsr,
                    .excl_addr = c->excl_addr,
                    .thumb = c->thumb,
                    .excl_valid = c->excl_valid,
                    .cycles = c->base.cycles,
                    .insns = c->base.insns};
    memcpy(s->r, c->r, sizeof s->r);
}

static void put(vt_arm_cpu *c, const snapshot *s) {
    memcpy(c->r, s->r, sizeof c->r);
    c->n = s->n;
    c->z = s->z;
    c->c = s->c;
    c->v = s->v;
    c->q = s->q;
    c->ge = s->ge;
    c->cpsr_ctl = s->cpsr_ctl;
    c->spsr = s->spsr;
    c->excl_addr = s->excl_addr;
    c->thumb = s->thumb;
    c->excl_valid = s->excl_valid;
    c->base.cycles = s->cycles;
    c->base.insns = s->insns;
    vt_arm_forget_code_page(c);
}

static bool differ(vt_arm_jit *j, const vt_jit_block *b, const char *what, uint64_t jit,
                   uint64_t interp) {
    if (jit == interp) return false;
    snprintf(j->divergence, sizeof j->divergence,
             "lockstep: JIT and interpreter differ after the block at pc %08" PRIx64 " (%" PRIu64
             " bytes of guest code): %s jit=%" PRIx64 " interp=%" PRIx64,
             b->key.pc, b->src_len, what, jit, interp);
    return true;
}

static bool compare(vt_arm_jit *j, const vt_jit_block *b, const snapshot *sj, const snapshot *si) {
    static const char *const names[16] = {"r0", "r1", "r2",  "r3",  "r4",  "r5",  "r6",  "r7",
                                          "r8", "r9", "r10", "r11", "r12", "r13", "r14", "pc"};
    for (int i = 0; i < 16; i++)
        if (differ(j, b, names[i], sj->r[i], si->r[i])) return true;
    if (differ(j, b, "N", sj->n, si->n) || differ(j, b, "Z", sj->z, si->z) ||
        differ(j, b, "C", sj->c, si->c) || differ(j, b, "V", sj->v, si->v) ||
        differ(j, b, "Q", sj->q, si->q) || differ(j, b, "GE", sj->ge, si->ge) ||
        differ(j, b, "cpsr", sj->cpsr_ctl, si->cpsr_ctl) ||
        differ(j, b, "T", sj->thumb, si->thumb) || differ(j, b, "cycles", sj->cycles, si->cycles) ||
        differ(j, b, "instructions", sj->insns, si->insns))
        return true;
    const vt_arm_jit_log *lj = &j->jit_log, *li = &j->interp_log;
    if (differ(j, b, "memory writes", lj->n, li->n)) return true;
    for (unsigned k = 0; k < lj->n; k++) {
        char what[64];
        snprintf(what, sizeof what, "write %u address", k);
        if (differ(j, b, what, lj->w[k].va, li->w[k].va)) return true;
        snprintf(what, sizeof what, "write %u to %08x size", k, li->w[k].va);
        if (differ(j, b, what, lj->w[k].size, li->w[k].size)) return true;
        snprintf(what, sizeof what, "write %u to %08x value", k, li->w[k].va);
        if (differ(j, b, what, lj->w[k].value, li->w[k].value)) return true;
    }
    return false;
}

void vt_arm_jit_lockstep_block(vt_arm_cpu *c, vt_jit_block *b) {
    vt_arm_jit *j = c->jit;
    snapshot s0, sj, si;
    vt_arm_jit_withhold_all_writes(c);
    take(c, &s0);
    j->jit_log.n = 0;
    j->jit_log.overflow = false;
    j->log = &j->jit_log;
    c->base.jit_exit = 0;
    vt_jit_result res = vt_jit_run(j->cache, b, c);
    j->log = NULL;
    take(c, &sj);
    for (unsigned k = j->jit_log.n; k-- > 0;) {
        const vt_arm_jit_write *w = &j->jit_log.w[k];
        if (w->old_known) (void)c->hooks.write(c->base.env, c, w->va, w->size, w->old);
    }
    vt_arm_jit_withhold_all_writes(c);
    put(c, &s0);
    j->interp_log.n = 0;
    j->interp_log.overflow = false;
    j->log = &j->interp_log;
    for (uint64_t k = s0.insns; k < sj.insns; k++)
        vt_arm_interp_step(c);
    j->log = NULL;
    take(c, &si);
    j->stats.lockstep_blocks++;
    if (!j->jit_log.overflow && !j->interp_log.overflow && compare(j, b, &sj, &si)) {
        j->diverged = true;
        fprintf(stderr, "vitrine: %s\n", j->divergence);
        c->base.stop_at = c->base.cycles; /* end the slice; the interpreter carries on */
    }
    /* the budget ran out, or a load missed the TLB: the interpreter takes that instruction */
    if (res.reason == VT_JIT_EXIT_STOP && c->base.cycles < c->base.stop_at) vt_arm_interp_step(c);
}
