/* qcow2 cluster mapping: L1 -> L2 table lookup through the L2 cache, L2 table allocation,
 * and reading compressed clusters (raw deflate, as QEMU writes them with zlib).
 * Entry layouts: QEMU docs/interop/qcow2.txt "Cluster mapping". */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <zlib.h>

void qcow2_mark_l2_dirty(vt_qcow2 *q, uint64_t l1i) {
    q->l2c.dirty[l1i % q->l2c.nslots] = true;
}

int qcow2_get_l2(vt_qcow2 *q, uint64_t l1i, bool alloc, uint8_t **tab, vt_error *err) {
    *tab = NULL;
    if (l1i >= q->l1_size) return vt_fail(err, "%s: L1 index out of range", q->b.path);
    uint64_t e = q->l1[l1i], off = e & QCOW2_L1E_OFFSET;
    unsigned s = (unsigned)(l1i % q->l2c.nslots);
    uint8_t *slot = q->l2c.data + (size_t)s * q->cs;
    if (off == 0) {
        if (!alloc) return 0;
        uint64_t n;
        if (qcow2_alloc_clusters(q, 1, &n, err) != 0) return -1;
        if (q->l2c.dirty[s] && qcow2_flush_meta(q, err) != 0) return -1;
        memset(slot, 0, q->cs);
        q->l2c.key[s] = n;
        q->l2c.dirty[s] = true;
        q->l1[l1i] = n | QCOW2_OFLAG_COPIED;
        q->l1_dirty[l1i] = 1;
        if (qcow2_meta_add(q, n, err) != 0) return -1;
        *tab = slot;
        return 0;
    }
    if (off & (q->cs - 1) || (off >> q->cluster_bits) >= q->alloc_end) {
        return qcow2_signal_corruption(
            q, err, "L2 table %" PRIu64 " at offset 0x%" PRIx64 " is unaligned or past end of file",
            l1i, off);
    }
    if (alloc && !(e & QCOW2_OFLAG_COPIED)) {
        return vt_fail(err, "%s: shared L2 table (internal snapshot): writing is not supported",
                       q->b.path);
    }
    if (q->l2c.key[s] != off) {
        if (q->l2c.dirty[s] && qcow2_flush_meta(q, err) != 0) return -1;
        q->l2c.key[s] = 0;
        if (vt_pread_full(q->fd, q->b.path, slot, q->cs, off, err) != 0) return -1;
        q->l2c.key[s] = off;
    }
    *tab = slot;
    return 0;
}

int qcow2_lookup(vt_qcow2 *q, uint64_t vcluster, uint64_t *entry, vt_error *err) {
    uint64_t l1i = vcluster >> q->l2_bits;
    uint8_t *tab;
    *entry = 0;
    if (qcow2_get_l2(q, l1i, false, &tab, err) != 0) return -1;
    if (tab) *entry = qcow2_get_l2e(tab, vcluster & (qcow2_l2_entries(q) - 1));
    return 0;
}

int qcow2_read_compressed(vt_qcow2 *q, uint64_t entry, vt_error *err) {
    if (q->cbuf_entry == entry) return 0;
    q->cbuf_entry = 0;
    unsigned x = 62 - (q->cluster_bits - 8);
    uint64_t off = entry & ((1ull << x) - 1);
    uint64_t nsec = ((entry >> x) & ((1ull << (q->cluster_bits - 8)) - 1)) + 1;
    uint64_t len = nsec * 512 - (off & 511);
    if (len > 2 * q->cs) len = 2 * q->cs; /* more cannot be valid deflate of one cluster */
    if (vt_pread_full(q->fd, q->b.path, q->zbuf, len, off, err) != 0) return -1;
    z_stream z = {0};
    if (inflateInit2(&z, -15) != Z_OK) return vt_fail(err, "%s: zlib init failed", q->b.path);
    z.next_in = q->zbuf;
    z.avail_in = (uInt)len;
    z.next_out = q->cbuf;
    z.avail_out = (uInt)q->cs;
    int rc = inflate(&z, Z_FINISH);
    bool ok = (rc == Z_STREAM_END || rc == Z_BUF_ERROR || rc == Z_OK) && z.avail_out == 0;
    inflateEnd(&z);
    if (!ok) {
        return vt_fail(err, "%s: compressed cluster at 0x%" PRIx64 " does not decompress",
                       q->b.path, off);
    }
    q->cbuf_entry = entry;
    return 0;
}
