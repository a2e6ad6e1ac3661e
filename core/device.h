/* Device classes and instances. A class (from the registry, core/registry.h) has a name selected by
 * INI `type =`, declared configuration keys with defaults, and create/reset/save/load hooks. An
 * instance gets its MMIO window from `base`/`size`, its IRQ outputs from `irq`, `irq1`…
 * (wired to another device's input: `irq = slavio.12`, `cpu.N`, or a run `cpu.1-15`; see
 * core/irq_wiring.c), and reads its own keys.
 * The built-in registry lists every class once. */
#ifndef VT_DEVICE_H
#define VT_DEVICE_H

#include "core/bus.h"
#include "core/chardev.h"
#include "core/common.h"
#include "core/dma.h"
#include "core/irq.h"
#include "core/sched.h"

struct vt_machine;
struct vt_block;
struct vt_net;
struct vt_cfg_section;
struct vt_state_writer;
struct vt_state_reader;
typedef struct vt_device vt_device;

/* VT_KEY_HZ is a number bounded to VT_CLOCK_MIN_HZ..VT_CLOCK_MAX_HZ (read with vt_dev_u64). */
typedef enum vt_key_type { VT_KEY_U64, VT_KEY_STR, VT_KEY_BOOL, VT_KEY_HZ } vt_key_type;

typedef struct vt_dev_key {
    const char *name;
    vt_key_type type;
    const char *def; /* default as text; NULL = required */
    const char *help;
} vt_dev_key;

typedef struct vt_device_class {
    const char *name;
    const char *description;
    const vt_dev_key *keys; /* terminated by {NULL} */
    bool needs_mmio;        /* base/size required */
    int irq_outputs;        /* how many of irq, irq1, irq2… it drives (any number) */
    int (*create)(vt_device *d, vt_error *err);
    void (*reset)(vt_device *d);
    void (*save)(const vt_device *d, struct vt_state_writer *w);
    int (*load)(vt_device *d, struct vt_state_reader *r);
    void (*destroy)(vt_device *d);
    /* IRQ input N of this device as a line other devices can drive (NULL: no inputs). */
    int (*irq_input)(vt_device *d, int n, vt_irq *out, vt_error *err);
    /* DMA port N this device offers bus masters (`dma = thisdev.N`; NULL: none). */
    int (*dma_port)(vt_device *d, int n, vt_dma *out, vt_error *err);
} vt_device_class;

struct vt_device {
    const vt_device_class *cls;
    char name[48];
    struct vt_machine *machine;
    struct vt_cfg_section *cfg;
    vt_paddr base;
    uint64_t size;
    bool io_space;                /* `space = io`: base/size are I/O ports, not memory addresses */
    struct vt_pci_host *pci_host; /* set when this device is a PCI host bridge */
    vt_irq *irq;                  /* cls->irq_outputs lines; unwired ones drop level changes */
    int nirq;
    void *priv;
};

/* Class-key accessors for create(): value from INI or the declared default. */
int vt_dev_u64(vt_device *d, const char *key, uint64_t *out, vt_error *err) VT_MUST_CHECK;
int vt_dev_bool(vt_device *d, const char *key, bool *out, vt_error *err) VT_MUST_CHECK;
const char *vt_dev_str(vt_device *d, const char *key);
/* Maps d->base/d->size with these ops on the machine's memory bus, or on its I/O-port space
 * when the profile says `space = io`. */
int vt_dev_map_mmio(vt_device *d, const vt_mmio_ops *ops, void *opaque, vt_endian endian,
                    vt_error *err) VT_MUST_CHECK;
/* The DMA port the string key `key` names: `memory` (the physical bus), `DEVICE` (its port 0)
 * or `DEVICE.N`; the provider must be declared earlier in the profile. */
int vt_dev_dma(vt_device *d, const char *key, vt_dma *out, vt_error *err) VT_MUST_CHECK;
/* The machine's host endpoints, named by a string key: `none`/`-1`, or an index (`serial_a = 0`
 * is the first --serial, `disk = 1` the second --disk). *out is NULL for none or an endpoint the
 * command line did not give. */
int vt_dev_serial(vt_device *d, const char *key, vt_chardev **out, vt_error *err) VT_MUST_CHECK;
int vt_dev_disk(vt_device *d, const char *key, struct vt_block **out, vt_error *err) VT_MUST_CHECK;
/* Another device of the same machine by its profile name (a PIC's cascaded slave, a DMA
 * controller's page registers), or NULL. */
vt_device *vt_dev_peer(vt_device *d, const char *name);
/* The CD-ROM medium (`cdrom = 0` is the first --cdrom), read-only; NULL for none. */
int vt_dev_cdrom(vt_device *d, const char *key, struct vt_block **out, vt_error *err) VT_MUST_CHECK;
/* The network backend (`net = 0` is the first --net); NULL for none. */
int vt_dev_net(vt_device *d, const char *key, struct vt_net **out, vt_error *err) VT_MUST_CHECK;
/* Stops the run with an exit status (a power-off register, the test device's EXIT). */
void vt_dev_request_stop(vt_device *d, int exit_status);
/* Resets the whole machine (a system-control reset register). */
void vt_dev_request_reset(vt_device *d);
vt_sched *vt_dev_sched(vt_device *d);
/* The bytes of a ROM-set file named by string keys (`romset = seabios`, `romfile = X.bin`),
 * e.g. a PCI expansion ROM; *data (malloc'ed, the caller frees) is NULL when the set key is
 * `none`. Errors name the key's file:line. */
int vt_dev_romfile(vt_device *d, const char *set_key, const char *file_key, uint8_t **data,
                   size_t *len, vt_error *err) VT_MUST_CHECK;
/* The machine's display, where a display device publishes its screens (core/display.h). */
struct vt_display *vt_dev_display(vt_device *d);
struct vt_audio *vt_dev_audio(vt_device *d); /* the machine's mixer (core/audio.h) */
vt_bus *vt_dev_bus(vt_device *d);            /* physical memory */
vt_bus *vt_dev_io_bus(vt_device *d);         /* the I/O-port space */
/* Logs an access to a register the model does not know (GUIDE: never silent). */
void vt_dev_log_unknown(const vt_device *d, const char *what, uint64_t offset, unsigned size,
                        uint64_t value);

#endif
