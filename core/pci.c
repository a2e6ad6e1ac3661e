/* PCI configuration space, BAR decoding and INTx routing; see pci.h. */
#include "core/pci.h"

#include "core/config.h"
#include "core/device.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define CMD_WRITABLE                                                                               \
    (VT_PCI_CMD_IO | VT_PCI_CMD_MEMORY | VT_PCI_CMD_MASTER | 0x0040 /* parity */ |                 \
     0x0100 /* SERR# */ | VT_PCI_CMD_INTX_DISABLE)
#define STATUS_INTERRUPT 0x08 /* status bit 3: INTx asserted by the function */

void vt_pci_host_init(vt_pci_host *h, vt_device *dev, vt_bus *mem, vt_bus *io) {
    memset(h, 0, sizeof *h);
    h->dev = dev;
    h->mem = mem;
    h->io = io;
    dev->pci_host = h;
}

void vt_pci_host_free(vt_pci_host *h) {
    for (int s = 0; s < VT_PCI_SLOTS; s++)
        for (int f = 0; f < VT_PCI_FUNCS; f++)
            free(h->funcs[s][f]);
}

static uint16_t cfg16(const vt_pci_func *f, unsigned reg) {
    return load_le16(f->config + reg);
}

#define ROM_BAR VT_PCI_BARS /* index of the expansion ROM among the BARs */
#define ALL_BARS (VT_PCI_BARS + 1)

static unsigned bar_reg(int i) {
    return i == ROM_BAR ? VT_PCI_ROM_ADDRESS : VT_PCI_BAR0 + 4u * (unsigned)i;
}

static uint32_t bar_low_bits(const vt_pci_func *f, int i) {
    if (i == ROM_BAR) return 0x7ffu;
    return f->config[bar_reg(i)] & VT_PCI_BAR_IO ? 0x3u : 0xfu;
}

/* Maps BAR i where its register points when decoding is on and the address is usable (not 0,
 * not the all-ones sizing pattern); otherwise, or when it would overlap another region, the
 * BAR does not decode (logged). */
static void update_bar(vt_pci_func *f, int i) {
    vt_region *r = f->bar[i];
    if (!r) return;
    bool io = i != ROM_BAR && (f->config[bar_reg(i)] & VT_PCI_BAR_IO);
    vt_bus *bus = io ? f->host->io : f->host->mem;
    uint32_t reg = load_le32(f->config + bar_reg(i));
    uint32_t addr = reg & ~bar_low_bits(f, i);
    uint32_t all_ones = (uint32_t) ~(f->bar_size[i] - 1) & ~bar_low_bits(f, i);
    uint16_t want_cmd = bus == f->host->io ? VT_PCI_CMD_IO : VT_PCI_CMD_MEMORY;
    bool decode = (cfg16(f, VT_PCI_COMMAND) & want_cmd) && addr != 0 && addr != all_ones &&
                  (i != ROM_BAR || (reg & VT_PCI_ROM_ENABLE));
    if (!decode) {
        vt_bus_disable(bus, r);
        return;
    }
    if (r->enabled && r->base == addr) return;
    vt_error err;
    vt_bus_disable(bus, r);
    if (vt_bus_move(bus, r, addr, &err) || vt_bus_enable(bus, r, &err))
        vt_log(VT_LOG_DEV, "pci %02x.%u BAR%d at 0x%08x not decoded: %s", f->slot, f->fn, i, addr,
               err.msg);
}

static void update_irq(vt_pci_func *f) {
    uint8_t pin = f->config[VT_PCI_INTERRUPT_PIN];
    if (!pin) return;
    bool level = (f->config[VT_PCI_STATUS] & STATUS_INTERRUPT) &&
                 !(cfg16(f, VT_PCI_COMMAND) & VT_PCI_CMD_INTX_DISABLE);
    if (level == f->irq_level) return;
    f->irq_level = level;
    /* INTx of device `slot` reaches host line (slot + pin - 1) mod 4 (bridge spec §9.1) */
    unsigned line = (f->slot + pin - 1u) % 4u;
    vt_pci_host *h = f->host;
    h->irq_count[line] += level ? 1 : -1;
    if (h->irq_count[line] == (level ? 1 : 0) && (int)line < h->dev->nirq)
        vt_irq_set(&h->dev->irq[line], level);
}

void vt_pci_set_irq(vt_pci_func *f, bool level) {
    f->config[VT_PCI_STATUS] =
        (uint8_t)((f->config[VT_PCI_STATUS] & ~STATUS_INTERRUPT) | (level ? STATUS_INTERRUPT : 0));
    update_irq(f);
}

