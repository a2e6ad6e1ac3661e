/* Character endpoints between a serial device model and the host (stdio, file, loopback TCP,
 * or a test transcript). The device pulls input when it can accept a byte, so host input can
 * never overrun the emulated UART; the machine polls backends at emulated-time intervals. */
#ifndef VT_CHARDEV_H
#define VT_CHARDEV_H

#include "core/common.h"

typedef struct vt_chardev vt_chardev;
struct vt_chardev {
    /* Guest -> host. */
    void (*write)(vt_chardev *c, const uint8_t *buf, size_t len);
    /* Host -> guest: returns a byte (0..255) or -1 when none is waiting. */
    int (*read)(vt_chardev *c);
    void (*close)(vt_chardev *c);
    void *opaque;
};

static inline void vt_chardev_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    if (c && c->write) c->write(c, buf, len);
}
static inline int vt_chardev_read(vt_chardev *c) {
    return c && c->read ? c->read(c) : -1;
}

#endif
