/* Rebuilding a qcow2 image's refcount structure (img check -r all), as qemu-img does when a
 * refcount block or the refcount table overlaps other metadata: a fresh refcount table and
 * refcount blocks are written past the end of everything referenced, describing the counted
 * references and themselves; only then does the header point at them. A crash before the
 * header write leaves the old structure in place. Facts: QEMU docs/interop/qcow2.txt and
 * qemu-img check's observed behaviour ("Rebuilding refcount structure"). */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdlib.h>

static uint64_t div_up(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

/* Refcount blocks (nrb) and table clusters (ntab) for clusters [0, start + nrb + ntab). */
static int layout(const vt_qcow2 *q, uint64_t start, uint64_t *nrb, uint64_t *ntab, vt_error *err) {
    uint64_t per_rb = 1ull << q->rb_bits, per_tab = q->cs / 8;
    *nrb = 0;
    *ntab = 1;
    for (int it = 0; it < 64; it++) {
        uint64_t rb = div_up(start + *nrb + *ntab, per_rb);
        uint64_t tab = div_up(rb, per_tab);
        if (rb == *nrb && tab == *ntab) {
            if (tab * q->cs > QCOW2_MAX_REFTABLE_BYTES)
                return vt_fail(err, "%s: refcount table limit reached", q->b.path);
            return 0;
        }
        *nrb = rb;
        *ntab = tab;
    }
    return vt_fail(err, "%s: refcount layout does not converge", q->b.path);
}

/* The in-memory view after the switch: new table, empty caches, new metadata index. */
static int adopt(vt_qcow2 *q, uint64_t *reft, uint64_t entries, uint64_t tab_off, uint64_t ntab,
                 uint64_t end, vt_error *err) {
    free(q->reft);
    free(q->reft_dirty);
    q->reft = reft;
    q->reft_entries = entries;
    q->reft_dirty = calloc(entries, 1);
    q->reft_offset = tab_off;
    q->reft_clusters = (uint32_t)ntab;
    if (!q->reft_dirty) return vt_fail(err, "%s: out of memory", q->b.path);
    for (unsigned s = 0; s < q->rbc.nslots; s++) { /* old blocks' contents are stale now */
        q->rbc.key[s] = 0;
        q->rbc.dirty[s] = false;
    }
    q->nmeta = 0;
    for (uint32_t i = 0; i < q->l1_size; i++) {
        uint64_t o = q->l1[i] & QCOW2_L1E_OFFSET;
        if (o && qcow2_meta_add(q, o, err) != 0) return -1;
    }
    for (uint64_t i = 0; i < entries; i++) {
        if (reft[i] && qcow2_meta_add(q, reft[i], err) != 0) return -1;
    }
    if (end > q->alloc_end) q->alloc_end = end;
    q->free_hint = 0;
    return 0;
}

int qcow2_rebuild_refcounts(vt_qcow2 *q, const uint32_t *refs, uint64_t n, uint64_t start,
                            vt_error *err) {
    uint64_t nrb, ntab;
    if (layout(q, start, &nrb, &ntab, err) != 0) return -1;
    uint64_t end = start + nrb + ntab, per_rb = 1ull << q->rb_bits;
    uint64_t entries = ntab * q->cs / 8;
    uint8_t *blocks = calloc(nrb + ntab, q->cs);
    uint64_t *reft = calloc(entries, 8);
    if (!blocks || !reft) {
        free(blocks);
        free(reft);
        return vt_fail(err, "%s: out of memory", q->b.path);
    }
    int rc = 0;
    for (uint64_t i = 0; i < end && rc == 0; i++) {
        uint64_t v = i < n ? refs[i] : (i >= start ? 1 : 0);
        if (v > qcow2_refcount_max(q) || v == UINT32_MAX) {
            rc = vt_fail(err, "%s: cluster %" PRIu64 " has too many references", q->b.path, i);
        } else if (v) {
            qcow2_rc_encode(q, blocks + (i / per_rb) * q->cs, i % per_rb, v);
        }
    }
    uint8_t *tab = blocks + nrb * q->cs;
    for (uint64_t r = 0; r < nrb; r++) {
        reft[r] = (start + r) << q->cluster_bits;
        store_be64(tab + 8 * r, reft[r]);
    }
    uint64_t tab_off = (start + nrb) << q->cluster_bits;
    if (rc == 0) {
        rc = vt_pwrite_full(q->fd, q->b.path, blocks, (nrb + ntab) * q->cs,
                            start << q->cluster_bits, err);
    }
    free(blocks);
    if (rc == 0) rc = vt_fsync(q->fd, q->b.path, err);
    uint8_t hf[12];
    store_be64(hf, tab_off);
    store_be32(hf + 8, (uint32_t)ntab);
    if (rc == 0) rc = vt_pwrite_full(q->fd, q->b.path, hf, sizeof hf, 48, err);
    if (rc == 0) rc = vt_fsync(q->fd, q->b.path, err);
    if (rc != 0) {
        free(reft);
        return -1;
    }
    return adopt(q, reft, entries, tab_off, ntab, end, err);
}
