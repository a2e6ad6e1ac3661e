/* QEMU firmware-configuration interface ("qemu-fw-cfg"), memory-mapped variant without DMA as
 * QEMU's sun4m machines expose it: a 16-bit big-endian selector register at offset 0 and a
 * byte-wide data register at offset 2. Writing the selector rewinds the item; each data read
 * returns the next byte (0 past the end). Items are set by the board glue (vt_fw_cfg_add_*).
 * Source: QEMU docs/specs/fw_cfg.rst (register layout, keys, ID = 1: traditional interface). */
#include "peripherals/qemu_fw_cfg.h"

#include <stdlib.h>

#include "core/log.h"
#include "core/savestate.h"

#define MAX_ITEMS 48

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
} fw_cfg;

static const fw_item *current(const fw_cfg *f) {
    for (int i = 0; i < f->nitems; i++)
        if (f->items[i].key == f->selector) return &f->items[i];
    return NULL;
}

static uint64_t fw_read(void *opaque, uint64_t off, unsigned size) {
    fw_cfg *f = opaque;
    if (off == 0 && size == 2) return f->selector;
    if (off == 2) {
        const fw_item *it = current(f);
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            uint8_t b = 0;
            if (it && f->offset < it->len) b = it->data[f->offset++];
            v = v << 8 | b;
        }
        return v;
    }
    vt_dev_log_unknown(f->dev, "read", off, size, 0);
    return 0;
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
    if (off == 2) return; /* data writes are ignored by the traditional interface (spec) */
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

static int fw_create(vt_device *d, vt_error *err) {
    fw_cfg *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    f->dev = d;
    d->priv = f;
    static const uint8_t sig[4] = {'Q', 'E', 'M', 'U'};
    if (vt_fw_cfg_add_bytes(d, VT_FW_CFG_SIGNATURE, sig, 4) || vt_fw_cfg_add_i32(d, VT_FW_CFG_ID, 1))
        return vt_fail(err, "out of memory");
    return vt_dev_map_mmio(d, &fw_ops, f, VT_BIG_ENDIAN, err);
}

static void fw_reset(vt_device *d) {
    fw_cfg *f = d->priv;
    f->selector = 0;
    f->offset = 0;
}

static void fw_save(const vt_device *d, vt_state_writer *w) {
    const fw_cfg *f = d->priv;
    vt_state_begin(w, "FWCF", 1);
    vt_state_put_u16(w, f->selector);
    vt_state_put_u32(w, f->offset);
    vt_state_end(w);
}

static int fw_load(vt_device *d, vt_state_reader *r) {
    fw_cfg *f = d->priv;
    uint32_t v;
    if (vt_state_open(r, "FWCF", 1, &v)) return -1;
    f->selector = vt_state_get_u16(r);
    f->offset = vt_state_get_u32(r);
    return vt_state_close(r);
}

static void fw_destroy(vt_device *d) {
    fw_cfg *f = d->priv;
    if (!f) return;
    for (int i = 0; i < f->nitems; i++) free(f->items[i].data);
    free(f);
}

const vt_device_class vt_dev_qemu_fw_cfg = {
    .name = "qemu-fw-cfg",
    .description = "QEMU firmware configuration interface (memory-mapped, no DMA)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = fw_create,
    .reset = fw_reset,
    .save = fw_save,
    .load = fw_load,
    .destroy = fw_destroy,
};
