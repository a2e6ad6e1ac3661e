/* An address space: RAM, ROM, MMIO and unmapped regions, with a two-level page table (4 KiB
 * pages, up to 40-bit addresses) so a RAM/ROM access is two table indexes plus a host pointer.
 * A machine has two: physical memory and the I/O-port space (x86 in/out), same API. RAM keeps
 * guest byte order; the bus has the CPU's byte order and swaps for MMIO regions whose device
 * registers are the other way round. Regions can be removed, moved, disabled and enabled at run
 * time (PCI BARs, PAM shadow RAM, SMRAM); every such change is announced to the bus's change
 * listeners, through which the CPU drops host pointers cached in its TLB. Unmapped accesses are
 * logged (`--log mmio`) and reported to the caller, which raises the machine's bus error; an
 * MMIO access of a width the region does not accept is logged and ignored (reads give 0). */
#ifndef VT_BUS_H
#define VT_BUS_H

#include "core/common.h"

#define VT_PAGE_BITS 12
#define VT_PAGE_SIZE (1ull << VT_PAGE_BITS)
#define VT_BUS_ADDR_BITS 40
#define VT_BUS_L2_BITS 10

typedef uint64_t vt_paddr;

typedef struct vt_mmio_ops {
    /* size is 1, 2, 4 or 8; offset is relative to the region base. Values are in the device's
     * own register byte order (the bus swaps when region and bus endianness differ). */
    uint64_t (*read)(void *dev, uint64_t offset, unsigned size);
    void (*write)(void *dev, uint64_t offset, uint64_t value, unsigned size);
} vt_mmio_ops;

typedef enum vt_region_kind { VT_REGION_RAM, VT_REGION_ROM, VT_REGION_MMIO } vt_region_kind;

typedef struct vt_region {
    char name[48];
    vt_region_kind kind;
    vt_paddr base;
    uint64_t size;
    uint8_t *host;          /* RAM/ROM backing store (guest byte order) */
    bool owns_host;         /* host was allocated by the bus (not a view of another region) */
    const vt_mmio_ops *ops; /* MMIO */
    void *dev;
    vt_endian endian;            /* MMIO register byte order */
    unsigned min_size, max_size; /* MMIO access widths the device accepts (1..8) */
    bool enabled;                /* false: kept (contents, handle) but not decoded */
} vt_region;

/* Called after a region was removed, moved, disabled or enabled. */
typedef void (*vt_bus_change_fn)(void *opaque);

typedef enum vt_bus_status {
    VT_BUS_OK = 0,
    VT_BUS_UNMAPPED = 1,
    VT_BUS_READONLY = 2
} vt_bus_status;

typedef struct vt_bus {
    const char *space; /* "mem" or "io", for messages */
    vt_endian endian;  /* the CPU side's byte order */
    vt_region **regions;
    int nregions;
    /* level 1: addr >> 22; level 2: page within 4 MiB. Entries: region, or &bus->subpage when
     * a page is shared by several regions (then the region list is searched). */
    vt_region ***l1;
    vt_region subpage;
    uint64_t unmapped_count;
    struct vt_bus_listener {
        vt_bus_change_fn fn;
        void *opaque;
    } * listeners;
    int nlisteners;
    struct vt_bus_watch {
        const uint64_t *bits; /* bit p set: a write to RAM page p must be reported; NULL: off */
        uint64_t n_pages;
        void (*fn)(void *opaque, vt_paddr addr, uint64_t len);
        void *opaque;
    } watch;
} vt_bus;

/* An MMIO region's description for vt_bus_add_mmio_region. */
typedef struct vt_mmio_desc {
    const char *name;
    vt_paddr base;
    uint64_t size;
    const vt_mmio_ops *ops;
    void *dev;
    vt_endian endian;
    unsigned min_size, max_size; /* accepted access widths; 0 = 1 and 8 */
    bool disabled;               /* created unmapped (e.g. a PCI BAR before decoding is on) */
} vt_mmio_desc;

int vt_bus_init(vt_bus *b, vt_endian endian, vt_error *err) VT_MUST_CHECK;
/* Calls fn(opaque) after every remove, move, disable or enable (CPUs flush their TLBs). */
int vt_bus_on_change(vt_bus *b, vt_bus_change_fn fn, void *opaque, vt_error *err) VT_MUST_CHECK;
void vt_bus_free(vt_bus *b);

