/* Intel 8254 programmable interval timer: the call board glue makes besides the register
 * window and the INI wiring (peripherals/i8254_pit.c). */
#ifndef VT_I8254_PIT_H
#define VT_I8254_PIT_H

#include "core/device.h"

/* Current level of channel ch's OUT pin (the PC reads OUT2 in port 0x61 bit 5). */
bool vt_i8254_out(vt_device *d, int ch);

#endif
