/* qcow2 header: parsing and validating the fixed header (v2 and v3), header extensions
 * (backing format, feature names, our base fingerprint and commit marker; unknown ones kept
 * verbatim) and the backing file name; rebuilding cluster 0 when a field or extension changes.
 * Field offsets: QEMU docs/interop/qcow2.txt "Header". */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const incompat_names[] = {"dirty", "corrupt", "external data file",
                                             "compression type", "extended L2 entries"};

int qcow2_parse_header(vt_qcow2 *q, vt_error *err) {
    const char *p = q->b.path;
    uint8_t h[112];
    off_t fsize = lseek(q->fd, 0, SEEK_END);
    if (fsize < 0) return vt_fail(err, "%s: cannot determine file size", p);
    if (vt_pread_full(q->fd, p, h, sizeof h, 0, err) != 0) return -1;
    if (fsize < 72 || load_be32(h) != QCOW2_MAGIC) {
        return vt_fail(err, "%s: not a qcow2 image (truncated or bad header)", p);
    }
    q->version = load_be32(h + 4);
    if (q->version != 2 && q->version != 3) {
        return vt_fail(err, "%s: unsupported qcow2 version %" PRIu32, p, q->version);
    }
    if (q->version == 3 && fsize < 104) return vt_fail(err, "%s: truncated qcow2 v3 header", p);
    uint64_t backing_off = load_be64(h + 8);
    uint32_t backing_len = load_be32(h + 16);
    q->cluster_bits = load_be32(h + 20);
    q->b.size = load_be64(h + 24);
    uint32_t crypt = load_be32(h + 32);
    q->l1_size = load_be32(h + 36);
    q->l1_offset = load_be64(h + 40);
    q->reft_offset = load_be64(h + 48);
    q->reft_clusters = load_be32(h + 56);
    q->nb_snapshots = load_be32(h + 60);
    q->snapshots_offset = load_be64(h + 64);
    if (q->version == 3) {
        q->incompat = load_be64(h + 72);
        q->compat = load_be64(h + 80);
        q->autoclear = load_be64(h + 88);
        q->refcount_order = load_be32(h + 96);
        q->header_length = load_be32(h + 100);
    } else {
        q->refcount_order = 4;
        q->header_length = 72;
    }
    if (q->cluster_bits < 9 || q->cluster_bits > 21) {
        return vt_fail(err, "%s: cluster_bits %u out of range (9..21)", p, q->cluster_bits);
    }
    q->cs = 1ull << q->cluster_bits;
    q->l2_bits = q->cluster_bits - 3;
    if (q->version == 3 &&
        (q->header_length < 104 || q->header_length > q->cs ||
         q->header_length - 104 > sizeof q->header_tail || q->header_length % 8 != 0)) {
        return vt_fail(err, "%s: invalid header length %" PRIu32, p, q->header_length);
    }
    if (q->refcount_order > 6) {
        return vt_fail(err, "%s: refcount order %u out of range (0..6)", p, q->refcount_order);
    }
    q->rb_bits = q->cluster_bits + 3 - q->refcount_order;
    if (crypt != 0) return vt_fail(err, "%s: encrypted qcow2 images are not supported", p);
    uint64_t unknown = q->incompat & ~QCOW2_INCOMPAT_KNOWN;
    if (unknown) {
        int bit = __builtin_ctzll(unknown);
        return vt_fail(err, "%s: unsupported incompatible qcow2 feature bit %d%s%s%s", p, bit,
                       bit < 5 ? " (" : "", bit < 5 ? incompat_names[bit] : "", bit < 5 ? ")" : "");
    }
    if (q->header_length > 104) {
        q->compression_type = h[104];
        memcpy(q->header_tail, h + 104, q->header_length - 104 < 8 ? q->header_length - 104 : 8);
        if (q->header_length - 104 > 8 &&
            vt_pread_full(q->fd, p, q->header_tail + 8, q->header_length - 112, 112, err) != 0) {
            return -1;
        }
    }
    if (q->compression_type != 0) {
        return vt_fail(err, "%s: unsupported compression type %u (only zlib)", p,
                       q->compression_type);
    }
    if (q->incompat & QCOW2_INCOMPAT_CORRUPT && q->writable && !q->repair) {
        return vt_fail(err,
                       "%s: image is marked corrupt; repair it with 'vitrine img check -r all' "
                       "or open it read-only",
                       p);
    }
    if (q->writable && q->version == 2) {
        return vt_fail(err, "%s: qcow2 version 2 images are read-only here (convert to v3)", p);
    }
    if (q->writable && q->nb_snapshots != 0) {
        return vt_fail(err, "%s: image has internal snapshots; only read-only access is supported",
                       p);
    }
    /* virtual size and L1 */
    if (q->b.size > (1ull << 56)) return vt_fail(err, "%s: virtual size too large", p);
    uint64_t per_l1 = q->cs << q->l2_bits;
    uint64_t need_l1 = (q->b.size + per_l1 - 1) / per_l1;
    if ((uint64_t)q->l1_size * 8 > QCOW2_MAX_L1_BYTES) {
        return vt_fail(err, "%s: L1 table too large (%" PRIu32 " entries)", p, q->l1_size);
    }
    if (q->l1_size < need_l1) {
        return vt_fail(err, "%s: L1 table too small for the virtual size", p);
    }
    if (q->l1_size && ((q->l1_offset & (q->cs - 1)) || q->l1_offset == 0 ||
                       q->l1_offset + (uint64_t)q->l1_size * 8 > (uint64_t)fsize)) {
        return vt_fail(err, "%s: L1 table offset invalid or past end of file", p);
    }
    if ((uint64_t)q->reft_clusters * q->cs > QCOW2_MAX_REFTABLE_BYTES || q->reft_clusters == 0) {
        return vt_fail(err, "%s: refcount table size invalid (%" PRIu32 " clusters)", p,
                       q->reft_clusters);
    }
    if ((q->reft_offset & (q->cs - 1)) || q->reft_offset == 0 ||
        q->reft_offset + (uint64_t)q->reft_clusters * q->cs > (uint64_t)fsize) {
        return vt_fail(err, "%s: refcount table offset invalid or past end of file", p);
    }
    if (q->nb_snapshots > 65536 || (q->nb_snapshots && (q->snapshots_offset & (q->cs - 1)))) {
        return vt_fail(err, "%s: snapshot table invalid", p);
    }
    /* backing file name */
    if (backing_off) {
        if (backing_len == 0 || backing_len > 1023 || backing_off > q->cs ||
            backing_len > q->cs - backing_off) {
            return vt_fail(err, "%s: backing file name out of range", p);
        }
        q->backing_name = calloc(1, backing_len + 1);
        if (!q->backing_name) return vt_fail(err, "%s: out of memory", p);
        if (vt_pread_full(q->fd, p, q->backing_name, backing_len, backing_off, err) != 0) return -1;
        if (strlen(q->backing_name) != backing_len) {
            return vt_fail(err, "%s: backing file name contains a NUL byte", p);
        }
    }
    /* header extensions: from the end of the fixed header to the backing name / cluster end */
    uint64_t ext_off = q->header_length;
    uint64_t ext_end = backing_off ? backing_off : q->cs;
    if (ext_end > (uint64_t)fsize) ext_end = (uint64_t)fsize;
    while (ext_off + 8 <= ext_end) {
        uint8_t eh[8];
        if (vt_pread_full(q->fd, p, eh, 8, ext_off, err) != 0) return -1;
        uint32_t type = load_be32(eh), len = load_be32(eh + 4);
        ext_off += 8;
        if (type == 0) break;
        if (len > ext_end - ext_off) {
            return vt_fail(err, "%s: header extension 0x%08" PRIx32 " overruns the header", p,
                           type);
        }
        uint8_t *data = malloc(len ? len : 1);
        if (!data) return vt_fail(err, "%s: out of memory", p);
        if (vt_pread_full(q->fd, p, data, len, ext_off, err) != 0) {
            free(data);
            return -1;
        }
        ext_off += (len + 7u) & ~7ull;
        if (type == QCOW2_EXT_BACKING_FMT) {
            free(q->backing_fmt);
            q->backing_fmt = calloc(1, (size_t)len + 1);
            if (q->backing_fmt) memcpy(q->backing_fmt, data, len);
            free(data);
            if (!q->backing_fmt) return vt_fail(err, "%s: out of memory", p);
        } else if (type == VT_QCOW2_EXT_FINGERPRINT) {
            if (len < 48 || data[0] != 1 || data[1] > 1) {
                free(data);
                return vt_fail(err, "%s: invalid Vitrine base-fingerprint extension", p);
            }
            q->has_fp = true;
            q->fp.method = data[1];
            q->fp.size = load_be64(data + 8);
            memcpy(q->fp.sha256, data + 16, 32);
            free(data);
        } else if (type == VT_QCOW2_EXT_COMMIT) {
            bool bad = len < 8 || data[0] != 1;
            free(data);
            if (bad) return vt_fail(err, "%s: invalid Vitrine commit-marker extension", p);
            q->commit_pending = true;
        } else if (type == QCOW2_EXT_FEATURE_TABLE) {
            free(data); /* regenerated knowledge; not needed */
        } else {
            qcow2_ext *n = realloc(q->exts, (q->nexts + 1) * sizeof *n);
            if (!n) {
                free(data);
                return vt_fail(err, "%s: out of memory", p);
            }
            q->exts = n;
            q->exts[q->nexts++] = (qcow2_ext){type, len, data};
        }
    }
    return 0;
}

