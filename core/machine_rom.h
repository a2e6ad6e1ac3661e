/* Loading `[rom.NAME]` sections of a machine profile into read-only bus regions. */
#ifndef VT_MACHINE_ROM_H
#define VT_MACHINE_ROM_H

#include "core/machine.h"

int vt_machine_load_rom(vt_machine *m, vt_cfg_section *s, vt_error *err) VT_MUST_CHECK;

#endif
