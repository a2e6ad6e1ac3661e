/* /chosen editing of a flattened device tree with libfdt: a full structure check first (the
 * blob is user input), then a copy with room for the new properties, the properties, and a
 * packed result. Sources: Devicetree Specification 0.3 (/chosen); libfdt API. */
#include "machines/fdt_chosen.h"

#include <libfdt.h>
#include <stdlib.h>

#define FDT_SLACK 4096 /* room for the properties this adds (beyond the command line) */

int vt_fdt_set_chosen(const uint8_t *dtb, size_t len, const vt_fdt_chosen *c, const char *what,
                      uint8_t **out, size_t *out_len, vt_error *err) {
    size_t extra = c->bootargs ? strlen(c->bootargs) : 0;
    if (len > (1u << 24) || extra > (1u << 20))
        return vt_fail(err, "dtb %s: larger than this board accepts", what);
    /* the whole structure, not just the header: libfdt's editing trusts the block layout */
    int rc = len < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_full(dtb, len);
    size_t cap = len + FDT_SLACK + extra;
    uint8_t *buf = rc ? NULL : calloc(1, cap);
    if (!rc && !buf) return vt_fail(err, "out of memory");
    if (!rc) rc = fdt_open_into(dtb, buf, (int)cap);
    int chosen = rc ? rc : fdt_path_offset(buf, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND) chosen = fdt_add_subnode(buf, 0, "chosen");
    rc = chosen < 0 ? chosen : 0;
    if (!rc && c->bootargs) rc = fdt_setprop_string(buf, chosen, "bootargs", c->bootargs);
    if (!rc && c->initrd) rc = fdt_setprop_u32(buf, chosen, "linux,initrd-start", c->initrd_start);
    if (!rc && c->initrd) rc = fdt_setprop_u32(buf, chosen, "linux,initrd-end", c->initrd_end);
    if (!rc) rc = fdt_pack(buf);
    if (rc) {
        free(buf);
        return vt_fail(err, "dtb %s: %s", what, fdt_strerror(rc));
    }
    *out = buf;
    *out_len = fdt_totalsize(buf);
    return 0;
}
