/* PowerPC 750 thermal assist unit: THRM1/THRM2 compare a junction temperature with their
 * thresholds when THRM3[E] and THRMn[V] are set, report TIN/TIV and, with TIE, signal the
 * thermal-management exception (0x1700). The model has no temperature sensor: the junction
 * sits at a constant PPC_JUNCTION_C and each comparison completes at once (THRM3's sampling
 * interval SITV is not timed).
 * Sources: MPC750 UM ch. 10 (thermal assist unit: THRM1-3 fields) and ch. 4 (0x1700). */
#include "core/cpu/ppc/ppc_cpu.h"

#define PPC_JUNCTION_C 45u /* the constant junction temperature, degrees Celsius */
#define THRM_TIN (1u << 31)
#define THRM_TIV (1u << 30)
#define THRM_THRESHOLD(v) (((v) >> 23) & 0x7fu)
#define THRM_TID (1u << 2) /* 1: TIN when below the threshold, 0: when at or above */
#define THRM_TIE (1u << 1)
#define THRM_V (1u << 0)
#define THRM3_E (1u << 0)

static void compare(vt_ppc_cpu *s, unsigned n) {
    uint32_t t = s->thrm[n] & ~(THRM_TIN | THRM_TIV);
    if ((s->thrm[2] & THRM3_E) && (t & THRM_V)) {
        bool above = PPC_JUNCTION_C >= THRM_THRESHOLD(t);
        bool tin = (t & THRM_TID) ? !above : above;
        t |= THRM_TIV | (tin ? THRM_TIN : 0);
        if (tin && (t & THRM_TIE)) s->pend |= PEND_THERMAL;
    }
    s->thrm[n] = t;
}

void vt_ppc_thrm_write(vt_ppc_cpu *s, unsigned n, uint32_t v) {
    s->thrm[n] = v;
    if (n == 2) {
        compare(s, 0);
        compare(s, 1);
    } else {
        compare(s, n);
    }
}
