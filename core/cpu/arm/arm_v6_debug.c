/* The ARM1136's CP14 debug registers as software sees them: the debug ID (6 breakpoints, 2
 * of them with context matching, 2 watchpoints, v6 debug), the status and control register
 * with its monitor-mode enable, vector catch, and the breakpoint/watchpoint value and control
 * pairs. Linux 6.1's hw_breakpoint code reads DIDR and enables monitor mode at boot. The
 * registers are stored; breakpoints, watchpoints and vector catch never fire (not modelled).
 * Source: ARM1136JF-S TRM (DDI 0211K) ch. 13 (13.3 CP14 registers). */
#include "core/cpu/arm/arm_mmu.h"

enum {
    DIDR_ARM1136 = 0x15110000u, /* WRP 1, BRP 5, CONTEXT 1, version 1 (v6); | variant/rev */
    DSCR_MDBGEN = 1u << 15,     /* monitor debug-mode enable */
    DSCR_WRITABLE = DSCR_MDBGEN | 1u << 14 | 1u << 13 | 1u << 12, /* HDBGEN, ARM, comms */
};

/* The register a (crm, op2) pair names, or NULL. */
static uint32_t *reg(vt_arm_cp15 *p, unsigned crm, unsigned op2) {
    switch (op2) {
    case 4:
        return crm < 6 ? &p->bvr[crm] : NULL;
    case 5:
        return crm < 6 ? &p->bcr[crm] : NULL;
    case 6:
        return crm < 2 ? &p->wvr[crm] : NULL;
    case 7:
        return crm < 2 ? &p->wcr[crm] : NULL;
    default:
        return NULL;
    }
}

int vt_arm_v6_debug_read(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t *v) {
    vt_arm_cp15 *p = &c->cp15;
    if (crm == 0 && op2 == 0) {
        *v = DIDR_ARM1136 | (c->model->midr >> 16 & 0xf0) | (c->model->midr & 0xf);
        return 0;
    }
    if (crm == 1 && op2 == 0) return *v = p->dscr, 0;
    if (crm == 7 && op2 == 0) return *v = p->vcr, 0;
    uint32_t *r = reg(p, crm, op2);
    if (!r) return -1;
    *v = *r;
    return 0;
}

int vt_arm_v6_debug_write(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t v) {
    vt_arm_cp15 *p = &c->cp15;
    if (crm == 1 && op2 == 0) {
        p->dscr = (p->dscr & ~DSCR_WRITABLE) | (v & DSCR_WRITABLE);
        return 0;
    }
    if (crm == 7 && op2 == 0) return p->vcr = v, 0;
    uint32_t *r = reg(p, crm, op2);
    if (!r) return -1;
    *r = v;
    return 0;
}
