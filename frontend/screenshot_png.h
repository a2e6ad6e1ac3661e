/* PNG files of a screen's image (libpng), for --screenshot and the frontend's hotkey. */
#ifndef VT_SCREENSHOT_PNG_H
#define VT_SCREENSHOT_PNG_H

#include "core/display.h"

/* Writes img as an 8-bit RGB PNG at path (a screen with no picture yet, 0x0, is written as
 * QEMU shows it: 640x480 black). On failure nothing is left at path. */
int vt_png_write_screen(const char *path, const vt_screen_image *img, vt_error *err) VT_MUST_CHECK;

#endif
