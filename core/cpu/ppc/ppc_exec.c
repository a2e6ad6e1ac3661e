/* PowerPC 750 run loop: decrementer and interrupt sampling at instruction boundaries, fetch
 * through the software TLB, decode through the opcode tables, execute, cycle accounting from
 * the per-instruction cost, single-step/branch trace (MSR[SE], MSR[BE]) and the instruction
 * address breakpoint.
 * Sources: MPC750 UM ch. 4 (exceptions are taken at instruction boundaries, precise; the
 * trace exception follows a completed instruction with SRR0 = the next one). */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

/* Executes one instruction at s->pc; returns its cycles. */
static inline unsigned step(vt_ppc_cpu *s) {
    uint32_t insn;
    uint32_t fa = s->pc ^ ((s->msr & MSR_LE) << 2); /* little-endian mode munges fetches too */
    const uint8_t *h = vt_tlb_lookup(&s->tlb[ppc_insn_mode(s)], fa, VT_ACCESS_EXEC);
    if (__builtin_expect(h != NULL, 1)) {
        insn = load_be32(h);
    } else if (vt_ppc_fetch_slow(s, fa, &insn)) {
        s->pc = s->npc;
        return 2;
    }
    s->insn = insn;
    const ppc_op *op = vt_ppc_decode(insn);
    s->npc = s->pc + 4;
    unsigned cyc = op->cycles + op->fn(s, insn);
    s->pc = s->npc;
    return cyc;
}

/* The debug path: the instruction address breakpoint (IABR, UM ch. 2: CEA, BE enable,
 * TE = MSR[IR] to match) is taken before the instruction; trace after an instruction that
 * completed without an exception, with SE set (or BE and the instruction was a branch):
 * the trace exception with SRR0 = next instruction. */
static unsigned step_debug(vt_ppc_cpu *s) {
    uint32_t msr = s->msr, pc = s->pc, insn = 0;
    if ((s->iabr & 2) && !((pc ^ s->iabr) & ~3u) && (s->iabr & 1) == ((msr & MSR_IR) ? 1u : 0u)) {
        vt_ppc_exception(s, PPC_EXC_IABR, pc, 0);
        s->pc = s->npc;
        return 1;
    }
    uint64_t exc = s->exc_count;
    bool peeked = vt_ppc_peek(s, pc, &insn);
    unsigned cyc = step(s);
    bool branch =
        peeked &&
        ((insn >> 26) == 16 || (insn >> 26) == 18 ||
         ((insn >> 26) == 19 && (((insn >> 1) & 0x3ff) == 16 || ((insn >> 1) & 0x3ff) == 528)));
    if (s->exc_count == exc && ((msr & MSR_SE) || ((msr & MSR_BE) && branch))) {
        uint32_t next = s->pc;
        s->pc = pc;
        vt_ppc_exception(s, PPC_EXC_TRACE, next, 0);
        s->pc = s->npc;
    }
    return cyc;
}

void vt_ppc_run_loop(vt_ppc_cpu *s) {
    vt_cpu *c = &s->cpu;
    while (c->cycles < c->stop_at) {
        /* The decrementer's due cycle, or a pending interrupt that could be taken now (SRESET
         * and MCP are not gated by MSR[EE]). */
        uint32_t p = s->pend;
        bool pending = p && ((s->msr & MSR_EE) || (p & (PEND_SRESET | 1u << VT_PPC_IRQ_MCP)));
        if (__builtin_expect(c->cycles >= s->dec_due || pending, 0)) {
            if (vt_ppc_check_irq(s)) s->pc = s->npc;
            if (s->checkstop) {
                c->cycles = c->stop_at;
                return;
            }
        }
        if (__builtin_expect(c->halted, 0)) {
            /* Power-saving: idle until the decrementer or the end of the slice. */
            uint64_t until = c->stop_at;
            if ((s->msr & MSR_EE) && s->dec_due < until) until = s->dec_due;
            if (until > c->cycles) c->cycles = until;
            if (until == c->stop_at) return;
            continue;
        }
        uint32_t pc = s->pc;
        unsigned cyc = __builtin_expect((s->msr & (MSR_SE | MSR_BE)) | (s->iabr & 2), 0)
                           ? step_debug(s)
                           : step(s);
        c->cycles += cyc;
        c->insns++;
        if (__builtin_expect(s->pm_active, 0)) vt_ppc_pm_count(s, cyc, pc);
    }
}
