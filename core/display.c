/* The display core (core/display.h): screens published by devices, listeners, and the frame
 * tick on the machine's scheduler. At each tick every screen's update hook runs, the image is
 * compared with the copy taken at the previous tick (pixels line by line, palette, geometry,
 * text cells and cursor) and listeners get the result with its dirty rectangle. Everything
 * runs on emulated time, so two runs give the same frames at the same moments. */
#include "core/display.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct listener {
    vt_frame_fn fn;
    void *opaque;
    uint32_t hz;
} listener;

struct vt_screen {
    char name[48];
    const vt_screen_ops *ops;
    void *opaque;
    vt_screen_image img;
    /* what listeners saw at the previous tick */
    bool have_prev;
    vt_screen_image prev; /* pixels/cells point into the copies below */
    uint8_t *prev_pixels;
    size_t prev_pixels_cap;
    vt_text_cell *prev_cells;
    size_t prev_cells_cap;
    uint64_t seq;
};

struct vt_display {
    vt_sched *sched;
    vt_display_mode mode;
    vt_screen **screens;
    int nscreens;
    listener *listeners;
    int nlisteners;
    vt_event tick;
    uint32_t hz;
    uint64_t tick_index; /* tick n fires at n / hz seconds */
};

static unsigned bytes_per_pixel(vt_pixel_format f) {
    switch (f) {
    case VT_PIX_INDEXED8:
        return 1;
    case VT_PIX_RGB555:
    case VT_PIX_RGB565:
        return 2;
    case VT_PIX_RGB888:
        return 3;
    case VT_PIX_XRGB8888:
        return 4;
    }
    return 4;
}

static vt_time tick_time(const vt_display *d, uint64_t n) {
    return (vt_time)((unsigned __int128)n * VT_PS_PER_SEC / d->hz);
}

static void frame_tick(void *opaque, vt_time now, vt_time late);

/* Arms the next tick strictly after `now`. */
static void arm_next(vt_display *d, vt_time now) {
    d->tick_index = (uint64_t)((unsigned __int128)now * d->hz / VT_PS_PER_SEC) + 1;
    vt_sched_arm(d->sched, &d->tick, tick_time(d, d->tick_index));
}

int vt_display_create(vt_display **out, vt_sched *sched, vt_display_mode mode, vt_error *err) {
    vt_display *d = calloc(1, sizeof *d);
    if (!d) return vt_fail(err, "out of memory");
    d->sched = sched;
    d->mode = mode;
    vt_event_init(&d->tick, "display-frame", frame_tick, d);
    *out = d;
    return 0;
}

void vt_display_destroy(vt_display *d) {
    if (!d) return;
    if (vt_event_armed(&d->tick)) vt_sched_cancel(d->sched, &d->tick);
    for (int i = 0; i < d->nscreens; i++) {
        free(d->screens[i]->prev_pixels);
        free(d->screens[i]->prev_cells);
        free(d->screens[i]);
    }
    free(d->screens);
    free(d->listeners);
    free(d);
}

vt_display_mode vt_display_get_mode(const vt_display *d) {
    return d->mode;
}

int vt_display_add_screen(vt_display *d, const char *name, const vt_screen_ops *ops, void *opaque,
                          vt_screen **out, vt_error *err) {
    vt_screen *s = calloc(1, sizeof *s);
    vt_screen **ns = realloc(d->screens, (size_t)(d->nscreens + 1) * sizeof *ns);
    if (!s || !ns) {
        free(s);
        if (ns) d->screens = ns;
        return vt_fail(err, "out of memory");
    }
    d->screens = ns;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->ops = ops;
    s->opaque = opaque;
    d->screens[d->nscreens++] = s;
    *out = s;
    return 0;
}

int vt_display_screen_count(const vt_display *d) {
    return d->nscreens;
}

vt_screen *vt_display_screen(const vt_display *d, int index) {
    return index >= 0 && index < d->nscreens ? d->screens[index] : NULL;
}

const char *vt_screen_name(const vt_screen *s) {
    return s->name;
}

