/* Input log files (frontend/input_log.h). One event per line, '#' starts a comment:
 *   TIME key NAME down|up          NAME: core/input_keys.c (HID usage names)
 *   TIME mouse DX DY BUTTONS       relative motion, buttons held (bit 0 left, 1 right, 2 mid)
 *   TIME touch X Y down|up         absolute 0..65535
 *   TIME button N down|up
 * TIME is the emulated time in picoseconds since reset; times never decrease. */
#include "frontend/input_log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct vt_input_recorder {
    FILE *f;
    char path[1024];
    int error;
};

typedef struct timed_event {
    vt_time when;
    vt_input_event ev;
} timed_event;

struct vt_input_replay {
    vt_input *in;
    vt_sched *sched;
    timed_event *ev;
    size_t n, next;
    vt_event timer;
};

static void record(void *opaque, vt_time when, const vt_input_event *ev) {
    vt_input_recorder *r = opaque;
    int rc = 0;
    const char *ud = ev->down ? "down" : "up";
    switch (ev->kind) {
    case VT_INPUT_KEY: {
        const char *name = vt_input_key_name(ev->code);
        if (!name) return; /* only named keys reach a machine (key maps use names) */
        rc = fprintf(r->f, "%" PRIu64 " key %s %s\n", when, name, ud);
        break;
    }
    case VT_INPUT_MOUSE:
        rc = fprintf(r->f, "%" PRIu64 " mouse %d %d %u\n", when, ev->x, ev->y, ev->code);
        break;
    case VT_INPUT_TOUCH:
        rc = fprintf(r->f, "%" PRIu64 " touch %d %d %s\n", when, ev->x, ev->y, ud);
        break;
    case VT_INPUT_BUTTON:
        rc = fprintf(r->f, "%" PRIu64 " button %u %s\n", when, ev->code, ud);
        break;
    }
    if (rc < 0 && !r->error) r->error = errno ? errno : EIO;
}

int vt_input_record_open(vt_input_recorder **out, const char *path, vt_input *in, vt_error *err) {
    vt_input_recorder *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    r->f = fopen(path, "w");
    if (!r->f) {
        free(r);
        return vt_fail(err, "--record-input %s: %s", path, strerror(errno));
    }
    snprintf(r->path, sizeof r->path, "%s", path);
    fprintf(r->f, "# vitrine input log: emulated time (ps), event\n");
    vt_input_set_observer(in, record, r);
    *out = r;
    return 0;
}

int vt_input_record_close(vt_input_recorder *r, vt_error *err) {
    if (!r) return 0;
    if (fclose(r->f) && !r->error) r->error = errno ? errno : EIO;
    int rc = r->error ? vt_fail(err, "--record-input %s: %s", r->path, strerror(r->error)) : 0;
    free(r);
    return rc;
}

static int parse_updown(const char *s, bool *down) {
    if (!strcmp(s, "down")) return *down = true, 0;
    if (!strcmp(s, "up")) return *down = false, 0;
    return -1;
}

static int parse_i32(const char *s, int32_t *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < INT32_MIN || v > INT32_MAX) return -1;
    *out = (int32_t)v;
    return 0;
}

