/* The ARM1136's performance monitor (CP15 c15,c12: control PMCR, cycle counter CCNT, count
 * registers PMN0/PMN1), which Linux's armv6 perf driver resets at boot when the device tree
 * names an "arm,arm1136-pmu". Counters advance lazily from the core's cycle and instruction
 * counts; of the events only cycles (0xff) and instructions executed (0x07) are modelled, the
 * others (cache, TLB, branch-prediction events) stay still. Overflow sets the PMCR flags; no
 * interrupt is raised. Source: ARM1136JF-S TRM (DDI 0211K) 3.3.21-3.3.24. */
#include "core/cpu/arm/arm_mmu.h"

enum {
    PMCR_E = 1u << 0,     /* enable */
    PMCR_P = 1u << 1,     /* reset PMN0/PMN1 (write-only) */
    PMCR_C = 1u << 2,     /* reset CCNT (write-only) */
    PMCR_D = 1u << 3,     /* CCNT counts every 64th cycle */
    PMCR_FLAGS = 7u << 8, /* overflow: PMN0, PMN1, CCNT; write 1 to clear */
    PMCR_WRITABLE = 0x0ffff879u,
    EVT_INSTR = 0x07,
    EVT_CYCLES = 0xff,
};

static void add(vt_arm_cpu *c, uint32_t *ctr, uint64_t n, unsigned flag_bit) {
    uint64_t s = (uint64_t)*ctr + n;
    if (s >> 32) c->cp15.pmcr |= 1u << flag_bit;
    *ctr = (uint32_t)s;
}

/* Brings the counters up to the core's current counts. */
static void sync(vt_arm_cpu *c) {
    vt_arm_cp15 *p = &c->cp15;
    uint64_t dc = c->base.cycles - p->pmu_cycles, di = c->base.insns - p->pmu_insns;
    p->pmu_cycles = c->base.cycles;
    p->pmu_insns = c->base.insns;
    if (!(p->pmcr & PMCR_E)) return;
    uint64_t cc = dc;
    if (p->pmcr & PMCR_D) {
        cc = (p->ccnt_div_rem + dc) / 64;
        p->ccnt_div_rem = (uint32_t)((p->ccnt_div_rem + dc) % 64);
    }
    add(c, &p->ccnt, cc, 10);
    for (unsigned i = 0; i < 2; i++) {
        unsigned evt = (p->pmcr >> (i ? 12 : 20)) & 0xff;
        add(c, &p->pmn[i], evt == EVT_CYCLES ? dc : evt == EVT_INSTR ? di : 0, 8 + i);
    }
}

int vt_arm_v6_pmu_read(vt_arm_cpu *c, unsigned op2, uint32_t *v) {
    vt_arm_cp15 *p = &c->cp15;
    if (op2 > 3) return -1;
    sync(c);
    *v = op2 == 0 ? p->pmcr : op2 == 1 ? p->ccnt : p->pmn[op2 - 2];
    return 0;
}

int vt_arm_v6_pmu_write(vt_arm_cpu *c, unsigned op2, uint32_t v) {
    vt_arm_cp15 *p = &c->cp15;
    if (op2 > 3) return -1;
    sync(c);
    if (op2 == 1) {
        p->ccnt = v;
    } else if (op2 > 1) {
        p->pmn[op2 - 2] = v;
    } else {
        if (v & PMCR_P) p->pmn[0] = p->pmn[1] = 0;
        if (v & PMCR_C) p->ccnt = p->ccnt_div_rem = 0;
        p->pmcr = (v & PMCR_WRITABLE) | (p->pmcr & PMCR_FLAGS & ~v);
    }
    return 0;
}