static uint32_t fastest_rate(const vt_display *d) {
    uint32_t hz = 0;
    for (int i = 0; i < d->nlisteners; i++)
        if (d->listeners[i].hz > hz) hz = d->listeners[i].hz;
    return hz;
}

int vt_display_listen(vt_display *d, vt_frame_fn fn, void *opaque, uint32_t hz, vt_error *err) {
    if (!hz) hz = 60;
    if (hz > 1000) return vt_fail(err, "display: frame rate %u Hz above 1000", (unsigned)hz);
    listener *nl = realloc(d->listeners, (size_t)(d->nlisteners + 1) * sizeof *nl);
    if (!nl) return vt_fail(err, "out of memory");
    d->listeners = nl;
    d->listeners[d->nlisteners++] = (listener){fn, opaque, hz};
    uint32_t want = fastest_rate(d);
    if (want != d->hz || !vt_event_armed(&d->tick)) {
        d->hz = want;
        arm_next(d, vt_sched_now(d->sched));
    }
    return 0;
}

void vt_display_unlisten(vt_display *d, vt_frame_fn fn, void *opaque) {
    for (int i = 0; i < d->nlisteners; i++)
        if (d->listeners[i].fn == fn && d->listeners[i].opaque == opaque) {
            memmove(&d->listeners[i], &d->listeners[i + 1],
                    (size_t)(d->nlisteners - i - 1) * sizeof *d->listeners);
            d->nlisteners--;
            break;
        }
    if (!d->nlisteners) {
        if (vt_event_armed(&d->tick)) vt_sched_cancel(d->sched, &d->tick);
        d->hz = 0;
    } else if (fastest_rate(d) != d->hz) {
        d->hz = fastest_rate(d);
        arm_next(d, vt_sched_now(d->sched));
    }
}

const vt_screen_image *vt_screen_refresh(vt_screen *s) {
    s->ops->update(s->opaque, &s->img);
    return &s->img;
}

/* --- change detection -------------------------------------------------------------------- */

static bool same_geometry(const vt_screen_image *a, const vt_screen_image *b) {
    return a->format == b->format && a->big_endian == b->big_endian && a->width == b->width &&
           a->height == b->height && a->blank == b->blank;
}

