/* Physical address space; see bus.h. */
#include "core/bus.h"

#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>

#define L1_BITS (VT_BUS_ADDR_BITS - VT_PAGE_BITS - VT_BUS_L2_BITS)
#define L1_SIZE (1u << L1_BITS)
#define L2_SIZE (1u << VT_BUS_L2_BITS)

int vt_bus_init(vt_bus *b, vt_endian endian, vt_error *err) {
    memset(b, 0, sizeof *b);
    b->space = "mem";
    b->endian = endian;
    b->l1 = calloc(L1_SIZE, sizeof *b->l1);
    if (!b->l1) return vt_fail(err, "out of memory for the bus page table");
    return 0;
}

int vt_bus_on_change(vt_bus *b, vt_bus_change_fn fn, void *opaque, vt_error *err) {
    struct vt_bus_listener *l = realloc(b->listeners, (size_t)(b->nlisteners + 1) * sizeof *l);
    if (!l) return vt_fail(err, "out of memory");
    b->listeners = l;
    l[b->nlisteners++] = (struct vt_bus_listener){fn, opaque};
    return 0;
}

static void changed(vt_bus *b) {
    for (int i = 0; i < b->nlisteners; i++)
        b->listeners[i].fn(b->listeners[i].opaque);
}

static void free_region(vt_region *r) {
    if (r->owns_host) free(r->host);
    free(r);
}

void vt_bus_free(vt_bus *b) {
    if (b->l1)
        for (unsigned i = 0; i < L1_SIZE; i++)
            if (b->l1[i]) free(b->l1[i]); /* most are NULL: skip the call (slow under ASan) */
    free(b->l1);
    for (int i = 0; i < b->nregions; i++)
        free_region(b->regions[i]);
    free(b->regions);
    free(b->listeners);
    memset(b, 0, sizeof *b);
}

static vt_region **slot(vt_bus *b, uint64_t page, bool create) {
    uint64_t i1 = page >> VT_BUS_L2_BITS;
    if (!b->l1[i1]) {
        if (!create) return NULL;
        b->l1[i1] = calloc(L2_SIZE, sizeof(vt_region *));
        if (!b->l1[i1]) return NULL;
    }
    return &b->l1[i1][page & (L2_SIZE - 1)];
}

static bool overlaps(const vt_region *r, vt_paddr base, uint64_t size) {
    return base < r->base + r->size && r->base < base + size;
}

/* Recomputes the page-table entries of the pages covering [base, base + size) from the enabled
 * regions: one region covering the whole page, the sub-page marker when several share it or
 * one covers part of it, NULL when none does. Cost: pages x regions touching the range. */
static int remap(vt_bus *b, vt_paddr base, uint64_t size, vt_error *err) {
    uint64_t first = base >> VT_PAGE_BITS, last = (base + size - 1) >> VT_PAGE_BITS;
    vt_paddr span_base = first << VT_PAGE_BITS, span = (last - first + 1) << VT_PAGE_BITS;
    vt_region *near[64];
    int nnear = 0;
    bool many = false; /* more than fit in near[]: pages fall back to the sub-page search */
    for (int i = 0; i < b->nregions; i++) {
        vt_region *r = b->regions[i];
        if (!r->enabled || !overlaps(r, span_base, span)) continue;
        if (nnear < (int)VT_ARRAY_LEN(near))
            near[nnear++] = r;
        else
            many = true;
    }
    for (uint64_t p = first; p <= last; p++) {
        vt_paddr pb = p << VT_PAGE_BITS;
        vt_region *only = NULL;
        int n = 0;
        for (int i = 0; i < nnear; i++)
            if (overlaps(near[i], pb, VT_PAGE_SIZE)) {
                only = near[i];
                n++;
            }
        bool whole = n == 1 && only->base <= pb && only->base + only->size >= pb + VT_PAGE_SIZE;
        vt_region *v = many || (n && !whole) ? &b->subpage : whole ? only : NULL;
        vt_region **s = slot(b, p, v != NULL);
        if (s)
            *s = v;
        else if (v)
            return vt_fail(err, "out of memory for the bus page table");
    }
    return 0;
}

/* Checks that r fits the address space at base and, when it is to be decoded there, that no
 * other enabled region overlaps it. */
