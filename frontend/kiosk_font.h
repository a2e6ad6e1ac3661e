/* A 5x7 bitmap font for the kiosk's on-screen menus (digits, letters, a few signs), drawn with
 * SDL rectangles so the frontend needs no font library. */
#ifndef VT_KIOSK_FONT_H
#define VT_KIOSK_FONT_H

#include <SDL.h>

/* Draws text (lower case shown as upper case; unknown characters as blanks) with its top-left
 * at x, y, each font pixel `scale` screen pixels; returns the width drawn. */
int vt_kiosk_text(SDL_Renderer *r, int x, int y, int scale, const char *text);

#endif
