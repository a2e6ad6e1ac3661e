/* The input hub: host input (keyboard, mouse, touchscreen, buttons) enters a machine only at
 * scheduler points, so a session can be recorded with emulated times and replayed exactly.
 * Host code posts events (any thread); a poll event on the machine's scheduler (every 1 ms of
 * emulated time while live input is on) takes them and delivers them to the sinks: the
 * machine's keyboard/pointer devices, attached by the frontend (frontend/input_route.c) or
 * by a board (the handhelds' touchscreen and buttons use the same API). An observer sees
 * every delivered event with its time (the --record-input log). Keys are named by USB HID
 * usage IDs (keyboard page 7: 0x04 = A, 0x28 = Return); core/input_keys.c names them. */
#ifndef VT_INPUT_H
#define VT_INPUT_H

#include "core/common.h"
#include "core/sched.h"

typedef enum vt_input_kind {
    VT_INPUT_KEY = 1,    /* code = HID usage, down */
    VT_INPUT_MOUSE = 2,  /* x, y = relative motion (y > 0: towards the user), code = buttons
                            held (bit 0 left, 1 right, 2 middle) */
    VT_INPUT_TOUCH = 4,  /* x, y = absolute position, 0..65535 across the panel, down */
    VT_INPUT_BUTTON = 8, /* code = the board's button number, down */
} vt_input_kind;

typedef struct vt_input_event {
    vt_input_kind kind;
    uint16_t code;
    bool down;
    int32_t x, y;
} vt_input_event;

typedef struct vt_input vt_input;
typedef void (*vt_input_sink_fn)(void *opaque, const vt_input_event *ev);
typedef void (*vt_input_observer_fn)(void *opaque, vt_time when, const vt_input_event *ev);

int vt_input_create(vt_input **out, vt_sched *sched, vt_error *err) VT_MUST_CHECK;
void vt_input_destroy(vt_input *in);

/* A device taking the event kinds in `kinds` (a mask of vt_input_kind). */
int vt_input_add_sink(vt_input *in, unsigned kinds, vt_input_sink_fn fn, void *opaque,
                      vt_error *err) VT_MUST_CHECK;
/* Which kinds some sink takes (the frontend grabs the mouse only if one does). */
unsigned vt_input_kinds(const vt_input *in);
void vt_input_set_observer(vt_input *in, vt_input_observer_fn fn, void *opaque);

/* Live input: starts the poll event. vt_input_post is safe from any thread. */
void vt_input_start_live(vt_input *in);
void vt_input_post(vt_input *in, const vt_input_event *ev);
/* Events delivered so far (the kiosk watches it for visitor activity). */
uint64_t vt_input_delivered(const vt_input *in);

/* Delivers an event now; only from scheduler context (an event callback: the replayer). */
void vt_input_deliver(vt_input *in, const vt_input_event *ev);

/* Key names (core/input_keys.c): "A", "Return", "LeftShift"… -> HID usage, 0 if unknown. */
uint16_t vt_input_key_code(const char *name);
const char *vt_input_key_name(uint16_t code); /* NULL if unnamed */

#endif
