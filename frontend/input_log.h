/* The deterministic input log: --record-input FILE writes every event the machine takes with
 * its emulated time; --replay-input FILE delivers a log's events at exactly those times. */
#ifndef VT_INPUT_LOG_H
#define VT_INPUT_LOG_H

#include "core/input.h"

typedef struct vt_input_recorder vt_input_recorder;
typedef struct vt_input_replay vt_input_replay;

int vt_input_record_open(vt_input_recorder **out, const char *path, vt_input *in,
                         vt_error *err) VT_MUST_CHECK;
/* Closes the log (an error if any write failed). NULL: nothing. */
int vt_input_record_close(vt_input_recorder *r, vt_error *err) VT_MUST_CHECK;

/* Reads the whole log first (syntax errors: file:line) and arms its first event. */
int vt_input_replay_open(vt_input_replay **out, const char *path, vt_input *in, vt_sched *sched,
                         vt_error *err) VT_MUST_CHECK;
void vt_input_replay_close(vt_input_replay *p);

#endif
