/* PNG writer for screen images: each line is converted to 0x00RRGGBB by the display core
 * (vt_screen_image_row) and written as 8-bit RGB through libpng. The file is written under a
 * temporary name and renamed, so an error never leaves a truncated PNG behind.
 * Source: libpng manual (png_create_write_struct, setjmp error handling). */
#include "frontend/screenshot_png.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

#define EMPTY_W 640
#define EMPTY_H 480

typedef struct png_job {
    FILE *f;
    png_structp png;
    png_infop info;
    uint32_t *row;
    uint8_t *rgb;
} png_job;

/* Everything that can longjmp lives here, away from locals the caller still needs. */
static int encode(png_job *j, const vt_screen_image *img, uint32_t w, uint32_t h) {
    if (setjmp(png_jmpbuf(j->png))) return -1;
    png_init_io(j->png, j->f);
    png_set_IHDR(j->png, j->info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(j->png, j->info);
    for (uint32_t y = 0; y < h; y++) {
        if (img->width)
            vt_screen_image_row(img, y, j->row);
        else
            memset(j->row, 0, (size_t)w * sizeof *j->row);
        for (uint32_t x = 0; x < w; x++) {
            j->rgb[3 * x] = (uint8_t)(j->row[x] >> 16);
            j->rgb[3 * x + 1] = (uint8_t)(j->row[x] >> 8);
            j->rgb[3 * x + 2] = (uint8_t)j->row[x];
        }
        png_write_row(j->png, j->rgb);
    }
    png_write_end(j->png, NULL);
    return 0;
}

int vt_png_write_screen(const char *path, const vt_screen_image *img, vt_error *err) {
    uint32_t w = img->width && img->height ? img->width : EMPTY_W;
    uint32_t h = img->width && img->height ? img->height : EMPTY_H;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return vt_fail(err, "%s: path too long", path);
    png_job j = {0};
    j.row = malloc((size_t)w * sizeof *j.row);
    j.rgb = malloc((size_t)w * 3);
    int rc = -1;
    if (!j.row || !j.rgb) {
        vt_fail(err, "out of memory");
        goto out;
    }
    j.f = fopen(tmp, "wb");
    if (!j.f) {
        vt_fail(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    j.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    j.info = j.png ? png_create_info_struct(j.png) : NULL;
    if (!j.info || encode(&j, img, w, h)) {
        vt_fail(err, "%s: PNG encoding failed", path);
        goto out;
    }
    if (fclose(j.f)) {
        j.f = NULL;
        vt_fail(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    j.f = NULL;
    if (rename(tmp, path)) {
        vt_fail(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (j.png) png_destroy_write_struct(&j.png, j.info ? &j.info : NULL);
    if (j.f) fclose(j.f);
    if (rc) remove(tmp);
    free(j.row);
    free(j.rgb);
    return rc;
}
