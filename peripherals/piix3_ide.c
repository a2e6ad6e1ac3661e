/* Intel 82371SB PIIX3 function 1, the IDE controller (00:01.1, 8086:7010): both channels in
 * compatibility mode (0x1F0/0x3F6 IRQ 14, 0x170/0x376 IRQ 15: outputs irq, irq1) with ATA disks
 * from --disk (keys hda..hdd), an ATAPI CD-ROM from --cdrom (key cdrom, secondary master), and
 * the bus master (BAR4): PRD tables walked through the function's PCI DMA port. Drive-less
 * channels read 0. Sources: Intel 82371SB datasheet (290550) §2.3 (function 1 registers),
 * §3.4/§5.7 (bus master, PRD format, status meanings); ATA-6 §9.10 (DMA protocol). */
#include "core/block/block.h"
#include "core/device.h"
#include "core/log.h"
#include "core/pci.h"
#include "core/savestate.h"
#include "peripherals/ide_bus.h"

#include <stdio.h>
#include <stdlib.h>

#define IDE_IDETIM 0x40 /* IDETIM primary (0x40) and secondary (0x42) */
#define BM_CMD 0        /* per channel at +0 / +8 */
#define BM_STATUS 2
#define BM_PRD 4
#define BM_CMD_START 0x01
#define BM_CMD_TO_MEMORY 0x08 /* read/write control: 1 = bus master writes memory */
#define BM_CMD_BITS (BM_CMD_START | BM_CMD_TO_MEMORY)
#define BM_ST_ACTIVE 0x01
#define BM_ST_ERROR 0x02
#define BM_ST_INT 0x04
#define BM_STATUS_RW 0x60 /* drive 0/1 DMA capable */
#define BM_STATUS_W1C (BM_ST_ERROR | BM_ST_INT)
#define PRD_EOT 0x80000000u
#define PRD_TABLE_MAX (0x10000 / 8) /* a PRD table may not cross a 64 KiB boundary */

static const struct { uint16_t cmd, ctl; } legacy[2] = {{0x1f0, 0x3f6}, {0x170, 0x376}};
static const char *const drive_keys[4] = {"hda", "hdb", "hdc", "hdd"};

typedef struct piix_ide piix_ide;

typedef struct ide_chan {
    piix_ide *p;
    vt_ide_bus bus;
    uint8_t bm_cmd, bm_status;
    uint32_t bm_prd;
    /* the PRD walk of the transfer in progress */
    uint32_t prd_next, prd_addr, prd_left, prd_count;
    bool prd_eot;
} ide_chan;

struct piix_ide {
    vt_device *dev;
    vt_pci_func *fn;
    ide_chan ch[2];
};

static uint64_t taskfile_read(void *opaque, uint64_t off, unsigned size) {
    return vt_ide_read(&((ide_chan *)opaque)->bus, (unsigned)off, size);
}

static void taskfile_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    vt_ide_write(&((ide_chan *)opaque)->bus, (unsigned)off, (uint32_t)v, size);
}

static const vt_mmio_ops taskfile_ops = {taskfile_read, taskfile_write};

static uint64_t control_read(void *opaque, uint64_t off, unsigned size) {
    VT_UNUSED(off);
    VT_UNUSED(size);
    return vt_ide_alt_status(&((ide_chan *)opaque)->bus); /* 0 without a selected drive */
}

static void control_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    VT_UNUSED(off);
    VT_UNUSED(size);
    vt_ide_write_devctl(&((ide_chan *)opaque)->bus, (uint8_t)v);
}

static const vt_mmio_ops control_ops = {control_read, control_write};

/* Moves len bytes between buf and the memory the PRD table describes, from where the walk of
 * this transfer stands. */
static vt_ide_dma_result prd_move(void *opaque, uint8_t *buf, uint32_t len, bool to_memory) {
    ide_chan *c = opaque;
    const vt_dma *port = &c->p->fn->dma;
    while (len) {
        if (!c->prd_left) {
            if (c->prd_eot) return VT_IDE_DMA_SHORT;
            uint8_t prd[8];
            if (c->prd_count++ >= PRD_TABLE_MAX || vt_dma_read(port, c->prd_next, prd, 8)) {
                vt_log(VT_LOG_DEV, "%s: PRD at 0x%08x not readable", c->p->dev->name, c->prd_next);
                return VT_IDE_DMA_FAULT;
            }
            c->prd_next += 8;
            c->prd_addr = load_le32(prd) & ~1u;
            uint32_t count = load_le16(prd + 4) & ~1u;
            c->prd_left = count ? count : 0x10000;
            c->prd_eot = load_le32(prd + 4) & PRD_EOT;
        }
        uint32_t n = len < c->prd_left ? len : c->prd_left;
        int rc = to_memory ? vt_dma_write(port, c->prd_addr, buf, n)
                           : vt_dma_read(port, c->prd_addr, buf, n);
        if (rc) {
            vt_log(VT_LOG_DEV, "%s: DMA to 0x%08x (%u bytes) not memory", c->p->dev->name,
                   c->prd_addr, n);
            return VT_IDE_DMA_FAULT;
        }
        c->prd_addr += n;
        c->prd_left -= n;
        buf += n;
        len -= n;
    }
    return VT_IDE_DMA_OK;
}

