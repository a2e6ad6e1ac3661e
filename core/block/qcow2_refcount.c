/* qcow2 refcounts and cluster allocation: refcount blocks of 1..64-bit entries, first-fit
 * allocation with a hint, new refcount blocks placed self-describing, refcount-table growth
 * (new table written and synced before the header points at it), deferred release of clusters
 * (only after the L2 change that dropped them is on disk), and the metadata-overlap check
 * every newly allocated cluster goes through. Facts: QEMU docs/interop/qcow2.txt. */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

uint64_t qcow2_refcount_max(const vt_qcow2 *q) {
    unsigned bits = 1u << q->refcount_order;
    return bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
}

static bool has_rb(const vt_qcow2 *q, uint64_t rbi) {
    return rbi < q->reft_entries && (q->reft[rbi] & QCOW2_REFT_OFFSET) != 0;
}

static int write_slot(vt_qcow2 *q, unsigned s, vt_error *err) {
    if (qcow2_check_overlap_meta(q, q->rbc.key[s], q->cs, false, err) != 0) return -1;
    if (vt_pwrite_full(q->fd, q->b.path, q->rbc.data + (size_t)s * q->cs, q->cs, q->rbc.key[s],
                       err) != 0) {
        return -1;
    }
    q->rbc.dirty[s] = false;
    return 0;
}

/* The cached refcount block rbi, or NULL when the table has no block for it. */
static int rb_get(vt_qcow2 *q, uint64_t rbi, uint8_t **data, vt_error *err) {
    *data = NULL;
    if (!has_rb(q, rbi)) return 0;
    uint64_t off = q->reft[rbi] & QCOW2_REFT_OFFSET;
    unsigned s = (unsigned)(rbi % q->rbc.nslots);
    uint8_t *slot = q->rbc.data + (size_t)s * q->cs;
    if (q->rbc.key[s] != off) {
        if (off & (q->cs - 1) || (off >> q->cluster_bits) >= q->alloc_end) {
            return qcow2_signal_corruption(q, err,
                                           "refcount block %" PRIu64 " at offset 0x%" PRIx64
                                           " is unaligned or past end of file",
                                           rbi, off);
        }
        if (q->rbc.dirty[s] && write_slot(q, s, err) != 0) return -1;
        q->rbc.key[s] = 0;
        if (vt_pread_full(q->fd, q->b.path, slot, q->cs, off, err) != 0) return -1;
        q->rbc.key[s] = off;
    }
    *data = slot;
    return 0;
}

static uint64_t rc_decode(const vt_qcow2 *q, const uint8_t *rb, uint64_t i) {
    switch (q->refcount_order) {
    case 0:
        return (rb[i / 8] >> (i % 8)) & 1;
    case 1:
        return (rb[i / 4] >> (2 * (i % 4))) & 3;
    case 2:
        return (rb[i / 2] >> (4 * (i % 2))) & 15;
    case 3:
        return rb[i];
    case 4:
        return load_be16(rb + 2 * i);
    case 5:
        return load_be32(rb + 4 * i);
    default:
        return load_be64(rb + 8 * i);
    }
}

void qcow2_rc_encode(const vt_qcow2 *q, uint8_t *rb, uint64_t i, uint64_t v) {
    unsigned sh;
    switch (q->refcount_order) {
    case 0:
        sh = i % 8;
        rb[i / 8] = (uint8_t)((rb[i / 8] & ~(1u << sh)) | v << sh);
        break;
    case 1:
        sh = 2 * (i % 4);
        rb[i / 4] = (uint8_t)((rb[i / 4] & ~(3u << sh)) | v << sh);
        break;
    case 2:
        sh = 4 * (i % 2);
        rb[i / 2] = (uint8_t)((rb[i / 2] & ~(15u << sh)) | v << sh);
        break;
    case 3:
        rb[i] = (uint8_t)v;
        break;
    case 4:
        store_be16(rb + 2 * i, (uint16_t)v);
        break;
    case 5:
        store_be32(rb + 4 * i, (uint32_t)v);
        break;
    default:
        store_be64(rb + 8 * i, v);
        break;
    }
}

int qcow2_get_refcount(vt_qcow2 *q, uint64_t cluster, uint64_t *rc, vt_error *err) {
    uint8_t *rb;
    if (rb_get(q, cluster >> q->rb_bits, &rb, err) != 0) return -1;
    *rc = rb ? rc_decode(q, rb, cluster & ((1ull << q->rb_bits) - 1)) : 0;
    return 0;
}

