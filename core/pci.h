/* PCI host/config-space layer: one PCI bus behind a host bridge. Functions have a 256-byte
 * type-0 configuration header with write masks; BARs (memory or I/O) are bus regions the guest
 * sizes and moves through config space and that decode only while the command register enables
 * them; INTx pins are swizzled by slot onto the host's four interrupt outputs. Hosts reach
 * config space through vt_pci_config_read/write (type-1 0xCF8/0xCFC ports, or a memory-mapped
 * window such as the MPC106's). Sources: PCI Local Bus Specification 2.2 ch. 6 (header, BAR
 * sizing, command bits) and the PCI-to-PCI Bridge Architecture Spec 1.1 §9.1 (INTx swizzle). */
#ifndef VT_PCI_H
#define VT_PCI_H

#include "core/bus.h"
#include "core/dma.h"
#include "core/irq.h"

struct vt_device;
struct vt_state_writer;
struct vt_state_reader;

#define VT_PCI_SLOTS 32
#define VT_PCI_FUNCS 8
#define VT_PCI_BARS 6

/* Type-0 header offsets and command bits (PCI 2.2 §6.1, §6.2.2). */
#define VT_PCI_VENDOR_ID 0x00
#define VT_PCI_DEVICE_ID 0x02
#define VT_PCI_COMMAND 0x04
#define VT_PCI_STATUS 0x06
#define VT_PCI_REVISION 0x08
#define VT_PCI_CLASS_PROG 0x09
#define VT_PCI_HEADER_TYPE 0x0e
#define VT_PCI_BAR0 0x10
#define VT_PCI_ROM_ADDRESS 0x30 /* expansion ROM base; bit 0 enables its decoding */
#define VT_PCI_ROM_ENABLE 0x1u
#define VT_PCI_INTERRUPT_LINE 0x3c
#define VT_PCI_INTERRUPT_PIN 0x3d
#define VT_PCI_DEVICE_SPECIFIC 0x40 /* first register after the type-0 header */
#define VT_PCI_CMD_IO 0x0001        /* I/O space decoding */
#define VT_PCI_CMD_MEMORY 0x0002    /* memory space decoding */
#define VT_PCI_CMD_MASTER 0x0004    /* bus master (DMA) */
#define VT_PCI_CMD_INTX_DISABLE 0x0400
#define VT_PCI_BAR_IO 0x1u /* bit 0 of a BAR: I/O space */
#define VT_PCI_HEADER_MULTIFUNCTION 0x80

typedef struct vt_pci_host vt_pci_host;

typedef struct vt_pci_bar_def {
    uint64_t size;          /* a power of two; 0 = BAR not implemented */
    bool io;                /* I/O space BAR (else 32-bit memory) */
    const vt_mmio_ops *ops; /* offsets relative to the BAR */
    void *opaque;
    vt_endian endian;
} vt_pci_bar_def;

/* What a function is: its identity, BARs and interrupt pin. */
typedef struct vt_pci_func_def {
    uint16_t vendor, device;
    uint8_t revision;
    uint32_t class_code; /* class << 16 | subclass << 8 | prog-if */
    uint8_t int_pin;     /* 0 none, 1..4 INTA..INTD */
    vt_pci_bar_def bars[VT_PCI_BARS];
    /* Expansion ROM (size 0: none): a memory BAR at 0x30 that decodes while its enable bit and
     * the command register's memory bit are set (PCI 2.2 §6.2.5.2); ops serve its bytes. */
    vt_pci_bar_def rom;
    /* Optional: called after every guest write that touched the device-specific registers
     * (0x40..0xff; the function opens them with f->wmask), e.g. a chipset's memory-decode
     * registers. `reg`/`size` are the access as written. */
    void (*config_written)(void *opaque, unsigned reg, unsigned size);
    void *opaque;
} vt_pci_func_def;

typedef struct vt_pci_func {
    vt_pci_host *host;
    vt_dma dma;      /* the function's bus-master port: upstream, gated by the master bit */
    vt_dma upstream; /* where its transfers go (the device's `dma` key, default memory) */
    struct vt_device *dev;
    unsigned slot, fn;
    uint8_t config[256];
    uint8_t wmask[256];              /* bits the guest may write */
    vt_region *bar[VT_PCI_BARS + 1]; /* [VT_PCI_BARS] is the expansion ROM */
    uint64_t bar_size[VT_PCI_BARS + 1];
    bool irq_level;
    void (*config_written)(void *opaque, unsigned reg, unsigned size);
    void *opaque;
} vt_pci_func;

struct vt_pci_host {
    struct vt_device *dev; /* the host bridge device; its outputs irq..irq3 carry INTA..INTD */
    vt_bus *mem, *io;      /* where memory and I/O BARs decode */
    vt_pci_func *funcs[VT_PCI_SLOTS][VT_PCI_FUNCS];
    int irq_count[4]; /* functions asserting each swizzled line */
};

void vt_pci_host_init(vt_pci_host *h, struct vt_device *dev, vt_bus *mem, vt_bus *io);
void vt_pci_host_free(vt_pci_host *h);

/* Config-space access of bus `busno`, device/function `devfn` (slot << 3 | fn), register `reg`
 * (size 1, 2 or 4, naturally aligned). Absent functions read all ones, writes are dropped. */
uint32_t vt_pci_config_read(vt_pci_host *h, unsigned busno, unsigned devfn, unsigned reg,
                            unsigned size);
void vt_pci_config_write(vt_pci_host *h, unsigned busno, unsigned devfn, unsigned reg,
                         uint32_t value, unsigned size);

/* Declares the common keys of a PCI device class: `pci` (the host bridge device), `slot`,
 * `function`, `dma` (where its bus-master transfers go). Put VT_PCI_DEV_KEYS first in the
 * class's key list. */
// clang-format off
#define VT_PCI_DEV_KEYS \
    {"pci", VT_KEY_STR, NULL, "the PCI host bridge device this function sits behind"}, \
    {"slot", VT_KEY_U64, NULL, "PCI device number (0..31)"}, \
    {"function", VT_KEY_U64, "0", "PCI function number (0..7)"}, \
    {"dma", VT_KEY_STR, "memory", "where bus-master transfers go (memory, or a DMA port)"}
// clang-format on

/* Attaches device d as the function its `pci`/`slot`/`function` keys name (the host must be
 * declared earlier in the profile); creates its BAR regions, disabled until the guest
 * programs them, and its bus-master DMA port f->dma, which refuses every transfer while the
 * command register's bus-master bit is clear. *out is owned by the host. */
int vt_pci_attach(struct vt_device *d, const vt_pci_func_def *def, vt_pci_func **out,
                  vt_error *err) VT_MUST_CHECK;
/* Drives the function's interrupt pin (ignored while the command register disables INTx). */
void vt_pci_set_irq(vt_pci_func *f, bool level);
/* Resets config registers the guest may write (command, BARs, interrupt line) and unmaps. */
void vt_pci_func_reset(vt_pci_func *f);
/* Versioned save/load of the guest-writable config state; load remaps the BARs. */
void vt_pci_func_save(const vt_pci_func *f, struct vt_state_writer *w);
int vt_pci_func_load(vt_pci_func *f, struct vt_state_reader *r) VT_MUST_CHECK;

#endif