/* Runs the drive's DMA command once both the drive and the started bus master are ready. */
static void bm_run(ide_chan *c) {
    if (!(c->bm_status & BM_ST_ACTIVE) || !vt_ide_dma_pending(&c->bus)) return;
    vt_ide_dma_result r = vt_ide_dma_run(&c->bus, prd_move, c);
    if (r == VT_IDE_DMA_FAULT) c->bm_status |= BM_ST_ERROR;
    /* Active stays set when the PRDs describe more memory than the drive moved (§5.7.2). */
    if (r != VT_IDE_DMA_OK || (!c->prd_left && c->prd_eot)) c->bm_status &= ~BM_ST_ACTIVE;
}

static void dma_ready(void *opaque) {
    bm_run(opaque);
}

static void bm_start(ide_chan *c) {
    c->bm_status |= BM_ST_ACTIVE;
    c->prd_next = c->bm_prd;
    c->prd_left = c->prd_count = 0;
    c->prd_eot = false;
    bm_run(c);
}

static uint64_t bm_read(void *opaque, uint64_t off, unsigned size) {
    piix_ide *p = opaque;
    ide_chan *c = &p->ch[off >= 8];
    unsigned reg = off & 7;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned r = reg + i;
        uint8_t b = r == BM_CMD      ? c->bm_cmd
                    : r == BM_STATUS ? c->bm_status
                    : r >= BM_PRD    ? (uint8_t)(c->bm_prd >> 8 * (r - BM_PRD))
                                     : 0;
        v |= (uint64_t)b << 8 * i;
    }
    return v;
}

static void bm_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    piix_ide *p = opaque;
    ide_chan *c = &p->ch[off >= 8];
    unsigned reg = off & 7;
    for (unsigned i = 0; i < size; i++) {
        unsigned r = reg + i;
        uint8_t b = (uint8_t)(v >> 8 * i);
        if (r == BM_CMD) {
            bool was = c->bm_cmd & BM_CMD_START;
            c->bm_cmd = b & BM_CMD_BITS;
            if (!was && (b & BM_CMD_START))
                bm_start(c);
            else if (was && !(b & BM_CMD_START))
                c->bm_status &= ~BM_ST_ACTIVE; /* stopping aborts the bus master's part */
        } else if (r == BM_STATUS) {
            c->bm_status = (uint8_t)((c->bm_status & ~BM_STATUS_RW & ~(b & BM_STATUS_W1C)) |
                                     (b & BM_STATUS_RW));
        } else if (r >= BM_PRD) {
            unsigned sh = 8 * (r - BM_PRD);
            c->bm_prd = (c->bm_prd & ~(0xffu << sh)) | ((uint32_t)b << sh);
            c->bm_prd &= ~3u; /* dword aligned */
        }
    }
}

static const vt_mmio_ops bm_ops = {bm_read, bm_write};

/* A channel's INTRQ: latched in the bus-master status, then to IRQ 14 / 15. */
static void chan_irq(void *opaque, int n, bool level) {
    piix_ide *p = opaque;
    if (level) p->ch[n].bm_status |= BM_ST_INT;
    vt_irq_set(&p->dev->irq[n], level);
}

static int map_legacy(piix_ide *p, vt_error *err) {
    vt_bus *io = vt_dev_io_bus(p->dev);
    for (int i = 0; i < 2; i++) {
        char name[48];
        snprintf(name, sizeof name, "%.32s.ch%d", p->dev->name, i);
        if (vt_bus_add_mmio(io, name, legacy[i].cmd, 8, &taskfile_ops, &p->ch[i], VT_LITTLE_ENDIAN,
                            err))
            return -1;
        snprintf(name, sizeof name, "%.32s.ctl%d", p->dev->name, i);
        if (vt_bus_add_mmio(io, name, legacy[i].ctl, 1, &control_ops, &p->ch[i], VT_LITTLE_ENDIAN,
                            err))
            return -1;
    }
    return 0;
}

static int attach_drives(piix_ide *p, vt_error *err) {
    char serial[24];
    for (int i = 0; i < 4; i++) {
        vt_block *blk;
        if (vt_dev_disk(p->dev, drive_keys[i], &blk, err)) return -1;
        snprintf(serial, sizeof serial, "VT%s%.12s", drive_keys[i], p->dev->name);
        vt_ide_attach_disk(&p->ch[i / 2].bus, i % 2, blk, serial);
    }
    vt_block *medium;
    if (vt_dev_cdrom(p->dev, "cdrom", &medium, err)) return -1;
    if (!medium) return 0; /* the drive is there when --cdrom gives a disc */
    if (p->ch[1].bus.drive[0].present)
        return vt_fail(err, "%s: hdc and cdrom both name the secondary master", p->dev->name);
    snprintf(serial, sizeof serial, "VTcd%.12s", p->dev->name);
    vt_ide_attach_cdrom(&p->ch[1].bus, 0, medium, serial, false);
    return 0;
}

