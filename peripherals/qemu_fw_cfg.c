/* QEMU firmware-configuration interface ("qemu-fw-cfg"): a 16-bit selector register at offset 0
 * and a byte-wide data register at `data_offset` -- memory-mapped and big-endian with data at 2
 * as on QEMU's sun4m machines, or I/O ports 0x510/0x511 little-endian on the PC -- and, when the
 * profile gives it a DMA port, the DMA interface: a big-endian 64-bit address register at
 * `dma_offset` (PC: 0x514) whose low-half write runs the request at that address at once.
 * Writing the selector rewinds the item; each data read returns the next byte (0 past the end).
 * Items and named files (listed in the file directory, item 0x19) are set by the board glue.
 * Source: QEMU docs/specs/fw_cfg.rst (register layout, keys, file directory, ID bits, DMA
 * request layout and control bits, the "QEMU CFG" signature of the DMA register). */
#include "peripherals/qemu_fw_cfg.h"

#include <stdlib.h>

#include "core/log.h"
#include "core/savestate.h"

#define MAX_ITEMS 48
#define FILE_FIRST_KEY 0x20 /* FW_CFG_FILE_FIRST */
#define FILE_NAME_LEN 56    /* FW_CFG_MAX_FILE_PATH */
#define FILE_ENTRY_LEN (4 + 2 + 2 + FILE_NAME_LEN)

#define ID_TRADITIONAL 0x1 /* FW_CFG_ID bits: traditional interface, DMA interface */
#define ID_DMA 0x2
#define DMA_SIGNATURE 0x51454d5520434647ull /* "QEMU CFG", read from the DMA register */
/* A DMA request in guest memory: be32 control, be32 length, be64 address. */
#define DMA_REQ_LEN 16
#define DMA_CTL_ERROR 0x01
#define DMA_CTL_READ 0x02
#define DMA_CTL_SKIP 0x04
#define DMA_CTL_SELECT 0x08
#define DMA_CTL_WRITE 0x10

typedef struct fw_item {
    uint16_t key;
    uint8_t *data;
    size_t len;
} fw_item;

typedef struct fw_cfg {
    vt_device *dev;
    fw_item items[MAX_ITEMS];
    int nitems;
    uint16_t selector;
    uint32_t offset;
    uint64_t data_offset;
    bool little;  /* register byte order */
    bool has_dma; /* DMA interface present (a `dma` port is configured) */
    vt_dma dma;
    uint64_t dma_offset;
    uint32_t dma_high; /* the address register's upper half, kept until the low write */
    uint8_t *dir;      /* the file directory item being built */
    uint32_t nfiles;
} fw_cfg;

static const fw_item *current(const fw_cfg *f) {
    for (int i = 0; i < f->nitems; i++)
        if (f->items[i].key == f->selector) return &f->items[i];
    return NULL;
}

static uint64_t fw_read(void *opaque, uint64_t off, unsigned size) {
    fw_cfg *f = opaque;
    if (off == 0 && size == 2) return f->selector;
    if (off == f->data_offset) {
        /* successive bytes of the item, in address order of the wider access */
        const fw_item *it = current(f);
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            uint8_t b = 0;
            if (it && f->offset < it->len) b = it->data[f->offset++];
            v = f->little ? v | (uint64_t)b << 8 * i : v << 8 | b;
        }
        return v;
    }
    if (f->has_dma && off >= f->dma_offset && off + size <= f->dma_offset + 8) {
        /* the signature as a big-endian register, the requested bytes of it */
        unsigned shift = 8 * (unsigned)(f->dma_offset + 8 - off - size);
        uint64_t v = DMA_SIGNATURE >> shift;
        if (size < 8) v &= (1ull << 8 * size) - 1;
        return f->little ? vt_bswap(v, size) : v;
    }
    vt_dev_log_unknown(f->dev, "read", off, size, 0);
    return 0;
}

/* Moves `len` bytes of the selected item at the current offset to guest memory at `addr` (zeros
 * past its end, as QEMU), or skips them. Returns false on a memory error or a write request
 * (no item is writable here). */
static bool dma_move(fw_cfg *f, uint32_t control, uint64_t addr, uint32_t len) {
    if (control & DMA_CTL_WRITE) return false;
    const fw_item *it = current(f);
    size_t avail = it && f->offset < it->len ? it->len - f->offset : 0;
    size_t n = len < avail ? len : avail;
    if (control & DMA_CTL_READ) {
        static const uint8_t zeros[256];
        if (n && vt_dma_write(&f->dma, addr, it->data + f->offset, n)) return false;
        for (uint64_t done = n; done < len;) {
            uint64_t k = len - done < sizeof zeros ? len - done : sizeof zeros;
            if (vt_dma_write(&f->dma, addr + done, zeros, k)) return false;
            done += k;
        }
    }
    f->offset += (uint32_t)n;
    return true;
}

