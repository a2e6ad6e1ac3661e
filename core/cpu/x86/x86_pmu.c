/* Pentium II performance-monitoring counters: PerfEvtSel0/1 (MSR 186h/187h), PerfCtr0/1 (C1h/C2h,
 * 40 bits) and RDPMC. Counted exactly from the core's own model: event C0h (instructions retired)
 * from the retired-instruction count, event 79h (CPU_CLK_UNHALTED) from the cycle count minus the
 * cycles spent halted, when the counter selects both USR and OS with no mask, edge or invert;
 * any other selection holds its value (hwdocs/pc.md lists them). Facts: Intel SDM vol. 3,
 * "Performance Monitoring (P6 Family Processor)"; vol. 2, RDPMC; vol. 4, "MSRs in the P6 Family".
 */
#include "core/cpu/x86/x86_cpu.h"

#define CTR_MASK ((1ull << 40) - 1)
#define SEL_USR (1u << 16)
#define SEL_OS (1u << 17)
#define SEL_EN (1u << 22) /* PerfEvtSel0 only: enables both counters */
#define EVENT_INST_RETIRED 0xC0
#define EVENT_CLK_UNHALTED 0x79

/* The running total an exactly counted selection of counter k follows, or false. */
static bool event_source(const x86_cpu *c, unsigned k, uint64_t *src) {
    uint32_t sel = (uint32_t)c->pmu.evtsel[k];
    if (!(c->pmu.evtsel[0] & SEL_EN) || (sel & (SEL_USR | SEL_OS)) != (SEL_USR | SEL_OS))
        return false;
    if ((sel & 0xFF84FF00u) != 0) return false; /* unit mask, edge, invert or counter mask */
    if ((sel & 0xFF) == EVENT_INST_RETIRED)
        *src = c->cpu.insns;
    else if ((sel & 0xFF) == EVENT_CLK_UNHALTED)
        *src = c->cpu.cycles - c->halted_cycles;
    else
        return false;
    return true;
}

uint64_t x86_pmu_counter(const x86_cpu *c, unsigned k) {
    uint64_t src, v = c->pmu.ctr[k];
    if (event_source(c, k, &src)) v += src - c->pmu.at[k];
    return v & CTR_MASK;
}

/* Folds what was counted into ctr[] and restarts both counters from the current totals: called
 * around every change of a selection or a counter. */
static void sync_counters(x86_cpu *c) {
    for (unsigned k = 0; k < 2; k++) {
        c->pmu.ctr[k] = x86_pmu_counter(c, k);
        uint64_t src = 0;
        event_source(c, k, &src);
        c->pmu.at[k] = src;
    }
}

void x86_pmu_restart(x86_cpu *c) {
    for (unsigned k = 0; k < 2; k++) {
        uint64_t src = 0;
        event_source(c, k, &src);
        c->pmu.at[k] = src;
    }
}

bool x86_pmu_msr(x86_cpu *c, uint32_t n, bool write, uint64_t *v) {
    unsigned k;
    bool sel;
    if (n == X86_MSR_PERFCTR0 || n == X86_MSR_PERFCTR0 + 1) {
        k = n - X86_MSR_PERFCTR0;
        sel = false;
    } else if (n == X86_MSR_PERFEVTSEL0 || n == X86_MSR_PERFEVTSEL0 + 1) {
        k = n - X86_MSR_PERFEVTSEL0;
        sel = true;
    } else {
        return false;
    }
    if (!write) {
        *v = sel ? c->pmu.evtsel[k] : x86_pmu_counter(c, k);
        return true;
    }
    sync_counters(c);
    if (sel) /* the selections are 32 bits wide */
        c->pmu.evtsel[k] = (uint32_t)*v;
    else /* only the low 32 bits are written; bits 39:32 copy bit 31 */
        c->pmu.ctr[k] = (uint64_t)(int64_t)(int32_t)(uint32_t)*v & CTR_MASK;
    x86_pmu_restart(c);
    return true;
}

/* RDPMC: counter ECX (0 or 1) into EDX:EAX; at CPL > 0 in protected mode only with CR4.PCE. */
void h_rdpmc(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    bool pce = c->cr4 & X86_CR4_PCE;
    if (c->user || (x86_pmode(c) && (c->cpl != 0 || x86_vm86(c)) && !pce) || c->r[X86_ECX] > 1)
        x86_raise(c, EXC_GP, 0);
    uint64_t v = x86_pmu_counter(c, c->r[X86_ECX]);
    c->r[X86_EAX] = (uint32_t)v;
    c->r[X86_EDX] = (uint32_t)(v >> 32);
}
