/* `--screenshot FILE.png@TIME`: PNG files of the machine's first screen at exact emulated
 * times (events on the machine's scheduler, so headless runs get them too). */
#ifndef VT_SCREENSHOT_H
#define VT_SCREENSHOT_H

#include "core/machine.h"

#define VT_MAX_SCREENSHOTS 16

typedef struct vt_screenshots vt_screenshots;

/* Splits "FILE.png@TIME" (TIME as --until takes it); 0 or -1 with a message in err. */
int vt_screenshot_parse(const char *spec, char *path, size_t path_size, vt_time *when,
                        vt_error *err) VT_MUST_CHECK;
/* Arms one event per spec on m (specs were checked with vt_screenshot_parse); fails when the
 * machine has no screen. *out is NULL when n is 0. */
int vt_screenshots_arm(vt_screenshots **out, vt_machine *m, const char *const *specs, int n,
                       vt_error *err) VT_MUST_CHECK;
/* After the run: fails (naming the first) if a screenshot could not be written or the run
 * ended before its time; frees everything. */
int vt_screenshots_finish(vt_screenshots *s, vt_error *err) VT_MUST_CHECK;
/* Cancels what is still armed and frees, without checking (a run that never started). */
void vt_screenshots_free(vt_screenshots *s);

#endif
