/* The start time of an emulated real-time clock as a profile gives it: an ISO date
 * (YYYY-MM-DDTHH:MM:SS, UTC) or `host` (the declared host-time input). */
#ifndef VT_RTC_START_H
#define VT_RTC_START_H

#include <stdint.h>

#include "core/common.h"

/* Seconds since 1970-01-01 UTC for `s`; -1 if it is neither an ISO date nor `host`. */
int vt_rtc_parse_start(const char *s, int64_t *out) VT_MUST_CHECK;

#endif
