/* OMAP1 MPU "OMAP32" identification registers at 0xfffed400: ID_0 (the OMAP revision code)
 * and ID_1 (bits 31:28 die revision, 27:12 JTAG part number, 11:0 manufacturer and the JTAG
 * marker bit). The OMAP310 reads jtag 0xb574, die revision 2 and ID_0 0x03310315, which Linux
 * decodes as "OMAP0310 revision 2". Sources: Linux 6.1 arch/arm/mach-omap1/id.c (omap_ids
 * table and decoding); IEEE 1149.1 IDCODE layout (manufacturer field, TI = 0x017). */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

typedef struct omap_id {
    vt_device *dev;
    uint32_t id[2];
} omap_id;

static uint64_t id_read(void *opaque, uint64_t off, unsigned size) {
    omap_id *s = opaque;
    if (size == 4 && (off == 0 || off == 4)) return s->id[off / 4];
    vt_dev_log_unknown(s->dev, "read", off, size, 0);
    return 0;
}

static void id_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    omap_id *s = opaque;
    vt_dev_log_unknown(s->dev, "write (read-only ID)", off, size, v);
}

static const vt_mmio_ops id_ops = {id_read, id_write};

static int id_create(vt_device *d, vt_error *err) {
    uint64_t v0, v1;
    if (vt_dev_u64(d, "id_0", &v0, err) || vt_dev_u64(d, "id_1", &v1, err)) return -1;
    if (v0 > UINT32_MAX || v1 > UINT32_MAX) return vt_fail(err, "id_0/id_1 are 32-bit");
    omap_id *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    d->priv = s;
    s->dev = d;
    s->id[0] = (uint32_t)v0;
    s->id[1] = (uint32_t)v1;
    return vt_dev_map_mmio(d, &id_ops, s, VT_LITTLE_ENDIAN, err);
}

static void id_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_omap1_id = {
    .name = "omap1-id",
    .description = "OMAP1 OMAP32_ID_0/ID_1 identification registers (read-only)",
    .keys = (const vt_dev_key[]){{"id_0", VT_KEY_U64, "0x03310315", "OMAP32_ID_0 (OMAP310)"},
                                 {"id_1", VT_KEY_U64, "0x2b57402f",
                                  "OMAP32_ID_1: die rev 2, JTAG 0xb574, TI manufacturer"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = id_create,
    .destroy = id_destroy,
};
