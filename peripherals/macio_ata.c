/* The mac-io ATA cell of Heathrow (and OHare/Paddington): one ATA channel whose command-block
 * registers sit 16 bytes apart (register n at n << 4; device control / alternate status at
 * 0x160 and again at 0x80; the timing configuration at 0x200; all little-endian), with its own
 * DBDMA channel elsewhere in mac-io (`dbdma`: the channel's register block). The drives are
 * --disk images (`disk` master, `disk1` slave), or the master is an ATAPI CD-ROM drive
 * (`cdrom`: its disc, a --cdrom index; the drive is there, empty, without one). Outputs:
 * irq = the ATA interrupt, irq1 = the DBDMA channel's. The channel and its drives are the
 * shared ATA/ATAPI model (ide_bus.c, ata_disk.c, ata_cdrom.c; the CD-ROM drive offers DMA
 * here); DBDMA asks it for DMA data piece by piece (vt_ide_dma_xfer). Sources: Linux
 * drivers/ata/pata_macio.c (register layout, DMA programming); OpenBIOS drivers/ide.c (control as
 * register 8); QEMU hw/ide/macio.c and hw/misc/macio/macio.c (cell and DBDMA channel placement on
 * g3beige; facts only). */
#include "core/block/block.h"
#include "core/config.h"
#include "core/device.h"
#include "core/log.h"
#include "peripherals/ide_bus.h"
#include "peripherals/dbdma.h"

#include <stdio.h>
#include <stdlib.h>

#define REG_STRIDE_SHIFT 4
#define REG_CONTROL 0x160    /* device control (write) / alternate status (read) */
#define REG_CONTROL_ALT 0x80 /* the same register as register 8 (OpenBIOS uses this one) */
#define REG_TIMING 0x200

typedef struct macio_ata {
    vt_device *dev;
    vt_ide_bus ata;
    vt_dbdma dma;
    uint32_t timing;
    char dma_name[64];
} macio_ata;

static uint64_t ata_read(void *opaque, uint64_t off, unsigned size) {
    macio_ata *a = opaque;
    if (off == 0 && (size == 2 || size == 4)) return vt_ide_read(&a->ata, VT_IDE_DATA, size);
    if (size == 1 && off < (8u << REG_STRIDE_SHIFT) && !(off & 0xf))
        return vt_ide_read(&a->ata, (unsigned)(off >> REG_STRIDE_SHIFT), 1);
    if (size == 1 && (off == REG_CONTROL || off == REG_CONTROL_ALT))
        return vt_ide_alt_status(&a->ata);
    if (size == 4 && off == REG_TIMING) return a->timing;
    vt_dev_log_unknown(a->dev, "read", off, size, 0);
    return 0;
}

static void ata_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    macio_ata *a = opaque;
    if (off == 0 && (size == 2 || size == 4)) {
        vt_ide_write(&a->ata, VT_IDE_DATA, (uint32_t)v, size);
    } else if (size == 1 && off < (8u << REG_STRIDE_SHIFT) && !(off & 0xf)) {
        vt_ide_write(&a->ata, (unsigned)(off >> REG_STRIDE_SHIFT), (uint8_t)v, 1);
    } else if (size == 1 && (off == REG_CONTROL || off == REG_CONTROL_ALT)) {
        vt_ide_write_devctl(&a->ata, (uint8_t)v);
    } else if (size == 4 && off == REG_TIMING) {
        a->timing = (uint32_t)v;
    } else {
        vt_dev_log_unknown(a->dev, "write", off, size, v);
    }
}

static const vt_mmio_ops ata_ops = {ata_read, ata_write};

static uint64_t dma_read(void *opaque, uint64_t off, unsigned size) {
    macio_ata *a = opaque;
    if (size != 4 || (off & 3)) {
        vt_dev_log_unknown(a->dev, "DBDMA read", off, size, 0);
        return 0;
    }
    return vt_dbdma_read(&a->dma, off);
}

static void dma_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    macio_ata *a = opaque;
    if (size != 4 || (off & 3)) {
        vt_dev_log_unknown(a->dev, "DBDMA write", off, size, v);
        return;
    }
    vt_dbdma_write(&a->dma, off, (uint32_t)v);
}

static const vt_mmio_ops dma_ops = {dma_read, dma_write};

/* The DBDMA channel's data side: the drive's DMA transfer, when the directions agree. */
static uint32_t drive_xfer(void *opaque, uint8_t *buf, uint32_t len, bool to_memory) {
    macio_ata *a = opaque;
    if (!vt_ide_dma_pending(&a->ata) || vt_ide_dma_to_memory(&a->ata) != to_memory) return 0;
    return vt_ide_dma_xfer(&a->ata, buf, len);
}

/* A DMA phase started: the DBDMA channel may be waiting for it. */
static void drive_dma_ready(void *opaque) {
    vt_dbdma_kick(&((macio_ata *)opaque)->dma);
}

