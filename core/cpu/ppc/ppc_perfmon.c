/* PowerPC 750 performance monitor: PMC1-4 count processor cycles (event 1) or completed
 * instructions (event 2) as MMCR0/MMCR1 select them, with the DIS/DP/DU/DMS/DMR mode gates;
 * a counter whose bit 0 becomes set signals the performance-monitor exception (0xf00) when
 * MMCR0[ENINT] and the counter's interrupt control allow it. Other events hold their count.
 * Sources: MPC750 UM ch. 11 (performance monitor: MMCR0 fields, event numbers 1 and 2 for
 * every PMC, exception conditions) and 4.5.13 (0xf00). */
#include "core/cpu/ppc/ppc_cpu.h"

/* MMCR0 fields (IBM bits 0-18; LSB numbering here). */
#define MMCR0_DIS (1u << 31)
#define MMCR0_DP (1u << 30)
#define MMCR0_DU (1u << 29)
#define MMCR0_DMS (1u << 28)
#define MMCR0_DMR (1u << 27)
#define MMCR0_ENINT (1u << 26)
#define MMCR0_DISCOUNT (1u << 25)
#define MMCR0_PMC1INTCONTROL (1u << 15)
#define MMCR0_PMCINTCONTROL (1u << 14)
enum { EV_CYCLES = 1, EV_INSNS = 2 };

static unsigned pmc_event(const vt_ppc_cpu *s, unsigned n) {
    switch (n) {
    case 0:
        return (s->mmcr0 >> 6) & 0x7f;
    case 1:
        return s->mmcr0 & 0x3f;
    case 2:
        return (s->mmcr1 >> 27) & 0x1f;
    default:
        return (s->mmcr1 >> 22) & 0x1f;
    }
}

void vt_ppc_pm_update(vt_ppc_cpu *s) {
    bool any = false;
    for (unsigned n = 0; n < 4; n++) {
        unsigned ev = pmc_event(s, n);
        any = any || ev == EV_CYCLES || ev == EV_INSNS;
    }
    s->pm_active = any && !(s->mmcr0 & MMCR0_DIS);
}

void vt_ppc_pm_count(vt_ppc_cpu *s, unsigned cycles, uint32_t pc) {
    uint32_t m = s->mmcr0;
    bool user = s->msr & MSR_PR, marked = s->msr & MSR_PM;
    if ((user ? (m & MMCR0_DU) : (m & MMCR0_DP)) || (marked ? (m & MMCR0_DMS) : (m & MMCR0_DMR)))
        return;
    for (unsigned n = 0; n < 4; n++) {
        unsigned ev = pmc_event(s, n);
        uint32_t add = ev == EV_CYCLES ? cycles : ev == EV_INSNS ? 1 : 0;
        uint32_t old = s->pmc[n];
        s->pmc[n] = old + add;
        if ((old >> 31) || !(s->pmc[n] >> 31)) continue;
        bool enabled =
            (m & MMCR0_ENINT) && (m & (n == 0 ? MMCR0_PMC1INTCONTROL : MMCR0_PMCINTCONTROL));
        if (!enabled) continue;
        s->pend |= PEND_PM;
        s->sia = pc;
        if (m & MMCR0_DISCOUNT) { /* counting stops with the interrupt */
            s->mmcr0 |= MMCR0_DIS;
            vt_ppc_pm_update(s);
        }
    }
}
