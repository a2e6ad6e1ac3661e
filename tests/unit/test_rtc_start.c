/* The clock chips' shared start-time parser (peripherals/rtc_start.c): ISO dates to seconds
 * since 1970, the calendar checked (a day past its month's end is refused, not rolled over:
 * m48t59, CUDA and the I2C clocks used to take 2001-02-29 as March 1st), each chip's year
 * range, and `host`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "peripherals/rtc_start.h"

static void test_dates(void **state) {
    (void)state;
    int64_t t;
    assert_int_equal(vt_rtc_parse_start("1970-01-01T00:00:00", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(vt_rtc_parse_start("2000-02-29T12:34:56", &t), 0); /* a leap year */
    assert_int_equal(t, 951827696);
    assert_int_equal(vt_rtc_parse_start("1904-01-01T00:00:00", &t), 0);
    assert_int_equal(t, -2082844800);
    static const char *const bad[] = {"2001-02-29T00:00:00",
                                      "1900-02-29T00:00:00",
                                      "2000-04-31T00:00:00",
                                      "2000-13-01T00:00:00",
                                      "2000-01-01T24:00:00",
                                      "2000-01-01T00:60:00",
                                      "2000-01-01T00:00:60",
                                      "2000-01-01T00:00:00Z",
                                      "2000-01-01",
                                      "1903-12-31T23:59:59",
                                      "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(vt_rtc_parse_start(bad[i], &t), 0);
    /* a chip's own range (the MC146818's 1900..2099) */
    assert_int_equal(vt_rtc_parse_date("1900-03-01T00:00:00", 1900, 2099, &t), 0);
    assert_int_equal(t, -2203891200);
    assert_int_not_equal(vt_rtc_parse_date("2100-01-01T00:00:00", 1900, 2099, &t), 0);
    assert_int_equal(vt_rtc_parse_date("host", 1900, 2099, &t), 0);
    assert_true(t > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_dates)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
