/* The frame mailbox (frontend/sdl_frame.h). The listener runs on the emulation thread at each
 * frame tick; only ticks where the first screen changed cost a copy. */
#include "frontend/sdl_frame.h"

#include <stdlib.h>

static void on_frame(void *opaque, const vt_frame *fr) {
    vt_sdl_frame *f = opaque;
    if (vt_display_screen(f->display, 0) != fr->screen) return;
    pthread_mutex_lock(&f->lock);
    f->emu_time = fr->now;
    const vt_screen_image *img = fr->img;
    bool resized = img->width != f->width || img->height != f->height;
    if ((fr->changed || resized || !f->seq) && img->width && img->height) {
        size_t need = (size_t)img->width * img->height;
        if (need > f->cap) {
            uint32_t *np = realloc(f->pixels, need * sizeof *np);
            if (!np) goto out; /* keep showing the old frame */
            f->pixels = np;
            f->cap = need;
        }
        f->width = img->width;
        f->height = img->height;
        for (uint32_t y = 0; y < img->height; y++)
            vt_screen_image_row(img, y, f->pixels + (size_t)y * img->width);
        f->seq++;
        if (fr->changed) f->changes++;
    }
out:
    pthread_mutex_unlock(&f->lock);
}

int vt_sdl_frame_start(vt_sdl_frame *f, vt_display *d, vt_error *err) {
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    f->display = d;
    return vt_display_listen(d, on_frame, f, 60, err);
}

void vt_sdl_frame_stop(vt_sdl_frame *f) {
    vt_display_unlisten(f->display, on_frame, f);
    pthread_mutex_destroy(&f->lock);
    free(f->pixels);
    f->pixels = NULL;
}

bool vt_sdl_frame_take(vt_sdl_frame *f, uint64_t *seen,
                       void (*fn)(void *opaque, const uint32_t *px, uint32_t w, uint32_t h),
                       void *opaque) {
    bool took = false;
    pthread_mutex_lock(&f->lock);
    if (f->seq != *seen && f->pixels) {
        fn(opaque, f->pixels, f->width, f->height);
        *seen = f->seq;
        took = true;
    }
    pthread_mutex_unlock(&f->lock);
    return took;
}
