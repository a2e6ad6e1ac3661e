/* `--serial script:FILE`: a scripted console for transcript tests. Guest output goes to
 * stdout; whenever the output ends in an Open Firmware prompt ("N > " at the start of a line)
 * the next line of FILE is typed (one byte per receive poll of the UART, then CR); ANSI control
 * sequences (ESC [ ... final byte, e.g. busybox's cursor query after its prompt) are not part of
 * the line prompt detection looks at. After the
 * last line, the next prompt marks the script done and stops an attached machine. Input
 * depends only on guest output, so runs are deterministic. */
#include "frontend/serial.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct serial_script {
    vt_serial_base base;
    char *text;      /* the whole script */
    size_t pos, len; /* next byte to type */
    bool typing;     /* a line is being typed */
    bool done, prompted;
    char tail[64]; /* the current output line, for prompt detection */
    size_t ntail;
    int esc; /* 0: text, 1: after ESC, 2: inside a CSI sequence */
} serial_script;

static bool at_prompt(const serial_script *s) {
    /* digits, then " > " */
    if (s->ntail < 4 || s->tail[s->ntail - 1] != ' ' || s->tail[s->ntail - 2] != '>' ||
        s->tail[s->ntail - 3] != ' ')
        return false;
    for (size_t i = 0; i + 3 < s->ntail; i++)
        if (!isdigit((unsigned char)s->tail[i])) return false;
    return true;
}

static void sc_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    serial_script *s = c->opaque;
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == 0x1b) {
            s->esc = 1;
        } else if (s->esc == 1) {
            s->esc = buf[i] == '[' ? 2 : 0;
        } else if (s->esc == 2) {
            if (buf[i] >= 0x40 && buf[i] <= 0x7e) s->esc = 0; /* final byte */
        } else if (buf[i] == '\n' || buf[i] == '\r') {
            s->ntail = 0;
        } else if (s->ntail < sizeof s->tail) {
            s->tail[s->ntail++] = (char)buf[i];
        }
    }
    if (!s->prompted && at_prompt(s) && s->base.machine) {
        /* for benchmarks and harnesses: when the guest first asked for input */
        s->prompted = true;
        fprintf(stderr, "serial script: first prompt at %.6f s emulated\n",
                (double)vt_sched_now(&s->base.machine->sched) / (double)VT_PS_PER_SEC);
    }
    if (!s->typing && !s->done && at_prompt(s)) {
        if (s->pos >= s->len) {
            s->done = true;
            if (s->base.machine) vt_machine_request_stop(s->base.machine, 0);
        } else {
            s->typing = true;
        }
    }
}

static int sc_read(vt_chardev *c) {
    serial_script *s = c->opaque;
    if (!s->typing) return -1;
    char ch = s->text[s->pos++];
    if (ch == '\n' || s->pos >= s->len) {
        s->typing = false;
        s->ntail = 0;
        if (ch != '\n') s->pos = s->len;
        return '\r';
    }
    return (unsigned char)ch;
}

static void sc_close(vt_chardev *c) {
    serial_script *s = c->opaque;
    free(s->text);
    free(s);
}

bool vt_serial_script_done(const vt_chardev *c) {
    const vt_serial_base *b = c->opaque;
    return b->kind == VT_SERIAL_SCRIPT && ((const serial_script *)b)->done;
}

int vt_serial_script_open(const char *path, vt_chardev **out, vt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return vt_fail(err, "--serial script:%s: %s", path, strerror(errno));
    serial_script *s = calloc(1, sizeof *s);
    size_t cap = 4096;
    char *text = malloc(cap);
    size_t n = 0, r;
    while (s && text && (r = fread(text + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap >= (1u << 20)) break;
            char *t = realloc(text, cap * 2);
            if (!t) break;
            text = t;
            cap *= 2;
        }
    }
    fclose(f);
    if (!s || !text) {
        free(s);
        free(text);
        return vt_fail(err, "out of memory");
    }
    s->text = text;
    s->len = n;
    s->base.kind = VT_SERIAL_SCRIPT;
    s->base.chr = (vt_chardev){sc_write, sc_read, sc_close, s};
    *out = &s->base.chr;
    return 0;
}