int qcow2_set_refcount(vt_qcow2 *q, uint64_t cluster, uint64_t rc, vt_error *err) {
    uint64_t rbi = cluster >> q->rb_bits;
    uint8_t *rb;
    if (rb_get(q, rbi, &rb, err) != 0) return -1;
    if (!rb)
        return vt_fail(err, "%s: internal: no refcount block for cluster %" PRIu64, q->b.path,
                       cluster);
    if (rc > qcow2_refcount_max(q)) return vt_fail(err, "%s: refcount overflow", q->b.path);
    qcow2_rc_encode(q, rb, cluster & ((1ull << q->rb_bits) - 1), rc);
    q->rbc.dirty[rbi % q->rbc.nslots] = true;
    return 0;
}

int qcow2_write_refblocks(vt_qcow2 *q, bool *wrote, vt_error *err) {
    for (unsigned s = 0; s < q->rbc.nslots; s++) {
        if (!q->rbc.dirty[s]) continue;
        if (write_slot(q, s, err) != 0) return -1;
        *wrote = true;
    }
    return 0;
}

/* First run of n clusters with refcount 0 at or after the hint. */
static int find_free(vt_qcow2 *q, uint64_t n, uint64_t *start, vt_error *err) {
    uint64_t limit = (1ull << 56) >> q->cluster_bits;
    uint64_t i = q->free_hint;
    for (uint64_t j = 0; j < n;) {
        if (i + j >= limit) return vt_fail(err, "%s: image file full", q->b.path);
        uint64_t rc = 0;
        if (i + j < q->alloc_end && qcow2_get_refcount(q, i + j, &rc, err) != 0) return -1;
        if (rc != 0) {
            i = i + j + 1;
            j = 0;
        } else {
            j++;
        }
    }
    *start = i;
    return 0;
}

int qcow2_meta_add(vt_qcow2 *q, uint64_t off, vt_error *err) {
    size_t lo = 0, hi = q->nmeta;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q->meta[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < q->nmeta && q->meta[lo] == off) return 0;
    if (q->nmeta == q->meta_cap) {
        size_t cap = q->meta_cap ? q->meta_cap * 2 : 64;
        uint64_t *m = realloc(q->meta, cap * sizeof *m);
        if (!m) return vt_fail(err, "%s: out of memory", q->b.path);
        q->meta = m;
        q->meta_cap = cap;
    }
    memmove(q->meta + lo + 1, q->meta + lo, (q->nmeta - lo) * sizeof *q->meta);
    q->meta[lo] = off;
    q->nmeta++;
    return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
    return a < b + blen && b < a + alen;
}

int qcow2_check_overlap(vt_qcow2 *q, uint64_t off, uint64_t len, vt_error *err) {
    return qcow2_check_overlap_meta(q, off, len, true, err);
}

int qcow2_check_overlap_meta(vt_qcow2 *q, uint64_t off, uint64_t len, bool tables, vt_error *err) {
    const char *what = NULL;
    if (ranges_overlap(off, len, 0, q->cs))
        what = "the header";
    else if (ranges_overlap(off, len, q->l1_offset, (uint64_t)q->l1_size * 8))
        what = "the L1 table";
    else if (ranges_overlap(off, len, q->reft_offset, (uint64_t)q->reft_clusters * q->cs)) {
        what = "the refcount table";
    } else if (tables) {
        /* first metadata cluster that ends after off */
        size_t lo = 0, hi = q->nmeta;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (q->meta[mid] + q->cs <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < q->nmeta && q->meta[lo] < off + len) what = "an L2 table or refcount block";
    }
    if (what) {
        return qcow2_signal_corruption(
            q, err, "write at 0x%" PRIx64 "+0x%" PRIx64 " would overwrite %s", off, len, what);
    }
    return 0;
}

int qcow2_signal_corruption(vt_qcow2 *q, vt_error *err, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bool was = q->broken;
    q->broken = true;
    if (q->writable && !was) {
        vt_error ignore;
        if (qcow2_set_incompat(q, QCOW2_INCOMPAT_CORRUPT, true, &ignore) != 0) { /* best effort */
        }
        return vt_fail(err,
                       "%s: metadata corruption: %s; image marked corrupt (repair with "
                       "'vitrine img check -r all')",
                       q->b.path, msg);
    }
    return vt_fail(err, "%s: metadata corruption: %s", q->b.path, msg);
}

static int grow_reftable(vt_qcow2 *q, uint64_t min_entries, vt_error *err);

