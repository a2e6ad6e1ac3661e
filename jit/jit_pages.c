/* Per-page code bitmap (see jit_pages.h): 128 KiB for a 4 GiB space in 4 KiB pages. */
#include <stdlib.h>

#include "jit/jit_pages.h"

int vt_jit_pages_init(vt_jit_pages *p, uint64_t space, unsigned page_bits, vt_error *err) {
    if (page_bits < 6 || page_bits > 30)
        return vt_fail(err, "jit: page size 2^%u out of range", page_bits);
    p->page_bits = page_bits;
    p->n_pages = (space + (1ull << page_bits) - 1) >> page_bits;
    p->bits = calloc((size_t)((p->n_pages + 63) / 64) + 1, sizeof *p->bits);
    if (!p->bits) return vt_fail(err, "jit: out of memory for the code-page bitmap");
    return 0;
}

void vt_jit_pages_free(vt_jit_pages *p) {
    free(p->bits);
    p->bits = NULL;
    p->n_pages = 0;
}

void vt_jit_pages_mark(vt_jit_pages *p, uint64_t addr, uint64_t len) {
    if (len == 0) return;
    uint64_t first = addr >> p->page_bits, last = (addr + len - 1) >> p->page_bits;
    for (uint64_t pg = first; pg <= last && pg < p->n_pages; pg++)
        p->bits[pg >> 6] |= 1ull << (pg & 63);
}

void vt_jit_pages_clear_page(vt_jit_pages *p, uint64_t page) {
    if (page < p->n_pages) p->bits[page >> 6] &= ~(1ull << (page & 63));
}

void vt_jit_pages_clear_all(vt_jit_pages *p) {
    memset(p->bits, 0, (size_t)((p->n_pages + 63) / 64) * sizeof *p->bits);
}
