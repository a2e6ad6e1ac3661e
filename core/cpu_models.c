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

/* The set_irq numbering of each ISA (core/cpu.h): ARM 0 = IRQ, 1 = FIQ; x86 0 = INTR, 1 = NMI,
 * 2 = A20 gate (low asserts A20M#); SPARC 1..15 = the IRL interrupt level; PowerPC 0 = INT,
 * 1 = SMI, 2 = MCP, 3 = SRESET (ppc.h). Kept here, by ISA, so the wiring can refuse a line the
 * core would silently ignore (issue 9.11). */
static const struct {
    const char *isa;
    int first, last;
} irq_lines[] = {{"arm", 0, 1}, {"x86", 0, 2}, {"sparc", 1, 15}, {"ppc", 0, 3}};

void vt_cpu_irq_lines(const vt_cpu *cpu, int *first, int *last) {
    *first = 0;
    *last = -1; /* an ISA not in the table has no wirable line */
    for (size_t i = 0; i < VT_ARRAY_LEN(irq_lines); i++)
        if (!strcmp(irq_lines[i].isa, cpu->ops->isa)) {
            *first = irq_lines[i].first;
            *last = irq_lines[i].last;
        }
}

vt_cpu *vt_cpu_create(const vt_cpu_config *cfg, vt_error *err) {
    const vt_cpu_model *m = vt_cpu_find_model(cfg->model);
    if (!m) {
        char known[512] = "";
        for (size_t i = 0; models[i]; i++) {
            size_t l = strlen(known);
            snprintf(known + l, sizeof known - l, "%s%s", i ? ", " : "", models[i]->name);
        }
        vt_fail(err, "unknown CPU model '%s' (known: %s)", cfg->model, known[0] ? known : "none");
        return NULL;
    }
    return m->create(cfg, err);
}
