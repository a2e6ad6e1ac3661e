/* Parses a real-time clock's start time for clock chips (ISO date or `host`). Host time is
 * read only when the profile declares `host`, so runs stay deterministic otherwise. */
#include "peripherals/rtc_start.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int month_days(int month, int year) {
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 || year % 400 == 0);
    return month == 2 && leap ? 29 : days[month - 1];
}

int vt_rtc_parse_date(const char *s, int min_year, int max_year, int64_t *out) {
    if (!strcmp(s, "host")) {
        *out = (int64_t)time(NULL);
        return 0;
    }
    struct tm tm = {0};
    char tail;
    if (sscanf(s, "%d-%d-%dT%d:%d:%d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &tail) != 6)
        return -1;
    if (tm.tm_year < min_year || tm.tm_year > max_year || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > month_days(tm.tm_mon, tm.tm_year) || tm.tm_hour < 0 ||
        tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 59)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

int vt_rtc_parse_start(const char *s, int64_t *out) {
    return vt_rtc_parse_date(s, 1904, 9999, out);
}