static int put_ext(uint8_t *buf, uint64_t cs, uint64_t *pos, uint32_t type, const void *data,
                   uint32_t len) {
    uint64_t padded = (len + 7u) & ~7ull;
    if (*pos + 8 + padded > cs) return -1;
    store_be32(buf + *pos, type);
    store_be32(buf + *pos + 4, len);
    if (len) memcpy(buf + *pos + 8, data, len);
    *pos += 8 + padded;
    return 0;
}

int qcow2_build_header(const vt_qcow2 *q, uint8_t *buf, vt_error *err) {
    memset(buf, 0, q->cs);
    store_be32(buf, QCOW2_MAGIC);
    store_be32(buf + 4, q->version);
    store_be32(buf + 20, q->cluster_bits);
    store_be64(buf + 24, q->b.size);
    store_be32(buf + 36, q->l1_size);
    store_be64(buf + 40, q->l1_offset);
    store_be64(buf + 48, q->reft_offset);
    store_be32(buf + 56, q->reft_clusters);
    store_be32(buf + 60, q->nb_snapshots);
    store_be64(buf + 64, q->snapshots_offset);
    store_be64(buf + 72, q->incompat);
    store_be64(buf + 80, q->compat);
    store_be64(buf + 88, q->autoclear);
    store_be32(buf + 96, q->refcount_order);
    store_be32(buf + 100, q->header_length);
    memcpy(buf + 104, q->header_tail, q->header_length - 104);
    uint64_t pos = q->header_length;
    int bad = 0;
    if (q->backing_fmt) {
        bad |= put_ext(buf, q->cs, &pos, QCOW2_EXT_BACKING_FMT, q->backing_fmt,
                       (uint32_t)strlen(q->backing_fmt));
    }
    if (q->has_fp) {
        uint8_t d[48] = {1, q->fp.method};
        store_be64(d + 8, q->fp.size);
        memcpy(d + 16, q->fp.sha256, 32);
        bad |= put_ext(buf, q->cs, &pos, VT_QCOW2_EXT_FINGERPRINT, d, sizeof d);
    }
    if (q->commit_pending) {
        const uint8_t d[8] = {1};
        bad |= put_ext(buf, q->cs, &pos, VT_QCOW2_EXT_COMMIT, d, sizeof d);
    }
    for (unsigned i = 0; i < q->nexts; i++) {
        bad |= put_ext(buf, q->cs, &pos, q->exts[i].type, q->exts[i].data, q->exts[i].len);
    }
    bad |= put_ext(buf, q->cs, &pos, 0, NULL, 0);
    if (q->backing_name) {
        size_t len = strlen(q->backing_name);
        if (bad || pos + len > q->cs)
            bad = 1;
        else {
            memcpy(buf + pos, q->backing_name, len);
            store_be64(buf + 8, pos);
            store_be32(buf + 16, (uint32_t)len);
        }
    }
    if (bad) return vt_fail(err, "%s: header and extensions do not fit in one cluster", q->b.path);
    return 0;
}

int qcow2_write_header(vt_qcow2 *q, vt_error *err) {
    uint8_t *buf = malloc(q->cs);
    if (!buf) return vt_fail(err, "%s: out of memory", q->b.path);
    int rc = qcow2_build_header(q, buf, err);
    if (rc == 0) rc = vt_pwrite_full(q->fd, q->b.path, buf, q->cs, 0, err);
    if (rc == 0) rc = vt_fsync(q->fd, q->b.path, err);
    free(buf);
    return rc;
}

int qcow2_set_incompat(vt_qcow2 *q, uint64_t bits, bool on, vt_error *err) {
    uint64_t v = on ? q->incompat | bits : q->incompat & ~bits;
    if (v == q->incompat) return 0;
    q->incompat = v;
    uint8_t b[8];
    store_be64(b, v);
    if (vt_pwrite_full(q->fd, q->b.path, b, 8, 72, err) != 0) return -1;
    return vt_fsync(q->fd, q->b.path, err);
}

void qcow2_free_header(vt_qcow2 *q) {
    for (unsigned i = 0; i < q->nexts; i++)
        free(q->exts[i].data);
    free(q->exts);
    free(q->backing_name);
    free(q->backing_fmt);
    free(q->backing_path);
}
