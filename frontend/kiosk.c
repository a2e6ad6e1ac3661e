/* The kiosk loop (frontend/kiosk.h): one machine per visitor session, built from a title with
 * every image behind a throw-away overlay, run in the kiosk window with the menu, idle and
 * watchdog hooks; when the session ends the machine and its overlays are thrown away and the
 * next session starts from the untouched images, plus the title's pristine state when the kiosk
 * has one (frontend/kiosk_state.h). */
#include "frontend/kiosk.h"

#include "core/block/block.h"
#include "core/machine.h"
#include "frontend/input_session.h"
#include "frontend/kiosk_menu.h"
#include "frontend/kiosk_state.h"
#include "frontend/machine_jit.h"
#include "frontend/profile_path.h"
#include "frontend/sdl_window.h"
#include "frontend/serial.h"

#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { END_IDLE = 1, END_WATCHDOG, END_SIGNAL, END_MENU = 100 };

/* serial0 as the guest sees it: counts what the guest writes (the watchdog's sign of life). */
typedef struct counting_serial {
    vt_chardev chr;
    vt_chardev *inner;
    atomic_uint_fast64_t bytes;
} counting_serial;

typedef struct session {
    vt_title title;
    vt_machine *m;
    vt_machine_options opts;
    vt_input_session input;
    counting_serial serial;
    uint64_t inputs_seen, frames_seen, bytes_seen;
    vt_time last_input, last_sign, now;
    bool visited;
} session;

typedef struct kiosk {
    const vt_kiosk_config *cfg;
    vt_sdl_window *win;
    vt_kiosk_menu menu;
    char names[VT_KIOSK_MAX_TITLES][256];
    session s;
    vt_kiosk_state pristine[VT_KIOSK_MAX_TITLES]; /* per title, once captured or read */
    FILE *log;
} kiosk;

static volatile sig_atomic_t terminate;

static void on_signal(int sig) {
    VT_UNUSED(sig);
    terminate = 1;
}

static void cs_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    counting_serial *s = c->opaque;
    atomic_fetch_add(&s->bytes, len);
    vt_chardev_write(s->inner, buf, len);
}

static int cs_read(vt_chardev *c) {
    counting_serial *s = c->opaque;
    return vt_chardev_read(s->inner);
}

/* One line to the kiosk log (none while vt_kiosk_check builds a machine). */
static void VT_PRINTF(2, 3) klog(kiosk *k, const char *fmt, ...) {
    if (!k->log) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(k->log, fmt, ap);
    va_end(ap);
    fflush(k->log);
}

/* Brings the session's fresh machine to title n's pristine state: loads it when the kiosk has
 * it, else (snapshot_at) runs this first boot unpaced to that time and keeps its state. */
static int session_pristine(kiosk *k, int n, vt_error *err) {
    session *s = &k->s;
    vt_kiosk_state *p = &k->pristine[n];
    if (p->buf) {
        if (vt_kiosk_state_restore(p, s->m, &s->title, err)) return -1;
        klog(k, "kiosk: \"%s\" loaded its pristine state (%.3fs) from %s\n", k->names[n],
             (double)s->m->sched.now / VT_PS_PER_SEC, p->origin);
        return 0;
    }
    if (!k->cfg->snapshot_at) return 0;
    double speed = s->m->opts.speed;
    s->m->opts.speed = 0;
    vt_machine_run(s->m, k->cfg->snapshot_at);
    s->m->opts.speed = speed;
    if (s->m->sched.now < k->cfg->snapshot_at)
        return vt_fail(err, "%s: the guest stopped at %.3f s, before snapshot_at", k->cfg->file,
                       (double)s->m->sched.now / VT_PS_PER_SEC);
    if (vt_kiosk_state_capture(p, s->m, &s->title, err)) return -1;
    klog(k, "kiosk: pristine state of \"%s\" captured at %.3fs\n", k->names[n],
         (double)s->m->sched.now / VT_PS_PER_SEC);
    return k->cfg->state[0] ? vt_kiosk_state_write(p, k->cfg->state, err) : 0;
}

