/* Look-ups in a vt_registry (see registry.h). */
#include "core/registry.h"

#include "core/device.h"
#include "core/machine.h"

const vt_device_class *vt_registry_class(const vt_registry *r, const char *name) {
    for (size_t i = 0; r->classes[i]; i++)
        if (!strcmp(r->classes[i]->name, name)) return r->classes[i];
    return NULL;
}

const vt_board *vt_registry_board(const vt_registry *r, const char *name) {
    for (size_t i = 0; r->boards[i]; i++)
        if (!strcmp(r->boards[i]->name, name)) return r->boards[i];
    return NULL;
}