static int ide_create(vt_device *d, vt_error *err) {
    piix_ide *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    for (int i = 0; i < 2; i++) {
        p->ch[i].p = p;
        p->ch[i].bus.irq = (vt_irq){chan_irq, p, i};
        p->ch[i].bus.dma_ready = dma_ready;
        p->ch[i].bus.dma_opaque = &p->ch[i];
    }
    vt_pci_func_def def = {.vendor = 0x8086,
                           .device = 0x7010,
                           .revision = 0x00,
                           .class_code = 0x010180}; /* IDE, bus master, compatibility mode */
    def.bars[4] = (vt_pci_bar_def){
        .size = 16, .io = true, .ops = &bm_ops, .opaque = p, .endian = VT_LITTLE_ENDIAN};
    if (vt_pci_attach(d, &def, &p->fn, err)) return -1;
    for (unsigned r = IDE_IDETIM; r < 0x48; r++)
        p->fn->wmask[r] = 0xff; /* IDETIM, SIDETIM */
    if (attach_drives(p, err)) return -1;
    return map_legacy(p, err);
}

static void ide_reset(vt_device *d) {
    piix_ide *p = d->priv;
    vt_pci_func_reset(p->fn);
    for (unsigned r = IDE_IDETIM; r < 0x48; r++)
        p->fn->config[r] = 0;
    for (int i = 0; i < 2; i++) {
        ide_chan *c = &p->ch[i];
        c->bm_cmd = c->bm_status = 0;
        c->bm_prd = c->prd_next = c->prd_addr = c->prd_left = c->prd_count = 0;
        c->prd_eot = false;
        vt_ide_reset(&c->bus);
    }
}

static void ide_save(const vt_device *d, vt_state_writer *w) {
    const piix_ide *p = d->priv;
    vt_pci_func_save(p->fn, w);
    vt_state_begin(w, "PIDE", 2);
    for (int i = 0; i < 2; i++) {
        const ide_chan *c = &p->ch[i];
        vt_state_put_u8(w, c->bm_cmd);
        vt_state_put_u8(w, c->bm_status);
        vt_state_put_u32(w, c->bm_prd);
        vt_state_put_u32(w, c->prd_next);
        vt_state_put_u32(w, c->prd_addr);
        vt_state_put_u32(w, c->prd_left);
        vt_state_put_u32(w, c->prd_count);
        vt_state_put_u8(w, c->prd_eot);
    }
    vt_state_end(w);
    for (int i = 0; i < 2; i++)
        vt_ide_save(&p->ch[i].bus, w);
}

static int ide_load(vt_device *d, vt_state_reader *r) {
    piix_ide *p = d->priv;
    uint32_t version;
    if (vt_pci_func_load(p->fn, r) || vt_state_open(r, "PIDE", 2, &version)) return -1;
    if (version < 2) {
        vt_state_fail(r, "PIDE: version 1 (no drives) is not supported");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        ide_chan *c = &p->ch[i];
        c->bm_cmd = vt_state_get_u8(r) & BM_CMD_BITS;
        c->bm_status = vt_state_get_u8(r) & (BM_STATUS_RW | BM_STATUS_W1C | BM_ST_ACTIVE);
        c->bm_prd = vt_state_get_u32(r) & ~3u;
        c->prd_next = vt_state_get_u32(r);
        c->prd_addr = vt_state_get_u32(r);
        c->prd_left = vt_state_get_index(r, 0x10001);
        c->prd_count = vt_state_get_index(r, PRD_TABLE_MAX + 2);
        c->prd_eot = vt_state_get_u8(r) != 0;
    }
    if (vt_state_close(r)) return -1;
    for (int i = 0; i < 2; i++)
        if (vt_ide_load(&p->ch[i].bus, r)) return -1;
    return 0;
}

static void ide_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key ide_keys[] = {
    VT_PCI_DEV_KEYS,
    {"hda", VT_KEY_STR, "0", "--disk index of the primary master ATA disk, or none"},
    {"hdb", VT_KEY_STR, "none", "--disk index of the primary slave, or none"},
    {"hdc", VT_KEY_STR, "none", "--disk index of the secondary master, or none"},
    {"hdd", VT_KEY_STR, "none", "--disk index of the secondary slave, or none"},
    {"cdrom", VT_KEY_STR, "none", "--cdrom index of an ATAPI CD-ROM at the secondary master"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_piix3_ide = {
    .name = "piix3-ide",
    .description = "Intel PIIX3 IDE function (compatibility-mode channels, ATA disks, ATAPI "
                   "CD-ROM, bus master)",
    .keys = ide_keys,
    .irq_outputs = 2,
    .create = ide_create,
    .reset = ide_reset,
    .save = ide_save,
    .load = ide_load,
    .destroy = ide_destroy,
};