static int check_range(const vt_bus *b, const vt_region *r, vt_paddr base, bool decoded,
                       vt_error *err) {
    const uint64_t limit = 1ull << VT_BUS_ADDR_BITS;
    if (r->size == 0) return vt_fail(err, "region '%s' has size 0", r->name);
    if (base >= limit || r->size > limit - base)
        return vt_fail(err, "region '%s' at 0x%llx size 0x%llx exceeds the %d-bit address space",
                       r->name, (unsigned long long)base, (unsigned long long)r->size,
                       VT_BUS_ADDR_BITS);
    for (int i = 0; i < b->nregions; i++) {
        const vt_region *o = b->regions[i];
        if (decoded && o != r && o->enabled && overlaps(o, base, r->size))
            return vt_fail(
                err, "region '%s' (0x%llx-0x%llx) overlaps '%s' (0x%llx-0x%llx)", r->name,
                (unsigned long long)base, (unsigned long long)(base + r->size - 1), o->name,
                (unsigned long long)o->base, (unsigned long long)(o->base + o->size - 1));
    }
    return 0;
}

static int add_region(vt_bus *b, vt_region *r, vt_error *err) {
    if (check_range(b, r, r->base, r->enabled, err)) return -1;
    vt_region **nr = realloc(b->regions, (size_t)(b->nregions + 1) * sizeof *nr);
    if (!nr) return vt_fail(err, "out of memory");
    b->regions = nr;
    b->regions[b->nregions++] = r;
    if (r->enabled && remap(b, r->base, r->size, err)) {
        b->nregions--;
        return -1;
    }
    return 0;
}

int vt_bus_add_ram(vt_bus *b, const char *name, vt_paddr base, uint64_t size, bool readonly,
                   vt_region **out, vt_error *err) {
    vt_region *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    snprintf(r->name, sizeof r->name, "%s", name);
    r->kind = readonly ? VT_REGION_ROM : VT_REGION_RAM;
    r->base = base;
    r->size = size;
    r->enabled = true;
    if (size > 0 && size < (1ull << VT_BUS_ADDR_BITS)) r->host = calloc(1, size);
    if (!r->host) {
        free(r);
        return vt_fail(err, "cannot allocate %llu bytes for '%s'", (unsigned long long)size, name);
    }
    r->owns_host = true;
    if (add_region(b, r, err)) {
        free_region(r);
        return -1;
    }
    if (out) *out = r;
    return 0;
}

int vt_bus_add_view(vt_bus *b, const char *name, vt_paddr base, const vt_region *of,
                    uint64_t offset, uint64_t size, bool readonly, vt_region **out, vt_error *err) {
    if (of->kind == VT_REGION_MMIO || !size || offset > of->size || size > of->size - offset)
        return vt_fail(err, "view '%s' is not inside RAM/ROM region '%s'", name, of->name);
    vt_region *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    snprintf(r->name, sizeof r->name, "%s", name);
    r->kind = readonly ? VT_REGION_ROM : VT_REGION_RAM;
    r->base = base;
    r->size = size;
    r->host = of->host + offset;
    r->enabled = true;
    if (add_region(b, r, err)) {
        free(r);
        return -1;
    }
    if (out) *out = r;
    return 0;
}

int vt_bus_add_mmio_region(vt_bus *b, const vt_mmio_desc *desc, vt_region **out, vt_error *err) {
    unsigned lo = desc->min_size ? desc->min_size : 1, hi = desc->max_size ? desc->max_size : 8;
    if (lo > hi || hi > 8 || (lo & (lo - 1)) || (hi & (hi - 1)))
        return vt_fail(err, "region '%s': access widths %u..%u are not 1, 2, 4 or 8", desc->name,
                       lo, hi);
    vt_region *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    snprintf(r->name, sizeof r->name, "%s", desc->name);
    r->kind = VT_REGION_MMIO;
    r->base = desc->base;
    r->size = desc->size;
    r->ops = desc->ops;
    r->dev = desc->dev;
    r->endian = desc->endian;
    r->min_size = lo;
    r->max_size = hi;
    r->enabled = !desc->disabled;
    if (add_region(b, r, err)) {
        free(r);
        return -1;
    }
    if (out) *out = r;
    return 0;
}

int vt_bus_add_mmio(vt_bus *b, const char *name, vt_paddr base, uint64_t size,
                    const vt_mmio_ops *ops, void *dev, vt_endian endian, vt_error *err) {
    vt_mmio_desc d = {
        .name = name, .base = base, .size = size, .ops = ops, .dev = dev, .endian = endian};
    return vt_bus_add_mmio_region(b, &d, NULL, err);
}

void vt_bus_disable(vt_bus *b, vt_region *r) {
    if (!r->enabled) return;
    r->enabled = false;
    /* clearing entries never allocates, so this cannot fail */
    (void)!remap(b, r->base, r->size, NULL);
    changed(b);
}

