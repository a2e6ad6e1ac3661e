/* `--screenshot FILE.png@TIME` (repeatable): each one is an event at TIME on the machine's
 * timeline; it refreshes the first screen and writes it with the PNG writer. A write error
 * stops the run (exit 1); a time the run never reached is reported at the end. */
#include "frontend/screenshot.h"

#include "frontend/cli.h"
#include "frontend/screenshot_png.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct shot {
    vt_screenshots *owner;
    char path[4096];
    vt_time when;
    vt_event ev;
    bool done;
} shot;

struct vt_screenshots {
    vt_machine *m;
    vt_screen *screen;
    shot shots[VT_MAX_SCREENSHOTS];
    int n;
    bool failed;
    vt_error err;
};

int vt_screenshot_parse(const char *spec, char *path, size_t path_size, vt_time *when,
                        vt_error *err) {
    const char *at = strrchr(spec, '@');
    if (!at || at == spec)
        return vt_fail(err, "--screenshot takes FILE.png@TIME (e.g. boot.png@20s), not '%s'", spec);
    if ((size_t)(at - spec) >= path_size) return vt_fail(err, "--screenshot: path too long");
    if (vt_cli_parse_duration(at + 1, when))
        return vt_fail(err, "--screenshot %s: bad time '%s': digits and a unit ps, ns, us, ms or s",
                       spec, at + 1);
    memcpy(path, spec, (size_t)(at - spec));
    path[at - spec] = 0;
    return 0;
}

static void take(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    shot *s = opaque;
    vt_screenshots *all = s->owner;
    s->done = true;
    if (vt_png_write_screen(s->path, vt_screen_refresh(all->screen), &all->err)) {
        all->failed = true;
        vt_machine_request_stop(all->m, VT_EXIT_RUNTIME);
    }
}

int vt_screenshots_arm(vt_screenshots **out, vt_machine *m, const char *const *specs, int n,
                       vt_error *err) {
    *out = NULL;
    if (!n) return 0;
    if (n > VT_MAX_SCREENSHOTS) return vt_fail(err, "at most %d --screenshot", VT_MAX_SCREENSHOTS);
    vt_screen *screen = vt_display_screen(m->display, 0);
    if (!screen) return vt_fail(err, "--screenshot: machine '%s' has no display", m->name);
    vt_screenshots *all = calloc(1, sizeof *all);
    if (!all) return vt_fail(err, "out of memory");
    all->m = m;
    all->screen = screen;
    for (int i = 0; i < n; i++) {
        shot *s = &all->shots[i];
        if (vt_screenshot_parse(specs[i], s->path, sizeof s->path, &s->when, err)) {
            free(all);
            return -1;
        }
        s->owner = all;
        vt_event_init(&s->ev, "screenshot", take, s);
        vt_sched_arm(&m->sched, &s->ev, s->when);
        all->n++;
    }
    *out = all;
    return 0;
}

void vt_screenshots_free(vt_screenshots *all) {
    if (!all) return;
    for (int i = 0; i < all->n; i++)
        if (vt_event_armed(&all->shots[i].ev)) vt_sched_cancel(&all->m->sched, &all->shots[i].ev);
    free(all);
}

int vt_screenshots_finish(vt_screenshots *all, vt_error *err) {
    if (!all) return 0;
    int rc = 0;
    if (all->failed) {
        *err = all->err;
        rc = -1;
    }
    for (int i = 0; i < all->n && !rc; i++) {
        const shot *s = &all->shots[i];
        if (!s->done)
            rc =
                vt_fail(err, "--screenshot %s@%.6fs not taken: the run stopped at %.6fs", s->path,
                        (double)s->when / VT_PS_PER_SEC, (double)all->m->sched.now / VT_PS_PER_SEC);
    }
    vt_screenshots_free(all);
    return rc;
}
