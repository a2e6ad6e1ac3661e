/* Device-tree editing for boards that hand Linux a DTB: a copy of the blob with /chosen
 * bootargs and linux,initrd-start/-end set (Linux Documentation/devicetree/usage-model.rst). */
#ifndef VT_FDT_CHOSEN_H
#define VT_FDT_CHOSEN_H

#include "core/common.h"

typedef struct vt_fdt_chosen {
    const char *bootargs;              /* NULL: leave bootargs alone */
    bool initrd;                       /* set linux,initrd-start/-end */
    uint32_t initrd_start, initrd_end; /* physical, end exclusive */
} vt_fdt_chosen;

/* Checks the blob (`what` names it in errors, e.g. the file), copies it into a new buffer with
 * room for the properties and sets them; *out is malloc'ed, packed, *out_len its size. */
int vt_fdt_set_chosen(const uint8_t *dtb, size_t len, const vt_fdt_chosen *c, const char *what,
                      uint8_t **out, size_t *out_len, vt_error *err) VT_MUST_CHECK;

#endif