int vt_bus_enable(vt_bus *b, vt_region *r, vt_error *err) {
    if (r->enabled) return 0;
    if (check_range(b, r, r->base, true, err)) return -1;
    r->enabled = true;
    if (remap(b, r->base, r->size, err)) {
        vt_bus_disable(b, r);
        return -1;
    }
    changed(b);
    return 0;
}

int vt_bus_move(vt_bus *b, vt_region *r, vt_paddr base, vt_error *err) {
    if (base == r->base) return 0;
    if (!r->enabled) {
        if (check_range(b, r, base, false, err)) return -1;
        r->base = base;
        return 0;
    }
    vt_bus_disable(b, r);
    vt_paddr old = r->base;
    r->base = base;
    if (vt_bus_enable(b, r, err)) {
        r->base = old;
        (void)!vt_bus_enable(b, r, NULL); /* its old pages were mapped before: no allocation */
        return -1;
    }
    return 0;
}

void vt_bus_remove(vt_bus *b, vt_region *r) {
    vt_bus_disable(b, r);
    for (int i = 0; i < b->nregions; i++)
        if (b->regions[i] == r) {
            memmove(&b->regions[i], &b->regions[i + 1],
                    (size_t)(b->nregions - i - 1) * sizeof *b->regions);
            b->nregions--;
            break;
        }
    free_region(r);
}

vt_region *vt_bus_find(const vt_bus *b, vt_paddr addr) {
    if (addr >> VT_BUS_ADDR_BITS) return NULL;
    uint64_t page = addr >> VT_PAGE_BITS;
    vt_region **l2 = b->l1[page >> VT_BUS_L2_BITS];
    if (!l2) return NULL;
    vt_region *r = l2[page & (L2_SIZE - 1)];
    if (r != &b->subpage) return r;
    for (int i = 0; i < b->nregions; i++) {
        vt_region *c = b->regions[i];
        if (c->enabled && addr >= c->base && addr - c->base < c->size) return c;
    }
    return NULL;
}

uint8_t *vt_bus_host_ptr(const vt_bus *b, vt_paddr addr, uint64_t len, bool write) {
    vt_region *r = vt_bus_find(b, addr);
    if (!r || r->kind == VT_REGION_MMIO || (write && r->kind == VT_REGION_ROM)) return NULL;
    uint64_t off = addr - r->base;
    if (len > r->size - off) return NULL;
    return r->host + off;
}

void vt_bus_set_write_watch(vt_bus *b, const uint64_t *bits, uint64_t n_pages,
                            void (*fn)(void *opaque, vt_paddr addr, uint64_t len), void *opaque) {
    b->watch = (struct vt_bus_watch){bits, n_pages, fn, opaque};
}

bool vt_bus_host_to_phys(const vt_bus *b, const uint8_t *host, vt_paddr *out) {
    for (int i = 0; i < b->nregions; i++) {
        const vt_region *r = b->regions[i];
        if (r->kind == VT_REGION_MMIO || !r->enabled || host < r->host ||
            (uint64_t)(host - r->host) >= r->size)
            continue;
        *out = r->base + (uint64_t)(host - r->host);
        return true;
    }
    return false;
}

/* Reports a RAM write to the watcher when it touches a watched page. */
static void watch_write(vt_bus *b, vt_paddr addr, uint64_t len) {
    const struct vt_bus_watch *w = &b->watch;
    for (uint64_t p = addr >> VT_PAGE_BITS; p <= (addr + len - 1) >> VT_PAGE_BITS; p++)
        if (p < w->n_pages && (w->bits[p >> 6] >> (p & 63) & 1)) {
            w->fn(w->opaque, addr, len);
            return;
        }
}

static vt_bus_status unmapped(vt_bus *b, const char *what, vt_paddr addr, unsigned size,
                              uint64_t value) {
    b->unmapped_count++;
    if (vt_log_enabled(VT_LOG_MMIO))
        vt_log(VT_LOG_MMIO, "unmapped %s %s addr=0x%010llx size=%u value=0x%llx", b->space, what,
               (unsigned long long)addr, size, (unsigned long long)value);
    return VT_BUS_UNMAPPED;
}

/* An MMIO access of a width the device does not decode: logged and ignored (reads give 0). */
static vt_bus_status bad_width(const vt_region *r, const char *what, uint64_t off, unsigned size,
                               uint64_t value) {
    vt_log(VT_LOG_MMIO, "%s: %s of size %u at +0x%llx value 0x%llx ignored (accepts %u..%u)",
           r->name, what, size, (unsigned long long)off, (unsigned long long)value, r->min_size,
           r->max_size);
    return VT_BUS_OK;
}