/* Builds the session's machine from title n (never writing to its images). */
static int session_open(kiosk *k, int n, vt_error *err) {
    session *s = &k->s;
    memset(s, 0, sizeof *s);
    char profile[4096];
    if (vt_title_load(k->cfg->titles[n], &s->title, err) || vt_title_verify(&s->title, NULL, err) ||
        vt_profile_path(s->title.machine, profile, sizeof profile, err))
        return -1;
    vt_machine_options *o = &s->opts;
    o->rom_path = k->cfg->rom_path[0] ? k->cfg->rom_path : NULL;
    o->speed = k->cfg->speed;
    o->display = VT_DISPLAY_SDL;
    o->kernel = s->title.kernel[0] ? s->title.kernel : NULL;
    o->initrd = s->title.initrd[0] ? s->title.initrd : NULL;
    o->append = s->title.append[0] ? s->title.append : NULL;
    if (vt_serial_open(k->cfg->serial, &s->serial.inner, err)) return -1;
    s->serial.chr = (vt_chardev){.write = cs_write, .read = cs_read, .opaque = &s->serial};
    o->serial[0] = &s->serial.chr;
    int nd = 0, nc = 0;
    for (int i = 0; i < s->title.nmedia; i++) {
        const vt_title_media *md = &s->title.media[i];
        vt_block_opts bo = {.format = md->cdrom ? "raw" : NULL, .read_only = md->cdrom};
        if (md->cdrom ? vt_block_open(&o->cdroms[nc++], md->path, &bo, err)
                      : vt_block_open_snapshot(&o->disks[nd++], md->path, &bo, err))
            return -1;
    }
    if (vt_machine_create(&s->m, profile, o, err) || vt_machine_jit_enable(s->m, k->cfg->jit, err))
        return -1;
    if (vt_serial_start(s->serial.inner, err)) return -1;
    vt_serial_attach(s->serial.inner, s->m);
    if (session_pristine(k, n, err)) return -1;
    s->now = s->last_input = s->last_sign = s->m->sched.now;
    return vt_input_session_open(&s->input, s->m, NULL, NULL, err);
}

/* Throws the machine and its overlays away (the images were never written). */
static void session_close(kiosk *k) {
    session *s = &k->s;
    vt_error ignored;
    if (vt_input_session_close(&s->input, &ignored))
        fprintf(stderr, "vitrine kiosk: %s\n", ignored.msg);
    vt_machine_destroy(s->m);
    for (int i = 0; i < VT_MAX_DISKS; i++)
        if (s->opts.disks[i] && vt_block_close(s->opts.disks[i], &ignored))
            fprintf(stderr, "vitrine kiosk: %s\n", ignored.msg);
    for (int i = 0; i < VT_MAX_CDROMS; i++)
        if (s->opts.cdroms[i] && vt_block_close(s->opts.cdroms[i], &ignored))
            fprintf(stderr, "vitrine kiosk: %s\n", ignored.msg);
    vt_serial_close(s->serial.inner);
    vt_title_free(&s->title);
    memset(s, 0, sizeof *s);
}

static bool hook_event(void *opaque, const SDL_Event *ev) {
    kiosk *k = opaque;
    return vt_kiosk_menu_event(&k->menu, ev);
}

static void hook_draw(void *opaque, SDL_Renderer *r, int w, int h) {
    kiosk *k = opaque;
    vt_kiosk_menu_draw(&k->menu, r, w, h);
}

static void release_key(void *opaque, uint16_t code) {
    kiosk *k = opaque;
    vt_input_event ev = {.kind = VT_INPUT_KEY, .code = code, .down = false};
    if (k->s.input.hub) vt_input_post(k->s.input.hub, &ev);
}

/* Host side, ~every 16 ms: attendant choices, idle timeout, watchdog, SIGTERM. */
static int hook_poll(void *opaque) {
    kiosk *k = opaque;
    session *s = &k->s;
    if (terminate) return END_SIGNAL;
    if (k->menu.action) return END_MENU;
    vt_time now = s->now = vt_sdl_window_emu_time(k->win);
    uint64_t inputs = vt_input_delivered(s->input.hub);
    if (inputs != s->inputs_seen) {
        s->inputs_seen = inputs;
        s->last_input = now;
        s->visited = true;
    }
    if (k->cfg->idle_timeout && s->visited && now - s->last_input >= k->cfg->idle_timeout)
        return END_IDLE;
    uint64_t frames = vt_sdl_window_frame_changes(k->win);
    uint64_t bytes = atomic_load(&s->serial.bytes);
    if (frames != s->frames_seen || bytes != s->bytes_seen) {
        s->frames_seen = frames;
        s->bytes_seen = bytes;
        s->last_sign = now;
    }
    if (k->cfg->watchdog && now - s->last_sign >= k->cfg->watchdog) return END_WATCHDOG;
    return 0;
}

static void log_session(kiosk *k, int n, time_t start, const char *why) {
    char a[32], b[32];
    time_t end = time(NULL);
    strftime(a, sizeof a, "%Y-%m-%dT%H:%M:%S", localtime(&start));
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", localtime(&end));
    klog(k,
         "kiosk session: title=\"%s\" start=%s end=%s emulated=%.3fs inputs=%llu "
         "ended=%s\n",
         k->names[n], a, b, (double)k->s.now / VT_PS_PER_SEC, (unsigned long long)k->s.inputs_seen,
         why);
}

