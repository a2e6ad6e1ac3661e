/* Museum kiosk mode (`vitrine kiosk KIOSK.ini`): titles run fullscreen without decorations;
 * every host shortcut is swallowed except the attendant chord (optionally followed by a PIN),
 * which opens an on-screen menu (restart, choose title, quit). With several titles a title
 * menu comes first. Without visitor input for `idle_timeout` the machine is thrown away with
 * its overlays and built again from the untouched images (pristine), then, when the kiosk has
 * a pristine state (`snapshot_at`: captured once at that emulated time of the first boot;
 * `state = FILE`: read from a file), that state is loaded into it; a watchdog restarts a
 * machine whose screen and serial output stay still for `watchdog`. Images are always behind
 * a throw-away overlay, so nothing a visitor does reaches them. Times are emulated time (the
 * kiosk runs at real-time speed, so they are also wall-clock times). One log line per visitor
 * session. */
#ifndef VT_KIOSK_H
#define VT_KIOSK_H

#include "core/sched.h"
#include "frontend/title.h"
#include "jit/jit_mode.h"

#define VT_KIOSK_MAX_TITLES 16
#define VT_KIOSK_MAX_CHORD 4

typedef struct vt_kiosk_config {
    char file[4096];
    char titles[VT_KIOSK_MAX_TITLES][4096];
    int ntitles;
    vt_time idle_timeout, watchdog;     /* 0: off */
    vt_time snapshot_at;                /* 0: no captured pristine state */
    char state[4096];                   /* "" : none; with snapshot_at, written when missing */
    uint16_t chord[VT_KIOSK_MAX_CHORD]; /* HID usages, all held together */
    int nchord;
    char pin[16];        /* "" : none */
    char log[4096];      /* "" : stderr */
    char serial[4096];   /* host end of serial0, "none" by default */
    char rom_path[4096]; /* "" : the default */
    double speed;
    vt_jit_mode jit; /* on: machines whose core has a JIT translate (frontend/machine_jit.h) */
} vt_kiosk_config;

/* Reads KIOSK.ini; errors say file:line. */
int vt_kiosk_config_load(const char *path, vt_kiosk_config *c, vt_error *err) VT_MUST_CHECK;
/* Loads and verifies every title (SHA-1 of every image). */
int vt_kiosk_check(const vt_kiosk_config *c, vt_error *err) VT_MUST_CHECK;
/* Runs the kiosk until the attendant quits (0) or a title cannot start (error). */
int vt_kiosk_run(const vt_kiosk_config *c, vt_error *err) VT_MUST_CHECK;

#endif
