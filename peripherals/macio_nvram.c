/* Power Macintosh mac-io NVRAM cell: 8 KiB of byte-wide NVRAM, byte n at offset n << reg_shift
 * (16-byte stride on Heathrow, at mac-io +0x60000). Contents survive a machine reset (they
 * are battery-backed) and travel in the save state. Sources: QEMU g3beige `info mtree`
 * (0x20000-byte window at +0x60000, facts only); Linux arch/powerpc/platforms/powermac/nvram.c
 * (byte stride 16 for "nvram" cells without a 'reg' size of 0x2000). */
#include "peripherals/macio_nvram.h"

#include "core/savestate.h"

#include <stdlib.h>

#define NVRAM_BYTES 0x2000u

typedef struct macio_nvram {
    vt_device *dev;
    unsigned shift;
    uint8_t mem[NVRAM_BYTES];
} macio_nvram;

static bool decode(const macio_nvram *n, uint64_t off, unsigned size, uint32_t *index) {
    if (size != 1 || (off & ((1u << n->shift) - 1))) return false;
    *index = (uint32_t)(off >> n->shift);
    return *index < NVRAM_BYTES;
}

static uint64_t nv_read(void *opaque, uint64_t off, unsigned size) {
    macio_nvram *n = opaque;
    uint32_t i;
    if (decode(n, off, size, &i)) return n->mem[i];
    vt_dev_log_unknown(n->dev, "read", off, size, 0);
    return 0;
}

static void nv_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    macio_nvram *n = opaque;
    uint32_t i;
    if (decode(n, off, size, &i))
        n->mem[i] = (uint8_t)v;
    else
        vt_dev_log_unknown(n->dev, "write", off, size, v);
}

static const vt_mmio_ops nv_ops = {nv_read, nv_write};

uint8_t *vt_macio_nvram_mem(vt_device *d, size_t *len) {
    macio_nvram *n = d->priv;
    *len = NVRAM_BYTES;
    return n->mem;
}

static int nv_create(vt_device *d, vt_error *err) {
    macio_nvram *n = calloc(1, sizeof *n);
    if (!n) return vt_fail(err, "out of memory");
    n->dev = d;
    d->priv = n;
    uint64_t shift;
    if (vt_dev_u64(d, "reg_shift", &shift, err)) return -1;
    if (shift > 4) return vt_fail(err, "reg_shift must be 0..4");
    n->shift = (unsigned)shift;
    if (d->size < (uint64_t)NVRAM_BYTES << n->shift)
        return vt_fail(err, "size must cover the 8 KiB at this stride (0x%llx)",
                       (unsigned long long)NVRAM_BYTES << n->shift);
    return vt_dev_map_mmio(d, &nv_ops, n, VT_BIG_ENDIAN, err);
}

static void nv_save(const vt_device *d, vt_state_writer *w) {
    const macio_nvram *n = d->priv;
    vt_state_begin(w, "MNVR", 1);
    vt_state_put_bytes(w, n->mem, NVRAM_BYTES);
    vt_state_end(w);
}

static int nv_load(vt_device *d, vt_state_reader *r) {
    macio_nvram *n = d->priv;
    uint32_t version;
    if (vt_state_open(r, "MNVR", 1, &version)) return -1;
    vt_state_get_bytes(r, n->mem, NVRAM_BYTES);
    return vt_state_close(r);
}

static void nv_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_macio_nvram = {
    .name = "macio-nvram",
    .description = "Power Macintosh mac-io NVRAM (8 KiB, byte-wide with a register stride)",
    .keys = (const vt_dev_key[]){{"reg_shift", VT_KEY_U64, "4", "byte n at offset n << reg_shift"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .save = nv_save,
    .load = nv_load,
    .create = nv_create,
    .destroy = nv_destroy,
};
