/* The SDL2 window: shows the machine's first screen scaled to the window with the machine's
 * aspect ratio (optionally in whole multiples), vsync'd, with the machine name and speed in
 * the title, and routes host keyboard and mouse to an input hub. The machine runs on its own
 * thread (frontend/sdl_emu_thread.c), so a covered, minimised or resized window never stalls
 * emulation, and emulation never waits for presentation. Host chords: Ctrl-Alt-G grabs or
 * releases the mouse, Ctrl-Alt-F toggles fullscreen (both swallowed in kiosk mode, where
 * hooks decide what host keys do). */
#ifndef VT_SDL_WINDOW_H
#define VT_SDL_WINDOW_H

#include "core/input.h"
#include "core/machine.h"

#include <SDL.h>

typedef struct vt_sdl_options {
    bool fullscreen;    /* start fullscreen (desktop resolution) */
    bool integer_scale; /* scale by whole multiples only */
    bool vsync;         /* present in step with the host display (default on) */
    bool kiosk;         /* no decorations, no host shortcuts, close button ignored */
} vt_sdl_options;

/* Parses --window OPTS: a comma list of fullscreen, integer, novsync. */
int vt_sdl_options_parse(const char *s, vt_sdl_options *o, vt_error *err) VT_MUST_CHECK;

/* What a kiosk adds to the loop; every hook may be NULL. */
typedef struct vt_sdl_hooks {
    void *opaque;
    /* Sees each host event first; true: consumed (not given to the guest). */
    bool (*event)(void *opaque, const SDL_Event *ev);
    /* Draws over the emulated screen before presenting (w x h: the output size). */
    void (*draw)(void *opaque, SDL_Renderer *r, int w, int h);
    /* Called about every 16 ms of host time; non-zero ends the run with that code. */
    int (*poll)(void *opaque);
} vt_sdl_hooks;

typedef enum vt_sdl_end {
    VT_SDL_END_UNTIL = 0, /* the machine reached --until */
    VT_SDL_END_STOP,      /* the guest stopped the machine */
    VT_SDL_END_CLOSED,    /* the user closed the window */
    VT_SDL_END_HOOK,      /* a hook's poll asked (kiosk: restart, next title, quit) */
} vt_sdl_end;

typedef struct vt_sdl_window vt_sdl_window;

int vt_sdl_window_open(vt_sdl_window **out, const vt_sdl_options *o, vt_error *err) VT_MUST_CHECK;
void vt_sdl_window_close(vt_sdl_window *w);
SDL_Renderer *vt_sdl_window_renderer(vt_sdl_window *w);

/* Runs m until `until`, a guest stop, the window closing or a hook; *hook_code gets the
 * hook's code. Host events go to `in` (started live here). */
int vt_sdl_window_run(vt_sdl_window *w, vt_machine *m, vt_input *in, vt_time until,
                      const vt_sdl_hooks *hooks, vt_sdl_end *end, int *hook_code,
                      vt_error *err) VT_MUST_CHECK;

/* `vitrine run --display sdl`: opens a window, runs m in it, closes it. */
int vt_sdl_run(vt_machine *m, vt_input *in, vt_time until, const vt_sdl_options *o,
               vt_error *err) VT_MUST_CHECK;

/* Emulated time of the machine under way (updated every 10 ms of it; 0 when none runs). */
vt_time vt_sdl_window_emu_time(vt_sdl_window *w);
/* Frames whose pixels changed during the current run (the kiosk watchdog). */
uint64_t vt_sdl_window_frame_changes(vt_sdl_window *w);

#endif