static void intrq(void *opaque, int n, bool level) {
    vt_irq_set(&((macio_ata *)opaque)->dev->irq[n], level);
}

/* The drives: --disk images as master and slave, or an ATAPI CD-ROM drive as master. */
static int attach_drives(macio_ata *a, vt_device *d, vt_error *err) {
    static const char *const disk_keys[2] = {"disk", "disk1"};
    char serial[24];
    for (int i = 0; i < 2; i++) {
        vt_block *blk;
        if (vt_dev_disk(d, disk_keys[i], &blk, err)) return -1;
        snprintf(serial, sizeof serial, "VT%s%.12s", disk_keys[i], d->name);
        vt_ide_attach_disk(&a->ata, i, blk, serial);
    }
    if (!strcmp(vt_dev_str(d, "cdrom"), "none")) return 0;
    if (a->ata.drive[0].present)
        return vt_fail(err, "[%s] has both a disk and a cdrom as master", d->name);
    vt_block *medium;
    if (vt_dev_cdrom(d, "cdrom", &medium, err)) return -1;
    snprintf(serial, sizeof serial, "VTcd%.12s", d->name);
    vt_ide_attach_cdrom(&a->ata, 0, medium, serial, true);
    return 0;
}

static int ata_create(vt_device *d, vt_error *err) {
    macio_ata *a = calloc(1, sizeof *a);
    if (!a) return vt_fail(err, "out of memory");
    d->priv = a;
    a->dev = d;
    uint64_t dbdma;
    if (attach_drives(a, d, err) || vt_dev_u64(d, "dbdma", &dbdma, err) ||
        vt_dev_dma(d, "dma", &a->dma.mem, err))
        return -1;
    a->ata.irq = (vt_irq){intrq, a, 0};
    a->ata.dma_ready = drive_dma_ready;
    a->ata.dma_opaque = a;
    snprintf(a->dma_name, sizeof a->dma_name, "%s-dbdma", d->name);
    a->dma.name = a->dma_name;
    a->dma.irq = &d->irq[1];
    a->dma.xfer = drive_xfer;
    a->dma.opaque = a;
    vt_dbdma_init(&a->dma, vt_dev_sched(d));
    if (vt_dev_map_mmio(d, &ata_ops, a, VT_LITTLE_ENDIAN, err)) return -1;
    vt_error sub;
    if (vt_bus_add_mmio(vt_dev_bus(d), a->dma_name, dbdma, VT_DBDMA_REGS, &dma_ops, a,
                        VT_LITTLE_ENDIAN, &sub)) {
        vt_cfg_entry *e = vt_cfg_get(d->cfg, "dbdma");
        return e ? vt_cfg_fail(err, e, "%s", sub.msg)
                 : vt_cfg_section_fail(err, d->cfg, "%s", sub.msg);
    }
    return 0;
}

static void ata_reset(vt_device *d) {
    macio_ata *a = d->priv;
    vt_ide_reset(&a->ata);
    vt_dbdma_reset(&a->dma);
    a->timing = 0;
}

static void ata_save(const vt_device *d, vt_state_writer *w) {
    const macio_ata *a = d->priv;
    vt_state_begin(w, "MATA", 1);
    vt_state_put_u32(w, a->timing);
    vt_state_end(w);
    vt_ide_save(&a->ata, w);
    vt_dbdma_save(&a->dma, w);
}

static int ata_load(vt_device *d, vt_state_reader *r) {
    macio_ata *a = d->priv;
    uint32_t version;
    if (vt_state_open(r, "MATA", 1, &version)) return -1;
    a->timing = vt_state_get_u32(r);
    if (vt_state_close(r)) return -1;
    return vt_ide_load(&a->ata, r) || vt_dbdma_load(&a->dma, r) ? -1 : 0;
}

static void ata_destroy(vt_device *d) {
    macio_ata *a = d->priv;
    if (a) vt_sched_cancel(vt_dev_sched(d), &a->dma.resume);
    free(a);
}

static const vt_dev_key ata_keys[] = {
    {"disk", VT_KEY_STR, "none", "master drive: --disk index, or none"},
    {"disk1", VT_KEY_STR, "none", "slave drive: --disk index, or none"},
    {"cdrom", VT_KEY_STR, "none", "ATAPI CD-ROM drive as master, with this --cdrom disc; none"},
    {"dbdma", VT_KEY_U64, NULL, "address of this channel's DBDMA registers (256 bytes)"},
    {"dma", VT_KEY_STR, "memory", "DMA port the DBDMA channel reaches memory through"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_macio_ata = {
    .name = "macio-ata",
    .description = "mac-io ATA channel with its DBDMA channel (Heathrow, Paddington, OHare)",
    .keys = ata_keys,
    .needs_mmio = true,
    .irq_outputs = 2,
    .create = ata_create,
    .reset = ata_reset,
    .save = ata_save,
    .load = ata_load,
    .destroy = ata_destroy,
};
