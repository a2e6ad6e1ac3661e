/* Apple Desktop Bus with its two standard devices, a keyboard (default address 2, handler 1)
 * and a mouse (address 3, handler 2), as the bus master (CUDA) sees them: one command byte
 * (address << 4 | command << 2 | register) plus Listen data in, Talk data out.
 * Source: Apple, Guide to the Macintosh Family Hardware 2nd ed., ch. 8 (ADB protocol). */
#ifndef VT_ADB_BUS_H
#define VT_ADB_BUS_H

#include <stddef.h>
#include <stdint.h>

#define VT_ADB_MAX_REPLY 8

typedef struct vt_adb_dev {
    uint8_t addr, default_addr;
    uint8_t handler, default_handler;
} vt_adb_dev;

typedef struct vt_adb_bus {
    vt_adb_dev kbd, mouse;
} vt_adb_bus;

void vt_adb_reset(vt_adb_bus *b);
/* Runs one ADB transaction. Returns the Talk reply length (0 for Listen, Flush and
 * SendReset), or -1 when no device answered (the bus timed out). */
int vt_adb_request(vt_adb_bus *b, const uint8_t *in, size_t len, uint8_t out[VT_ADB_MAX_REPLY]);

#endif
