/* Public extras of the SPARC core for board glue (everything else goes through core/cpu.h). */
#ifndef VT_SPARC_H
#define VT_SPARC_H

#include "core/cpu.h"

/* Physical base of the boot PROM that MMU boot mode fetches instructions from (sun4m: the
 * PROM's physical address; fetches take va[18:0] within it). Returns -1 if cpu is not SPARC. */
int vt_sparc_set_boot_prom(vt_cpu *cpu, uint64_t base) VT_MUST_CHECK;

#endif