/* Bounding box of the differing pixels of two same-geometry images (w = 0: none). */
static vt_rect diff_pixels(const vt_screen_image *cur, const vt_screen_image *prev) {
    unsigned bpp = bytes_per_pixel(cur->format);
    size_t line = (size_t)cur->width * bpp;
    uint32_t x0 = UINT32_MAX, x1 = 0, y0 = UINT32_MAX, y1 = 0;
    for (uint32_t y = 0; y < cur->height; y++) {
        const uint8_t *a = cur->pixels + (size_t)y * cur->stride;
        const uint8_t *b = prev->pixels + (size_t)y * prev->stride;
        if (!memcmp(a, b, line)) continue;
        size_t first = 0, last = line - 1;
        while (a[first] == b[first])
            first++;
        while (a[last] == b[last])
            last--;
        if (first / bpp < x0) x0 = (uint32_t)(first / bpp);
        if (last / bpp > x1) x1 = (uint32_t)(last / bpp);
        if (y < y0) y0 = y;
        y1 = y;
    }
    if (y0 == UINT32_MAX) return (vt_rect){0, 0, 0, 0};
    return (vt_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static bool text_differs(const vt_screen_image *a, const vt_screen_image *b) {
    if (a->cols != b->cols || a->rows != b->rows) return true;
    if (a->cursor_visible != b->cursor_visible ||
        (a->cursor_visible && (a->cursor_col != b->cursor_col || a->cursor_row != b->cursor_row)))
        return true;
    return a->cols && memcmp(a->cells, b->cells, (size_t)a->cols * a->rows * sizeof *a->cells);
}

/* Copies the current image as the reference for the next tick; false when out of memory. */
static bool keep_copy(vt_screen *s) {
    const vt_screen_image *img = &s->img;
    size_t line = (size_t)img->width * bytes_per_pixel(img->format);
    size_t need = line * img->height, ncells = (size_t)img->cols * img->rows;
    if (need > s->prev_pixels_cap) {
        uint8_t *p = realloc(s->prev_pixels, need);
        if (!p) return false;
        s->prev_pixels = p;
        s->prev_pixels_cap = need;
    }
    if (ncells > s->prev_cells_cap) {
        vt_text_cell *c = realloc(s->prev_cells, ncells * sizeof *c);
        if (!c) return false;
        s->prev_cells = c;
        s->prev_cells_cap = ncells;
    }
    for (uint32_t y = 0; img->pixels && y < img->height; y++)
        memcpy(s->prev_pixels + y * line, img->pixels + (size_t)y * img->stride, line);
    if (ncells) memcpy(s->prev_cells, img->cells, ncells * sizeof *img->cells);
    s->prev = *img;
    s->prev.pixels = s->prev_pixels;
    s->prev.stride = (uint32_t)line;
    s->prev.cells = s->prev_cells;
    s->have_prev = true;
    return true;
}

static void screen_tick(vt_display *d, vt_screen *s, vt_time now) {
    vt_screen_refresh(s);
    const vt_screen_image *img = &s->img;
    bool showable = img->pixels && img->width && img->height;
    vt_frame f = {.screen = s, .img = img, .now = now};
    vt_rect whole = {0, 0, img->width, img->height};
    if (!s->have_prev || !same_geometry(img, &s->prev) || !showable) {
        f.changed = !s->have_prev || !same_geometry(img, &s->prev);
        f.dirty = whole;
    } else if (img->format == VT_PIX_INDEXED8 &&
               memcmp(img->palette, s->prev.palette, sizeof img->palette)) {
        f.changed = true;
        f.dirty = whole;
    } else if (!img->blank) {
        f.dirty = diff_pixels(img, &s->prev);
        f.changed = f.dirty.w != 0;
    }
    f.text_changed = !s->have_prev || text_differs(img, &s->prev);
    if (f.changed || f.text_changed) {
        if (f.changed) s->seq++;
        if (!keep_copy(s)) s->have_prev = false; /* next tick reports a full change */
    }
    f.seq = s->seq;
    for (int i = 0; i < d->nlisteners; i++)
        d->listeners[i].fn(d->listeners[i].opaque, &f);
}

static void frame_tick(void *opaque, vt_time now, vt_time late) {
    vt_display *d = opaque;
    for (int i = 0; i < d->nscreens; i++)
        screen_tick(d, d->screens[i], now - late); /* the tick's own time */
    if (d->nlisteners) vt_sched_arm(d->sched, &d->tick, tick_time(d, ++d->tick_index));
}

/* --- pixel conversion ---------------------------------------------------------------------- */

static uint32_t expand5(uint32_t v) {
    return v << 3 | v >> 2;
}
static uint32_t expand6(uint32_t v) {
    return v << 2 | v >> 4;
}

void vt_screen_image_row(const vt_screen_image *img, uint32_t y, uint32_t *out) {
    if (img->blank || !img->pixels || y >= img->height) {
        memset(out, 0, (size_t)img->width * sizeof *out);
        return;
    }
    const uint8_t *p = img->pixels + (size_t)y * img->stride;
    bool be = img->big_endian;
    for (uint32_t x = 0; x < img->width; x++) {
        uint32_t v;
        switch (img->format) {
        case VT_PIX_INDEXED8:
            out[x] = img->palette[p[x]] & 0xffffff;
            break;
        case VT_PIX_RGB555:
            v = be ? load_be16(p + 2 * x) : load_le16(p + 2 * x);
            out[x] = expand5(v >> 10 & 31) << 16 | expand5(v >> 5 & 31) << 8 | expand5(v & 31);
            break;
        case VT_PIX_RGB565:
            v = be ? load_be16(p + 2 * x) : load_le16(p + 2 * x);
            out[x] = expand5(v >> 11 & 31) << 16 | expand6(v >> 5 & 63) << 8 | expand5(v & 31);
            break;
        case VT_PIX_RGB888: {
            const uint8_t *q = p + 3 * x;
            out[x] = be ? (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2]
                        : (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
            break;
        }
        case VT_PIX_XRGB8888:
            out[x] = (be ? load_be32(p + 4 * x) : load_le32(p + 4 * x)) & 0xffffff;
            break;
        }
    }
}
