/* `--serial SPEC` parsing: picks the host endpoint backend (frontend/serial_*.c). */
#include "frontend/serial.h"

#include <stdlib.h>

int vt_serial_open(const char *spec, vt_chardev **out, vt_error *err) {
    *out = NULL;
    if (!strcmp(spec, "none")) return 0;
    if (!strcmp(spec, "stdio")) return vt_serial_stdio_open(out, err);
    if (!strncmp(spec, "file:", 5) && spec[5]) return vt_serial_file_open(spec + 5, out, err);
    if (!strncmp(spec, "tcp:", 4)) return vt_serial_tcp_open(spec + 4, out, err);
    if (!strncmp(spec, "script:", 7) && spec[7]) return vt_serial_script_open(spec + 7, out, err);
    return vt_fail(err,
                   "bad --serial '%s' (expected stdio, file:PATH[,truncate], tcp:127.0.0.1:PORT, "
                   "script:FILE or none)",
                   spec);
}

void vt_serial_attach(vt_chardev *c, vt_machine *m) {
    if (c) ((vt_serial_base *)c->opaque)->machine = m;
}

int vt_serial_start(vt_chardev *c, vt_error *err) {
    if (!c) return 0;
    vt_serial_base *b = c->opaque;
    return b->start ? b->start(c, err) : 0;
}

void vt_serial_close(vt_chardev *c) {
    if (c && c->close) c->close(c);
}
