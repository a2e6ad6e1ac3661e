/* The qcow2 backend's block operations: open (header, L1, refcount table, caches, backing
 * chain with base-fingerprint check), read (allocated, zero, compressed, backing), write
 * (in place or copy-on-write into a fresh cluster), discard (zero clusters), status, close. */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const vt_block_ops qcow2_ops;

bool vt_block_is_qcow2(const vt_block *b) {
    return b->ops == &qcow2_ops;
}

/* Contents of one virtual cluster as currently mapped by entry e. */
static int read_mapped(vt_qcow2 *q, uint64_t vc, uint64_t e, uint64_t in, uint8_t *buf, uint64_t n,
                       vt_error *err) {
    if (e & QCOW2_OFLAG_COMPRESSED) {
        if (qcow2_read_compressed(q, e, err) != 0) return -1;
        memcpy(buf, q->cbuf + in, n);
        return 0;
    }
    if (e & QCOW2_OFLAG_ZERO) {
        memset(buf, 0, n);
        return 0;
    }
    uint64_t host = e & QCOW2_L2E_OFFSET;
    if (host) {
        if (host & (q->cs - 1)) {
            return qcow2_signal_corruption(q, err, "data cluster at unaligned offset 0x%" PRIx64,
                                           host);
        }
        return vt_pread_full(q->fd, q->b.path, buf, n, host + in, err);
    }
    uint64_t off = (vc << q->cluster_bits) + in, m = 0;
    vt_block *bk = q->b.backing;
    if (bk && off < bk->size) {
        m = bk->size - off < n ? bk->size - off : n;
        if (bk->ops->read(bk, off, buf, m, err) != 0) return -1;
    }
    memset(buf + m, 0, n - m);
    return 0;
}

