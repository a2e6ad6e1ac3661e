/* KIOSK.ini (frontend/kiosk.h):
 *   [kiosk] titles = a.ini, b.zip   (relative to the kiosk file; the first starts unless there
 *                                    are several: then the title menu does)
 *           idle_timeout = 5m       watchdog = 1m     (ms, s, m units; 0 = off)
 *           chord = LeftCtrl+LeftAlt+F12     pin = 1234 (digits, optional)
 *           log = FILE     serial = SPEC (host end of serial0, as --serial)
 *           rom_path = DIR     speed = 1.0 | max
 *           jit = on | off     (default on where the host runs x86-64: the titles' ARM and x86
 *                               code is translated, bit-exact to the interpreter; off = interpret)
 *           snapshot_at = 20s  (pristine state: the first boot's state at that time)
 *           state = FILE       (pristine state from FILE, one title only; with snapshot_at the
 *                               capture is written there when FILE does not exist yet) */
#include "frontend/kiosk.h"

#include "core/config.h"
#include "core/input.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>

static int parse_time(vt_cfg_entry *e, vt_time *out, vt_error *err) {
    char *end;
    unsigned long long v = strtoull(e->value, &end, 10);
    uint64_t mult = !strcmp(end, "ms")  ? 1000000000ull
                    : !strcmp(end, "s") ? VT_PS_PER_SEC
                    : !strcmp(end, "m") ? 60 * VT_PS_PER_SEC
                                        : 0;
    if (end == e->value || !mult || v > UINT64_MAX / mult / 2)
        return vt_cfg_fail(err, e, "'%s' is not a duration (digits and ms, s or m)", e->value);
    *out = v * mult;
    return 0;
}

static int parse_chord(vt_cfg_entry *e, vt_kiosk_config *c, vt_error *err) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", e->value);
    for (char *save, *k = strtok_r(buf, "+", &save); k; k = strtok_r(NULL, "+", &save)) {
        uint16_t code = vt_input_key_code(k);
        if (!code) return vt_cfg_fail(err, e, "unknown key '%s' in the chord", k);
        if (c->nchord == VT_KIOSK_MAX_CHORD)
            return vt_cfg_fail(err, e, "a chord has at most %d keys", VT_KIOSK_MAX_CHORD);
        c->chord[c->nchord++] = code;
    }
    if (c->nchord < 2) return vt_cfg_fail(err, e, "a chord needs at least two keys");
    return 0;
}

/* name relative to the kiosk file's directory unless absolute; -1 when it does not fit */
static int resolve(const char *dir, const char *name, char *out, size_t len) {
    int n =
        name[0] == '/' ? snprintf(out, len, "%s", name) : snprintf(out, len, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int parse_section(vt_cfg_section *s, vt_kiosk_config *c, const char *dir, vt_error *err) {
    vt_cfg_entry *e;
    if (vt_cfg_require(s, "titles", &e, err)) return -1;
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", e->value);
    for (char *save, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (c->ntitles == VT_KIOSK_MAX_TITLES)
            return vt_cfg_fail(err, e, "at most %d titles", VT_KIOSK_MAX_TITLES);
        if (resolve(dir, t, c->titles[c->ntitles], sizeof c->titles[0]))
            return vt_cfg_fail(err, e, "path too long");
        c->ntitles++;
    }
    if (!c->ntitles) return vt_cfg_fail(err, e, "no titles");
    if ((e = vt_cfg_get(s, "idle_timeout")) && parse_time(e, &c->idle_timeout, err)) return -1;
    if ((e = vt_cfg_get(s, "watchdog")) && parse_time(e, &c->watchdog, err)) return -1;
    if ((e = vt_cfg_get(s, "snapshot_at")) && parse_time(e, &c->snapshot_at, err)) return -1;
    if ((e = vt_cfg_get(s, "state"))) {
        if (c->ntitles != 1) return vt_cfg_fail(err, e, "a state file needs exactly one title");
        if (!*e->value || resolve(dir, e->value, c->state, sizeof c->state))
            return vt_cfg_fail(err, e, "state needs a file name (at most %zu bytes)",
                               sizeof c->state - 1);
    }
    if (vt_cfg_require(s, "chord", &e, err) || parse_chord(e, c, err)) return -1;
    if ((e = vt_cfg_get(s, "pin"))) {
        if (!*e->value || strlen(e->value) >= sizeof c->pin ||
            strspn(e->value, "0123456789") != strlen(e->value))
            return vt_cfg_fail(err, e, "the PIN is 1 to %zu digits", sizeof c->pin - 1);
        snprintf(c->pin, sizeof c->pin, "%s", e->value);
    }
    snprintf(c->log, sizeof c->log, "%s", vt_cfg_str(s, "log", ""));
    snprintf(c->serial, sizeof c->serial, "%s", vt_cfg_str(s, "serial", "none"));
    snprintf(c->rom_path, sizeof c->rom_path, "%s", vt_cfg_str(s, "rom_path", ""));
    const char *speed = vt_cfg_str(s, "speed", "1.0");
    char *end;
    c->speed = strcmp(speed, "max") ? strtod(speed, &end) : 0;
    if (strcmp(speed, "max") && (*end || !(c->speed > 0) || c->speed > 1000))
        return vt_cfg_fail(err, vt_cfg_get(s, "speed"), "speed is 'max' or a factor like 1.0");
    c->jit = VT_JIT_DEFAULT;
    if ((e = vt_cfg_get(s, "jit"))) {
        if (!strcmp(e->value, "on"))
            c->jit = VT_JIT_ON;
        else if (!strcmp(e->value, "off"))
            c->jit = VT_JIT_OFF;
        else
            return vt_cfg_fail(err, e, "jit is 'on' or 'off'");
    }
    return vt_cfg_check_unused(s, err);
}

int vt_kiosk_config_load(const char *path, vt_kiosk_config *c, vt_error *err) {
    memset(c, 0, sizeof *c);
    snprintf(c->file, sizeof c->file, "%s", path);
    vt_cfg cfg = {0};
    if (vt_cfg_load(&cfg, path, err)) return -1;
    char d[4096];
    snprintf(d, sizeof d, "%s", path);
    const char *dir = dirname(d);
    int rc = 0;
    for (int i = 0; i < cfg.nsections && !rc; i++)
        if (strcmp(cfg.sections[i].name, "kiosk"))
            rc = vt_cfg_section_fail(err, &cfg.sections[i], "unknown section [%s] (only [kiosk])",
                                     cfg.sections[i].name);
    vt_cfg_section *s = vt_cfg_section_find(&cfg, "kiosk");
    if (!rc && !s) rc = vt_fail(err, "%s: no [kiosk] section", path);
    if (!rc) rc = parse_section(s, c, dir, err);
    vt_cfg_free(&cfg);
    return rc;
}
