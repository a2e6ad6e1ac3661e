/* The ordered metadata flush that makes qcow2 writes crash-consistent. Data clusters are
 * written as soon as they are allocated; metadata stays dirty in memory until a flush, which
 * writes it in dependency order with an fsync at each ordering point:
 *   data + refcount blocks -> fsync -> refcount-table entries -> fsync -> L2 tables -> fsync
 *   -> L1 entries -> fsync -> release dropped clusters (refcounts) -> fsync.
 * A crash at any point leaves at worst leaked clusters, never a reference to unwritten data. */
#include "core/block/qcow2_int.h"

#include <inttypes.h>

static int write_reft_entries(vt_qcow2 *q, bool *wrote, vt_error *err) {
    for (uint64_t i = 0; i < q->reft_entries; i++) {
        if (!q->reft_dirty[i]) continue;
        uint8_t b[8];
        store_be64(b, q->reft[i]);
        if (vt_pwrite_full(q->fd, q->b.path, b, 8, q->reft_offset + 8 * i, err) != 0) return -1;
        q->reft_dirty[i] = 0;
        *wrote = true;
    }
    return 0;
}

static int write_l2_tables(vt_qcow2 *q, bool *wrote, vt_error *err) {
    for (unsigned s = 0; s < q->l2c.nslots; s++) {
        if (!q->l2c.dirty[s]) continue;
        uint64_t off = q->l2c.key[s];
        if (qcow2_check_overlap_meta(q, off, q->cs, false, err) != 0) return -1;
        if (vt_pwrite_full(q->fd, q->b.path, q->l2c.data + (size_t)s * q->cs, q->cs, off, err)) {
            return -1;
        }
        q->l2c.dirty[s] = false;
        *wrote = true;
    }
    return 0;
}

static int write_l1_entries(vt_qcow2 *q, bool *wrote, vt_error *err) {
    for (uint32_t i = 0; i < q->l1_size; i++) {
        if (!q->l1_dirty[i]) continue;
        /* write the dirty 512-byte chunk of entries at once */
        uint32_t first = i & ~63u, last = first + 64 < q->l1_size ? first + 64 : q->l1_size;
        uint8_t b[512];
        for (uint32_t j = first; j < last; j++) {
            store_be64(b + 8 * (j - first), q->l1[j]);
            q->l1_dirty[j] = 0;
        }
        if (vt_pwrite_full(q->fd, q->b.path, b, 8 * (last - first), q->l1_offset + 8ull * first,
                           err) != 0) {
            return -1;
        }
        *wrote = true;
        i = last - 1;
    }
    return 0;
}

static int apply_pending(vt_qcow2 *q, vt_error *err) {
    for (size_t i = 0; i < q->npending; i++) {
        uint64_t c = q->pending[i] >> q->cluster_bits, rc;
        if (qcow2_get_refcount(q, c, &rc, err) != 0) return -1;
        if (rc == 0) {
            q->npending = 0;
            return qcow2_signal_corruption(q, err, "cluster 0x%" PRIx64 " freed twice",
                                           q->pending[i]);
        }
        if (qcow2_set_refcount(q, c, rc - 1, err) != 0) return -1;
        if (rc == 1 && c < q->free_hint) q->free_hint = c;
    }
    q->npending = 0;
    return 0;
}

int qcow2_flush_meta(vt_qcow2 *q, vt_error *err) {
    if (!q->writable) return 0;
    const char *p = q->b.path;
    bool wrote = q->data_dirty;
    if (qcow2_write_refblocks(q, &wrote, err) != 0) return -1;
    if (wrote && vt_fsync(q->fd, p, err) != 0) return -1;
    q->data_dirty = false;
    wrote = false;
    if (write_reft_entries(q, &wrote, err) != 0) return -1;
    if (wrote && vt_fsync(q->fd, p, err) != 0) return -1;
    wrote = false;
    if (write_l2_tables(q, &wrote, err) != 0) return -1;
    if (wrote && vt_fsync(q->fd, p, err) != 0) return -1;
    wrote = false;
    if (write_l1_entries(q, &wrote, err) != 0) return -1;
    if (wrote && vt_fsync(q->fd, p, err) != 0) return -1;
    if (q->npending == 0) return 0;
    if (apply_pending(q, err) != 0) return -1;
    wrote = false;
    if (qcow2_write_refblocks(q, &wrote, err) != 0) return -1;
    return wrote ? vt_fsync(q->fd, p, err) : 0;
}