static int run_loop(kiosk *k, vt_error *err) {
    const vt_sdl_hooks hooks = {k, hook_event, hook_draw, hook_poll};
    int current = 0;
    if (k->cfg->ntitles > 1) vt_kiosk_menu_titles(&k->menu);
    for (;;) {
        time_t start = time(NULL);
        if (session_open(k, current, err)) {
            session_close(k);
            return -1;
        }
        vt_sdl_end end;
        int code;
        if (vt_sdl_window_run(k->win, k->s.m, k->s.input.hub, VT_TIME_NEVER, &hooks, &end, &code,
                              err)) {
            session_close(k);
            return -1;
        }
        int action = code == END_MENU ? k->menu.action : VT_KIOSK_NONE;
        k->menu.action = VT_KIOSK_NONE;
        const char *why = code == END_IDLE             ? "idle-reset"
                          : code == END_WATCHDOG       ? "watchdog-restart"
                          : code == END_SIGNAL         ? "terminated"
                          : action == VT_KIOSK_QUIT    ? "attendant-quit"
                          : action == VT_KIOSK_RESTART ? "attendant-restart"
                          : action >= VT_KIOSK_TITLE0  ? "title-change"
                          : end == VT_SDL_END_STOP     ? "guest-stopped"
                                                       : "ended";
        log_session(k, current, start, why);
        session_close(k);
        if (code == END_SIGNAL || action == VT_KIOSK_QUIT) return 0;
        if (action >= VT_KIOSK_TITLE0) current = action - VT_KIOSK_TITLE0;
    }
}

/* An existing state file must load into its title's machine (built quietly, then dropped). */
static int check_state_file(const vt_kiosk_config *c, vt_error *err) {
    kiosk *k = calloc(1, sizeof *k);
    vt_kiosk_config *quiet = malloc(sizeof *quiet);
    int rc = k && quiet ? 0 : vt_fail(err, "out of memory");
    if (!rc) {
        *quiet = *c;
        snprintf(quiet->serial, sizeof quiet->serial, "none");
        k->cfg = quiet;
        rc = vt_kiosk_state_read(&k->pristine[0], c->state, err) || session_open(k, 0, err);
        session_close(k);
        vt_kiosk_state_free(&k->pristine[0]);
    }
    free(quiet);
    free(k);
    return rc ? -1 : 0;
}

int vt_kiosk_check(const vt_kiosk_config *c, vt_error *err) {
    for (int i = 0; i < c->ntitles; i++) {
        vt_title t;
        if (vt_title_load(c->titles[i], &t, err)) return -1;
        int rc = vt_title_verify(&t, NULL, err);
        vt_title_free(&t);
        if (rc) return -1;
    }
    /* without snapshot_at the file must exist; with it, a missing file is captured */
    if (c->state[0] && (!c->snapshot_at || access(c->state, F_OK) == 0))
        return check_state_file(c, err);
    return 0;
}

int vt_kiosk_run(const vt_kiosk_config *c, vt_error *err) {
    kiosk *k = calloc(1, sizeof *k);
    if (!k) return vt_fail(err, "out of memory");
    k->cfg = c;
    int rc = 0;
    for (int i = 0; i < c->ntitles && !rc; i++) { /* every title must load and verify first */
        vt_title t;
        rc = vt_title_load(c->titles[i], &t, err) || vt_title_verify(&t, NULL, err) ? -1 : 0;
        if (!rc)
            snprintf(k->names[i], sizeof k->names[i], "%.255s", t.name[0] ? t.name : t.machine);
        if (!rc) vt_title_free(&t);
    }
    k->log = stderr;
    if (!rc && c->state[0] && access(c->state, F_OK) == 0)
        rc = vt_kiosk_state_read(&k->pristine[0], c->state, err);
    if (!rc && c->log[0] && !(k->log = fopen(c->log, "a")))
        rc = vt_fail(err, "%s: cannot open the log %s", c->file, c->log);
    vt_sdl_options wo = {.vsync = true, .kiosk = true};
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1"); /* SIGTERM ends the kiosk, nothing else */
    if (!rc) rc = vt_sdl_window_open(&k->win, &wo, err);
    if (!rc) {
        vt_kiosk_menu_init(&k->menu, c, (const char(*)[256])k->names);
        k->menu.release = release_key;
        k->menu.opaque = k;
        struct sigaction sa = {.sa_handler = on_signal};
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        rc = run_loop(k, err);
        vt_sdl_window_close(k->win);
    }
    if (k->log && k->log != stderr) fclose(k->log);
    for (int i = 0; i < VT_KIOSK_MAX_TITLES; i++)
        vt_kiosk_state_free(&k->pristine[i]);
    free(k);
    return rc;
}
