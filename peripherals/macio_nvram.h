/* The mac-io NVRAM cell ("macio-nvram"): 8 KiB of battery-backed bytes, one per
 * 1 << reg_shift bytes of address space. Board glue lays out its CHRP partitions. */
#ifndef VT_MACIO_NVRAM_H
#define VT_MACIO_NVRAM_H

#include "core/device.h"

/* The NVRAM bytes of a macio-nvram device (len set to their count). */
uint8_t *vt_macio_nvram_mem(vt_device *d, size_t *len);

#endif
