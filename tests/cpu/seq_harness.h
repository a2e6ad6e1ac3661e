/* Shared pieces of the random-sequence harnesses (tests/cpu/<isa>/<isa>_harness.c): a flat
 * guest memory window [SEQ_BASE, SEQ_BASE + SEQ_SIZE) handed to a core's user-mode page hook,
 * whole-file reads, printing one generated sequence from its assembly file when it differs, and
 * the bus machine of the random-system modes.
 * The including file defines SEQ_BASE and SEQ_SIZE first. */
#ifndef VT_TESTS_SEQ_HARNESS_H
#define VT_TESTS_SEQ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bus.h"
#include "core/common.h"
#include "core/cpu.h"
#include "core/tlb.h"

typedef struct guest {
    uint8_t *mem;
} guest;

static uint8_t *page_fn(void *opaque, uint32_t va, unsigned *perms) {
    guest *g = opaque;
    if (va < SEQ_BASE || va - SEQ_BASE >= SEQ_SIZE) return NULL;
    *perms = VT_PERM_R | VT_PERM_W | VT_PERM_X;
    return g->mem + (va - SEQ_BASE);
}

/* The whole file, or NULL (the message goes to stderr). */
static uint8_t *slurp(const char *path, size_t *len) {
    uint8_t *data;
    vt_error err;
    if (vt_read_file("file", path, 1u << 30, &data, len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    return data;
}

/* Prints sequence k of the assembly file: from its label "S<k>:" up to the line containing
 * `end` (the call that saves the result record). */
static void show_seq(const char *asm_path, unsigned k, const char *end) {
    if (!asm_path) return;
    FILE *f = fopen(asm_path, "r");
    if (!f) return;
    char line[256], want[32];
    snprintf(want, sizeof want, "S%u:\n", k);
    bool on = false;
    while (fgets(line, sizeof line, f)) {
        if (!strcmp(line, want))
            on = true;
        else if (on && strstr(line, end))
            break;
        else if (on)
            printf("#     %s", line);
    }
    fclose(f);
}

/* The random-system modes' machine: a `model` CPU at `hz` on a bus of byte order `e` with
 * 2 MiB of RAM at 0 (*ram); NULL when it cannot be built. */
static inline vt_cpu *seq_system_cpu(vt_bus *bus, vt_endian e, const char *model, uint64_t hz,
                                     vt_region **ram) {
    vt_error err;
    if (vt_bus_init(bus, e, &err) || vt_bus_add_ram(bus, "ram", 0, 0x200000, false, ram, &err))
        return NULL;
    vt_cpu_config cfg = {.model = model, .hz = hz, .bus = bus};
    return vt_cpu_create(&cfg, &err);
}

#endif
