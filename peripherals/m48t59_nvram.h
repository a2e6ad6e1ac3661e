/* ST M48T08/M48T59 timekeeper NVRAM: board glue access to the battery-backed contents. */
#ifndef VT_M48T59_NVRAM_H
#define VT_M48T59_NVRAM_H

#include "core/device.h"

/* The NVRAM bytes (the clock registers at the top are overlaid on read). */
uint8_t *vt_m48t59_mem(vt_device *d, size_t *len);

#endif
