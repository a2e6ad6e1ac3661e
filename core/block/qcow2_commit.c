/* `img commit`: writing a qcow2 overlay's data into its base, all or nothing as far as the
 * user can tell. Everything is checked before the first write (metadata, compressed clusters,
 * data past the end of the base); a "VtCM" header extension marks the window in which the base
 * holds part of the overlay's data, so an interrupted commit is reported on the next open and
 * finished by running it again. Design: core/block/README.md "Commit". */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdlib.h>

enum { COMMIT_CHUNK = 1 << 20 };

static bool all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i]) return false;
    }
    return true;
}

/* Checks one run of the overlay that is not left to the base. */
static int prepare_run(vt_qcow2 *q, const vt_block_status *st, uint64_t off, uint8_t *buf,
                       vt_error *err) {
    vt_block *bk = q->b.backing;
    uint64_t file_end = q->alloc_end << q->cluster_bits;
    if (st->kind == VT_BLOCK_DATA &&
        ((st->host_off & (q->cs - 1)) != (off & (q->cs - 1)) || st->host_off > file_end ||
         st->len > file_end - st->host_off)) {
        return qcow2_signal_corruption(q, err,
                                       "data for offset 0x%" PRIx64 " mapped to 0x%" PRIx64
                                       ", outside the file or unaligned",
                                       off, st->host_off);
    }
    /* compressed clusters must inflate; data past the base's end must be zeros (the base is
     * never resized, and it reads as zeros there once the overlay is emptied) */
    for (uint64_t p = off; p < off + st->len;) {
        size_t n = off + st->len - p < COMMIT_CHUNK ? (size_t)(off + st->len - p) : COMMIT_CHUNK;
        bool beyond = p + n > bk->size;
        if (st->kind == VT_BLOCK_COMPRESSED || (beyond && st->kind != VT_BLOCK_ZERO)) {
            if (vt_block_read(&q->b, p, buf, n, err) != 0) return -1;
            uint64_t in = p < bk->size ? bk->size - p : 0;
            if (beyond && in < n && !all_zero(buf + in, n - (size_t)in)) {
                return vt_fail(err,
                               "%s: the overlay holds data at offset %" PRIu64
                               ", beyond the end of its base %s (%" PRIu64
                               " bytes); commit does not resize the base. Nothing was written",
                               q->b.path, p + in, bk->path, bk->size);
            }
        }
        p += n;
    }
    return 0;
}

int vt_qcow2_commit_prepare(vt_block *overlay, vt_error *err) {
    if (!vt_block_is_qcow2(overlay)) return vt_fail(err, "%s: not a qcow2 overlay", overlay->path);
    vt_qcow2 *q = (vt_qcow2 *)overlay;
    vt_block *bk = overlay->backing;
    if (!bk) return vt_fail(err, "%s: has no backing file to commit into", overlay->path);
    if (overlay->read_only || bk->read_only) {
        return vt_fail(err, "%s: commit needs the overlay and its base writable", overlay->path);
    }
    if (q->broken) return vt_fail(err, "%s: image is marked corrupt", overlay->path);
    uint8_t *buf = malloc(COMMIT_CHUNK > q->cs ? COMMIT_CHUNK : q->cs);
    if (!buf) return vt_fail(err, "%s: out of memory", overlay->path);
    /* the header must have room for the marker and a fingerprint */
    bool had_marker = q->commit_pending, had_fp = q->has_fp;
    q->commit_pending = q->has_fp = true;
    int rc = qcow2_build_header(q, buf, err);
    q->commit_pending = had_marker;
    q->has_fp = had_fp;
    for (uint64_t off = 0; rc == 0 && off < overlay->size;) {
        vt_block_status st;
        rc = vt_block_get_status(overlay, off, overlay->size - off, &st, err);
        if (rc != 0) break;
        if (st.kind != VT_BLOCK_BACKING) rc = prepare_run(q, &st, off, buf, err);
        off += st.len;
    }
    free(buf);
    return rc;
}

/* Copies the overlay's own runs into the base (up to the base's end). */
static int copy_into_base(vt_qcow2 *q, uint8_t *buf, vt_error *err) {
    vt_block *bk = q->b.backing;
    for (uint64_t off = 0; off < q->b.size && off < bk->size;) {
        vt_block_status st;
        if (vt_block_get_status(&q->b, off, q->b.size - off, &st, err) != 0) return -1;
        uint64_t end = off + st.len < bk->size ? off + st.len : bk->size;
        for (uint64_t p = off; st.kind != VT_BLOCK_BACKING && p < end;) {
            size_t n = end - p < COMMIT_CHUNK ? (size_t)(end - p) : COMMIT_CHUNK;
            if (vt_block_read(&q->b, p, buf, n, err) != 0 ||
                vt_block_write(bk, p, buf, n, err) != 0) {
                return -1;
            }
            p += n;
        }
        off += st.len;
    }
    return 0;
}

static int set_marker(vt_qcow2 *q, bool on, vt_error *err) {
    q->commit_pending = on;
    return qcow2_write_header(q, err);
}

int vt_qcow2_commit(vt_block *overlay, vt_error *err) {
    if (vt_qcow2_commit_prepare(overlay, err) != 0) return -1;
    vt_qcow2 *q = (vt_qcow2 *)overlay;
    vt_block *bk = overlay->backing;
    uint8_t *buf = malloc(COMMIT_CHUNK);
    if (!buf) return vt_fail(err, "%s: out of memory", overlay->path);
    /* the marker reaches the disk before the first byte of the base changes */
    int rc = qcow2_flush_meta(q, err);
    if (rc == 0) rc = set_marker(q, true, err);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    rc = copy_into_base(q, buf, err);
    free(buf);
    if (rc == 0) rc = vt_block_flush(bk, err);
    if (rc == 0) rc = vt_fingerprint_file(bk->path, &q->fp, err);
    if (rc != 0 && err) {
        char inner[sizeof err->msg];
        memcpy(inner, err->msg, sizeof inner);
        return vt_fail(err,
                       "%s: commit into %s interrupted: %s. The base holds part of the "
                       "overlay's data and the overlay still holds all of it; fix the cause and "
                       "run 'vitrine img commit %s' again to finish",
                       overlay->path, bk->path, inner, overlay->path);
    }
    if (rc != 0) return -1;
    /* new fingerprint and no marker in one header write: from here on the base is complete */
    q->has_fp = true;
    q->fp_status = VT_FP_MATCH;
    if (set_marker(q, false, err) != 0) return -1;
    return qcow2_make_empty(q, err);
}
