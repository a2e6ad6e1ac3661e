/* Intel 82371SB PIIX3 function 1, the IDE controller (00:01.1, 8086:7010) with its two
 * channels in compatibility mode (command blocks 0x1F0-0x1F7 / 0x170-0x177, control 0x3F6 /
 * 0x376, IRQ 14 / 15) and the bus-master interface (BAR4, 16 ports). No drives are attached
 * yet: every task-file register of a drive-less channel reads 0, as on QEMU's `pc` (the ATA
 * bus's pull-down keeps BSY clear, and nothing latches the registers). Sources: Intel 82371SB
 * datasheet (290550) §2.3 (function 1 registers), §5.7 (bus-master registers); ATA-4 §9.1. */
#include "core/device.h"
#include "core/log.h"
#include "core/pci.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define IDE_IDETIM 0x40 /* IDETIM primary (0x40) and secondary (0x42) */
#define BM_CMD 0        /* per channel at +0 / +8 */
#define BM_STATUS 2
#define BM_PRD 4
#define BM_CMD_BITS 0x09   /* start/stop, read/write */
#define BM_STATUS_RW 0x60  /* drive 0/1 DMA capable */
#define BM_STATUS_W1C 0x06 /* interrupt, error */

static const struct { uint16_t cmd, ctl; } legacy[2] = {{0x1f0, 0x3f6}, {0x170, 0x376}};

typedef struct ide_chan {
    uint8_t bm_cmd, bm_status;
    uint32_t bm_prd;
} ide_chan;

typedef struct piix_ide {
    vt_device *dev;
    vt_pci_func *fn;
    ide_chan ch[2];
} piix_ide;

static uint64_t taskfile_read(void *opaque, uint64_t off, unsigned size) {
    VT_UNUSED(opaque);
    VT_UNUSED(off);
    VT_UNUSED(size);
    return 0; /* no drive on either position of the channel */
}

static void taskfile_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    VT_UNUSED(opaque);
    VT_UNUSED(off);
    VT_UNUSED(v);
    VT_UNUSED(size); /* no drive to receive the register or command */
}

static const vt_mmio_ops taskfile_ops = {taskfile_read, taskfile_write};

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
        if (r == BM_CMD)
            c->bm_cmd = b & BM_CMD_BITS; /* no drive: a started transfer never moves data */
        else if (r == BM_STATUS)
            c->bm_status = (uint8_t)((c->bm_status & ~BM_STATUS_RW & ~(b & BM_STATUS_W1C)) |
                                     (b & BM_STATUS_RW));
        else if (r >= BM_PRD) {
            unsigned sh = 8 * (r - BM_PRD);
            c->bm_prd = (c->bm_prd & ~(0xffu << sh)) | ((uint32_t)b << sh);
            c->bm_prd &= ~3u; /* dword aligned */
        }
    }
}

static const vt_mmio_ops bm_ops = {bm_read, bm_write};

static int map_legacy(piix_ide *p, vt_error *err) {
    vt_bus *io = vt_dev_io_bus(p->dev);
    for (int i = 0; i < 2; i++) {
        char name[48];
        snprintf(name, sizeof name, "%.32s.ch%d", p->dev->name, i);
        if (vt_bus_add_mmio(io, name, legacy[i].cmd, 8, &taskfile_ops, p, VT_LITTLE_ENDIAN, err))
            return -1;
        snprintf(name, sizeof name, "%.32s.ctl%d", p->dev->name, i);
        if (vt_bus_add_mmio(io, name, legacy[i].ctl, 1, &taskfile_ops, p, VT_LITTLE_ENDIAN, err))
            return -1;
    }
    return 0;
}

static int ide_create(vt_device *d, vt_error *err) {
    piix_ide *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    vt_pci_func_def def = {.vendor = 0x8086,
                           .device = 0x7010,
                           .revision = 0x00,
                           .class_code = 0x010180}; /* IDE, bus master, compatibility mode */
    def.bars[4] = (vt_pci_bar_def){
        .size = 16, .io = true, .ops = &bm_ops, .opaque = p, .endian = VT_LITTLE_ENDIAN};
    if (vt_pci_attach(d, &def, &p->fn, err)) return -1;
    for (unsigned r = IDE_IDETIM; r < 0x48; r++)
        p->fn->wmask[r] = 0xff; /* IDETIM, SIDETIM */
    return map_legacy(p, err);
}

static void ide_reset(vt_device *d) {
    piix_ide *p = d->priv;
    vt_pci_func_reset(p->fn);
    for (unsigned r = IDE_IDETIM; r < 0x48; r++)
        p->fn->config[r] = 0;
    memset(p->ch, 0, sizeof p->ch);
}

static void ide_save(const vt_device *d, vt_state_writer *w) {
    const piix_ide *p = d->priv;
    vt_pci_func_save(p->fn, w);
    vt_state_begin(w, "PIDE", 1);
    for (int i = 0; i < 2; i++) {
        vt_state_put_u8(w, p->ch[i].bm_cmd);
        vt_state_put_u8(w, p->ch[i].bm_status);
        vt_state_put_u32(w, p->ch[i].bm_prd);
    }
    vt_state_end(w);
}

static int ide_load(vt_device *d, vt_state_reader *r) {
    piix_ide *p = d->priv;
    uint32_t version;
    if (vt_pci_func_load(p->fn, r) || vt_state_open(r, "PIDE", 1, &version)) return -1;
    for (int i = 0; i < 2; i++) {
        p->ch[i].bm_cmd = vt_state_get_u8(r) & BM_CMD_BITS;
        p->ch[i].bm_status = vt_state_get_u8(r) & (BM_STATUS_RW | BM_STATUS_W1C);
        p->ch[i].bm_prd = vt_state_get_u32(r) & ~3u;
    }
    return vt_state_close(r);
}

static void ide_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_piix3_ide = {
    .name = "piix3-ide",
    .description = "Intel PIIX3 IDE function (compatibility-mode channels, bus master; no drives)",
    .keys = (const vt_dev_key[]){VT_PCI_DEV_KEYS, {NULL, 0, NULL, NULL}},
    .create = ide_create,
    .reset = ide_reset,
    .save = ide_save,
    .load = ide_load,
    .destroy = ide_destroy,
};