/* One line into *te; returns 1 for an event, 0 for a blank/comment line, -1 with err set. */
static int parse_line(char *line, const char *path, int lineno, timed_event *te, vt_error *err) {
    char *hash = strchr(line, '#');
    if (hash) *hash = 0;
    char *tok[6];
    int n = 0;
    for (char *save, *t = strtok_r(line, " \t\r\n", &save); t;
         t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == 6) return vt_fail(err, "%s:%d: too many fields", path, lineno);
        tok[n++] = t;
    }
    if (n == 0) return 0;
    uint64_t when;
    if (tok[0][0] < '0' || tok[0][0] > '9' || vt_parse_u64(tok[0], &when))
        return vt_fail(err, "%s:%d: '%s' is not a time in picoseconds", path, lineno, tok[0]);
    memset(te, 0, sizeof *te);
    te->when = when;
    vt_input_event *ev = &te->ev;
    const char *kind = n > 1 ? tok[1] : "";
    int32_t a, b, c;
    if (!strcmp(kind, "key") && n == 4) {
        ev->kind = VT_INPUT_KEY;
        ev->code = vt_input_key_code(tok[2]);
        if (!ev->code) return vt_fail(err, "%s:%d: unknown key '%s'", path, lineno, tok[2]);
        if (parse_updown(tok[3], &ev->down)) goto bad;
    } else if (!strcmp(kind, "mouse") && n == 5) {
        if (parse_i32(tok[2], &a) || parse_i32(tok[3], &b) || parse_i32(tok[4], &c) || c < 0 ||
            c > 7)
            goto bad;
        *ev = (vt_input_event){.kind = VT_INPUT_MOUSE, .x = a, .y = b, .code = (uint16_t)c};
    } else if (!strcmp(kind, "touch") && n == 5) {
        if (parse_i32(tok[2], &a) || parse_i32(tok[3], &b) || a < 0 || a > 65535 || b < 0 ||
            b > 65535 || parse_updown(tok[4], &ev->down))
            goto bad;
        ev->kind = VT_INPUT_TOUCH, ev->x = a, ev->y = b;
    } else if (!strcmp(kind, "button") && n == 4) {
        if (parse_i32(tok[2], &a) || a < 0 || a > 0xffff || parse_updown(tok[3], &ev->down))
            goto bad;
        ev->kind = VT_INPUT_BUTTON, ev->code = (uint16_t)a;
    } else {
        return vt_fail(err,
                       "%s:%d: expected 'TIME key NAME down|up', 'TIME mouse DX DY BUTTONS', "
                       "'TIME touch X Y down|up' or 'TIME button N down|up'",
                       path, lineno);
    }
    return 1;
bad:
    return vt_fail(err, "%s:%d: bad %s event", path, lineno, kind);
}

static void replay_fire(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(late);
    vt_input_replay *p = opaque;
    while (p->next < p->n && p->ev[p->next].when <= now)
        vt_input_deliver(p->in, &p->ev[p->next++].ev);
    if (p->next < p->n) vt_sched_arm(p->sched, &p->timer, p->ev[p->next].when);
}

int vt_input_replay_open(vt_input_replay **out, const char *path, vt_input *in, vt_sched *sched,
                         vt_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) return vt_fail(err, "--replay-input %s: %s", path, strerror(errno));
    vt_input_replay *p = calloc(1, sizeof *p);
    if (!p) {
        fclose(f);
        return vt_fail(err, "out of memory");
    }
    char line[512];
    size_t cap = 0;
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            rc = vt_fail(err, "%s:%d: line too long", path, lineno);
            break;
        }
        timed_event te;
        int got = parse_line(line, path, lineno, &te, err);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (!got) continue;
        if (p->n && te.when < p->ev[p->n - 1].when) {
            rc = vt_fail(err, "%s:%d: time goes backwards", path, lineno);
            break;
        }
        if (p->n == cap) {
            cap = cap ? cap * 2 : 64;
            timed_event *ne = realloc(p->ev, cap * sizeof *ne);
            if (!ne) {
                rc = vt_fail(err, "out of memory");
                break;
            }
            p->ev = ne;
        }
        p->ev[p->n++] = te;
    }
    if (!rc && ferror(f)) rc = vt_fail(err, "--replay-input %s: read error", path);
    fclose(f);
    if (rc) {
        free(p->ev);
        free(p);
        return -1;
    }
    p->in = in;
    p->sched = sched;
    vt_event_init(&p->timer, "input-replay", replay_fire, p);
    if (p->n) vt_sched_arm(sched, &p->timer, p->ev[0].when);
    *out = p;
    return 0;
}

void vt_input_replay_close(vt_input_replay *p) {
    if (!p) return;
    if (vt_event_armed(&p->timer)) vt_sched_cancel(p->sched, &p->timer);
    free(p->ev);
    free(p);
}
