/* The unit tests' machine fixtures; see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/savestate.h"
#include "tests/unit/fixture.h"

vt_machine *fixture_machine(const char *dir, const char *profile, const vt_machine_options *o) {
    char path[160];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(profile, f);
    fclose(f);
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, path, o, &err)) fail_msg("%s", err.msg);
    return m;
}

void fixture_round_trip(vt_machine *m) {
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        vt_state_writer w1, w2;
        vt_state_writer_init(&w1);
        vt_state_writer_init(&w2);
        d->cls->save(d, &w1);
        vt_state_reader r;
        vt_state_reader_init(&r, w1.buf, w1.len);
        if (d->cls->load(d, &r)) fail_msg("%s: load failed: %s", d->name, vt_state_error(&r));
        d->cls->save(d, &w2);
        assert_int_equal(w1.len, w2.len);
        assert_memory_equal(w1.buf, w2.buf, w1.len);
        vt_state_writer_free(&w1);
        vt_state_writer_free(&w2);
    }
}
