/* INI profile parsing on top of inih, with file:line for every entry, includes and overrides.
 * inih is driven through ini_parse_stream with our own line reader so we know the line number
 * of each entry without depending on how the system's inih was built. */
#include "core/config.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MAX_INCLUDE_DEPTH 8

typedef struct parse_ctx {
    vt_cfg *cfg;
    const char *file;    /* interned name of the file being read */
    const char *text;    /* in-memory source, or NULL */
    FILE *fp;
    int line;
    int section_line; /* line of the last [section] header */
    int depth;
    vt_cfg_section *cur;
    vt_error *err;
    bool failed;
} parse_ctx;

static const char *intern_file(vt_cfg *cfg, const char *name) {
    for (int i = 0; i < cfg->nfiles; i++)
        if (!strcmp(cfg->files[i], name)) return cfg->files[i];
    char **f = realloc(cfg->files, (size_t)(cfg->nfiles + 1) * sizeof *f);
    if (!f) return NULL;
    cfg->files = f;
    f[cfg->nfiles] = strdup(name);
    return f[cfg->nfiles] ? f[cfg->nfiles++] : NULL;
}

static char *reader(char *str, int num, void *stream) {
    parse_ctx *c = stream;
    char *r;
    if (c->fp) {
        r = fgets(str, num, c->fp);
    } else {
        if (!*c->text) return NULL;
        int n = 0;
        while (n < num - 1 && c->text[n] && c->text[n] != '\n') n++;
        if (c->text[n] == '\n' && n < num - 1) n++;
        memcpy(str, c->text, (size_t)n);
        str[n] = 0;
        c->text += n;
        r = str;
    }
    if (r) {
        c->line++;
        const char *p = r;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '[') c->section_line = c->line;
    }
    return r;
}

vt_cfg_section *vt_cfg_section_find(const vt_cfg *cfg, const char *name) {
    for (int i = 0; i < cfg->nsections; i++)
        if (!strcmp(cfg->sections[i].name, name)) return &cfg->sections[i];
    return NULL;
}

static vt_cfg_section *add_section(vt_cfg *cfg, const char *name, const char *file, int line) {
    vt_cfg_section *s = vt_cfg_section_find(cfg, name);
    if (s) return s;
    vt_cfg_section *ns = realloc(cfg->sections, (size_t)(cfg->nsections + 1) * sizeof *ns);
    if (!ns) return NULL;
    cfg->sections = ns;
    s = &ns[cfg->nsections];
    memset(s, 0, sizeof *s);
    s->name = strdup(name);
    if (!s->name) return NULL;
    s->file = file;
    s->line = line;
    cfg->nsections++;
    return s;
}

static vt_cfg_entry *find_entry(vt_cfg_section *s, const char *key) {
    for (int i = 0; i < s->nentries; i++)
        if (!strcmp(s->entries[i].key, key)) return &s->entries[i];
    return NULL;
}

/* Sets key=value in s (replacing a value from another file or an override). */
static int set_entry(vt_cfg_section *s, const char *key, const char *value, const char *file,
                     int line, vt_error *err) {
    vt_cfg_entry *e = find_entry(s, key);
    if (e) {
        if (e->file == file && line > 0)
            return vt_fail(err, "%s:%d: duplicate key '%s' in [%s] (first at line %d)", file,
                           line, key, s->name, e->line);
        free(e->value);
    } else {
        vt_cfg_entry *ne = realloc(s->entries, (size_t)(s->nentries + 1) * sizeof *ne);
        if (!ne) return vt_fail(err, "out of memory");
        s->entries = ne;
        e = &ne[s->nentries++];
        memset(e, 0, sizeof *e);
        e->key = strdup(key);
    }
    e->value = strdup(value);
    e->file = file;
    e->line = line;
    if (!e->key || !e->value) return vt_fail(err, "out of memory");
    return 0;
}

static int load_file(vt_cfg *cfg, const char *path, int depth, vt_error *err);

static int handler(void *user, const char *section, const char *name, const char *value) {
    parse_ctx *c = user;
    if (c->failed) return 0;
    if (!name) { /* a section header with no keys yet (Debian's inih reports it) */
        c->cur = add_section(c->cfg, section, c->file, c->line);
        return c->cur ? 1 : (c->failed = true, 0);
    }
    if (!strcmp(name, "include")) {
        if (c->depth >= MAX_INCLUDE_DEPTH) {
            vt_fail(c->err, "%s:%d: includes nested deeper than %d (a loop?)", c->file, c->line,
                    MAX_INCLUDE_DEPTH);
            c->failed = true;
            return 0;
        }
        char resolved[PATH_MAX];
        if (value[0] == '/') {
            snprintf(resolved, sizeof resolved, "%s", value);
        } else {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s", c->file);
            snprintf(resolved, sizeof resolved, "%s/%s", dirname(dir), value);
        }
        vt_error sub;
        if (load_file(c->cfg, resolved, c->depth + 1, &sub)) {
            vt_fail(c->err, "%s:%d: in include '%s': %s", c->file, c->line, value, sub.msg);
            c->failed = true;
            return 0;
        }
        return 1;
    }
    if (!section[0]) {
        vt_fail(c->err, "%s:%d: key '%s' outside any section", c->file, c->line, name);
        c->failed = true;
        return 0;
    }
    vt_cfg_section *s = add_section(c->cfg, section, c->file, c->section_line);
    if (!s || set_entry(s, name, value, c->file, c->line, c->err)) {
        c->failed = true;
        return 0;
    }
    return 1;
}

