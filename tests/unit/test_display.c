/* Display core tests: frame ticks on emulated time only (60 Hz -> exactly 60 ticks in one
 * emulated second, none without listeners), change detection and dirty rectangles, palette
 * and text-cell changes, and pixel conversion of every format in both byte orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/display.h"

typedef struct fake_dev {
    uint8_t vram[8 * 4];
    vt_text_cell cells[4];
    uint32_t pal0;
    int updates;
} fake_dev;

static void fake_update(void *opaque, vt_screen_image *img) {
    fake_dev *f = opaque;
    f->updates++;
    img->format = VT_PIX_INDEXED8;
    img->width = 8;
    img->height = 4;
    img->stride = 8;
    img->pixels = f->vram;
    img->palette[0] = f->pal0;
    img->cols = 2;
    img->rows = 2;
    img->cells = f->cells;
}

static const vt_screen_ops fake_ops = {fake_update};

typedef struct seen {
    int frames, changed, text_changed;
    vt_frame last;
    vt_time times[128];
} seen;

static void on_frame(void *opaque, const vt_frame *f) {
    seen *s = opaque;
    if (s->frames < 128) s->times[s->frames] = f->now;
    s->frames++;
    s->changed += f->changed;
    s->text_changed += f->text_changed;
    s->last = *f;
}

typedef struct rig {
    vt_sched sched;
    vt_display *d;
    fake_dev dev;
    vt_screen *screen;
    seen seen;
} rig;

static void rig_init(rig *r) {
    memset(r, 0, sizeof *r);
    vt_sched_init(&r->sched);
    assert_int_equal(vt_display_create(&r->d, &r->sched, VT_DISPLAY_NONE, NULL), 0);
    assert_int_equal(vt_display_add_screen(r->d, "fake", &fake_ops, &r->dev, &r->screen, NULL), 0);
}

static void rig_free(rig *r) {
    vt_display_destroy(r->d);
    vt_sched_free(&r->sched);
}

static void test_ticks_on_emulated_time(void **state) {
    (void)state;
    rig r;
    rig_init(&r);
    vt_sched_advance(&r.sched, VT_PS_PER_SEC);
    assert_int_equal(r.dev.updates, 0); /* no listener: no tick */
    assert_int_equal(vt_display_listen(r.d, on_frame, &r.seen, 60, NULL), 0);
    vt_sched_advance(&r.sched, 2 * VT_PS_PER_SEC);
    assert_int_equal(r.seen.frames, 60);
    assert_int_equal(r.seen.times[59], 2 * VT_PS_PER_SEC);
    assert_int_equal(r.seen.times[0], VT_PS_PER_SEC * 61 / 60); /* the next 1/60 s step */
    assert_int_equal(r.seen.changed, 1); /* the first frame only: nothing moved since */
    vt_display_unlisten(r.d, on_frame, &r.seen);
    vt_sched_advance(&r.sched, 3 * VT_PS_PER_SEC);
    assert_int_equal(r.seen.frames, 60);
    rig_free(&r);
}

static void test_dirty_rect_palette_text(void **state) {
    (void)state;
    rig r;
    rig_init(&r);
    assert_int_equal(vt_display_listen(r.d, on_frame, &r.seen, 100, NULL), 0);
    vt_time t = VT_PS_PER_SEC / 100;
    vt_sched_advance(&r.sched, t);
    assert_true(r.seen.last.changed);
    assert_int_equal(r.seen.last.seq, 1);
    r.dev.vram[1 * 8 + 2] = 5;
    r.dev.vram[2 * 8 + 6] = 7;
    vt_sched_advance(&r.sched, 2 * t);
    assert_true(r.seen.last.changed);
    assert_false(r.seen.last.text_changed);
    assert_int_equal(r.seen.last.seq, 2);
    assert_int_equal(r.seen.last.dirty.x, 2);
    assert_int_equal(r.seen.last.dirty.y, 1);
    assert_int_equal(r.seen.last.dirty.w, 5);
    assert_int_equal(r.seen.last.dirty.h, 2);
    vt_sched_advance(&r.sched, 3 * t);
    assert_false(r.seen.last.changed);
    r.dev.pal0 = 0x123456; /* palette change: the whole screen */
    vt_sched_advance(&r.sched, 4 * t);
    assert_true(r.seen.last.changed);
    assert_int_equal(r.seen.last.dirty.w, 8);
    assert_int_equal(r.seen.last.dirty.h, 4);
    r.dev.cells[3].ch = 'A';
    vt_sched_advance(&r.sched, 5 * t);
    assert_false(r.seen.last.changed);
    assert_true(r.seen.last.text_changed);
    assert_int_equal(r.seen.last.seq, 3);
    rig_free(&r);
}

static void test_pixel_formats(void **state) {
    (void)state;
    uint8_t px[12];
    uint32_t out[3];
    vt_screen_image img = {.width = 1, .height = 1, .stride = 12, .pixels = px};
    img.format = VT_PIX_RGB565;
    store_le16(px, 0xf800 | 0x07e0); /* red + green */
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0xffff00);
    img.big_endian = true;
    store_be16(px, 0x001f);
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0x0000ff);
    img.format = VT_PIX_RGB555;
    img.big_endian = false;
    store_le16(px, 0x7c00);
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0xff0000);
    img.format = VT_PIX_RGB888;
    px[0] = 0x11, px[1] = 0x22, px[2] = 0x33;
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0x332211);
    img.big_endian = true;
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0x112233);
    img.format = VT_PIX_XRGB8888;
    store_be32(px, 0xff445566);
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0x445566);
    img.format = VT_PIX_INDEXED8;
    img.width = 3;
    px[0] = 0, px[1] = 1, px[2] = 255;
    img.palette[1] = 0xabcdef;
    img.palette[255] = 0x010203;
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0xabcdef);
    assert_int_equal(out[2], 0x010203);
    img.blank = true;
    vt_screen_image_row(&img, 0, out);
    assert_int_equal(out[1], 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_on_emulated_time),
        cmocka_unit_test(test_dirty_rect_palette_text),
        cmocka_unit_test(test_pixel_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
