/* Machine-building fixtures the device unit tests share (tests/unit/fixture.c, linked into
 * every unit test binary): a machine from an INI profile text written to a scratch folder,
 * and the save -> load -> save check every device's state must pass byte for byte. */
#ifndef VT_TESTS_FIXTURE_H
#define VT_TESTS_FIXTURE_H

#include "core/machine.h"

/* Writes `profile` to DIR/p.ini and builds the machine (o may be NULL); a failure fails the
 * running test with the builder's message. */
vt_machine *fixture_machine(const char *dir, const char *profile, const vt_machine_options *o);
/* Saves every device of m, loads the bytes back and saves again: the same bytes. */
void fixture_round_trip(vt_machine *m);

#endif