static vt_pci_func *lookup(vt_pci_host *h, unsigned busno, unsigned devfn) {
    if (busno != 0 || devfn >= VT_PCI_SLOTS * VT_PCI_FUNCS) return NULL;
    return h->funcs[devfn >> 3][devfn & 7];
}

static bool bad_access(unsigned reg, unsigned size) {
    return (size != 1 && size != 2 && size != 4) || reg > 256 - size || (reg & (size - 1));
}

uint32_t vt_pci_config_read(vt_pci_host *h, unsigned busno, unsigned devfn, unsigned reg,
                            unsigned size) {
    vt_pci_func *f = lookup(h, busno, devfn);
    if (!f || bad_access(reg, size)) return size == 4 ? 0xffffffffu : (1u << 8 * size) - 1;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)f->config[reg + i] << 8 * i;
    return v;
}

void vt_pci_config_write(vt_pci_host *h, unsigned busno, unsigned devfn, unsigned reg,
                         uint32_t value, unsigned size) {
    vt_pci_func *f = lookup(h, busno, devfn);
    if (!f || bad_access(reg, size)) {
        if (f) vt_dev_log_unknown(f->dev, "pci config write", reg, size, value);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        uint8_t m = f->wmask[reg + i], b = (uint8_t)(value >> 8 * i);
        f->config[reg + i] = (uint8_t)((f->config[reg + i] & ~m) | (b & m));
    }
    bool cmd = reg < VT_PCI_COMMAND + 2 && reg + size > VT_PCI_COMMAND;
    for (int i = 0; i < ALL_BARS; i++) {
        unsigned at = bar_reg(i);
        if (cmd || (reg < at + 4 && reg + size > at)) update_bar(f, i);
    }
    if (cmd) update_irq(f);
    if (f->config_written && reg + size > VT_PCI_DEVICE_SPECIFIC)
        f->config_written(f->opaque, reg, size);
}

void vt_pci_func_reset(vt_pci_func *f) {
    store_le16(f->config + VT_PCI_COMMAND, 0);
    for (int i = 0; i < ALL_BARS; i++) {
        uint8_t *b = f->config + bar_reg(i);
        store_le32(b, load_le32(b) & ~load_le32(f->wmask + bar_reg(i))); /* type bits stay */
        update_bar(f, i);
    }
    f->config[VT_PCI_INTERRUPT_LINE] = 0;
    vt_pci_set_irq(f, false);
}

void vt_pci_func_save(const vt_pci_func *f, vt_state_writer *w) {
    vt_state_begin(w, "PCIF", 1);
    vt_state_put_bytes(w, f->config, sizeof f->config);
    vt_state_end(w);
}

int vt_pci_func_load(vt_pci_func *f, vt_state_reader *r) {
    uint32_t version;
    uint8_t cfg[sizeof f->config];
    if (vt_state_open(r, "PCIF", 1, &version)) return -1;
    vt_state_get_bytes(r, cfg, sizeof cfg);
    if (vt_state_close(r)) return -1;
    /* only what the guest can write comes from the state; identity stays the model's */
    for (size_t i = 0; i < sizeof cfg; i++)
        f->config[i] = (uint8_t)((f->config[i] & ~f->wmask[i]) | (cfg[i] & f->wmask[i]));
    for (int i = 0; i < ALL_BARS; i++)
        update_bar(f, i);
    vt_pci_set_irq(f, cfg[VT_PCI_STATUS] & STATUS_INTERRUPT);
    return 0;
}

/* The function's DMA port: its upstream port, while the guest lets it master the bus. */
static int master_transfer(void *opaque, int channel, uint64_t addr, void *buf, uint64_t len,
                           bool to_memory) {
    VT_UNUSED(channel);
    vt_pci_func *f = opaque;
    if (!(cfg16(f, VT_PCI_COMMAND) & VT_PCI_CMD_MASTER)) {
        vt_log(VT_LOG_DEV, "pci %02x.%u (%s): DMA while bus mastering is off, refused", f->slot,
               f->fn, f->dev->name);
        return -1;
    }
    return to_memory ? vt_dma_write(&f->upstream, addr, buf, len)
                     : vt_dma_read(&f->upstream, addr, buf, len);
}

static const vt_dma_ops master_ops = {.addressed = master_transfer};

static int find_host(vt_device *d, vt_pci_host **out, vt_error *err) {
    const char *name = vt_dev_str(d, "pci");
    vt_device *hd = name ? vt_machine_device(d->machine, name) : NULL;
    if (!hd || !hd->pci_host) {
        vt_cfg_entry *e = vt_cfg_get(d->cfg, "pci");
        if (!e)
            return vt_cfg_section_fail(err, d->cfg, "[%s] needs 'pci' (its host bridge)",
                                       d->cfg->name);
        return vt_cfg_fail(err, e, "no PCI host bridge '%s' declared before [%s]", name,
                           d->cfg->name);
    }
    *out = hd->pci_host;
    return 0;
}

