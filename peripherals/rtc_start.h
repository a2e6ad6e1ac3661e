/* The start time of an emulated real-time clock as a profile gives it: an ISO date
 * (YYYY-MM-DDTHH:MM:SS, UTC) or `host` (the declared host-time input). */
#ifndef VT_RTC_START_H
#define VT_RTC_START_H

#include <stdint.h>

#include "core/common.h"

/* Seconds since 1970-01-01 UTC for `s`; -1 if it is neither `host` nor a valid ISO date (a day
 * of its month, Gregorian leap years, seconds 0-59) in years min_year..max_year (what the
 * chip's registers can hold). */
int vt_rtc_parse_date(const char *s, int min_year, int max_year, int64_t *out) VT_MUST_CHECK;
/* The same for clocks that count from 1904 on (the Macintosh epoch, the widest of them). */
int vt_rtc_parse_start(const char *s, int64_t *out) VT_MUST_CHECK;

#endif
