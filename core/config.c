/* INI profile parsing on top of inih, with file:line for every entry, includes and overrides.
 * inih is driven through ini_parse_stream with our own line reader so we know the line number
 * of each entry without depending on how the system's inih was built. The reader takes whole
 * lines of any length: comment lines and inline comments never reach inih, and a line whose
 * content still exceeds inih's buffer (200 bytes in Debian's build) is refused with file:line
 * instead of being split into two lines (issue 9.5). */
#include "core/config.h"

#include "core/sched.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INCLUDE_DEPTH 8
#define MAX_PROFILE_BYTES (16u << 20) /* no real profile comes near; bounds a line's buffer */

typedef struct parse_ctx {
    vt_cfg *cfg;
    const char *file; /* interned name of the file being read */
    const char *text; /* in-memory source, or NULL */
    FILE *fp;
    char *buf; /* the current whole line */
    size_t cap;
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

/* Reads one whole line (without its newline) into c->buf; returns its length or -1 at EOF. */
static ssize_t read_line(parse_ctx *c) {
    if (c->fp) {
        ssize_t n = getline(&c->buf, &c->cap, c->fp);
        if (n > 0 && c->buf[n - 1] == '\n') c->buf[--n] = 0;
        return n;
    }
    if (!*c->text) return -1;
    size_t n = strcspn(c->text, "\n");
    if (n + 1 > c->cap) {
        char *b = realloc(c->buf, n + 1);
        if (!b) return -1;
        c->buf = b;
        c->cap = n + 1;
    }
    memcpy(c->buf, c->text, n);
    c->buf[n] = 0;
    c->text += n + (c->text[n] == '\n');
    return (ssize_t)n;
}

/* Cuts an inline comment (';' after whitespace, inih's rule) off the line. */
static void cut_inline_comment(char *line) {
    for (char *p = line + 1; *p; p++)
        if (*p == ';' && (p[-1] == ' ' || p[-1] == '\t')) {
            *p = 0;
            return;
        }
}

static char *reader(char *str, int num, void *stream) {
    parse_ctx *c = stream;
    if (c->failed || read_line(c) < 0) return NULL;
    c->line++;
    /* leading blanks go: inih would take an indented line for a continuation of the last value */
    char *p = c->buf + strspn(c->buf, " \t");
    if (*p == ';' || *p == '#') *p = 0; /* a comment line of any length is an empty line */
    if (*p == '[') c->section_line = c->line;
    if (strlen(p) > (size_t)num - 2) cut_inline_comment(p);
    size_t len = strlen(p);
    if (len > (size_t)num - 2) {
        vt_fail(c->err, "%s:%d: line is %zu characters long; at most %d fit (before any comment)",
                c->file, c->line, len, num - 2);
        c->failed = true;
        return NULL;
    }
    memcpy(str, p, len);
    str[len] = '\n';
    str[len + 1] = 0;
    return str;
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
            return vt_fail(err, "%s:%d: duplicate key '%s' in [%s] (first at line %d)", file, line,
                           key, s->name, e->line);
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
    if (rc > 0)
        return vt_fail(c->err, "%s:%d: syntax error (expected [section] or key = value)", c->file,
                       rc);
    if (rc < 0) return vt_fail(c->err, "%s: cannot parse", c->file);
    return 0;
}

/* Opens a profile without blocking: a FIFO or device could otherwise hang open() or read()
 * forever (issue 9.7), so the type is checked on a non-blocking descriptor first. */
static FILE *open_regular(const char *path, vt_error *err) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        vt_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        vt_fail(err, "%s: not a regular file", path);
        return NULL;
    }
    if (st.st_size > MAX_PROFILE_BYTES) {
        close(fd);
        vt_fail(err, "%s: larger than %u MiB; not a profile", path, MAX_PROFILE_BYTES >> 20);
        return NULL;
    }
    FILE *fp = fcntl(fd, F_SETFL, 0) ? NULL : fdopen(fd, "r");
    if (!fp) {
        vt_fail(err, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
    }
    return fp;
}

static int load_file(vt_cfg *cfg, const char *path, int depth, vt_error *err) {
    FILE *fp = open_regular(path, err);
    if (!fp) return -1;
    parse_ctx c = {.cfg = cfg, .fp = fp, .depth = depth, .err = err};
    c.file = intern_file(cfg, path);
    int rc = c.file ? parse(&c) : vt_fail(err, "out of memory");
    free(c.buf);
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
    int rc = c.file ? parse(&c) : vt_fail(err, "out of memory");
    free(c.buf);
    return rc;
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
    for (int i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
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

int vt_cfg_check_hz(const vt_cfg_entry *e, uint64_t hz, vt_error *err) {
    if (hz >= VT_CLOCK_MIN_HZ && hz <= VT_CLOCK_MAX_HZ) return 0;
    return vt_cfg_fail(err, e, "clock '%s' for '%s' is out of range (%llu Hz to %llu Hz)", e->value,
                       e->key, VT_CLOCK_MIN_HZ, VT_CLOCK_MAX_HZ);
}

int vt_cfg_hz(vt_cfg_section *s, const char *key, uint64_t def, uint64_t *out, vt_error *err) {
    if (vt_cfg_u64(s, key, def, out, err)) return -1;
    vt_cfg_entry *e = vt_cfg_get(s, key);
    return e ? vt_cfg_check_hz(e, *out, err) : 0;
}

int vt_cfg_bool(vt_cfg_section *s, const char *key, bool def, bool *out, vt_error *err) {
    vt_cfg_entry *e = vt_cfg_get(s, key);
    if (!e) {
        *out = def;
        return 0;
    }
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
                                                                                "off", "0"};
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
            return vt_cfg_fail(err, &s->entries[i], "unknown key '%s' in [%s]", s->entries[i].key,
                               s->name);
    return 0;
}
