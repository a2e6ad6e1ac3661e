/* PS/2 keyboard and mouse as seen from their controller (an i8042): each device answers the
 * bytes the host sends and queues the bytes it sends back (responses, scan codes, movement
 * packets). They are parts of the controller device, not device classes of their own.
 * Sources: IBM PS/2 Hardware Interface Technical Reference (keyboard and auxiliary device
 * commands); IBM PC AT Technical Reference (scan codes). Facts in hwdocs/pc.md. */
#ifndef VT_PS2_H
#define VT_PS2_H

#include "core/common.h"

struct vt_state_writer;
struct vt_state_reader;

#define VT_PS2_QUEUE 32

typedef struct vt_ps2_queue {
    uint8_t b[VT_PS2_QUEUE];
    uint8_t head, n;
} vt_ps2_queue;

/* Appends (dropping the byte when the queue is full, as a device buffer overflows). */
void vt_ps2_queue_put(vt_ps2_queue *q, uint8_t v);
/* Removes the oldest byte; the queue must not be empty. */
uint8_t vt_ps2_queue_get(vt_ps2_queue *q);
void vt_ps2_queue_save(const vt_ps2_queue *q, struct vt_state_writer *w);
void vt_ps2_queue_load(vt_ps2_queue *q, struct vt_state_reader *r);

typedef struct vt_ps2_kbd {
    vt_ps2_queue q;
    uint8_t expect; /* command waiting for its argument byte, 0 if none */
    bool scanning;
    uint8_t set; /* scan code set 1..3 */
    uint8_t leds, typematic;
} vt_ps2_kbd;

void vt_ps2_kbd_reset(vt_ps2_kbd *k);
/* A byte from the host (command or argument). */
void vt_ps2_kbd_write(vt_ps2_kbd *k, uint8_t v);
/* A key event: `code` is the key's scan code set 2 make code, 0xE0xx for E0-prefixed keys
 * (e.g. 0x1C = A, 0xE075 = cursor up). Queued in the keyboard's current set when scanning. */
void vt_ps2_kbd_key(vt_ps2_kbd *k, uint16_t code, bool down);
/* The 8042's set 2 -> set 1 translation of one byte (codes without a key pass through). */
uint8_t vt_ps2_set2_to_set1(uint8_t code);
void vt_ps2_kbd_save(const vt_ps2_kbd *k, struct vt_state_writer *w);
void vt_ps2_kbd_load(vt_ps2_kbd *k, struct vt_state_reader *r);

typedef struct vt_ps2_mouse {
    vt_ps2_queue q;
    uint8_t expect;
    bool reporting, remote, wrap, scale21;
    uint8_t rate, resolution, buttons;
    int32_t dx, dy; /* movement not yet reported (remote mode) */
} vt_ps2_mouse;

void vt_ps2_mouse_reset(vt_ps2_mouse *m);
void vt_ps2_mouse_write(vt_ps2_mouse *m, uint8_t v);
/* Movement (dy > 0 = away from the user) and buttons (bit 0 left, 1 right, 2 middle). */
void vt_ps2_mouse_event(vt_ps2_mouse *m, int dx, int dy, unsigned buttons);
void vt_ps2_mouse_save(const vt_ps2_mouse *m, struct vt_state_writer *w);
void vt_ps2_mouse_load(vt_ps2_mouse *m, struct vt_state_reader *r);

#endif