vt_bus_status vt_bus_read(vt_bus *b, vt_paddr addr, unsigned size, uint64_t *value) {
    vt_region *r = vt_bus_find(b, addr);
    if (!r || size > r->size || addr - r->base > r->size - size) {
        *value = 0;
        return unmapped(b, "read", addr, size, 0);
    }
    uint64_t off = addr - r->base;
    if (r->kind != VT_REGION_MMIO) {
        *value = vt_load(r->host + off, size, b->endian);
        return VT_BUS_OK;
    }
    if (size < r->min_size || size > r->max_size) {
        *value = 0;
        return bad_width(r, "read", off, size, 0);
    }
    uint64_t v = r->ops->read ? r->ops->read(r->dev, off, size) : 0;
    if (!r->ops->read)
        vt_log(VT_LOG_MMIO, "%s: read of write-only region +0x%llx size %u", r->name,
               (unsigned long long)off, size);
    *value = r->endian != b->endian ? vt_bswap(v, size) : v;
    return VT_BUS_OK;
}

vt_bus_status vt_bus_write(vt_bus *b, vt_paddr addr, unsigned size, uint64_t value) {
    vt_region *r = vt_bus_find(b, addr);
    if (!r || size > r->size || addr - r->base > r->size - size)
        return unmapped(b, "write", addr, size, value);
    uint64_t off = addr - r->base;
    if (r->kind == VT_REGION_ROM) {
        vt_log(VT_LOG_MMIO, "%s: write to ROM +0x%llx size %u value 0x%llx ignored", r->name,
               (unsigned long long)off, size, (unsigned long long)value);
        return VT_BUS_READONLY;
    }
    if (r->kind == VT_REGION_RAM) {
        vt_store(r->host + off, size, b->endian, value);
        if (b->watch.bits) watch_write(b, addr, size);
        return VT_BUS_OK;
    }
    if (size < r->min_size || size > r->max_size) return bad_width(r, "write", off, size, value);
    if (r->endian != b->endian) value = vt_bswap(value, size);
    if (r->ops->write)
        r->ops->write(r->dev, off, value, size);
    else
        vt_log(VT_LOG_MMIO, "%s: write to read-only region +0x%llx size %u", r->name,
               (unsigned long long)off, size);
    return VT_BUS_OK;
}

vt_bus_status vt_bus_check_block(vt_bus *b, vt_paddr addr, uint64_t len, bool write) {
    while (len) {
        vt_region *r = vt_bus_find(b, addr);
        if (!r) return unmapped(b, write ? "dma-write" : "dma-read", addr, 1, 0);
        if (write && r->kind == VT_REGION_ROM) return VT_BUS_READONLY;
        uint64_t n = r->size - (addr - r->base);
        if (n >= len) break;
        addr += n;
        len -= n;
    }
    return VT_BUS_OK;
}

vt_bus_status vt_bus_read_block(vt_bus *b, vt_paddr addr, void *buf, uint64_t len) {
    vt_bus_status st = vt_bus_check_block(b, addr, len, false);
    uint8_t *out = buf;
    while (st == VT_BUS_OK && len) {
        vt_region *r = vt_bus_find(b, addr);
        uint64_t off = addr - r->base, n = r->size - off;
        if (n > len) n = len;
        if (r->kind != VT_REGION_MMIO) {
            memcpy(out, r->host + off, n);
        } else {
            for (uint64_t i = 0; i < n; i++) {
                uint64_t v;
                vt_bus_read(b, addr + i, 1, &v);
                out[i] = (uint8_t)v;
            }
        }
        out += n;
        addr += n;
        len -= n;
    }
    return st;
}

vt_bus_status vt_bus_write_block(vt_bus *b, vt_paddr addr, const void *buf, uint64_t len) {
    vt_bus_status st = vt_bus_check_block(b, addr, len, true);
    const uint8_t *in = buf;
    while (st == VT_BUS_OK && len) {
        vt_region *r = vt_bus_find(b, addr);
        uint64_t off = addr - r->base, n = r->size - off;
        if (n > len) n = len;
        if (r->kind == VT_REGION_RAM) {
            memcpy(r->host + off, in, n);
            if (b->watch.bits) watch_write(b, addr, n);
        } else
            for (uint64_t i = 0; i < n; i++)
                vt_bus_write(b, addr + i, 1, in[i]);
        in += n;
        addr += n;
        len -= n;
    }
    return st;
}
