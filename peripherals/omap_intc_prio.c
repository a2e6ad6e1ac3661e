/* Priority arbitration of the OMAP1 and OMAP2 MPU interrupt controllers: the lowest ILR
 * priority value among the pending inputs routed to IRQ or FIQ wins, ties to the lower input
 * number. Sources: OMAP5910 TRM SPRU678 "Interrupt handler"; OMAP2420 TRM "MPU INTC". */
#include "peripherals/omap_intc_prio.h"

int vt_omap_intc_winner(const uint32_t *pending, int nlines, const uint8_t *ilr, bool fiq) {
    int best = -1;
    unsigned best_pri = 0;
    for (int w = 0; w * 32 < nlines; w++) {
        uint32_t p = pending[w];
        while (p) {
            int n = w * 32 + __builtin_ctz(p);
            p &= p - 1;
            if (n >= nlines) break;
            if (((ilr[n] & VT_OMAP_ILR_FIQ) != 0) != fiq) continue;
            unsigned pri = ilr[n] >> 2;
            if (best < 0 || pri < best_pri) best = n, best_pri = pri;
        }
    }
    return best;
}
