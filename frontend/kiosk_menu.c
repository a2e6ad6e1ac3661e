/* Kiosk menus (frontend/kiosk_menu.h). */
#include "frontend/kiosk_menu.h"

#include "frontend/kiosk_font.h"

#include <stdio.h>

enum { CLOSED, PIN, MAIN, TITLES };
enum { ITEM_RESTART, ITEM_TITLES, ITEM_QUIT, ITEM_BACK, NITEMS };
static const char *const items[NITEMS] = {"Restart", "Choose title", "Quit", "Back"};

void vt_kiosk_menu_init(vt_kiosk_menu *m, const vt_kiosk_config *cfg, const char (*names)[256]) {
    memset(m, 0, sizeof *m);
    m->cfg = cfg;
    m->names = names;
}

void vt_kiosk_menu_titles(vt_kiosk_menu *m) {
    m->state = TITLES;
    m->sel = 0;
}

bool vt_kiosk_menu_open(const vt_kiosk_menu *m) {
    return m->state != CLOSED;
}

static int count(const vt_kiosk_menu *m) {
    return m->state == TITLES ? m->cfg->ntitles : NITEMS;
}

static void choose(vt_kiosk_menu *m) {
    if (m->state == TITLES) {
        m->action = VT_KIOSK_TITLE0 + m->sel;
        m->state = CLOSED;
        return;
    }
    switch (m->sel) {
    case ITEM_RESTART:
        m->action = VT_KIOSK_RESTART;
        m->state = CLOSED;
        break;
    case ITEM_TITLES:
        vt_kiosk_menu_titles(m);
        break;
    case ITEM_QUIT:
        m->action = VT_KIOSK_QUIT;
        m->state = CLOSED;
        break;
    default:
        m->state = CLOSED;
        break;
    }
}

/* Keys while a menu or the PIN prompt is up. */
static void menu_key(vt_kiosk_menu *m, SDL_Scancode sc) {
    if (m->state == PIN) {
        size_t n = strlen(m->typed);
        if (sc >= SDL_SCANCODE_1 && sc <= SDL_SCANCODE_0 && n + 1 < sizeof m->typed) {
            m->typed[n] = sc == SDL_SCANCODE_0 ? '0' : (char)('1' + (sc - SDL_SCANCODE_1));
            m->typed[n + 1] = 0;
        } else if (sc == SDL_SCANCODE_RETURN) {
            m->state = strcmp(m->typed, m->cfg->pin) ? CLOSED : MAIN; /* a wrong PIN closes */
            m->sel = 0;
        } else if (sc == SDL_SCANCODE_ESCAPE) {
            m->state = CLOSED;
        }
        return;
    }
    int n = count(m);
    if (sc == SDL_SCANCODE_UP) m->sel = (m->sel + n - 1) % n;
    if (sc == SDL_SCANCODE_DOWN) m->sel = (m->sel + 1) % n;
    if (sc == SDL_SCANCODE_RETURN) choose(m);
    if (sc == SDL_SCANCODE_ESCAPE && m->state == MAIN) m->state = CLOSED;
}

bool vt_kiosk_menu_event(vt_kiosk_menu *m, const SDL_Event *ev) {
    if (ev->type != SDL_KEYDOWN && ev->type != SDL_KEYUP) return m->state != CLOSED;
    uint16_t code = (uint16_t)ev->key.keysym.scancode;
    bool down = ev->type == SDL_KEYDOWN;
    bool all = true, in_chord = false;
    for (int i = 0; i < m->cfg->nchord; i++) {
        if (m->cfg->chord[i] == code) {
            m->held[i] = down;
            in_chord = true;
        }
        all = all && m->held[i];
    }
    if (m->state == CLOSED && in_chord && down && all) {
        for (int i = 0; i < m->cfg->nchord; i++) /* the guest saw these go down */
            if (m->cfg->chord[i] != code && m->release) m->release(m->opaque, m->cfg->chord[i]);
        m->state = m->cfg->pin[0] ? PIN : MAIN;
        m->sel = 0;
        m->typed[0] = 0;
        return true;
    }
    if (m->state == CLOSED) return false;
    if (down && !ev->key.repeat) menu_key(m, ev->key.keysym.scancode);
    return true;
}

void vt_kiosk_menu_draw(const vt_kiosk_menu *m, SDL_Renderer *r, int w, int h) {
    if (m->state == CLOSED) return;
    const int scale = 4, line = 10 * scale;
    int lines = m->state == PIN ? 2 : count(m) + 1;
    SDL_Rect box = {w / 2 - 260, h / 2 - (lines * line) / 2 - 20, 520, lines * line + 40};
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, 16, 24, 48, 230);
    SDL_RenderFillRect(r, &box);
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    int x = box.x + 20, y = box.y + 20;
    if (m->state == PIN) {
        char stars[32] = "PIN: ";
        for (size_t i = 0; m->typed[i] && i < 16; i++)
            strcat(stars, "*");
        vt_kiosk_text(r, x, y, scale, "Attendant");
        vt_kiosk_text(r, x, y + line, scale, stars);
        return;
    }
    vt_kiosk_text(r, x, y, scale, m->state == TITLES ? "Choose a title" : "Attendant menu");
    for (int i = 0; i < count(m); i++) {
        char text[300];
        snprintf(text, sizeof text, "%s %s", i == m->sel ? ">" : " ",
                 m->state == TITLES ? m->names[i] : items[i]);
        vt_kiosk_text(r, x, y + (i + 1) * line, scale, text);
    }
}
