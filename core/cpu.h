/* The CPU interface: machines, Linux user mode, traces and tests talk to every core only
 * through this vtable. A core counts its own cycles in `cycles` (each instruction adds its
 * documented cost) and runs until `cycles >= stop_at`; the scheduler may lower `stop_at`
 * mid-slice when a device arms an earlier event, and the core re-reads it at least at every
 * taken branch / block boundary. */
#ifndef VT_CPU_H
#define VT_CPU_H

#include "core/common.h"
#include "core/sched.h"

struct vt_bus;
struct vt_state_writer;
struct vt_state_reader;
typedef struct vt_cpu vt_cpu;

typedef struct vt_cpu_ops {
    const char *isa; /* "arm", "x86", "ppc", "sparc" */
    void (*reset)(vt_cpu *cpu);
    /* Runs for up to `budget` cycles (stop_at = cycles + budget); returns cycles executed.
     * A halted core (WFI/HLT) consumes the whole budget idle. */
    uint64_t (*run)(vt_cpu *cpu, uint64_t budget);
    /* Level-sensitive interrupt input `line` (core-specific numbering, e.g. ARM 0=IRQ 1=FIQ,
     * SPARC 1..15 = interrupt level). */
    void (*set_irq)(vt_cpu *cpu, int line, bool level);
    /* Drops every cached translation and host pointer: the bus was remapped (vt_bus_on_change). */
    void (*flush_tlb)(vt_cpu *cpu);
    int nregs;
    const char *(*reg_name)(const vt_cpu *cpu, int n);
    uint64_t (*get_reg)(const vt_cpu *cpu, int n);
    void (*set_reg)(vt_cpu *cpu, int n, uint64_t value);
    uint64_t (*get_pc)(const vt_cpu *cpu);
    void (*save)(const vt_cpu *cpu, struct vt_state_writer *w);
    int (*load)(vt_cpu *cpu, struct vt_state_reader *r);
    /* Disassembles the instruction at guest virtual address pc into buf; returns its length
     * in bytes (0 if memory there cannot be read). */
    int (*disasm)(vt_cpu *cpu, uint64_t pc, char *buf, size_t len);
    void (*destroy)(vt_cpu *cpu);
} vt_cpu_ops;

struct vt_cpu {
    const vt_cpu_ops *ops;
    const char *model; /* "arm925t", "arm1136", "microsparc2", ... */
    vt_clock clock;
    uint64_t cycles;    /* total cycles since reset */
    uint64_t stop_at;   /* run() returns once cycles >= stop_at */
    uint64_t insns;     /* instructions retired */
    bool halted;        /* waiting for an interrupt */
    struct vt_bus *bus; /* physical bus (NULL in Linux user mode) */
    struct vt_bus *io;  /* I/O-port space for ISAs with port I/O (x86 in/out); NULL: none */
    void *env;          /* owner's context: machine or user-mode process */
    /* Set when stop_at is lowered or an interrupt input changes: a JIT tests it after every
     * access that may reach a device and returns to its dispatcher, which clears it. */
    uint8_t jit_exit;
};

/* Everything needed to build a core. */
typedef struct vt_cpu_config {
    const char *model;
    uint64_t hz;
    struct vt_bus *bus;
    struct vt_bus *io; /* the machine's I/O-port space (x86), or NULL */
    void *env;
} vt_cpu_config;

typedef struct vt_cpu_model {
    const char *name; /* model name used in INI `cpu =` */
    const char *description;
    vt_cpu *(*create)(const vt_cpu_config *cfg, vt_error *err);
} vt_cpu_model;

/* Looks a model up in the table of every core's models (core/cpu_models.c). */
const vt_cpu_model *vt_cpu_find_model(const char *name);
/* Iterates the table: returns NULL past the end. */
const vt_cpu_model *vt_cpu_model_at(size_t i);

vt_cpu *vt_cpu_create(const vt_cpu_config *cfg, vt_error *err);
/* The interrupt lines cpu's set_irq accepts, first..last (per ISA; see core/cpu_models.c). */
void vt_cpu_irq_lines(const vt_cpu *cpu, int *first, int *last);

static inline void vt_cpu_destroy(vt_cpu *cpu) {
    if (cpu) cpu->ops->destroy(cpu);
}

#endif
