/* Connects a machine's keyboard and pointer devices to an input hub (core/input.h), each with
 * its key map: the PC's i8042 (PS/2 keyboard and mouse, config/keymaps/pc-ps2.ini), the SS-5's
 * Sun keyboard (config/keymaps/sun-type5.ini) and Sun mouse, the G3's ADB keyboard and mouse
 * behind CUDA (config/keymaps/adb.ini). */
#ifndef VT_INPUT_ROUTE_H
#define VT_INPUT_ROUTE_H

#include "core/input.h"
#include "core/machine.h"

typedef struct vt_input_route vt_input_route;

/* Finds the input devices of m and adds them as sinks of in (none found: nothing to do). */
int vt_input_route_create(vt_input_route **out, vt_input *in, vt_machine *m,
                          vt_error *err) VT_MUST_CHECK;
void vt_input_route_destroy(vt_input_route *r);

#endif