/* Maps a region; fails when it overlaps an existing one or exceeds the address space. The bus
 * does not own `host` memory for ROM/RAM unless allocated by vt_bus_add_ram. */
int vt_bus_add_ram(vt_bus *b, const char *name, vt_paddr base, uint64_t size, bool readonly,
                   vt_region **out, vt_error *err) VT_MUST_CHECK;
/* Maps a second view of part of RAM/ROM region `of` ([offset, offset + size) of its store) at
 * base, writable or read-only, e.g. a chipset's read-only shadow RAM. The view shares `of`'s
 * memory without owning it: remove the view before `of`. */
int vt_bus_add_view(vt_bus *b, const char *name, vt_paddr base, const vt_region *of,
                    uint64_t offset, uint64_t size, bool readonly, vt_region **out,
                    vt_error *err) VT_MUST_CHECK;
int vt_bus_add_mmio(vt_bus *b, const char *name, vt_paddr base, uint64_t size,
                    const vt_mmio_ops *ops, void *dev, vt_endian endian,
                    vt_error *err) VT_MUST_CHECK;
int vt_bus_add_mmio_region(vt_bus *b, const vt_mmio_desc *desc, vt_region **out,
                           vt_error *err) VT_MUST_CHECK;

/* Run-time changes. Enabled regions never overlap: enabling or moving onto an enabled region
 * fails and leaves everything as it was. remove frees the region (and RAM it allocated). */
void vt_bus_remove(vt_bus *b, vt_region *r);
int vt_bus_move(vt_bus *b, vt_region *r, vt_paddr base, vt_error *err) VT_MUST_CHECK;
int vt_bus_enable(vt_bus *b, vt_region *r, vt_error *err) VT_MUST_CHECK;
void vt_bus_disable(vt_bus *b, vt_region *r);

/* Enabled region containing addr, or NULL. */
vt_region *vt_bus_find(const vt_bus *b, vt_paddr addr);
/* Host pointer for RAM/ROM at addr when `len` bytes stay inside one region (NULL otherwise).
 * For writes, ROM yields NULL. Cores cache these in their TLBs. */
uint8_t *vt_bus_host_ptr(const vt_bus *b, vt_paddr addr, uint64_t len, bool write);

/* Write watch (the JIT's translated-code pages): every write to RAM through vt_bus_write or
 * vt_bus_write_block (CPU slow paths, DMA, loaders) whose 4 KiB page has its bit set in `bits`
 * (owned by the caller, n_pages long) calls fn(opaque, addr, len) after the bytes are stored.
 * Cores keep such pages out of their TLBs' write permission. bits NULL turns it off. */
void vt_bus_set_write_watch(vt_bus *b, const uint64_t *bits, uint64_t n_pages,
                            void (*fn)(void *opaque, vt_paddr addr, uint64_t len), void *opaque);
/* The physical address of a host pointer into a RAM/ROM region's store (the first region
 * backed by it); false when it points into none. */
bool vt_bus_host_to_phys(const vt_bus *b, const uint8_t *host, vt_paddr *out);

vt_bus_status vt_bus_read(vt_bus *b, vt_paddr addr, unsigned size, uint64_t *value);
vt_bus_status vt_bus_write(vt_bus *b, vt_paddr addr, unsigned size, uint64_t value);
/* Byte-block DMA copies, bounds-checked and all or nothing: nothing is copied unless the whole
 * range is mapped (RAM/ROM, or MMIO accessed bytewise) and, for writes, not ROM. */
/* Whether a block copy of [addr, addr + len) would succeed (covered by enabled regions, and
 * no ROM for writes); lets a multi-step DMA refuse before moving any byte. */
vt_bus_status vt_bus_check_block(vt_bus *b, vt_paddr addr, uint64_t len, bool write);
vt_bus_status vt_bus_read_block(vt_bus *b, vt_paddr addr, void *buf, uint64_t len);
vt_bus_status vt_bus_write_block(vt_bus *b, vt_paddr addr, const void *buf, uint64_t len);

#endif
