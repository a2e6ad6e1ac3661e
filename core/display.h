/* The display core: how display hardware shows pictures to the host. A device (TCX, VGA, an
 * LCD controller) publishes one or more screens; each screen has an update hook that brings a
 * published image (pixel format, palette, stride, optional text-mode cells and cursor) up to
 * date with the hardware. Consumers (screenshot writer, screen-text writer, the SDL window)
 * listen to the machine's display and get one callback per screen per frame tick; ticks come
 * from an event on the machine's scheduler (emulated time, never host time). */
#ifndef VT_DISPLAY_H
#define VT_DISPLAY_H

#include "core/common.h"
#include "core/sched.h"

/* What the user asked for on the command line (issue 15 item 1). Boards read it to choose the
 * firmware's console; devices exist in every mode. */
typedef enum vt_display_mode {
    VT_DISPLAY_HEADLESS = 0, /* --headless (default): firmware console on serial0, no window */
    VT_DISPLAY_NONE,         /* --display none: console on the display hardware, no window */
    VT_DISPLAY_SDL,          /* --display sdl: console on the display hardware, a window */
} vt_display_mode;

/* Pixel layouts as they lie in memory. 16- and 32-bit pixels are words in the image's byte
 * order (`big_endian`); RGB888 is three bytes B, G, R (little-endian) or R, G, B (big). */
typedef enum vt_pixel_format {
    VT_PIX_INDEXED8, /* one byte per pixel, an index into `palette` */
    VT_PIX_RGB555,   /* 16-bit word x:1 r:5 g:5 b:5 */
    VT_PIX_RGB565,   /* 16-bit word r:5 g:6 b:5 */
    VT_PIX_RGB888,   /* 24-bit, 3 bytes */
    VT_PIX_XRGB8888, /* 32-bit word 0xXXRRGGBB */
} vt_pixel_format;

/* One character cell of a text mode: the character code as the hardware holds it (code page
 * 437 on VGA) and its attribute byte (VGA: foreground low nibble, background high). */
typedef struct vt_text_cell {
    uint8_t ch, attr;
} vt_text_cell;

/* A screen's published image, filled by the device's update hook. Pointers stay valid until
 * the next update. */
typedef struct vt_screen_image {
    vt_pixel_format format;
    bool big_endian;
    bool blank;                /* video output off: consumers show black */
    uint32_t width, height;    /* 0x0: nothing to show yet */
    uint32_t stride;           /* bytes from one line to the next */
    const uint8_t *pixels;     /* width x height pixels (read-only for consumers) */
    uint32_t palette[256];     /* 0x00RRGGBB, for VT_PIX_INDEXED8 */
    uint16_t cols, rows;       /* text mode: cell grid (0x0: not in a text mode) */
    const vt_text_cell *cells; /* rows x cols, row-major */
    uint16_t cursor_col, cursor_row;
    bool cursor_visible;
} vt_screen_image;

typedef struct vt_rect {
    uint32_t x, y, w, h;
} vt_rect;

typedef struct vt_screen vt_screen;
typedef struct vt_display vt_display;

typedef struct vt_screen_ops {
    /* Brings *img up to date with the hardware (render text, point at VRAM, copy the DAC). The
     * core keeps *img between calls, so a hook may update only what changed. */
    void (*update)(void *opaque, vt_screen_image *img);
} vt_screen_ops;

/* What a listener gets at each frame tick, for each screen. */
typedef struct vt_frame {
    vt_screen *screen;
    const vt_screen_image *img;
    vt_time now;       /* emulated time of the tick */
    uint64_t seq;      /* how many ticks changed this screen so far (a frame counter) */
    bool changed;      /* pixels, palette, geometry or blanking differ from the last tick */
    vt_rect dirty;     /* bounding box of what changed (the whole screen on a mode change) */
    bool text_changed; /* cells or cursor differ from the last tick */
} vt_frame;

typedef void (*vt_frame_fn)(void *opaque, const vt_frame *f);

/* The machine owns one display (vt_machine.display; devices reach it with vt_dev_display). */
int vt_display_create(vt_display **out, vt_sched *sched, vt_display_mode mode,
                      vt_error *err) VT_MUST_CHECK;
void vt_display_destroy(vt_display *d);
vt_display_mode vt_display_get_mode(const vt_display *d);

/* A device publishes a screen (name: for messages and file names, e.g. the device's name). */
int vt_display_add_screen(vt_display *d, const char *name, const vt_screen_ops *ops, void *opaque,
                          vt_screen **out, vt_error *err) VT_MUST_CHECK;
int vt_display_screen_count(const vt_display *d);
vt_screen *vt_display_screen(const vt_display *d, int index); /* NULL when out of range */
const char *vt_screen_name(const vt_screen *s);

/* Consumers: `fn` is called for every screen at every tick while at least one listener is
 * registered (no listener: no tick event, no cost). Rate in frames per emulated second,
 * default 60; the fastest rate any listener asked for wins. */
int vt_display_listen(vt_display *d, vt_frame_fn fn, void *opaque, uint32_t hz,
                      vt_error *err) VT_MUST_CHECK;
void vt_display_unlisten(vt_display *d, vt_frame_fn fn, void *opaque);

/* Runs the screen's update hook now (a screenshot at an exact time, the final frame at exit)
 * and returns the fresh image; does not call listeners. */
const vt_screen_image *vt_screen_refresh(vt_screen *s);

/* Converts line y of img to host 0x00RRGGBB pixels (out holds img->width entries; black
 * when the image is blank). Shared by every consumer. */
void vt_screen_image_row(const vt_screen_image *img, uint32_t y, uint32_t *out);

#endif
