/* TI TSC2301 touch-screen / keypad / audio controller (peripherals/tsc2301_touch.c): its SPI
 * side for the bus controller, and the host input it takes (touch, keypad matrix keys). */
#ifndef VT_TSC2301_TOUCH_H
#define VT_TSC2301_TOUCH_H

#include "peripherals/spi_target.h"

extern const vt_device_class vt_dev_tsc2301;

void vt_tsc2301_spi(vt_device *dev, vt_spi_target *out);
/* A touch at x, y (0..65535 across the panel), or the pen lifted (down false). */
void vt_tsc2301_touch(vt_device *dev, int32_t x, int32_t y, bool down);
/* Key `key` (0..15: row * 4 + column of the keypad matrix) pressed or released. */
void vt_tsc2301_key(vt_device *dev, unsigned key, bool down);

#endif
