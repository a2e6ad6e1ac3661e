/* A direct-mapped software TLB shared by every core: virtual page -> host pointer, with
 * separate tags for read, write and execute so one lookup is a compare and an add (TinyEMU's
 * scheme). Only RAM/ROM pages are cached; MMIO and faults always take the core's slow path
 * (its MMU walk or user-mode page check), which calls vt_tlb_fill on success. */
#ifndef VT_TLB_H
#define VT_TLB_H

#include "core/common.h"

#define VT_TLB_BITS 8
#define VT_TLB_SIZE (1u << VT_TLB_BITS)
#define VT_TLB_PAGE_BITS 12
#define VT_TLB_PAGE_MASK ((1ull << VT_TLB_PAGE_BITS) - 1)
#define VT_TLB_INVALID UINT64_MAX

typedef enum vt_access { VT_ACCESS_READ = 0, VT_ACCESS_WRITE = 1, VT_ACCESS_EXEC = 2 } vt_access;
enum { VT_PERM_R = 1, VT_PERM_W = 2, VT_PERM_X = 4 };

typedef struct vt_tlb_entry {
    uint64_t tag[3]; /* virtual page number per vt_access, VT_TLB_INVALID when absent */
    uint8_t *host;   /* host address of the page's first byte */
} vt_tlb_entry;

typedef struct vt_tlb {
    vt_tlb_entry e[VT_TLB_SIZE];
} vt_tlb;

static inline void vt_tlb_flush(vt_tlb *t) {
    for (unsigned i = 0; i < VT_TLB_SIZE; i++)
        t->e[i].tag[0] = t->e[i].tag[1] = t->e[i].tag[2] = VT_TLB_INVALID;
}

static inline vt_tlb_entry *vt_tlb_slot(vt_tlb *t, uint64_t va) {
    return &t->e[(va >> VT_TLB_PAGE_BITS) & (VT_TLB_SIZE - 1)];
}

static inline void vt_tlb_flush_page(vt_tlb *t, uint64_t va) {
    vt_tlb_entry *e = vt_tlb_slot(t, va);
    e->tag[0] = e->tag[1] = e->tag[2] = VT_TLB_INVALID;
}

/* Host pointer for va if the page is cached for this access, else NULL (take the slow path).
 * The caller guarantees the access does not cross the page (or splits it). */
static inline uint8_t *vt_tlb_lookup(vt_tlb *t, uint64_t va, vt_access a) {
    vt_tlb_entry *e = vt_tlb_slot(t, va);
    if (e->tag[a] != va >> VT_TLB_PAGE_BITS) return NULL;
    return e->host + (va & VT_TLB_PAGE_MASK);
}

/* Caches a translation of the page holding va to host_page with the given VT_PERM_* bits. */
static inline void vt_tlb_fill(vt_tlb *t, uint64_t va, uint8_t *host_page, unsigned perms) {
    vt_tlb_entry *e = vt_tlb_slot(t, va);
    uint64_t vpn = va >> VT_TLB_PAGE_BITS;
    e->host = host_page;
    e->tag[VT_ACCESS_READ] = (perms & VT_PERM_R) ? vpn : VT_TLB_INVALID;
    e->tag[VT_ACCESS_WRITE] = (perms & VT_PERM_W) ? vpn : VT_TLB_INVALID;
    e->tag[VT_ACCESS_EXEC] = (perms & VT_PERM_X) ? vpn : VT_TLB_INVALID;
}

#endif
