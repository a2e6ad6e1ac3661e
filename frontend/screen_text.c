/* The screen-text writer (see screen_text.h): a display listener that formats the first
 * screen's text cells (VGA text modes) whenever they change. Graphics modes have no cells and
 * produce nothing; the last text written stays. */
#include "frontend/screen_text.h"

#include "frontend/cp437.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct vt_screen_text {
    vt_machine *m;
    vt_screen *screen;
    char path[4096]; /* empty: stdout */
    char *last;      /* the text written last (NULL: nothing yet) */
    bool failed;
    vt_error err;
};

char *vt_screen_text_format(const vt_screen_image *img) {
    if (!img->cols || !img->rows || !img->cells) return NULL;
    size_t cap = ((size_t)img->cols * 3 + 1) * img->rows + 1, len = 0, keep = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    for (unsigned r = 0; r < img->rows; r++) {
        size_t start = len, end = len; /* end of the row without trailing blanks */
        for (unsigned c = 0; c < img->cols; c++) {
            uint8_t ch = img->cells[(size_t)r * img->cols + c].ch;
            const char *u = vt_cp437_utf8(ch);
            size_t n = strlen(u);
            memcpy(s + len, u, n);
            len += n;
            if (ch != 0 && ch != ' ' && ch != 0xff) end = len;
        }
        len = end;
        s[len++] = '\n';
        if (end > start) keep = len; /* rows after the last non-empty one are dropped */
    }
    s[keep] = 0;
    return s;
}

static int write_file(const char *path, const char *text, vt_error *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return vt_fail(err, "--screen-text %s: %s", path, strerror(errno));
    bool bad = fputs(text, f) < 0;
    if (fclose(f) || bad || rename(tmp, path)) {
        remove(tmp);
        return vt_fail(err, "--screen-text %s: %s", path, strerror(errno));
    }
    return 0;
}

/* Writes the text if it differs from what was written last. */
static int emit(vt_screen_text *st, const vt_screen_image *img, vt_time now, vt_error *err) {
    char *text = vt_screen_text_format(img);
    if (!text || (st->last && !strcmp(text, st->last))) {
        free(text);
        return 0;
    }
    free(st->last);
    st->last = text;
    if (st->path[0]) return write_file(st->path, text, err);
    printf("--- screen-text %.6fs ---\n%s", (double)now / VT_PS_PER_SEC, text);
    return fflush(stdout) ? vt_fail(err, "--screen-text stdout: %s", strerror(errno)) : 0;
}

static void on_frame(void *opaque, const vt_frame *f) {
    vt_screen_text *st = opaque;
    if (f->screen != st->screen || !f->text_changed || st->failed) return;
    if (emit(st, f->img, f->now, &st->err)) {
        st->failed = true;
        vt_machine_request_stop(st->m, VT_EXIT_RUNTIME);
    }
}

int vt_screen_text_start(vt_screen_text **out, vt_machine *m, const char *target, vt_error *err) {
    *out = NULL;
    vt_screen *screen = vt_display_screen(m->display, 0);
    if (!screen) return vt_fail(err, "--screen-text: machine '%s' has no display", m->name);
    vt_screen_text *st = calloc(1, sizeof *st);
    if (!st) return vt_fail(err, "out of memory");
    st->m = m;
    st->screen = screen;
    if (strcmp(target, "stdout")) snprintf(st->path, sizeof st->path, "%s", target);
    if (vt_display_listen(m->display, on_frame, st, 60, err)) {
        free(st);
        return -1;
    }
    *out = st;
    return 0;
}

int vt_screen_text_finish(vt_screen_text *st, vt_error *err) {
    if (!st) return 0;
    vt_display_unlisten(st->m->display, on_frame, st);
    int rc = 0;
    if (st->failed) {
        *err = st->err;
        rc = -1;
    } else {
        rc = emit(st, vt_screen_refresh(st->screen), st->m->sched.now, err);
    }
    free(st->last);
    free(st);
    return rc;
}
