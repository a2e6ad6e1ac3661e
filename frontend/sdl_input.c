/* SDL events -> input hub events (frontend/sdl_input.h). Key repeats are dropped: the
 * emulated keyboard repeats on its own, as the real one did. Only keys with a name in
 * core/input_keys.c are posted (key maps and input logs use the names). */
#include "frontend/sdl_input.h"

bool vt_sdl_host_chord(const SDL_Event *ev) {
    SDL_Keymod mod = SDL_GetModState();
    SDL_Scancode sc = ev->key.keysym.scancode;
    return (mod & KMOD_CTRL) && (mod & KMOD_ALT) && (sc == SDL_SCANCODE_G || sc == SDL_SCANCODE_F);
}

static unsigned buttons(Uint32 state) {
    return (state & SDL_BUTTON_LMASK ? 1u : 0) | (state & SDL_BUTTON_RMASK ? 2u : 0) |
           (state & SDL_BUTTON_MMASK ? 4u : 0);
}

/* Window position -> 0..65535 across the drawn screen (clamped). */
static int32_t panel(int v, int origin, int size) {
    if (size <= 0) return 0;
    long p = (long)(v - origin) * 65535 / size;
    return (int32_t)(p < 0 ? 0 : p > 65535 ? 65535 : p);
}

void vt_sdl_post_event(vt_input *in, const SDL_Event *ev, bool grabbed, const SDL_Rect *dest) {
    vt_input_event e = {0};
    unsigned kinds = vt_input_kinds(in);
    switch (ev->type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        if (ev->key.repeat || !vt_input_key_name((uint16_t)ev->key.keysym.scancode)) return;
        e = (vt_input_event){.kind = VT_INPUT_KEY,
                             .code = (uint16_t)ev->key.keysym.scancode,
                             .down = ev->type == SDL_KEYDOWN};
        break;
    case SDL_MOUSEMOTION:
        if (grabbed) {
            e = (vt_input_event){.kind = VT_INPUT_MOUSE,
                                 .x = ev->motion.xrel,
                                 .y = ev->motion.yrel,
                                 .code = (uint16_t)buttons(ev->motion.state)};
        } else if ((kinds & VT_INPUT_TOUCH) && (ev->motion.state & SDL_BUTTON_LMASK)) {
            e = (vt_input_event){.kind = VT_INPUT_TOUCH,
                                 .x = panel(ev->motion.x, dest->x, dest->w),
                                 .y = panel(ev->motion.y, dest->y, dest->h),
                                 .down = true};
        } else {
            return;
        }
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (grabbed) {
            e = (vt_input_event){.kind = VT_INPUT_MOUSE,
                                 .code = (uint16_t)buttons(SDL_GetMouseState(NULL, NULL))};
        } else if ((kinds & VT_INPUT_TOUCH) && ev->button.button == SDL_BUTTON_LEFT) {
            e = (vt_input_event){.kind = VT_INPUT_TOUCH,
                                 .x = panel(ev->button.x, dest->x, dest->w),
                                 .y = panel(ev->button.y, dest->y, dest->h),
                                 .down = ev->type == SDL_MOUSEBUTTONDOWN};
        } else {
            return;
        }
        break;
    default:
        return;
    }
    vt_input_post(in, &e);
}
