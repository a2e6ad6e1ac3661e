/* `--serial file:PATH[,truncate]`: guest output written to a file, no input. The file is opened
 * only once the machine has been built (vt_serial_start), so a bad profile never touches it,
 * and output is appended unless `,truncate` asks to empty it first (issue 9.4). */
#include "frontend/serial.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define TRUNCATE_SUFFIX ",truncate"

typedef struct serial_file {
    vt_serial_base base;
    FILE *f;
    bool truncate;
    char path[];
} serial_file;

static void sf_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    serial_file *s = c->opaque;
    if (!s->f) return;
    fwrite(buf, 1, len, s->f);
    fflush(s->f);
}

static int sf_read(vt_chardev *c) {
    VT_UNUSED(c);
    return -1;
}

static void sf_close(vt_chardev *c) {
    serial_file *s = c->opaque;
    if (s->f) fclose(s->f);
    free(s);
}

static int sf_start(vt_chardev *c, vt_error *err) {
    serial_file *s = c->opaque;
    s->f = fopen(s->path, s->truncate ? "wb" : "ab");
    if (!s->f) return vt_fail(err, "--serial file:%s: %s", s->path, strerror(errno));
    return 0;
}

int vt_serial_file_open(const char *spec, vt_chardev **out, vt_error *err) {
    size_t len = strlen(spec), slen = strlen(TRUNCATE_SUFFIX);
    bool truncate = len > slen && !strcmp(spec + len - slen, TRUNCATE_SUFFIX);
    if (truncate) len -= slen;
    serial_file *s = calloc(1, sizeof *s + len + 1);
    if (!s) return vt_fail(err, "out of memory");
    memcpy(s->path, spec, len);
    s->truncate = truncate;
    s->base.kind = VT_SERIAL_FILE;
    s->base.start = sf_start;
    s->base.chr = (vt_chardev){sf_write, sf_read, sf_close, s};
    *out = &s->base.chr;
    return 0;
}