static int qcow2_read(vt_block *b, uint64_t off, void *buf, size_t len, vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    uint8_t *p = buf;
    while (len > 0) {
        uint64_t vc = off >> q->cluster_bits, in = off & (q->cs - 1);
        uint64_t n = q->cs - in < len ? q->cs - in : len;
        uint64_t e;
        if (qcow2_lookup(q, vc, &e, err) != 0 || read_mapped(q, vc, e, in, p, n, err) != 0) {
            return -1;
        }
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

/* Points virtual cluster vc at `entry`, releasing what it pointed at before. */
static int remap(vt_qcow2 *q, uint64_t vc, uint64_t entry, vt_error *err) {
    uint8_t *tab;
    if (qcow2_get_l2(q, vc >> q->l2_bits, true, &tab, err) != 0) return -1;
    uint64_t i = vc & (qcow2_l2_entries(q) - 1), old = qcow2_get_l2e(tab, i);
    if (old == entry) return 0;
    qcow2_set_l2e(tab, i, entry);
    qcow2_mark_l2_dirty(q, vc >> q->l2_bits);
    if (q->cbuf_entry == old) q->cbuf_entry = 0;
    return qcow2_release_later(q, old, err);
}

static int write_cluster(vt_qcow2 *q, uint64_t vc, uint64_t in, const uint8_t *data, uint64_t n,
                         vt_error *err) {
    uint8_t *tab;
    if (qcow2_get_l2(q, vc >> q->l2_bits, true, &tab, err) != 0) return -1;
    uint64_t e = qcow2_get_l2e(tab, vc & (qcow2_l2_entries(q) - 1));
    uint64_t host = e & QCOW2_L2E_OFFSET;
    if (host && (e & QCOW2_OFLAG_COPIED) && !(e & (QCOW2_OFLAG_COMPRESSED | QCOW2_OFLAG_ZERO))) {
        if (host & (q->cs - 1)) {
            return qcow2_signal_corruption(q, err, "data cluster at unaligned offset 0x%" PRIx64,
                                           host);
        }
        if ((host >> q->cluster_bits) >= q->alloc_end) {
            return qcow2_signal_corruption(q, err, "data cluster 0x%" PRIx64 " past end of file",
                                           host);
        }
        if (qcow2_check_overlap(q, host + in, n, err) != 0) return -1;
        q->data_dirty = true;
        return vt_pwrite_full(q->fd, q->b.path, data, n, host + in, err);
    }
    /* copy-on-write into a new cluster: old contents around the new bytes */
    const uint8_t *src = data;
    if (n < q->cs) {
        if (in && read_mapped(q, vc, e, 0, q->bounce, in, err) != 0) return -1;
        uint64_t tail = in + n;
        if (tail < q->cs && read_mapped(q, vc, e, tail, q->bounce + tail, q->cs - tail, err) != 0) {
            return -1;
        }
        memcpy(q->bounce + in, data, n);
        src = q->bounce;
    }
    uint64_t nh;
    if (qcow2_alloc_clusters(q, 1, &nh, err) != 0) return -1;
    if (vt_pwrite_full(q->fd, q->b.path, src, q->cs, nh, err) != 0) return -1;
    q->data_dirty = true;
    return remap(q, vc, nh | QCOW2_OFLAG_COPIED, err);
}

static int qcow2_write(vt_block *b, uint64_t off, const void *buf, size_t len, vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    if (q->broken) return vt_fail(err, "%s: image is marked corrupt", b->path);
    const uint8_t *p = buf;
    while (len > 0) {
        uint64_t vc = off >> q->cluster_bits, in = off & (q->cs - 1);
        uint64_t n = q->cs - in < len ? q->cs - in : len;
        if (write_cluster(q, vc, in, p, n, err) != 0) return -1;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

static int qcow2_discard(vt_block *b, uint64_t off, uint64_t len, vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    if (q->broken) return vt_fail(err, "%s: image is marked corrupt", b->path);
    while (len > 0) {
        uint64_t vc = off >> q->cluster_bits, in = off & (q->cs - 1);
        uint64_t n = q->cs - in < len ? q->cs - in : len;
        if (n == q->cs) {
            if (remap(q, vc, QCOW2_OFLAG_ZERO, err) != 0) return -1;
        } else {
            uint8_t *zero = calloc(1, n);
            if (!zero) return vt_fail(err, "%s: out of memory", b->path);
            int rc = write_cluster(q, vc, in, zero, n, err);
            free(zero);
            if (rc != 0) return -1;
        }
        off += n;
        len -= n;
    }
    return 0;
}

int qcow2_make_empty(vt_qcow2 *q, vt_error *err) {
    for (uint64_t l1i = 0; l1i < q->l1_size; l1i++) {
        uint8_t *tab;
        if (qcow2_get_l2(q, l1i, false, &tab, err) != 0) return -1;
        if (!tab) continue;
        for (uint64_t i = 0; i < qcow2_l2_entries(q); i++) {
            uint64_t e = qcow2_get_l2e(tab, i);
            if (!e) continue;
            qcow2_set_l2e(tab, i, 0);
            qcow2_mark_l2_dirty(q, l1i);
            if (qcow2_release_later(q, e, err) != 0) return -1;
        }
    }
    q->cbuf_entry = 0;
    return qcow2_flush_meta(q, err);
}

static vt_block_kind entry_kind(uint64_t e) {
    if (e & QCOW2_OFLAG_COMPRESSED) return VT_BLOCK_COMPRESSED;
    if (e & QCOW2_OFLAG_ZERO) return VT_BLOCK_ZERO;
    return (e & QCOW2_L2E_OFFSET) ? VT_BLOCK_DATA : VT_BLOCK_BACKING;
}

static int qcow2_status(vt_block *b, uint64_t off, uint64_t len, vt_block_status *st,
                        vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    uint64_t end = off + len, pos = off;
    bool first = true;
    while (pos < end) {
        uint64_t vc = pos >> q->cluster_bits, l1i = vc >> q->l2_bits;
        uint8_t *tab;
        if (qcow2_get_l2(q, l1i, false, &tab, err) != 0) return -1;
        uint64_t e = tab ? qcow2_get_l2e(tab, vc & (qcow2_l2_entries(q) - 1)) : 0;
        vt_block_kind k = entry_kind(e);
        uint64_t host = (e & QCOW2_L2E_OFFSET) + (pos & (q->cs - 1));
        if (k == VT_BLOCK_COMPRESSED) host = e & ((1ull << (62 - (q->cluster_bits - 8))) - 1);
        /* an absent L2 table maps its whole range to the backing file */
        uint64_t next =
            tab ? (vc + 1) << q->cluster_bits : (l1i + 1) << (q->l2_bits + q->cluster_bits);
        if (next > end) next = end;
        if (first) {
            *st = (vt_block_status){.kind = k, .len = 0, .host_off = host};
            first = false;
        } else if (k != st->kind || k == VT_BLOCK_COMPRESSED ||
                   (k == VT_BLOCK_DATA && host != st->host_off + st->len)) {
            break;
        }
        st->len += next - pos;
        pos = next;
    }
    return 0;
}

static int qcow2_flush(vt_block *b, vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    if (q->broken) return vt_fail(err, "%s: image is marked corrupt", b->path);
    return qcow2_flush_meta(q, err);
}

static void qcow2_free(vt_qcow2 *q) {
    vt_error ignore;
    if (q->b.backing) (void)vt_block_close(q->b.backing, &ignore);
    if (q->fd >= 0) close(q->fd);
    qcow2_free_header(q);
    qcow2_cache_free(&q->l2c);
    qcow2_cache_free(&q->rbc);
    free(q->l1);
    free(q->l1_dirty);
    free(q->reft);
    free(q->reft_dirty);
    free(q->pending);
    free(q->meta);
    free(q->bounce);
    free(q->zbuf);
    free(q->cbuf);
    vt_block_free_common(&q->b);
    free(q);
}

static int qcow2_close(vt_block *b, vt_error *err) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    int rc = (q->writable && !q->broken) ? qcow2_flush_meta(q, err) : 0;
    qcow2_free(q);
    return rc;
}

static const vt_block_ops qcow2_ops = {
    .format = "qcow2",
    .read = qcow2_read,
    .write = qcow2_write,
    .flush = qcow2_flush,
    .discard = qcow2_discard,
    .status = qcow2_status,
    .close = qcow2_close,
};

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int load_tables(vt_qcow2 *q, vt_error *err) {
    const char *p = q->b.path;
    q->l1 = calloc(q->l1_size ? q->l1_size : 1, 8);
    q->l1_dirty = calloc(q->l1_size ? q->l1_size : 1, 1);
    q->reft_entries = (uint64_t)q->reft_clusters * q->cs / 8;
    q->reft = calloc(q->reft_entries, 8);
    q->reft_dirty = calloc(q->reft_entries, 1);
    unsigned nslots = QCOW2_CACHE_BYTES / q->cs;
    if (nslots < 8) nslots = 8;
    if (nslots > 4096) nslots = 4096;
    q->bounce = malloc(q->cs);
    q->zbuf = malloc(2 * q->cs);
    q->cbuf = malloc(q->cs);
    if (!q->l1 || !q->l1_dirty || !q->reft || !q->reft_dirty || !q->bounce || !q->zbuf ||
        !q->cbuf || qcow2_cache_init(&q->l2c, q->cs, nslots) != 0 ||
        qcow2_cache_init(&q->rbc, q->cs, nslots) != 0) {
        return vt_fail(err, "%s: out of memory", p);
    }
    uint8_t *raw = (uint8_t *)q->reft; /* convert in place: 8-byte entries */
    if (vt_pread_full(q->fd, p, raw, q->reft_entries * 8, q->reft_offset, err) != 0) return -1;
    for (uint64_t i = 0; i < q->reft_entries; i++)
        q->reft[i] = load_be64(raw + 8 * i);
    raw = (uint8_t *)q->l1;
    if (vt_pread_full(q->fd, p, raw, (size_t)q->l1_size * 8, q->l1_offset, err) != 0) return -1;
    for (uint32_t i = 0; i < q->l1_size; i++)
        q->l1[i] = load_be64(raw + 8 * i);
    off_t fsize = lseek(q->fd, 0, SEEK_END);
    if (fsize < 0) return vt_fail(err, "%s: cannot determine file size", p);
    q->alloc_end = ((uint64_t)fsize + q->cs - 1) >> q->cluster_bits;
    if (!q->writable) return 0;
    /* index of L2 tables and refcount blocks for the overlap checks: collect, sort, dedupe */
    q->meta_cap = q->l1_size + q->reft_entries + 64;
    q->meta = malloc(q->meta_cap * sizeof *q->meta);
    if (!q->meta) return vt_fail(err, "%s: out of memory", p);
    for (uint32_t i = 0; i < q->l1_size; i++) {
        uint64_t o = q->l1[i] & QCOW2_L1E_OFFSET;
        if (o) q->meta[q->nmeta++] = o;
    }
    for (uint64_t i = 0; i < q->reft_entries; i++) {
        uint64_t o = q->reft[i] & QCOW2_REFT_OFFSET;
        if (o) q->meta[q->nmeta++] = o;
    }
    qsort(q->meta, q->nmeta, sizeof *q->meta, cmp_u64);
    size_t n = 0;
    for (size_t i = 0; i < q->nmeta; i++) {
        if (n == 0 || q->meta[n - 1] != q->meta[i]) q->meta[n++] = q->meta[i];
    }
    q->nmeta = n;
    return 0;
}

static int resolve_backing(vt_qcow2 *q, vt_error *err) {
    const char *name = q->backing_name;
    if (name[0] == '/' || !strchr(q->b.path, '/')) {
        q->backing_path = strdup(name);
    } else {
        size_t dir = (size_t)(strrchr(q->b.path, '/') - q->b.path);
        q->backing_path = malloc(dir + strlen(name) + 2);
        if (q->backing_path) sprintf(q->backing_path, "%.*s/%s", (int)dir, q->b.path, name);
    }
    return q->backing_path ? 0 : vt_fail(err, "%s: out of memory", q->b.path);
}

/* The top image of a chain names itself in front of a backing file's error. */
static int backing_failed(const vt_qcow2 *q, const vt_block_opts *opts, vt_error *err) {
    if (opts->depth > 0 || !err) return -1;
    char inner[sizeof err->msg];
    memcpy(inner, err->msg, sizeof inner);
    return vt_fail(err, "%s: cannot open backing file: %s", q->b.path, inner);
}

static int open_backing(vt_qcow2 *q, const vt_block_opts *opts, vt_error *err) {
    if (!q->backing_name) {
        q->fp_status = VT_FP_NO_BASE;
        return 0;
    }
    if (resolve_backing(q, err) != 0) return -1;
    if (opts->no_backing) return 0;
    if (q->commit_pending && !opts->force_base && !opts->backing_writable) {
        return vt_fail(err,
                       "%s: a commit into its base %s was interrupted; the base holds part of "
                       "the overlay's data and the overlay still holds all of it. Run "
                       "'vitrine img commit %s' again to finish (or --force-base to use the "
                       "overlay as it is)",
                       q->b.path, q->backing_path, q->b.path);
    }
    if (q->has_fp) {
        vt_fingerprint now;
        if (vt_fingerprint_file(q->backing_path, &now, err) != 0)
            return backing_failed(q, opts, err);
        bool same = now.size == q->fp.size && now.method == q->fp.method &&
                    memcmp(now.sha256, q->fp.sha256, 32) == 0;
        /* resuming an interrupted commit: the base is expected to differ */
        bool resume = q->commit_pending && opts->backing_writable;
        if (!same && !opts->force_base && !resume) {
            char what[96] = "its content fingerprint differs";
            if (now.size != q->fp.size) {
                snprintf(what, sizeof what, "its size changed from %" PRIu64 " to %" PRIu64,
                         q->fp.size, now.size);
            }
            return vt_fail(err,
                           "%s: its base image %s has changed since the overlay was created "
                           "(%s); the overlay is no longer valid. Use --force-base to open it "
                           "anyway",
                           q->b.path, q->backing_path, what);
        }
        q->fp_status = same ? VT_FP_MATCH : VT_FP_MISMATCH;
    }
    vt_block_opts bo = {
        .format = q->backing_fmt,
        .read_only = !(opts->backing_writable && opts->depth == 0),
        .force_base = opts->force_base,
        .depth = opts->depth + 1,
    };
    if (vt_block_open(&q->b.backing, q->backing_path, &bo, err) != 0)
        return backing_failed(q, opts, err);
    return 0;
}

int vt_qcow2_open(vt_block **out, const char *path, const vt_block_opts *opts, vt_error *err) {
    vt_qcow2 *q = calloc(1, sizeof *q);
    if (!q) return vt_fail(err, "%s: out of memory", path);
    q->fd = -1;
    q->writable = !opts->read_only;
    q->repair = opts->repair;
    if (vt_block_init_common(&q->b, &qcow2_ops, path, 0, opts->read_only, err) != 0 ||
        vt_block_open_file(path, q->writable, &q->fd, err) != 0 ||
        qcow2_parse_header(q, err) != 0 || load_tables(q, err) != 0 ||
        open_backing(q, opts, err) != 0) {
        qcow2_free(q);
        return -1;
    }
    if (q->writable) {
        if ((q->incompat & QCOW2_INCOMPAT_DIRTY) && qcow2_repair_on_open(q, err) != 0) {
            qcow2_free(q);
            return -1;
        }
        if (q->autoclear) { /* we do not maintain bitmaps or a raw external data file */
            q->autoclear = 0;
            if (qcow2_write_header(q, err) != 0) {
                qcow2_free(q);
                return -1;
            }
        }
    }
    *out = &q->b;
    return 0;
}

void vt_qcow2_get_info(vt_block *b, vt_qcow2_info *in) {
    vt_qcow2 *q = (vt_qcow2 *)b;
    *in = (vt_qcow2_info){
        .version = q->version,
        .cluster_size = (uint32_t)q->cs,
        .refcount_bits = 1u << q->refcount_order,
        .nb_snapshots = q->nb_snapshots,
        .incompatible = q->incompat,
        .compatible = q->compat,
        .autoclear = q->autoclear,
        .backing = q->backing_name,
        .backing_fmt = q->backing_fmt,
        .backing_path = q->backing_path,
        .fp_status = q->fp_status,
        .fp_size = q->fp.size,
        .fp_sampled = q->fp.method == 1,
        .dirty = (q->incompat & QCOW2_INCOMPAT_DIRTY) != 0,
        .corrupt = (q->incompat & QCOW2_INCOMPAT_CORRUPT) != 0,
        .commit_pending = q->commit_pending,
    };
    if (q->has_fp) vt_fingerprint_hex(&q->fp, in->fp_hex);
}
