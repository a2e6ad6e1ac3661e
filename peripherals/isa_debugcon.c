/* The Bochs/QEMU debug console port ("isa-debugcon", port 0x402 on QEMU's pc): every byte the
 * guest writes is firmware log text. Complete lines go to the `bios` log category
 * (`--log bios`); reads return the presence byte 0xE9 as Bochs and QEMU do.
 * Sources: SeaBIOS src/output.c and docs/Debugging.md (debug output on port 0x402 under QEMU);
 * Bochs documentation, "port E9 hack" (0xE9 readback). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

#define DEBUGCON_READBACK 0xe9
#define LINE_MAX_BYTES 256

typedef struct debugcon {
    vt_device *dev;
    char line[LINE_MAX_BYTES + 1];
    unsigned len;
} debugcon;

static void flush_line(debugcon *c) {
    c->line[c->len] = 0;
    vt_log(VT_LOG_BIOS, "%s: %s", c->dev->name, c->line);
    c->len = 0;
}

static uint64_t dc_read(void *opaque, uint64_t off, unsigned size) {
    VT_UNUSED(opaque);
    VT_UNUSED(off);
    VT_UNUSED(size);
    return DEBUGCON_READBACK;
}

static void dc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    debugcon *c = opaque;
    VT_UNUSED(off);
    for (unsigned i = 0; i < size; i++) {
        char ch = (char)(v >> 8 * i);
        if (ch == '\n') {
            flush_line(c);
        } else if (ch != '\r') {
            /* control bytes would garble the host terminal */
            c->line[c->len++] = (ch >= 0x20 && ch < 0x7f) || ch == '\t' ? ch : '?';
            if (c->len == LINE_MAX_BYTES) flush_line(c);
        }
    }
}

static const vt_mmio_ops dc_ops = {dc_read, dc_write};

static int dc_create(vt_device *d, vt_error *err) {
    debugcon *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    c->dev = d;
    d->priv = c;
    return vt_dev_map_mmio(d, &dc_ops, c, VT_LITTLE_ENDIAN, err);
}

static void dc_save(const vt_device *d, vt_state_writer *w) {
    const debugcon *c = d->priv;
    vt_state_begin(w, "DBGC", 1);
    vt_state_put_u32(w, c->len);
    vt_state_put_bytes(w, c->line, LINE_MAX_BYTES);
    vt_state_end(w);
}

static int dc_load(vt_device *d, vt_state_reader *r) {
    debugcon *c = d->priv;
    uint32_t version;
    if (vt_state_open(r, "DBGC", 1, &version)) return -1;
    uint32_t len = vt_state_get_u32(r);
    vt_state_get_bytes(r, c->line, LINE_MAX_BYTES);
    c->len = len < LINE_MAX_BYTES ? len : 0;
    return vt_state_close(r);
}

static void dc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_isa_debugcon = {
    .name = "isa-debugcon",
    .description = "Bochs/QEMU debug console port (firmware log to --log bios)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = dc_create,
    .save = dc_save,
    .load = dc_load,
    .destroy = dc_destroy,
};
