/* Apple Desktop Bus with its two standard devices, a keyboard (default address 2, handler 1;
 * handler 3 reports the right-hand modifiers apart) and a one-button mouse (address 3, handler
 * 2), as the bus master (CUDA) sees them: one command byte (address << 4 | command << 2 |
 * register) plus Listen data in, Talk data out. Host input queues here until a Talk register 0
 * (asked by the host or by CUDA's autopoll) takes it.
 * Source: Apple, Guide to the Macintosh Family Hardware 2nd ed., ch. 8 (ADB protocol). */
#ifndef VT_ADB_BUS_H
#define VT_ADB_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_ADB_MAX_REPLY 8
#define VT_ADB_KEY_QUEUE 16

typedef struct vt_adb_dev {
    uint8_t addr, default_addr;
    uint8_t handler, default_handler;
    uint32_t handlers; /* bit N: accepts handler ID N (a Listen R3 to any other is ignored) */
} vt_adb_dev;

typedef struct vt_adb_bus {
    vt_adb_dev kbd, mouse;
    uint8_t keys[VT_ADB_KEY_QUEUE]; /* key transitions not yet talked: code | 0x80 if up */
    int nkeys;
    int32_t dx, dy; /* mouse motion not yet talked */
    bool button, sent_button;
} vt_adb_bus;

void vt_adb_reset(vt_adb_bus *b);
/* Runs one ADB transaction. Returns the Talk reply length (0 for Listen, Flush and
 * SendReset), or -1 when no device answered (the bus timed out). */
int vt_adb_request(vt_adb_bus *b, const uint8_t *in, size_t len, uint8_t out[VT_ADB_MAX_REPLY]);
/* CUDA's autopoll: Talk register 0 of the first device with something to say. Returns the
 * reply length and the command byte it answered in *cmd, or -1 when none has data. */
int vt_adb_poll(vt_adb_bus *b, uint8_t *cmd, uint8_t out[VT_ADB_MAX_REPLY]);
/* Host input: an ADB key code (config/keymaps/adb.ini) went down or up; mouse motion (dy > 0
 * towards the user, as the Mac's screen y) and the button. */
void vt_adb_key(vt_adb_bus *b, uint8_t code, bool down);
/* Whether some device has something to report (autopoll would get an answer). */
bool vt_adb_pending(const vt_adb_bus *b);
void vt_adb_mouse(vt_adb_bus *b, int dx, int dy, bool button);

#endif