/* Runs the DMA request at `req`: select, then read or skip, then control = 0 or ERROR. */
static void dma_run(fw_cfg *f, uint64_t req) {
    uint8_t b[DMA_REQ_LEN];
    if (vt_dma_read(&f->dma, req, b, sizeof b)) {
        vt_log(VT_LOG_DEV, "%s: DMA request at 0x%llx is outside memory", f->dev->name,
               (unsigned long long)req);
        return;
    }
    uint32_t control = load_be32(b), len = load_be32(b + 4);
    uint64_t addr = load_be64(b + 8);
    if (control & DMA_CTL_SELECT) {
        f->selector = (uint16_t)(control >> 16);
        f->offset = 0;
    }
    bool ok = true;
    if (control & (DMA_CTL_READ | DMA_CTL_WRITE | DMA_CTL_SKIP))
        ok = dma_move(f, control, addr, len);
    if (vt_log_enabled(VT_LOG_DEV))
        vt_log(VT_LOG_DEV, "%s: DMA item 0x%04x control 0x%x %u bytes to 0x%llx%s", f->dev->name,
               f->selector, control, len, (unsigned long long)addr, ok ? "" : " (error)");
    uint8_t done[4];
    store_be32(done, ok ? 0 : DMA_CTL_ERROR);
    if (vt_dma_write(&f->dma, req, done, sizeof done))
        vt_log(VT_LOG_DEV, "%s: DMA request at 0x%llx is outside memory", f->dev->name,
               (unsigned long long)req);
}

/* The address register is big-endian: high half at +0, low half at +4 (starts the request), or
 * one 64-bit write. */
static bool dma_reg_write(fw_cfg *f, uint64_t off, uint64_t v, unsigned size) {
    if (!f->has_dma || off < f->dma_offset) return false;
    uint64_t reg = f->little ? vt_bswap(v, size) : v;
    if (off == f->dma_offset && size == 8) {
        dma_run(f, reg);
    } else if (off == f->dma_offset && size == 4) {
        f->dma_high = (uint32_t)reg;
    } else if (off == f->dma_offset + 4 && size == 4) {
        dma_run(f, (uint64_t)f->dma_high << 32 | (uint32_t)reg);
        f->dma_high = 0;
    } else {
        return false;
    }
    return true;
}

static void fw_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    fw_cfg *f = opaque;
    if (off == 0 && size == 2) {
        f->selector = (uint16_t)v;
        f->offset = 0;
        if (vt_log_enabled(VT_LOG_DEV))
            vt_log(VT_LOG_DEV, "%s: select item 0x%04x%s", f->dev->name, f->selector,
                   current(f) ? "" : " (absent)");
        return;
    }
    if (off == f->data_offset)
        return; /* data writes are ignored by the traditional interface (spec) */
    if (dma_reg_write(f, off, v, size)) return;
    vt_dev_log_unknown(f->dev, "write", off, size, v);
}

static const vt_mmio_ops fw_ops = {fw_read, fw_write};

int vt_fw_cfg_add_bytes(vt_device *d, uint16_t key, const void *data, size_t len) {
    fw_cfg *f = d->priv;
    fw_item *it = NULL;
    for (int i = 0; i < f->nitems; i++)
        if (f->items[i].key == key) it = &f->items[i];
    if (!it) {
        if (f->nitems == MAX_ITEMS) return -1;
        it = &f->items[f->nitems++];
        it->key = key;
        it->data = NULL;
    }
    uint8_t *p = malloc(len ? len : 1);
    if (!p) return -1;
    memcpy(p, data, len);
    free(it->data);
    it->data = p;
    it->len = len;
    return 0;
}

int vt_fw_cfg_add_i16(vt_device *d, uint16_t key, uint16_t v) {
    uint8_t b[2];
    store_le16(b, v);
    return vt_fw_cfg_add_bytes(d, key, b, 2);
}
int vt_fw_cfg_add_i32(vt_device *d, uint16_t key, uint32_t v) {
    uint8_t b[4];
    store_le32(b, v);
    return vt_fw_cfg_add_bytes(d, key, b, 4);
}
int vt_fw_cfg_add_i64(vt_device *d, uint16_t key, uint64_t v) {
    uint8_t b[8];
    store_le64(b, v);
    return vt_fw_cfg_add_bytes(d, key, b, 8);
}

