/* The SDL2 window (frontend/sdl_window.h): presentation loop on the calling thread, machine on
 * the emulation thread, frames through the mailbox (frontend/sdl_frame.h), host events through
 * frontend/sdl_input.c into the input hub. SDL API: SDL2 wiki (SDL_CreateRenderer,
 * SDL_RenderSetIntegerScale semantics, SDL_SetRelativeMouseMode). */
#include "frontend/sdl_window.h"

#include "frontend/sdl_emu_thread.h"
#include "frontend/sdl_frame.h"
#include "frontend/sdl_input.h"

#include <stdio.h>
#include <stdlib.h>

struct vt_sdl_window {
    vt_sdl_options opts;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    uint32_t tex_w, tex_h;
    vt_sdl_frame frame;
    bool frame_on;
    SDL_Rect dest; /* where the emulated screen is drawn */
    bool grabbed, fullscreen;
    vt_emu_thread *emu; /* while a run is under way */
};

int vt_sdl_options_parse(const char *s, vt_sdl_options *o, vt_error *err) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "fullscreen"))
            o->fullscreen = true;
        else if (!strcmp(t, "integer"))
            o->integer_scale = true;
        else if (!strcmp(t, "novsync"))
            o->vsync = false;
        else
            return vt_fail(err, "--window: unknown '%s' (fullscreen, integer, novsync)", t);
    }
    return 0;
}

/* Size of the picture on the machine's monitor at 1x: modes wider than 3:2 (720x400 text,
 * 640x200, 320x200) were shown on 4:3 CRTs, so their pixels are stretched to 4:3; the others
 * have square pixels (640x480, 800x600, 1024x768, 1152x900). */
static void display_size(uint32_t w, uint32_t h, uint32_t *bw, uint32_t *bh) {
    *bw = w;
    *bh = 2 * w > 3 * h ? w * 3 / 4 : h;
}

static void layout(vt_sdl_window *w) {
    int ow, oh;
    SDL_GetRendererOutputSize(w->ren, &ow, &oh);
    uint32_t bw, bh;
    display_size(w->tex_w ? w->tex_w : 640, w->tex_h ? w->tex_h : 480, &bw, &bh);
    double s = (double)ow / bw < (double)oh / bh ? (double)ow / bw : (double)oh / bh;
    if (w->opts.integer_scale && s >= 1) s = (double)(int)s;
    w->dest.w = (int)(bw * s);
    w->dest.h = (int)(bh * s);
    w->dest.x = (ow - w->dest.w) / 2;
    w->dest.y = (oh - w->dest.h) / 2;
}

int vt_sdl_window_open(vt_sdl_window **out, const vt_sdl_options *o, vt_error *err) {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS))
        return vt_fail(err, "--display sdl: %s", SDL_GetError());
    vt_sdl_window *w = calloc(1, sizeof *w);
    if (!w) return vt_fail(err, "out of memory");
    w->opts = *o;
    /* fullscreen = a borderless window covering the desktop: needs no window manager's help */
    Uint32 flags = o->fullscreen || o->kiosk ? SDL_WINDOW_BORDERLESS : SDL_WINDOW_RESIZABLE;
    w->win = SDL_CreateWindow("Vitrine", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 640, 480,
                              flags);
    if (w->win) w->ren = SDL_CreateRenderer(w->win, -1, o->vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
    if (!w->ren) {
        vt_fail(err, "--display sdl: %s", SDL_GetError());
        vt_sdl_window_close(w);
        return -1;
    }
    w->fullscreen = o->fullscreen || o->kiosk;
    *out = w;
    return 0;
}

void vt_sdl_window_close(vt_sdl_window *w) {
    if (!w) return;
    if (w->tex) SDL_DestroyTexture(w->tex);
    if (w->ren) SDL_DestroyRenderer(w->ren);
    if (w->win) SDL_DestroyWindow(w->win);
    free(w);
    SDL_Quit(); /* also ends SDL's D-Bus connection */
}

SDL_Renderer *vt_sdl_window_renderer(vt_sdl_window *w) {
    return w->ren;
}

uint64_t vt_sdl_window_frame_changes(vt_sdl_window *w) {
    if (!w->frame_on) return 0;
    pthread_mutex_lock(&w->frame.lock);
    uint64_t n = w->frame.changes;
    pthread_mutex_unlock(&w->frame.lock);
    return n;
}

vt_time vt_sdl_window_emu_time(vt_sdl_window *w) {
    return w->emu ? atomic_load(&w->emu->now) : 0;
}

/* Mailbox callback: into the texture (re-created on a mode change), window resized to fit. */
static void upload(void *opaque, const uint32_t *px, uint32_t fw, uint32_t fh) {
    vt_sdl_window *w = opaque;
    if (!w->tex || fw != w->tex_w || fh != w->tex_h) {
        if (w->tex) SDL_DestroyTexture(w->tex);
        w->tex = SDL_CreateTexture(w->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
                                   (int)fw, (int)fh);
        w->tex_w = w->tex ? fw : 0;
        w->tex_h = w->tex ? fh : 0;
        if (!w->fullscreen) {
            uint32_t bw, bh;
            display_size(fw, fh, &bw, &bh);
            int k = bw < 400 ? 2 : 1;
            SDL_SetWindowSize(w->win, (int)bw * k, (int)bh * k);
            SDL_SetWindowPosition(w->win, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED);
        }
    }
    if (w->tex) SDL_UpdateTexture(w->tex, NULL, px, (int)(fw * sizeof *px));
}

