/* Host serial endpoints for `--serial SPEC` (core/chardev.h): `stdio` (raw terminal when
 * stdin is a tty, restored on exit, Ctrl-A x quits like QEMU), `file:PATH[,truncate]` (output
 * only, appended; opened by vt_serial_start once the machine is built),
 * `tcp:127.0.0.1:PORT` (loopback listener, one client), `script:FILE` (types the lines of
 * FILE one after another whenever the guest shows an Open Firmware `N > ` prompt; for tests),
 * and `none`. */
#ifndef VT_FRONTEND_SERIAL_H
#define VT_FRONTEND_SERIAL_H

#include "core/chardev.h"
#include "core/machine.h"

int vt_serial_open(const char *spec, vt_chardev **out, vt_error *err) VT_MUST_CHECK;
/* Lets an endpoint stop the machine (Ctrl-A x on stdio; end of script). Optional. */
void vt_serial_attach(vt_chardev *c, vt_machine *m);
/* Opens what an endpoint defers until the machine has been built (the file of `file:`), so a
 * profile error never touches it. NULL is fine. */
int vt_serial_start(vt_chardev *c, vt_error *err) VT_MUST_CHECK;
/* Closes and frees an endpoint (restores the terminal for stdio). NULL is fine. */
void vt_serial_close(vt_chardev *c);
/* For script endpoints: true once every line was typed and the guest prompted again. */
bool vt_serial_script_done(const vt_chardev *c);

/* Constructors of the backends (frontend/serial_*.c). */
int vt_serial_stdio_open(vt_chardev **out, vt_error *err) VT_MUST_CHECK;
int vt_serial_file_open(const char *path, vt_chardev **out, vt_error *err) VT_MUST_CHECK;
int vt_serial_tcp_open(const char *hostport, vt_chardev **out, vt_error *err) VT_MUST_CHECK;
int vt_serial_script_open(const char *path, vt_chardev **out, vt_error *err) VT_MUST_CHECK;

/* Common header of every backend's private state (first member of each). */
typedef struct vt_serial_base {
    vt_chardev chr;
    vt_machine *machine;
    int kind;                                   /* VT_SERIAL_* */
    int (*start)(vt_chardev *c, vt_error *err); /* NULL: nothing deferred */
} vt_serial_base;
enum { VT_SERIAL_STDIO = 1, VT_SERIAL_FILE, VT_SERIAL_TCP, VT_SERIAL_SCRIPT };

#endif
