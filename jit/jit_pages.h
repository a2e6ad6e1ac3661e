/* Which guest pages hold translated code: one bit per page over a guest address space (physical
 * on a machine, the 4 GiB virtual space in Linux user mode), so a store, a DMA transfer or the
 * Linux layer's write can test in one load whether it may hit translated code and must
 * invalidate blocks (jit_cache.c does the invalidation). Guest-neutral; hwdocs/jit.md. */
#ifndef VT_JIT_PAGES_H
#define VT_JIT_PAGES_H

#include "core/common.h"

typedef struct vt_jit_pages {
    uint64_t *bits;     /* bit p set: page p holds (or held) the source of a live block */
    uint64_t n_pages;   /* pages covered; addresses beyond are never code */
    unsigned page_bits; /* log2 of the page size */
} vt_jit_pages;

/* Covers `space` bytes of guest address space in pages of 2^page_bits bytes. */
int vt_jit_pages_init(vt_jit_pages *p, uint64_t space, unsigned page_bits,
                      vt_error *err) VT_MUST_CHECK;
void vt_jit_pages_free(vt_jit_pages *p);
/* Marks the pages of [addr, addr + len) as holding code. */
void vt_jit_pages_mark(vt_jit_pages *p, uint64_t addr, uint64_t len);
void vt_jit_pages_clear_page(vt_jit_pages *p, uint64_t page);
void vt_jit_pages_clear_all(vt_jit_pages *p);

static inline bool vt_jit_pages_test_page(const vt_jit_pages *p, uint64_t page) {
    return page < p->n_pages && (p->bits[page >> 6] >> (page & 63) & 1);
}
/* True when any page of [addr, addr + len) holds code (len >= 1). */
static inline bool vt_jit_pages_any(const vt_jit_pages *p, uint64_t addr, uint64_t len) {
    uint64_t first = addr >> p->page_bits, last = (addr + len - 1) >> p->page_bits;
    for (uint64_t pg = first; pg <= last; pg++)
        if (vt_jit_pages_test_page(p, pg)) return true;
    return false;
}

#endif
