/* A machine's input for one `vitrine run`: the hub (core/input.h), its routing to the
 * machine's devices, and the optional --record-input / --replay-input logs. */
#ifndef VT_INPUT_SESSION_H
#define VT_INPUT_SESSION_H

#include "core/input.h"
#include "core/machine.h"

typedef struct vt_input_session {
    vt_input *hub;
    struct vt_input_route *route;
    struct vt_input_recorder *recorder;
    struct vt_input_replay *replay;
} vt_input_session;

/* record / replay: file paths or NULL. On error everything opened so far is closed. */
int vt_input_session_open(vt_input_session *s, vt_machine *m, const char *record,
                          const char *replay, vt_error *err) VT_MUST_CHECK;
/* Closes the logs (an error if the record log could not be written). */
int vt_input_session_close(vt_input_session *s, vt_error *err) VT_MUST_CHECK;

#endif