/* Creates the refcount block rbi (or one the allocation of it depends on); callers retry. */
static int ensure_refblock(vt_qcow2 *q, uint64_t rbi, vt_error *err) {
    if (rbi >= q->reft_entries) return grow_reftable(q, rbi + 1, err);
    uint64_t c;
    if (find_free(q, 1, &c, err) != 0) return -1;
    uint64_t crbi = c >> q->rb_bits;
    if (crbi != rbi && !has_rb(q, crbi)) return ensure_refblock(q, crbi, err);
    uint64_t off = c << q->cluster_bits;
    if (qcow2_check_overlap(q, off, q->cs, err) != 0) return -1;
    unsigned s = (unsigned)(rbi % q->rbc.nslots);
    if (q->rbc.dirty[s] && write_slot(q, s, err) != 0) return -1;
    memset(q->rbc.data + (size_t)s * q->cs, 0, q->cs);
    q->rbc.key[s] = off;
    q->rbc.dirty[s] = true;
    q->reft[rbi] = off;
    q->reft_dirty[rbi] = 1;
    if (qcow2_meta_add(q, off, err) != 0) return -1;
    if (c + 1 > q->alloc_end) q->alloc_end = c + 1;
    return qcow2_set_refcount(q, c, 1, err);
}

int qcow2_alloc_clusters(vt_qcow2 *q, uint64_t n, uint64_t *off, vt_error *err) {
    if (q->broken) return vt_fail(err, "%s: image is marked corrupt", q->b.path);
    for (int tries = 0; tries < 64; tries++) {
        uint64_t start;
        if (find_free(q, n, &start, err) != 0) return -1;
        bool retry = false;
        for (uint64_t rbi = start >> q->rb_bits; rbi <= (start + n - 1) >> q->rb_bits; rbi++) {
            if (!has_rb(q, rbi)) {
                if (ensure_refblock(q, rbi, err) != 0) return -1;
                retry = true;
                break;
            }
        }
        if (retry) continue;
        uint64_t o = start << q->cluster_bits;
        if (qcow2_check_overlap(q, o, n << q->cluster_bits, err) != 0) return -1;
        for (uint64_t i = 0; i < n; i++) {
            if (qcow2_set_refcount(q, start + i, 1, err) != 0) return -1;
        }
        if (n == 1 || start == q->free_hint) q->free_hint = start + n; /* all below are used */
        if (start + n > q->alloc_end) q->alloc_end = start + n;
        *off = o;
        return 0;
    }
    return vt_fail(err, "%s: cluster allocation does not converge", q->b.path);
}

/* Moves the refcount table to a bigger one at a free spot. Everything else is flushed first;
 * the new table and the refcount blocks describing it are on disk before the header switches
 * to it, and the old table is released only afterwards. */
