/* The table of CPU models every core provides; INI `cpu = NAME` selects one. */
#include "core/cpu.h"

#include <stdio.h>

#define VT_CPU_MODEL(sym) extern const vt_cpu_model sym;
#include "core/cpu/cpu_models.list"
#undef VT_CPU_MODEL

static const vt_cpu_model *const models[] = {
#define VT_CPU_MODEL(sym) &sym,
#include "core/cpu/cpu_models.list"
#undef VT_CPU_MODEL
    NULL,
};

const vt_cpu_model *vt_cpu_model_at(size_t i) {
    return i < VT_ARRAY_LEN(models) ? models[i] : NULL;
}

const vt_cpu_model *vt_cpu_find_model(const char *name) {
    for (size_t i = 0; models[i]; i++)
        if (!strcmp(models[i]->name, name)) return models[i];
    return NULL;
}

vt_cpu *vt_cpu_create(const vt_cpu_config *cfg, vt_error *err) {
    const vt_cpu_model *m = vt_cpu_find_model(cfg->model);
    if (!m) {
        char known[512] = "";
        for (size_t i = 0; models[i]; i++) {
            size_t l = strlen(known);
            snprintf(known + l, sizeof known - l, "%s%s", i ? ", " : "", models[i]->name);
        }
        vt_fail(err, "unknown CPU model '%s' (known: %s)", cfg->model,
                known[0] ? known : "none");
        return NULL;
    }
    return m->create(cfg, err);
}
