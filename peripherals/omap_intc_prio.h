/* Priority arbitration shared by the OMAP1 (omap1_intc.c) and OMAP2 (omap2_intc.c) MPU
 * interrupt controllers: both keep one ILR per input with the FIQ routing bit in bit 0 and the
 * priority from bit 2 up (0 = highest); among pending inputs routed to IRQ (or FIQ) the lowest
 * priority value wins, ties going to the lower input number. Sources: OMAP5910 TRM SPRU678
 * "Interrupt handler" (ILR, SIR); OMAP2420 TRM "MPU INTC" (INTC_ILRm, SIR_IRQ). */
#ifndef VT_OMAP_INTC_PRIO_H
#define VT_OMAP_INTC_PRIO_H

#include <stdbool.h>
#include <stdint.h>

#define VT_OMAP_ILR_FIQ 0x01u /* route the input to FIQ instead of IRQ */

/* pending: nlines bits, 32 per word (input n is bit n % 32 of word n / 32), already masked;
 * ilr: one entry per input, priority in the bits above bit 1. Returns the winning input for
 * IRQ (fiq false) or FIQ, or -1 when none of the pending inputs is routed there. */
int vt_omap_intc_winner(const uint32_t *pending, int nlines, const uint8_t *ilr, bool fiq);

#endif