static int grow_reftable(vt_qcow2 *q, uint64_t min_entries, vt_error *err) {
    if (qcow2_flush_meta(q, err) != 0) return -1;
    uint64_t per = q->cs / 8;
    uint64_t want = q->reft_entries * 2 > min_entries ? q->reft_entries * 2 : min_entries;
    want = (want + per - 1) / per * per;
    if (want * 8 > QCOW2_MAX_REFTABLE_BYTES) {
        want = QCOW2_MAX_REFTABLE_BYTES / 8;
        if (want < min_entries) return vt_fail(err, "%s: refcount table limit reached", q->b.path);
    }
    uint64_t ntab = want / per, nrb = 0, start = 0;
    for (int it = 0;; it++) {
        if (it > 16) return vt_fail(err, "%s: refcount table growth does not converge", q->b.path);
        if (find_free(q, ntab + nrb, &start, err) != 0) return -1;
        uint64_t need = 0;
        for (uint64_t r = start >> q->rb_bits; r <= (start + ntab + nrb - 1) >> q->rb_bits; r++) {
            need += !has_rb(q, r);
        }
        if (need == nrb) break;
        nrb = need;
    }
    uint64_t *nt = calloc(want, 8);
    uint8_t *nd = calloc(want, 1);
    if (!nt || !nd) {
        free(nt);
        free(nd);
        return vt_fail(err, "%s: out of memory", q->b.path);
    }
    memcpy(nt, q->reft, q->reft_entries * 8);
    uint64_t old_off = q->reft_offset, old_clusters = q->reft_clusters;
    free(q->reft);
    free(q->reft_dirty);
    q->reft = nt;
    q->reft_dirty = nd;
    q->reft_entries = want;
    uint64_t k = 0;
    for (uint64_t r = start >> q->rb_bits; r <= (start + ntab + nrb - 1) >> q->rb_bits; r++) {
        if (has_rb(q, r)) continue;
        uint64_t off = (start + k++) << q->cluster_bits;
        unsigned s = (unsigned)(r % q->rbc.nslots);
        if (q->rbc.dirty[s] && write_slot(q, s, err) != 0) return -1;
        memset(q->rbc.data + (size_t)s * q->cs, 0, q->cs);
        q->rbc.key[s] = off;
        q->rbc.dirty[s] = true;
        q->reft[r] = off;
        if (qcow2_meta_add(q, off, err) != 0) return -1;
    }
    for (uint64_t i = 0; i < ntab + nrb; i++) {
        if (qcow2_set_refcount(q, start + i, 1, err) != 0) return -1;
    }
    uint64_t tab_off = (start + nrb) << q->cluster_bits;
    uint8_t *buf = malloc(ntab * q->cs);
    if (!buf) return vt_fail(err, "%s: out of memory", q->b.path);
    for (uint64_t i = 0; i < want; i++)
        store_be64(buf + 8 * i, q->reft[i]);
    bool wrote = false;
    int rc = qcow2_write_refblocks(q, &wrote, err);
    if (rc == 0) rc = vt_pwrite_full(q->fd, q->b.path, buf, ntab * q->cs, tab_off, err);
    free(buf);
    if (rc == 0) rc = vt_fsync(q->fd, q->b.path, err);
    if (rc != 0) return -1;
    uint8_t hf[12];
    store_be64(hf, tab_off);
    store_be32(hf + 8, (uint32_t)ntab);
    if (vt_pwrite_full(q->fd, q->b.path, hf, sizeof hf, 48, err) != 0 ||
        vt_fsync(q->fd, q->b.path, err) != 0) {
        return -1;
    }
    q->reft_offset = tab_off;
    q->reft_clusters = (uint32_t)ntab;
    for (uint64_t i = 0; i < old_clusters; i++) {
        uint64_t c = (old_off >> q->cluster_bits) + i;
        if (qcow2_set_refcount(q, c, 0, err) != 0) return -1;
        if (c < q->free_hint) q->free_hint = c;
    }
    if (q->free_hint == start) q->free_hint = start + ntab + nrb;
    if (start + ntab + nrb > q->alloc_end) q->alloc_end = start + ntab + nrb;
    return qcow2_write_refblocks(q, &wrote, err);
}

int qcow2_repair_refcount(vt_qcow2 *q, uint64_t c, uint64_t v, vt_error *err) {
    for (int i = 0; i < 64 && !has_rb(q, c >> q->rb_bits); i++) {
        if (ensure_refblock(q, c >> q->rb_bits, err) != 0) return -1;
    }
    return qcow2_set_refcount(q, c, v, err);
}

static int push_pending(vt_qcow2 *q, uint64_t off, vt_error *err) {
    if (q->npending == q->pending_cap) {
        size_t cap = q->pending_cap ? q->pending_cap * 2 : 64;
        uint64_t *p = realloc(q->pending, cap * sizeof *p);
        if (!p) return vt_fail(err, "%s: out of memory", q->b.path);
        q->pending = p;
        q->pending_cap = cap;
    }
    q->pending[q->npending++] = off;
    return 0;
}

void qcow2_compressed_span(const vt_qcow2 *q, uint64_t entry, uint64_t *first, uint64_t *count) {
    unsigned x = 62 - (q->cluster_bits - 8);
    uint64_t off = entry & ((1ull << x) - 1);
    uint64_t nsec = ((entry >> x) & ((1ull << (q->cluster_bits - 8)) - 1)) + 1;
    uint64_t end = (off & ~511ull) + nsec * 512; /* exclusive */
    *first = off >> q->cluster_bits;
    *count = ((end - 1) >> q->cluster_bits) - *first + 1;
}

int qcow2_release_later(vt_qcow2 *q, uint64_t e, vt_error *err) {
    if (e & QCOW2_OFLAG_COMPRESSED) {
        uint64_t first, count;
        qcow2_compressed_span(q, e, &first, &count);
        for (uint64_t i = 0; i < count; i++) {
            if (push_pending(q, (first + i) << q->cluster_bits, err) != 0) return -1;
        }
        return 0;
    }
    uint64_t off = e & QCOW2_L2E_OFFSET;
    return off ? push_pending(q, off, err) : 0;
}