static int add_bar(vt_pci_func *f, int i, const vt_pci_bar_def *b, vt_error *err) {
    uint64_t min = b->io ? 4 : 16;
    if (b->size < min || b->size > (1ull << 31) || (b->size & (b->size - 1)))
        return vt_fail(err, "BAR%d size 0x%llx is not a power of two from %llu to 2 GiB", i,
                       (unsigned long long)b->size, (unsigned long long)min);
    if (i == ROM_BAR && (b->io || b->size < 2048))
        return vt_fail(err, "expansion ROM: a memory BAR of at least 2 KiB");
    char name[64];
    if (i == ROM_BAR)
        snprintf(name, sizeof name, "%.40s.rom", f->dev->name);
    else
        snprintf(name, sizeof name, "%.40s.bar%d", f->dev->name, i);
    vt_mmio_desc desc = {.name = name,
                         .size = b->size,
                         .ops = b->ops,
                         .dev = b->opaque,
                         .endian = b->endian,
                         .disabled = true};
    if (vt_bus_add_mmio_region(b->io ? f->host->io : f->host->mem, &desc, &f->bar[i], err))
        return -1;
    f->bar_size[i] = b->size;
    store_le32(f->config + bar_reg(i), b->io ? VT_PCI_BAR_IO : 0);
    uint32_t wmask = (uint32_t) ~(b->size - 1) & ~bar_low_bits(f, i);
    store_le32(f->wmask + bar_reg(i), i == ROM_BAR ? wmask | VT_PCI_ROM_ENABLE : wmask);
    return 0;
}

int vt_pci_attach(vt_device *d, const vt_pci_func_def *def, vt_pci_func **out, vt_error *err) {
    vt_pci_host *h = NULL;
    uint64_t slot, fn;
    vt_dma upstream;
    if (find_host(d, &h, err) || vt_dev_u64(d, "slot", &slot, err) ||
        vt_dev_u64(d, "function", &fn, err) || vt_dev_dma(d, "dma", &upstream, err))
        return -1;
    if (slot >= VT_PCI_SLOTS || fn >= VT_PCI_FUNCS)
        return vt_cfg_fail(err, vt_cfg_get(d->cfg, slot >= VT_PCI_SLOTS ? "slot" : "function"),
                           "PCI slot is 0..31 and function 0..7");
    if (h->funcs[slot][fn])
        return vt_cfg_fail(err, vt_cfg_get(d->cfg, "slot"), "PCI %02llx.%llu is taken by '%s'",
                           (unsigned long long)slot, (unsigned long long)fn,
                           h->funcs[slot][fn]->dev->name);
    if (def->int_pin > 4) return vt_fail(err, "interrupt pin must be 0..4");
    vt_pci_func *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    f->host = h;
    f->dev = d;
    f->slot = (unsigned)slot;
    f->fn = (unsigned)fn;
    f->upstream = upstream;
    f->dma = (vt_dma){&master_ops, f, 0};
    f->config_written = def->config_written;
    f->opaque = def->opaque;
    h->funcs[slot][fn] = f; /* owned by the host from here on */
    store_le16(f->config + VT_PCI_VENDOR_ID, def->vendor);
    store_le16(f->config + VT_PCI_DEVICE_ID, def->device);
    f->config[VT_PCI_REVISION] = def->revision;
    f->config[VT_PCI_CLASS_PROG] = (uint8_t)def->class_code;
    store_le16(f->config + VT_PCI_CLASS_PROG + 1, (uint16_t)(def->class_code >> 8));
    f->config[VT_PCI_INTERRUPT_PIN] = def->int_pin;
    store_le16(f->wmask + VT_PCI_COMMAND, CMD_WRITABLE);
    f->wmask[0x0c] = f->wmask[0x0d] = 0xff; /* cache line size, latency timer */
    f->wmask[VT_PCI_INTERRUPT_LINE] = 0xff;
    for (int i = 0; i < VT_PCI_BARS; i++)
        if (def->bars[i].size && add_bar(f, i, &def->bars[i], err)) return -1;
    if (def->rom.size && add_bar(f, ROM_BAR, &def->rom, err)) return -1;
    /* a function other than 0 makes function 0 a multi-function device (PCI 2.2 §6.2.1) */
    vt_pci_func *f0 = h->funcs[slot][0];
    bool multi = false;
    for (int i = 1; i < VT_PCI_FUNCS; i++)
        multi |= h->funcs[slot][i] != NULL;
    if (f0 && multi) f0->config[VT_PCI_HEADER_TYPE] |= VT_PCI_HEADER_MULTIFUNCTION;
    *out = f;
    return 0;
}
