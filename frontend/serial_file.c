/* `--serial file:PATH`: guest output appended to a file, no input. */
#include "frontend/serial.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct serial_file {
    vt_serial_base base;
    FILE *f;
} serial_file;

static void sf_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    serial_file *s = c->opaque;
    fwrite(buf, 1, len, s->f);
    fflush(s->f);
}

static int sf_read(vt_chardev *c) {
    VT_UNUSED(c);
    return -1;
}

static void sf_close(vt_chardev *c) {
    serial_file *s = c->opaque;
    fclose(s->f);
    free(s);
}

int vt_serial_file_open(const char *path, vt_chardev **out, vt_error *err) {
    FILE *f = fopen(path, "wb");
    if (!f) return vt_fail(err, "--serial file:%s: %s", path, strerror(errno));
    serial_file *s = calloc(1, sizeof *s);
    if (!s) {
        fclose(f);
        return vt_fail(err, "out of memory");
    }
    s->f = f;
    s->base.kind = VT_SERIAL_FILE;
    s->base.chr = (vt_chardev){sf_write, sf_read, sf_close, s};
    *out = &s->base.chr;
    return 0;
}
