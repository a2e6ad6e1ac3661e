/* Motorola MPC106 "Grackle" PCI bridge/memory controller as the Power Macintosh G3 (Beige) maps
 * it (map B): CONFIG_ADDRESS at base (0xfec00000) and CONFIG_DATA at base + data_offset
 * (0xfee00000), both little-endian. CONFIG_ADDRESS has the configuration mechanism #1 layout;
 * the data window's byte lane is the access offset & 3. The bridge is itself function 00.0
 * (1057:0002, class 0x060000). Sources: MPC106 PCI Bridge/Memory Controller User's Manual
 * §3.1 (map B addresses), §4.3 (CONFIG_ADDR/CONFIG_DATA); QEMU g3beige (observed config IDs). */
#include "core/device.h"
#include "core/pci.h"
#include "core/savestate.h"
#include "peripherals/pci_subsystem.h"

#include <stdlib.h>

#define CONFADD_ENABLE 0x80000000u
#define CONFADD_MASK 0x80fffffcu /* enable, bus, device, function, dword register */
#define WINDOW_SIZE 0x1000u      /* each register decodes a 4 KiB window */
#define MPC106_VENDOR 0x1057     /* Motorola */
#define MPC106_DEVICE 0x0002
#define MPC106_CLASS 0x060001 /* host bridge; QEMU's g3beige reports prog-if 1 */

typedef struct grackle {
    vt_pci_host host;
    vt_pci_func *self;
    vt_device *dev;
    uint64_t data_offset;
    uint32_t confadd;
} grackle;

static bool in_data(const grackle *g, uint64_t off) {
    return off >= g->data_offset && off < g->data_offset + WINDOW_SIZE;
}

static uint64_t grackle_read(void *opaque, uint64_t off, unsigned size) {
    grackle *g = opaque;
    if (off < WINDOW_SIZE && size == 4) return g->confadd;
    if (in_data(g, off)) {
        unsigned lane = (unsigned)(off - g->data_offset) & 3;
        if (!(g->confadd & CONFADD_ENABLE) || lane + size > 4) return (1ull << 8 * size) - 1;
        return vt_pci_config_read(&g->host, (g->confadd >> 16) & 0xff, (g->confadd >> 8) & 0xff,
                                  (g->confadd & 0xfc) + lane, size);
    }
    vt_dev_log_unknown(g->dev, "read", off, size, 0);
    return (1ull << 8 * size) - 1;
}

static void grackle_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    grackle *g = opaque;
    if (off < WINDOW_SIZE && size == 4) {
        g->confadd = (uint32_t)v & CONFADD_MASK;
    } else if (in_data(g, off)) {
        unsigned lane = (unsigned)(off - g->data_offset) & 3;
        if ((g->confadd & CONFADD_ENABLE) && lane + size <= 4)
            vt_pci_config_write(&g->host, (g->confadd >> 16) & 0xff, (g->confadd >> 8) & 0xff,
                                (g->confadd & 0xfc) + lane, (uint32_t)v, size);
    } else {
        vt_dev_log_unknown(g->dev, "write", off, size, v);
    }
}

static const vt_mmio_ops grackle_ops = {grackle_read, grackle_write};

static int grackle_create(vt_device *d, vt_error *err) {
    grackle *g = calloc(1, sizeof *g);
    if (!g) return vt_fail(err, "out of memory");
    g->dev = d;
    d->priv = g;
    if (vt_dev_u64(d, "data_offset", &g->data_offset, err)) return -1;
    if (g->data_offset < WINDOW_SIZE || d->size < g->data_offset + WINDOW_SIZE)
        return vt_fail(err, "size must cover CONFIG_ADDRESS and the CONFIG_DATA window at 0x%llx",
                       (unsigned long long)g->data_offset);
    vt_pci_host_init(&g->host, d, vt_dev_bus(d), vt_dev_io_bus(d));
    static const vt_pci_func_def self = {
        .vendor = MPC106_VENDOR, .device = MPC106_DEVICE, .class_code = MPC106_CLASS};
    if (vt_pci_attach(d, &self, &g->self, err)) return -1;
    if (vt_pci_set_subsystem(d, g->self, err)) return -1;
    return vt_dev_map_mmio(d, &grackle_ops, g, VT_LITTLE_ENDIAN, err);
}

static void grackle_reset(vt_device *d) {
    grackle *g = d->priv;
    g->confadd = 0;
    vt_pci_func_reset(g->self);
}

static void grackle_save(const vt_device *d, vt_state_writer *w) {
    const grackle *g = d->priv;
    vt_state_begin(w, "G106", 1);
    vt_state_put_u32(w, g->confadd);
    vt_state_end(w);
    vt_pci_func_save(g->self, w);
}

static int grackle_load(vt_device *d, vt_state_reader *r) {
    grackle *g = d->priv;
    uint32_t version;
    if (vt_state_open(r, "G106", 1, &version)) return -1;
    g->confadd = vt_state_get_u32(r) & CONFADD_MASK;
    if (vt_state_close(r)) return -1;
    return vt_pci_func_load(g->self, r);
}

static void grackle_destroy(vt_device *d) {
    grackle *g = d->priv;
    if (g) vt_pci_host_free(&g->host);
    free(g);
}

static const vt_dev_key grackle_keys[] = {
    VT_PCI_DEV_KEYS,
    VT_PCI_SUBSYSTEM_KEY,
    {"data_offset", VT_KEY_U64, "0x200000", "CONFIG_DATA window offset from base (map B)"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_mpc106 = {
    .name = "mpc106",
    .description = "Motorola MPC106 (Grackle) PCI host bridge, memory-mapped config (map B)",
    .keys = grackle_keys,
    .needs_mmio = true,
    .irq_outputs = 4, /* INTA..INTD after the slot swizzle */
    .create = grackle_create,
    .reset = grackle_reset,
    .save = grackle_save,
    .load = grackle_load,
    .destroy = grackle_destroy,
};
