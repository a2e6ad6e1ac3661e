/* Apple CUDA: the input calls a frontend makes (peripherals/cuda_via6522.c). Keys and mouse
 * go to the ADB keyboard and mouse behind CUDA (peripherals/adb_bus.h). */
#ifndef VT_CUDA_H
#define VT_CUDA_H

#include "core/device.h"

/* An ADB key code (config/keymaps/adb.ini) went down or up. */
void vt_cuda_key(vt_device *d, uint16_t code, bool down);
/* Mouse motion (dy > 0 towards the user) and buttons (bit 0: the ADB mouse's one button). */
void vt_cuda_mouse(vt_device *d, int dx, int dy, unsigned buttons);

#endif