static int parse(parse_ctx *c) {
    int rc = ini_parse_stream(reader, c, handler, c);
    if (c->failed) return -1;
    if (rc > 0) return vt_fail(c->err, "%s:%d: syntax error (expected [section] or key = value)",
                               c->file, rc);
    if (rc < 0) return vt_fail(c->err, "%s: cannot parse", c->file);
    return 0;
}

static int load_file(vt_cfg *cfg, const char *path, int depth, vt_error *err) {
    FILE *fp = fopen(path, "r");
    if (!fp) return vt_fail(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    /* a FIFO, a terminal or a directory would block or make no sense as a profile */
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
        fclose(fp);
        return vt_fail(err, "%s: not a regular file", path);
    }
    parse_ctx c = {.cfg = cfg, .fp = fp, .depth = depth, .err = err};
    c.file = intern_file(cfg, path);
    int rc = c.file ? parse(&c) : vt_fail(err, "out of memory");
    fclose(fp);
    return rc;
}

int vt_cfg_load(vt_cfg *cfg, const char *path, vt_error *err) {
    memset(cfg, 0, sizeof *cfg);
    return load_file(cfg, path, 0, err);
}

int vt_cfg_load_string(vt_cfg *cfg, const char *name, const char *text, vt_error *err) {
    memset(cfg, 0, sizeof *cfg);
    parse_ctx c = {.cfg = cfg, .text = text, .err = err};
    c.file = intern_file(cfg, name);
    return c.file ? parse(&c) : vt_fail(err, "out of memory");
}

void vt_cfg_free(vt_cfg *cfg) {
    for (int i = 0; i < cfg->nsections; i++) {
        vt_cfg_section *s = &cfg->sections[i];
        for (int j = 0; j < s->nentries; j++) {
            free(s->entries[j].key);
            free(s->entries[j].value);
        }
        free(s->entries);
        free(s->name);
    }
    free(cfg->sections);
    for (int i = 0; i < cfg->nfiles; i++) free(cfg->files[i]);
    free(cfg->files);
    memset(cfg, 0, sizeof *cfg);
}

int vt_cfg_override(vt_cfg *cfg, const char *assignment, vt_error *err) {
    const char *eq = strchr(assignment, '=');
    if (!eq) return vt_fail(err, "--set %s: expected section.key=value", assignment);
    char lhs[256];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof lhs) return vt_fail(err, "--set %s: name too long", assignment);
    memcpy(lhs, assignment, n);
    lhs[n] = 0;
    char *dot = strrchr(lhs, '.');
    if (!dot || dot == lhs || !dot[1])
        return vt_fail(err, "--set %s: expected section.key=value", assignment);
    *dot = 0;
    const char *file = intern_file(cfg, "--set");
    if (!file) return vt_fail(err, "out of memory");
    vt_cfg_section *s = add_section(cfg, lhs, file, 0);
    if (!s) return vt_fail(err, "out of memory");
    return set_entry(s, dot + 1, eq + 1, file, 0, err);
}

vt_cfg_entry *vt_cfg_get(vt_cfg_section *s, const char *key) {
    vt_cfg_entry *e = s ? find_entry(s, key) : NULL;
    if (e) e->used = true;
    return e;
}

static int format_at(vt_error *err, const char *file, int line, const char *fmt, va_list ap) {
    if (!err) return -1;
    int n = line > 0 ? snprintf(err->msg, sizeof err->msg, "%s:%d: ", file, line)
                     : snprintf(err->msg, sizeof err->msg, "%s: ", file);
    if (n < 0 || (size_t)n >= sizeof err->msg) n = 0;
    vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
    return -1;
}

int vt_cfg_fail(vt_error *err, const vt_cfg_entry *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    format_at(err, at->file, at->line, fmt, ap);
    va_end(ap);
    return -1;
}

int vt_cfg_section_fail(vt_error *err, const vt_cfg_section *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    format_at(err, at->file, at->line, fmt, ap);
    va_end(ap);
    return -1;
}

const char *vt_cfg_str(vt_cfg_section *s, const char *key, const char *def) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    return e ? e->value : def;
}

int vt_cfg_u64(vt_cfg_section *s, const char *key, uint64_t def, uint64_t *out, vt_error *err) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    if (!e) {
        *out = def;
        return 0;
    }
    if (vt_parse_u64(e->value, out))
        return vt_cfg_fail(err, e, "bad number '%s' for '%s' (decimal or 0x hex, K/M/G allowed)",
                           e->value, key);
    return 0;
}

int vt_cfg_bool(vt_cfg_section *s, const char *key, bool def, bool *out, vt_error *err) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    if (!e) {
        *out = def;
        return 0;
    }
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < VT_ARRAY_LEN(yes); i++) {
        if (!strcmp(e->value, yes[i])) return (*out = true), 0;
        if (!strcmp(e->value, no[i])) return (*out = false), 0;
    }
    return vt_cfg_fail(err, e, "bad boolean '%s' for '%s' (yes/no)", e->value, key);
}

int vt_cfg_require(vt_cfg_section *s, const char *key, vt_cfg_entry **out, vt_error *err) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    if (!e) return vt_cfg_section_fail(err, s, "[%s] needs a '%s' key", s->name, key);
    *out = e;
    return 0;
}

int vt_cfg_check_unused(const vt_cfg_section *s, vt_error *err) {
    for (int i = 0; i < s->nentries; i++)
        if (!s->entries[i].used)
            return vt_cfg_fail(err, &s->entries[i], "unknown key '%s' in [%s]",
                               s->entries[i].key, s->name);
    return 0;
}
