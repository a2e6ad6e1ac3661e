/* A machine: one CPU core, a bus, devices and a scheduler built from an INI profile, plus the
 * board glue (from the registry) for what cannot be data. No global state: several machines can
 * live in one process. */
#ifndef VT_MACHINE_H
#define VT_MACHINE_H

#include "core/bus.h"
#include "core/chardev.h"
#include "core/config.h"
#include "core/cpu.h"
#include "core/data_dir.h"
#include "core/device.h"
#include "core/audio.h"
#include "core/net.h"
#include "core/display.h"
#include "core/sched.h"

#define VT_MAX_SERIAL 4
#define VT_MAX_OVERRIDES 64
#define VT_MAX_DISKS 8
#define VT_MAX_CDROMS 4

struct vt_block;
struct vt_state_reader;

typedef struct vt_machine vt_machine;

/* Board glue, selected by `[machine] board = NAME`; its keys live in `[board]`. */
typedef struct vt_board {
    const char *name;
    const vt_dev_key *keys;
    int (*init)(vt_machine *m, vt_error *err); /* after devices are created and wired */
    void (*reset)(vt_machine *m);
    void (*destroy)(vt_machine *m);
    bool boots_kernel; /* takes a direct-boot payload (vt_machine_options kernel/initrd/append) */
    bool takes_dtb;    /* also hands the kernel a device tree (vt_machine_options dtb) */
} vt_board;

typedef struct vt_machine_options {
    const struct vt_registry *registry;      /* NULL: vt_registry_builtin */
    const char *rom_path;                    /* NULL: default ROM directory */
    const char *overrides[VT_MAX_OVERRIDES]; /* "section.key=value" */
    int noverrides;
    vt_chardev *serial[VT_MAX_SERIAL];      /* host endpoints for serial0..3 (may be NULL) */
    struct vt_block *disks[VT_MAX_DISKS];   /* opened images for disk0..7 (may be NULL); the
                                               caller owns them and closes them after destroy */
    struct vt_block *cdroms[VT_MAX_CDROMS]; /* read-only CD-ROM media (--cdrom), likewise */
    vt_net *nets[VT_MAX_NETS];              /* network backends (--net), likewise */
    double speed;                           /* 0 = as fast as possible, 1.0 = real time */
    /* Direct boot (--kernel/--initrd/--append): file paths and the command line the board hands
     * to its firmware or boot loader; NULL: none. Only boards with boots_kernel take them. */
    const char *kernel, *initrd, *append;
    /* --headless (default), --display none|sdl: boards pick the firmware console from it */
    vt_display_mode display;
    const char *dtb; /* --dtb: a flattened device tree the board hands to the kernel, or NULL */
} vt_machine_options;

struct vt_machine {
    char name[64];
    char description[128];
    vt_cfg cfg;
    vt_sched sched;
    vt_bus bus;          /* physical memory */
    vt_bus io;           /* the I/O-port space (x86 in/out, PCI I/O BARs); little-endian */
    vt_cpu *cpu;         /* NULL for a CPU-less test profile */
    vt_display *display; /* screens the devices publish, listeners (core/display.h) */
    vt_audio *audio;     /* sound streams and their mixer (core/audio.h) */
    vt_device **devices;
    int ndevices;
    const struct vt_registry *registry;
    const vt_board *board;
    void *board_priv;
    vt_machine_options opts;
    bool stop_requested;
    int exit_status;
    uint64_t host_start_ns; /* for real-time pacing */
};

/* Builds the machine the INI file at `path` describes (names like "sparcstation5" are resolved
 * above core: frontend/profile_path.h). */
int vt_machine_create(vt_machine **out, const char *path, const vt_machine_options *opts,
                      vt_error *err) VT_MUST_CHECK;
void vt_machine_destroy(vt_machine *m);
void vt_machine_reset(vt_machine *m);
/* Runs until the emulated time reaches `until` (VT_TIME_NEVER: forever) or a stop request. */
void vt_machine_run(vt_machine *m, vt_time until);
void vt_machine_request_stop(vt_machine *m, int exit_status);
vt_device *vt_machine_device(const vt_machine *m, const char *name);
/* Save state of the whole machine (CPU + every device), and its SHA-256 as hex. */
int vt_machine_save(vt_machine *m, struct vt_state_writer *w) VT_MUST_CHECK;
/* Restores a state vt_machine_save wrote into a machine freshly built from the same profile
 * and options (its devices, in order, and RAM layout must match). On failure the machine is
 * half-loaded: destroy it. */
int vt_machine_load(vt_machine *m, struct vt_state_reader *r, vt_error *err) VT_MUST_CHECK;
int vt_machine_state_hash(vt_machine *m, char hex[65], vt_error *err) VT_MUST_CHECK;

#endif
