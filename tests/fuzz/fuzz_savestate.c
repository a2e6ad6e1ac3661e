/* libFuzzer harness: arbitrary bytes as a save state. The first byte picks a machine (a
 * SPARCstation-5-like sun4m profile with its devices, an ARM1136 or a Pentium II with RAM only)
 * and a target in it (the CPU or one device); the rest is handed to that target's load hook
 * through core/savestate.c. A load must succeed or fail cleanly (with a message); after a
 * successful load the machine runs 20 µs of emulated time and saves again, which must never
 * crash, hang or leak. Seeds (tests/fuzz/seeds/savestate): each target's own save, first byte
 * = profile + 3 * target. */
#include "core/machine.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* run: whether the machine can run after a load. An ARM CPU in a machine profile has no bus
 * hookup yet (it runs only under Linux user mode), so that profile is load-and-save only; its
 * machine is built once (building the ARM decoder dominates otherwise) and its CPU is put back
 * to the freshly built state before every input. */
static const struct {
    const char *ini;
    bool run;
} profiles[] = {
    {"[machine]\nname = fz-sun4m\ncpu = microsparc2\nclock = 110000000\nendian = big\n"
     "board = sun4m\n"
     "[rom.prom]\npath = prom.bin\nbase = 0x70000000\nsize = 0x100000\n"
     "[memory.ram]\nbase = 0\nsize = 4M\n"
     "[device.intctl]\ntype = slavio-intctl\nbase = 0x71e00000\nsize = 0x10014\n"
     "[device.timer]\ntype = slavio-timer\nbase = 0x71d00000\nsize = 0x10014\n"
     "irq = intctl.19\nirq1 = intctl.46\n"
     "[device.serial]\ntype = z8530\nbase = 0x71100000\nsize = 8\nirq = intctl.15\n"
     "[device.nvram]\ntype = m48t08\nbase = 0x71200000\nsize = 0x2000\n"
     "[device.fdc]\ntype = i82077\nbase = 0x71400000\nsize = 8\nirq = intctl.22\n"
     "[device.aux]\ntype = slavio-misc\nbase = 0x71900000\nsize = 0x10001\n"
     "[device.sysctrl]\ntype = slavio-sysctrl\nbase = 0x71f00000\nsize = 4\n"
     "[device.iommu]\ntype = sun4m-iommu\nbase = 0x10000000\nsize = 0x4000\n"
     "[device.dma]\ntype = sun-dma2\nbase = 0x78400000\nsize = 0x20\nirq = intctl.18\n"
     "irq1 = intctl.16\n"
     "[device.esp]\ntype = ncr53c9x\nbase = 0x78800000\nsize = 0x40\nirq = dma.0\n"
     "[device.lance]\ntype = am7990\nbase = 0x78c00000\nsize = 4\nirq = dma.1\n"
     "[device.tcx]\ntype = sun-tcx\nbase = 0x50000000\nsize = 0x1000000\n"
     "[device.fwcfg]\ntype = qemu-fw-cfg\nbase = 0xd00000510\nsize = 4\n",
     true},
    {"[machine]\nname = fz-arm\ncpu = arm1136\nclock = 10000000\nendian = little\n"
     "[memory.ram]\nbase = 0\nsize = 64K\n",
     false},
    {"[machine]\nname = fz-x86\ncpu = pentium2\nclock = 10000000\nendian = little\n"
     "[memory.ram]\nbase = 0\nsize = 1M\n",
     true},
};
enum { NPROFILES = sizeof profiles / sizeof profiles[0] };

static char dir[64];
static char paths[NPROFILES][96];

static void cleanup(void) {
    char p[128];
    for (int i = 0; i < NPROFILES; i++)
        unlink(paths[i]);
    snprintf(p, sizeof p, "%s/prom.bin", dir);
    unlink(p);
    rmdir(dir);
}

static int write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t done = fwrite(data, 1, n, f);
    return (fclose(f) == 0 && done == n) ? 0 : -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/vt-fuzz-state-XXXXXX", "/tmp");
    if (!mkdtemp(dir)) abort();
    char p[128];
    snprintf(p, sizeof p, "%s/prom.bin", dir);
    const uint8_t loop[8] = {0x10, 0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00}; /* ba . ; nop */
    if (write_file(p, loop, sizeof loop) != 0) abort();
    for (int i = 0; i < NPROFILES; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/p%d.ini", dir, i);
        if (write_file(paths[i], profiles[i].ini, strlen(profiles[i].ini)) != 0) abort();
    }
    atexit(cleanup);
    return 0;
}

static vt_machine *kept[NPROFILES];         /* machines of the load-and-save-only profiles */
static vt_state_writer pristine[NPROFILES]; /* their CPUs' state right after building */

static vt_machine *build(unsigned p) {
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, paths[p], NULL, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        abort(); /* the fixed profiles must always build */
    }
    return m;
}

/* A machine in its freshly built state for profile p. */
static vt_machine *machine_for(unsigned p) {
    if (profiles[p].run) return build(p);
    if (!kept[p]) {
        kept[p] = build(p);
        vt_state_writer_init(&pristine[p]);
        kept[p]->cpu->ops->save(kept[p]->cpu, &pristine[p]);
    }
    vt_state_reader r;
    vt_state_reader_init(&r, pristine[p].buf, pristine[p].len);
    if (kept[p]->cpu->ops->load(kept[p]->cpu, &r) != 0) abort(); /* its own save */
    return kept[p];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned p = data[0] % NPROFILES;
    vt_machine *m = machine_for(p);
    int target = (data[0] / NPROFILES) % (m->ndevices + 1); /* 0: the CPU */
    vt_state_reader r;
    vt_state_reader_init(&r, data + 1, size - 1);
    int rc;
    if (target == 0) {
        /* The timeline belongs to the machine: a whole-machine restore sets the CPU's cycle
         * counter from the saved time, so the harness keeps it at the machine's time (a CPU
         * state alone claiming 2^63 cycles would make the run loop fire every periodic event
         * up to then). */
        uint64_t cycles = m->cpu->cycles;
        rc = m->cpu->ops->load(m->cpu, &r);
        m->cpu->cycles = cycles;
    } else {
        vt_device *d = m->devices[target - 1];
        rc = d->cls->load ? d->cls->load(d, &r) : 0;
    }
    if (rc == 0) {
        if (profiles[p].run) vt_machine_run(m, m->sched.now + 20 * 1000 * 1000);
        vt_state_writer w;
        vt_state_writer_init(&w);
        if (vt_machine_save(m, &w) != 0) abort(); /* out of memory only */
        vt_state_writer_free(&w);
    } else if (vt_state_ok(&r)) {
        /* a load that fails must say why */
        fprintf(stderr, "load failed without a message\n");
        abort();
    }
    if (profiles[p].run) vt_machine_destroy(m);
    return 0;
}
