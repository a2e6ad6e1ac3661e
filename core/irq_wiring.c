/* INI interrupt wiring: a device's outputs `irq` (0), `irq1`, `irq2`… (any number) name the
 * input they drive, `DEVICE.N` or `cpu.N`, or a run of consecutive inputs `DEVICE.A-B` that the
 * outputs starting at this key drive in order (`irq = cpu.1-15`). Every irq key is wired or is
 * a file:line error: an output the class does not have, one wired twice, a CPU line the core
 * does not have (issues 9.11, 10.6). */
#include "core/irq_wiring.h"

#include "core/machine.h"

#include <stdio.h>
#include <stdlib.h>

bool vt_irq_key_index(const char *key, int *index) {
    if (strncmp(key, "irq", 3)) return false;
    const char *p = key + 3;
    if (!*p) return (*index = 0), true;
    if (*p < '1' || *p > '9' || strlen(p) > 6 || strspn(p, "0123456789") != strlen(p)) return false;
    *index = atoi(p);
    return true;
}

static void cpu_irq(void *opaque, int n, bool level) {
    vt_cpu *cpu = opaque;
    cpu->ops->set_irq(cpu, n, level);
}

/* Parses "TARGET.A" or "TARGET.A-B" into target (NUL-terminated) and the input range. */
static int parse_wire(const char *value, char *target, size_t tlen, uint64_t *first,
                      uint64_t *last) {
    const char *dot = strrchr(value, '.');
    if (!dot || dot == value || (size_t)(dot - value) >= tlen) return -1;
    snprintf(target, tlen, "%.*s", (int)(dot - value), value);
    char num[32];
    snprintf(num, sizeof num, "%s", dot + 1);
    char *dash = strchr(num, '-');
    if (dash) *dash = 0;
    if (vt_parse_u64(num, first) || *first > INT32_MAX) return -1;
    *last = *first;
    if (dash && (vt_parse_u64(dash + 1, last) || *last < *first || *last > INT32_MAX)) return -1;
    return 0;
}

/* Wires output `out` of d to input n of the target (the CPU when t is NULL). */
static int wire_one(vt_machine *m, vt_device *d, vt_device *t, int out, int n, vt_cfg_entry *e,
                    vt_error *err) {
    if (!t) {
        int lo, hi;
        vt_cpu_irq_lines(m->cpu, &lo, &hi);
        if (n < lo || n > hi)
            return vt_cfg_fail(err, e, "the CPU (%s) has interrupt lines %d..%d, not %d",
                               m->cpu->model, lo, hi, n);
        d->irq[out] = (vt_irq){cpu_irq, m->cpu, n};
        return 0;
    }
    vt_error sub;
    if (t->cls->irq_input(t, n, &d->irq[out], &sub)) return vt_cfg_fail(err, e, "%s", sub.msg);
    return 0;
}

static int wire_entry(vt_machine *m, vt_device *d, vt_cfg_entry *e, int index, vt_error *err) {
    char target[64];
    uint64_t first, last;
    if (parse_wire(e->value, target, sizeof target, &first, &last))
        return vt_cfg_fail(err, e,
                           "'%s' must name DEVICE.N, DEVICE.A-B, cpu.N or cpu.A-B, not '%s'",
                           e->key, e->value);
    uint64_t count = last - first + 1;
    if ((uint64_t)index + count > (uint64_t)d->nirq)
        return vt_cfg_fail(err, e,
                           "type %s has %d interrupt output(s) (irq..irq%d); '%s = %s' "
                           "needs output %llu",
                           d->cls->name, d->nirq, d->nirq - 1, e->key, e->value,
                           (unsigned long long)(index + count - 1));
    vt_device *t = NULL;
    if (!strcmp(target, "cpu")) {
        if (!m->cpu) return vt_cfg_fail(err, e, "this machine has no CPU to wire to");
    } else {
        t = vt_machine_device(m, target);
        if (!t) return vt_cfg_fail(err, e, "no device '%s' to wire '%s' to", target, e->key);
        if (!t->cls->irq_input)
            return vt_cfg_fail(err, e, "device '%s' (%s) has no interrupt inputs", target,
                               t->cls->name);
    }
    for (uint64_t i = 0; i < count; i++) {
        int out = index + (int)i;
        if (d->irq[out].set)
            return vt_cfg_fail(err, e, "output %d of '%s' is wired twice", out, d->name);
        if (wire_one(m, d, t, out, (int)(first + i), e, err)) return -1;
    }
    return 0;
}

int vt_machine_wire_irqs(vt_machine *m, vt_device *d, vt_error *err) {
    for (int i = 0; i < d->cfg->nentries; i++) {
        vt_cfg_entry *e = &d->cfg->entries[i];
        int index;
        if (vt_irq_key_index(e->key, &index) && wire_entry(m, d, e, index, err)) return -1;
    }
    return 0;
}
