/* The frame mailbox between the emulation thread and the SDL window: a display listener copies
 * the first screen, when it changed, into host XRGB8888 pixels under a lock; the window thread
 * takes the latest copy when it presents. Neither side ever waits for the other's work. */
#ifndef VT_SDL_FRAME_H
#define VT_SDL_FRAME_H

#include "core/display.h"

#include <pthread.h>

typedef struct vt_sdl_frame {
    pthread_mutex_t lock;
    uint32_t *pixels; /* width x height, 0x00RRGGBB */
    uint32_t width, height;
    size_t cap;
    uint64_t seq;     /* bumped at every copied frame */
    uint64_t changes; /* frames whose pixels changed (the kiosk watchdog reads it) */
    vt_time emu_time; /* emulated time of the last tick (the title's speed) */
    vt_display *display;
} vt_sdl_frame;

/* Starts listening to d at 60 frames per emulated second. */
int vt_sdl_frame_start(vt_sdl_frame *f, vt_display *d, vt_error *err) VT_MUST_CHECK;
void vt_sdl_frame_stop(vt_sdl_frame *f);
/* Copies the latest frame if its seq differs from *seen (then updates *seen); returns true when
 * it did. fn gets the pixels with the lock held. */
bool vt_sdl_frame_take(vt_sdl_frame *f, uint64_t *seen,
                       void (*fn)(void *opaque, const uint32_t *px, uint32_t w, uint32_t h),
                       void *opaque);

#endif
