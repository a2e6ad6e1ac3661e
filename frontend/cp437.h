/* Code page 437 (the VGA text-mode character set) to UTF-8, for the screen-text writer. */
#ifndef VT_CP437_H
#define VT_CP437_H

#include <stdint.h>

/* The UTF-8 text of character `ch` (a NUL-terminated string of 1-3 bytes). */
const char *vt_cp437_utf8(uint8_t ch);

#endif
