/* Host events from SDL into the input hub: keys by scancode (SDL scancodes are USB HID usage
 * IDs, the hub's key numbering), relative mouse while grabbed, absolute pointer as touch. */
#ifndef VT_SDL_INPUT_H
#define VT_SDL_INPUT_H

#include "core/input.h"

#include <SDL.h>

/* Is this key-down Ctrl+Alt+key (a host chord of the window, never given to the guest)? */
bool vt_sdl_host_chord(const SDL_Event *ev);
/* Posts ev to in if it is guest input; `dest` is where the screen is drawn (for touch). */
void vt_sdl_post_event(vt_input *in, const SDL_Event *ev, bool grabbed, const SDL_Rect *dest);

#endif
