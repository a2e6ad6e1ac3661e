/* `--serial stdio`: guest output to stdout, input from stdin. When stdin is a terminal it is
 * put in raw mode (restored on close and at exit) and Ctrl-A x quits, Ctrl-A Ctrl-A sends a
 * literal Ctrl-A, as in QEMU. Input is read without blocking. */
#include "frontend/serial.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

typedef struct serial_stdio {
    vt_serial_base base;
    bool tty, escape, eof;
    struct termios saved;
    int saved_flags;
} serial_stdio;

/* The terminal settings to restore at exit: process-wide because the terminal is. */
static struct termios exit_termios;
static bool exit_restore, exit_registered;

static void restore_at_exit(void) {
    if (exit_restore) tcsetattr(STDIN_FILENO, TCSANOW, &exit_termios);
}

static void ss_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    VT_UNUSED(c);
    while (len) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n <= 0) return;
        buf += n;
        len -= (size_t)n;
    }
}

static void quit(serial_stdio *s) {
    if (s->tty) tcsetattr(STDIN_FILENO, TCSANOW, &s->saved);
    exit_restore = false;
    fprintf(stderr, "\r\nvitrine: terminated (Ctrl-A x)\r\n");
    if (s->base.machine) {
        vt_machine_request_stop(s->base.machine, 0);
        s->eof = true;
        return;
    }
    exit(0); /* no machine attached to stop: end the process like QEMU does */
}

static int ss_read(vt_chardev *c) {
    serial_stdio *s = c->opaque;
    if (s->eof) return -1;
    for (;;) {
        uint8_t b;
        ssize_t n = read(STDIN_FILENO, &b, 1);
        if (n == 0) s->eof = true;
        if (n <= 0) return -1;
        if (!s->tty) return b;
        if (s->escape) {
            s->escape = false;
            if (b == 'x' || b == 'X') {
                quit(s);
                return -1;
            }
            if (b == 1) return 1;
            continue; /* unknown escape: dropped */
        }
        if (b == 1) {
            s->escape = true;
            continue;
        }
        return b;
    }
}

static void ss_close(vt_chardev *c) {
    serial_stdio *s = c->opaque;
    if (s->tty) tcsetattr(STDIN_FILENO, TCSANOW, &s->saved);
    exit_restore = false;
    fcntl(STDIN_FILENO, F_SETFL, s->saved_flags);
    free(s);
}

int vt_serial_stdio_open(vt_chardev **out, vt_error *err) {
    serial_stdio *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    s->base.kind = VT_SERIAL_STDIO;
    s->saved_flags = fcntl(STDIN_FILENO, F_GETFL);
    if (s->saved_flags < 0) s->saved_flags = 0;
    fcntl(STDIN_FILENO, F_SETFL, s->saved_flags | O_NONBLOCK);
    s->tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &s->saved) == 0;
    if (s->tty) {
        struct termios raw = s->saved;
        cfmakeraw(&raw);
        exit_termios = s->saved;
        if (!exit_registered) atexit(restore_at_exit);
        exit_registered = true;
        exit_restore = true;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    s->base.chr = (vt_chardev){ss_write, ss_read, ss_close, s};
    *out = &s->base.chr;
    return 0;
}
