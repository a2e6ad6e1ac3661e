/* Categorised logging (`--log cpu,mmio,irq`). The enabled mask is host-side configuration of
 * the process, not machine state; messages go to stderr (or a file set by the CLI). The
 * `unimp` category is always on: unimplemented instructions and unknown MMIO must be seen. */
#ifndef VT_LOG_H
#define VT_LOG_H

#include "core/common.h"

typedef enum vt_log_cat {
    VT_LOG_UNIMP = 1u << 0,   /* unimplemented instruction / feature (always enabled) */
    VT_LOG_CPU = 1u << 1,     /* CPU exceptions, mode changes */
    VT_LOG_MMIO = 1u << 2,    /* unmapped and unknown device-register accesses */
    VT_LOG_IRQ = 1u << 3,     /* interrupt line changes */
    VT_LOG_SCHED = 1u << 4,   /* scheduler events */
    VT_LOG_DEV = 1u << 5,     /* device-model diagnostics */
    VT_LOG_SYSCALL = 1u << 6, /* Linux user-mode syscalls */
    VT_LOG_ROM = 1u << 7,     /* romset loading */
    VT_LOG_BLOCK = 1u << 8,   /* block layer */
    VT_LOG_MMU = 1u << 9,     /* MMU faults and table walks */
    VT_LOG_BIOS = 1u << 10,   /* the guest firmware's own debug output (PC port 0x402) */
} vt_log_cat;

/* Parses "cpu,mmio" (or "all", "none") into a mask; -1 and a message on an unknown name. */
int vt_log_parse(const char *spec, unsigned *mask, vt_error *err) VT_MUST_CHECK;
void vt_log_set_mask(unsigned mask);
unsigned vt_log_mask(void);
static inline bool vt_log_enabled(vt_log_cat c) {
    return (vt_log_mask() & c) != 0;
}
void vt_log(vt_log_cat cat, const char *fmt, ...) VT_PRINTF(2, 3);
/* Lists the category names for --help. */
const char *vt_log_names(void);

#endif
