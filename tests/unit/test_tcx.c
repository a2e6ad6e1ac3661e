/* Sun TCX tests on a CPU-less big-endian machine: the DAC colour map programmed through its own
 * register window (regression: every window once decoded offsets as if from the device base,
 * so DAC writes at +0x200000 were "unknown" and the screen stayed black) and the published
 * 8-bit screen (VRAM bytes through the colour map). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "tests/unit/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TCX 0x50000000u
#define PROFILE                                                                                    \
    "[machine]\nname = tcxtest\ncpu = none\nendian = big\n"                                        \
    "[device.tcx]\ntype = sun-tcx\nbase = 0x50000000\nsize = 0x1000000\nwidth = 8\n"               \
    "height = 2\n"

static void test_dac_and_screen(void **state) {
    (void)state;
    char dir[] = "/tmp/vt_tcx_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/p.ini", dir);
    vt_machine *m = fixture_machine(dir, PROFILE, NULL);
    /* colour 3 = (0x12, 0x34, 0x56): address register, then R, G, B in the top byte */
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x200000, 4, 3u << 24), 0);
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x200004, 4, 0x12u << 24), 0);
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x200004, 4, 0x34u << 24), 0);
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x200004, 4, 0x56u << 24), 0);
    uint64_t v;
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x200000, 4, 3u << 24), 0);
    assert_int_equal(vt_bus_read(&m->bus, TCX + 0x200004, 4, &v), 0);
    assert_int_equal(v, 0x12u << 24);
    assert_int_equal(vt_bus_write(&m->bus, TCX + 0x800000 + 8 + 5, 1, 3), 0); /* pixel (5, 1) */
    const vt_screen_image *img = vt_screen_refresh(vt_display_screen(m->display, 0));
    assert_int_equal(img->width, 8);
    assert_int_equal(img->height, 2);
    uint32_t row[8];
    vt_screen_image_row(img, 1, row);
    assert_int_equal(row[5], 0x123456);
    assert_int_equal(row[4], 0);
    vt_machine_destroy(m);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_dac_and_screen)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
