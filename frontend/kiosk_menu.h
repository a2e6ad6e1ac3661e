/* The kiosk's attendant chord, PIN prompt, attendant menu and title menu: a small state
 * machine fed with host key events, drawn with the kiosk font over the emulated screen. */
#ifndef VT_KIOSK_MENU_H
#define VT_KIOSK_MENU_H

#include "frontend/kiosk.h"

#include <SDL.h>

enum { VT_KIOSK_NONE = 0, VT_KIOSK_RESTART, VT_KIOSK_QUIT, VT_KIOSK_TITLE0 = 16 };

typedef struct vt_kiosk_menu {
    const vt_kiosk_config *cfg;
    const char (*names)[256]; /* title names, cfg->ntitles of them */
    int state;                /* closed, PIN, main, titles */
    int sel;
    char typed[16];
    bool held[VT_KIOSK_MAX_CHORD];
    int action; /* VT_KIOSK_*: what the attendant chose (taken by the kiosk loop) */
    /* called with each chord key the guest saw go down, when the chord opens the menu */
    void (*release)(void *opaque, uint16_t code);
    void *opaque;
} vt_kiosk_menu;

void vt_kiosk_menu_init(vt_kiosk_menu *m, const vt_kiosk_config *cfg, const char (*names)[256]);
/* Opens the title menu (the kiosk's first screen when it has several titles). */
void vt_kiosk_menu_titles(vt_kiosk_menu *m);
bool vt_kiosk_menu_open(const vt_kiosk_menu *m);
/* True when the event was the chord or went to the menu (then the guest must not see it). */
bool vt_kiosk_menu_event(vt_kiosk_menu *m, const SDL_Event *ev);
void vt_kiosk_menu_draw(const vt_kiosk_menu *m, SDL_Renderer *r, int w, int h);

#endif
