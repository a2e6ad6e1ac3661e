/* The mac-io ATA cell of Heathrow (and OHare/Paddington): one ATA channel whose command-block
 * registers sit 16 bytes apart (register n at n << 4; device control / alternate status at
 * 0x160 and again at 0x80; the timing configuration at 0x200; all little-endian), with its own
 * DBDMA channel elsewhere in mac-io (`dbdma`: the channel's register block). The drives are
 * --disk images (`disk` master, `disk1` slave), or the master is an ATAPI CD-ROM drive
 * (`cdrom`: its disc, a --cdrom index; the drive is there, empty, without one). Outputs:
 * irq = the ATA interrupt, irq1 = the DBDMA channel's. Sources: Linux drivers/ata/pata_macio.c
 * (register layout, DMA programming); OpenBIOS drivers/ide.c (control as register 8); QEMU
 * hw/ide/macio.c and hw/misc/macio/macio.c (cell and DBDMA channel placement on g3beige; facts
 * only). */
#include "core/config.h"
#include "core/device.h"
#include "core/log.h"
#include "peripherals/ata_drive.h"
#include "peripherals/dbdma.h"

#include <stdio.h>
#include <stdlib.h>

#define REG_STRIDE_SHIFT 4
#define REG_CONTROL 0x160    /* device control (write) / alternate status (read) */
#define REG_CONTROL_ALT 0x80 /* the same register as register 8 (OpenBIOS uses this one) */
#define REG_TIMING 0x200

typedef struct macio_ata {
    vt_device *dev;
    vt_ata_chan ata;
    vt_dbdma dma;
    uint32_t timing;
    char dma_name[64];
    vt_scsi_cdrom cd;
} macio_ata;

static uint64_t ata_read(void *opaque, uint64_t off, unsigned size) {
    macio_ata *a = opaque;
    if (off == 0 && (size == 2 || size == 4)) return vt_ata_read_data(&a->ata, size);
    if (size == 1 && off < (8u << REG_STRIDE_SHIFT) && !(off & 0xf))
        return vt_ata_read(&a->ata, (unsigned)(off >> REG_STRIDE_SHIFT));
    if (size == 1 && (off == REG_CONTROL || off == REG_CONTROL_ALT))
        return vt_ata_alt_status(&a->ata);
    if (size == 4 && off == REG_TIMING) return a->timing;
    vt_dev_log_unknown(a->dev, "read", off, size, 0);
    return 0;
}

static void ata_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    macio_ata *a = opaque;
    if (off == 0 && (size == 2 || size == 4)) {
        vt_ata_write_data(&a->ata, (uint32_t)v, size);
        vt_dbdma_kick(&a->dma); /* the end of a command packet may start a DMA phase */
    } else if (size == 1 && off < (8u << REG_STRIDE_SHIFT) && !(off & 0xf)) {
        vt_ata_write(&a->ata, (unsigned)(off >> REG_STRIDE_SHIFT), (uint8_t)v);
        if (off >> REG_STRIDE_SHIFT == VT_ATA_STATUS) vt_dbdma_kick(&a->dma); /* a DMA command */
    } else if (size == 1 && (off == REG_CONTROL || off == REG_CONTROL_ALT)) {
        vt_ata_write_devctl(&a->ata, (uint8_t)v);
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
    bool drive_to_memory;
    if (!vt_ata_dma_active(&a->ata, &drive_to_memory) || drive_to_memory != to_memory) return 0;
    return vt_ata_dma(&a->ata, buf, len);
}

static int ata_create(vt_device *d, vt_error *err) {
    macio_ata *a = calloc(1, sizeof *a);
    if (!a) return vt_fail(err, "out of memory");
    d->priv = a;
    a->dev = d;
    uint64_t dbdma;
    if (vt_dev_disk(d, "disk", &a->ata.drive[0], err) ||
        vt_dev_disk(d, "disk1", &a->ata.drive[1], err) || vt_dev_u64(d, "dbdma", &dbdma, err) ||
        vt_dev_dma(d, "dma", &a->dma.mem, err))
        return -1;
    if (strcmp(vt_dev_str(d, "cdrom"), "none")) {
        if (a->ata.drive[0])
            return vt_fail(err, "[%s] has both a disk and a cdrom as master", d->name);
        if (vt_dev_cdrom(d, "cdrom", &a->cd.medium, err)) return -1;
        a->ata.pkt = malloc(VT_ATA_PKT_MAX);
        if (!a->ata.pkt) return vt_fail(err, "out of memory");
        a->ata.atapi[0] = &a->cd;
    }
    a->ata.name = d->name;
    a->ata.intrq = &d->irq[0];
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
    a->cd.sense = (vt_scsi_sense){0, 0, 0};
    vt_ata_reset(&a->ata);
    vt_dbdma_reset(&a->dma);
    a->timing = 0;
}

static void ata_save(const vt_device *d, vt_state_writer *w) {
    const macio_ata *a = d->priv;
    vt_state_begin(w, "MATA", 1);
    vt_state_put_u32(w, a->timing);
    vt_state_end(w);
    vt_ata_save(&a->ata, w);
    vt_dbdma_save(&a->dma, w);
}

static int ata_load(vt_device *d, vt_state_reader *r) {
    macio_ata *a = d->priv;
    uint32_t version;
    if (vt_state_open(r, "MATA", 1, &version)) return -1;
    a->timing = vt_state_get_u32(r);
    if (vt_state_close(r)) return -1;
    return vt_ata_load(&a->ata, r) || vt_dbdma_load(&a->dma, r) ? -1 : 0;
}

static void ata_destroy(vt_device *d) {
    macio_ata *a = d->priv;
    if (a) {
        vt_sched_cancel(vt_dev_sched(d), &a->dma.resume);
        free(a->ata.pkt);
    }
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
