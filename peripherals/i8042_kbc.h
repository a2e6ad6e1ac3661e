/* Intel 8042 keyboard controller: the input calls a frontend makes (peripherals/i8042_kbc.c). */
#ifndef VT_I8042_KBC_H
#define VT_I8042_KBC_H

#include "core/device.h"

/* A key went down or up: `code` is its scan code set 2 make code, 0xE0xx for E0-prefixed
 * keys (see ps2.h). */
void vt_i8042_key(vt_device *d, uint16_t code, bool down);
/* Mouse movement (dy > 0 = away from the user) and buttons (bit 0 left, 1 right, 2 middle). */
void vt_i8042_mouse(vt_device *d, int dx, int dy, unsigned buttons);

#endif