static void set_title(vt_sdl_window *w, const vt_machine *m, double speed) {
    char title[256];
    if (speed >= 0)
        snprintf(title, sizeof title, "Vitrine - %s - %.0f%% speed%s", m->description, speed * 100,
                 w->grabbed ? " - Ctrl-Alt-G releases the mouse" : "");
    else
        snprintf(title, sizeof title, "Vitrine - %s", m->description);
    SDL_SetWindowTitle(w->win, title);
}

static void toggle_grab(vt_sdl_window *w, const vt_machine *m) {
    w->grabbed = !w->grabbed;
    SDL_SetRelativeMouseMode(w->grabbed ? SDL_TRUE : SDL_FALSE);
    set_title(w, m, -1);
}

static void toggle_fullscreen(vt_sdl_window *w) {
    w->fullscreen = !w->fullscreen;
    SDL_SetWindowBordered(w->win, w->fullscreen ? SDL_FALSE : SDL_TRUE);
    SDL_DisplayMode dm;
    if (w->fullscreen && !SDL_GetDesktopDisplayMode(0, &dm)) {
        SDL_SetWindowPosition(w->win, 0, 0);
        SDL_SetWindowSize(w->win, dm.w, dm.h);
    } else if (!w->fullscreen) {
        SDL_SetWindowSize(w->win, 640, 480);
        SDL_SetWindowPosition(w->win, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED);
    }
}

/* One host event; returns true when it closes the window. */
static bool handle(vt_sdl_window *w, vt_machine *m, vt_input *in, const vt_sdl_hooks *h,
                   const SDL_Event *ev) {
    if (h && h->event && h->event(h->opaque, ev)) return false;
    if (ev->type == SDL_QUIT) return !w->opts.kiosk;
    if (ev->type == SDL_WINDOWEVENT && ev->window.event == SDL_WINDOWEVENT_CLOSE)
        return !w->opts.kiosk;
    if (!w->opts.kiosk && ev->type == SDL_KEYDOWN && vt_sdl_host_chord(ev)) {
        if (ev->key.keysym.scancode == SDL_SCANCODE_G) toggle_grab(w, m);
        if (ev->key.keysym.scancode == SDL_SCANCODE_F) toggle_fullscreen(w);
        return false;
    }
    /* a click in the window grabs the mouse when the machine has one */
    if (ev->type == SDL_MOUSEBUTTONDOWN && !w->grabbed && !w->opts.kiosk &&
        (vt_input_kinds(in) & VT_INPUT_MOUSE)) {
        toggle_grab(w, m);
        return false;
    }
    vt_sdl_post_event(in, ev, w->grabbed, &w->dest);
    return false;
}

int vt_sdl_window_run(vt_sdl_window *w, vt_machine *m, vt_input *in, vt_time until,
                      const vt_sdl_hooks *hooks, vt_sdl_end *end, int *hook_code, vt_error *err) {
    *hook_code = 0;
    if (vt_sdl_frame_start(&w->frame, m->display, err)) return -1;
    w->frame_on = true;
    vt_input_start_live(in);
    vt_emu_thread t;
    if (vt_emu_thread_start(&t, m, until, err)) {
        vt_sdl_frame_stop(&w->frame);
        w->frame_on = false;
        return -1;
    }
    w->emu = &t;
    set_title(w, m, -1);
    uint64_t seen = 0;
    vt_time last_emu = 0;
    Uint64 last_host = SDL_GetPerformanceCounter();
    bool closed = false;
    while (!closed && !atomic_load(&t.finished)) {
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, 16)) {
            closed = handle(w, m, in, hooks, &ev);
            while (!closed && SDL_PollEvent(&ev))
                closed = handle(w, m, in, hooks, &ev);
        }
        if (hooks && hooks->poll && (*hook_code = hooks->poll(hooks->opaque))) break;
        vt_sdl_frame_take(&w->frame, &seen, upload, w);
        layout(w);
        SDL_SetRenderDrawColor(w->ren, 0, 0, 0, 255);
        SDL_RenderClear(w->ren);
        if (w->tex) SDL_RenderCopy(w->ren, w->tex, NULL, &w->dest);
        if (hooks && hooks->draw) {
            int ow, oh;
            SDL_GetRendererOutputSize(w->ren, &ow, &oh);
            hooks->draw(hooks->opaque, w->ren, ow, oh);
        }
        SDL_RenderPresent(w->ren);
        Uint64 now_host = SDL_GetPerformanceCounter();
        double host_s = (double)(now_host - last_host) / (double)SDL_GetPerformanceFrequency();
        if (host_s >= 1.0) {
            pthread_mutex_lock(&w->frame.lock);
            vt_time emu = w->frame.emu_time;
            pthread_mutex_unlock(&w->frame.lock);
            set_title(w, m, (double)(emu - last_emu) / (double)VT_PS_PER_SEC / host_s);
            last_emu = emu;
            last_host = now_host;
        }
    }
    vt_emu_thread_join(&t);
    w->emu = NULL;
    if (w->grabbed) toggle_grab(w, m);
    vt_sdl_frame_stop(&w->frame);
    w->frame_on = false;
    *end = *hook_code     ? VT_SDL_END_HOOK
           : closed       ? VT_SDL_END_CLOSED
           : t.guest_stop ? VT_SDL_END_STOP
                          : VT_SDL_END_UNTIL;
    return 0;
}

int vt_sdl_run(vt_machine *m, vt_input *in, vt_time until, const vt_sdl_options *o, vt_error *err) {
    vt_sdl_window *w;
    vt_sdl_end end;
    int code;
    if (vt_sdl_window_open(&w, o, err)) return -1;
    int rc = vt_sdl_window_run(w, m, in, until, NULL, &end, &code, err);
    vt_sdl_window_close(w);
    return rc;
}