int vt_fw_cfg_add_file(vt_device *d, const char *name, const void *data, size_t len) {
    fw_cfg *f = d->priv;
    size_t nlen = strlen(name);
    if (nlen >= FILE_NAME_LEN || len > UINT32_MAX) return -1;
    uint16_t key = (uint16_t)(FILE_FIRST_KEY + f->nfiles);
    size_t dlen = 4 + (size_t)(f->nfiles + 1) * FILE_ENTRY_LEN;
    uint8_t *dir = realloc(f->dir, dlen);
    if (!dir) return -1;
    f->dir = dir;
    uint8_t *e = dir + 4 + (size_t)f->nfiles * FILE_ENTRY_LEN; /* entries are big-endian */
    memset(e, 0, FILE_ENTRY_LEN);
    store_be32(e, (uint32_t)len);
    store_be16(e + 4, key);
    memcpy(e + 8, name, nlen);
    if (vt_fw_cfg_add_bytes(d, key, data, len)) return -1;
    f->nfiles++;
    store_be32(dir, f->nfiles);
    return vt_fw_cfg_add_bytes(d, VT_FW_CFG_FILE_DIR, dir, dlen);
}

static int fw_create(vt_device *d, vt_error *err) {
    uint64_t data_offset;
    if (vt_dev_u64(d, "data_offset", &data_offset, err)) return -1;
    const char *endian = vt_dev_str(d, "endian");
    if (strcmp(endian, "big") && strcmp(endian, "little"))
        return vt_fail(err, "endian must be 'big' or 'little', not '%s'", endian);
    if (data_offset == 0 || data_offset >= d->size)
        return vt_fail(err, "data_offset must lie inside the window after the selector");
    fw_cfg *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    f->dev = d;
    d->priv = f;
    f->data_offset = data_offset;
    f->little = !strcmp(endian, "little");
    f->has_dma = strcmp(vt_dev_str(d, "dma"), "none") != 0;
    if (f->has_dma) {
        if (vt_dev_dma(d, "dma", &f->dma, err) || vt_dev_u64(d, "dma_offset", &f->dma_offset, err))
            return -1;
        if (f->dma_offset < 2 || f->dma_offset + 8 > d->size ||
            (f->dma_offset < data_offset + 1 && f->dma_offset + 8 > data_offset))
            return vt_fail(err, "dma_offset: the 8-byte DMA register must lie inside the window, "
                                "after the selector and apart from the data register");
    }
    static const uint8_t sig[4] = {'Q', 'E', 'M', 'U'};
    if (vt_fw_cfg_add_bytes(d, VT_FW_CFG_SIGNATURE, sig, 4) ||
        vt_fw_cfg_add_i32(d, VT_FW_CFG_ID, ID_TRADITIONAL | (f->has_dma ? ID_DMA : 0)))
        return vt_fail(err, "out of memory");
    return vt_dev_map_mmio(d, &fw_ops, f, f->little ? VT_LITTLE_ENDIAN : VT_BIG_ENDIAN, err);
}

static void fw_reset(vt_device *d) {
    fw_cfg *f = d->priv;
    f->selector = 0;
    f->offset = 0;
    f->dma_high = 0;
}

static void fw_save(const vt_device *d, vt_state_writer *w) {
    const fw_cfg *f = d->priv;
    vt_state_begin(w, "FWCF", 2);
    vt_state_put_u16(w, f->selector);
    vt_state_put_u32(w, f->offset);
    vt_state_put_u32(w, f->dma_high);
    vt_state_end(w);
}

static int fw_load(vt_device *d, vt_state_reader *r) {
    fw_cfg *f = d->priv;
    uint32_t v;
    if (vt_state_open(r, "FWCF", 2, &v)) return -1;
    f->selector = vt_state_get_u16(r);
    f->offset = vt_state_get_u32(r);
    f->dma_high = v >= 2 ? vt_state_get_u32(r) : 0;
    return vt_state_close(r);
}

static void fw_destroy(vt_device *d) {
    fw_cfg *f = d->priv;
    if (!f) return;
    for (int i = 0; i < f->nitems; i++)
        free(f->items[i].data);
    free(f->dir);
    free(f);
}

const vt_device_class vt_dev_qemu_fw_cfg = {
    .name = "qemu-fw-cfg",
    .description = "QEMU firmware configuration interface (selector + data register, optional DMA)",
    .keys =
        (const vt_dev_key[]){
            {"data_offset", VT_KEY_U64, "2", "offset of the data register (sun4m 2, PC 1)"},
            {"endian", VT_KEY_STR, "big", "register byte order: big (sun4m) or little (PC)"},
            {"dma", VT_KEY_STR, "none",
             "DMA port of the DMA interface (`memory` on the PC), or none: no DMA interface"},
            {"dma_offset", VT_KEY_U64, "4", "offset of the 64-bit DMA address register (PC 4)"},
            {NULL, 0, NULL, NULL},
        },
    .needs_mmio = true,
    .create = fw_create,
    .reset = fw_reset,
    .save = fw_save,
    .load = fw_load,
    .destroy = fw_destroy,
};
