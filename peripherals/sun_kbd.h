/* Sun Type 5 keyboard and Sun (Mouse Systems) mouse: the input calls a frontend makes
 * (peripherals/sun_kbd.c, peripherals/sun_mouse.c). */
#ifndef VT_SUN_KBD_H
#define VT_SUN_KBD_H

#include "core/device.h"

/* A key went down or up: `code` is its Sun key station number 0x01..0x7e
 * (config/keymaps/sun-type5.ini). */
void vt_sun_kbd_key(vt_device *d, uint16_t code, bool down);
/* Mouse movement (dy > 0 = away from the user) and buttons (bit 0 left, 1 right, 2 middle). */
void vt_sun_mouse_move(vt_device *d, int dx, int dy, unsigned buttons);

#endif
