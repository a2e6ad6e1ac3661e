/* qcow2 consistency check and repair, in qemu-img check's terms: every reference (header,
 * L1, L2 tables, data and compressed clusters, refcount table and blocks) is counted and
 * compared with the stored refcount. Stored > counted is a leak (harmless), stored < counted
 * or a misaligned / out-of-file reference is a corruption. Repair rewrites refcounts. */
#include "core/block/qcow2_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct check_ctx {
    vt_qcow2 *q;
    uint32_t *refs;
    uint64_t nclusters;
    uint64_t max_ref; /* highest referenced cluster + 1 */
    vt_qcow2_check_result *res;
    FILE *log;
} check_ctx;

static void note(check_ctx *c, const char *fmt, ...) VT_PRINTF(2, 3);
static void note(check_ctx *c, const char *fmt, ...) {
    if (!c->log) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->log, fmt, ap);
    va_end(ap);
    fputc('\n', c->log);
}

static void reference(check_ctx *c, uint64_t off, uint64_t len, const char *what) {
    if (len == 0) return;
    uint64_t first = off >> c->q->cluster_bits, last = (off + len - 1) >> c->q->cluster_bits;
    for (uint64_t i = first; i <= last; i++) {
        if (i >= c->nclusters) {
            note(c, "ERROR %s at offset 0x%" PRIx64 " is beyond the end of the image file", what,
                 off);
            c->res->corruptions++;
            return;
        }
        if (c->refs[i] != UINT32_MAX) c->refs[i]++;
        if (i + 1 > c->max_ref) c->max_ref = i + 1;
    }
}

static int check_l2(check_ctx *c, uint64_t l2off, uint8_t *tab, vt_error *err) {
    vt_qcow2 *q = c->q;
    if (vt_pread_full(q->fd, q->b.path, tab, q->cs, l2off, err) != 0) return -1;
    for (uint64_t i = 0; i < qcow2_l2_entries(q); i++) {
        uint64_t e = qcow2_get_l2e(tab, i);
        if (e & QCOW2_OFLAG_COMPRESSED) {
            uint64_t first, count;
            qcow2_compressed_span(q, e, &first, &count);
            reference(c, first << q->cluster_bits, count << q->cluster_bits, "compressed cluster");
            c->res->allocated_clusters++;
            continue;
        }
        uint64_t host = e & QCOW2_L2E_OFFSET;
        if (!host) continue;
        if (host & (q->cs - 1)) {
            note(c, "ERROR offset=%" PRIx64 ": Cluster is not properly aligned; L2 entry corrupted",
                 host);
            c->res->corruptions++;
            continue;
        }
        reference(c, host, q->cs, "data cluster");
        if (!(e & QCOW2_OFLAG_ZERO)) c->res->allocated_clusters++;
    }
    return 0;
}

static int count_references(check_ctx *c, vt_error *err) {
    vt_qcow2 *q = c->q;
    reference(c, 0, q->cs, "header");
    reference(c, q->l1_offset, (uint64_t)q->l1_size * 8, "L1 table");
    reference(c, q->reft_offset, (uint64_t)q->reft_clusters * q->cs, "refcount table");
    uint8_t *tab = malloc(q->cs);
    if (!tab) return vt_fail(err, "%s: out of memory", q->b.path);
    for (uint32_t i = 0; i < q->l1_size; i++) {
        uint64_t off = q->l1[i] & QCOW2_L1E_OFFSET;
        if (!off) continue;
        if (off & (q->cs - 1)) {
            note(c, "ERROR L2 table %" PRIu32 " at offset 0x%" PRIx64 " is not cluster aligned", i,
                 off);
            c->res->corruptions++;
            continue;
        }
        uint64_t before = c->res->corruptions;
        reference(c, off, q->cs, "L2 table");
        if (c->res->corruptions == before && check_l2(c, off, tab, err) != 0) {
            free(tab);
            return -1;
        }
    }
    free(tab);
    for (uint64_t i = 0; i < q->reft_entries; i++) {
        uint64_t off = q->reft[i] & QCOW2_REFT_OFFSET;
        if (!off) continue;
        if (off & (q->cs - 1)) {
            note(c,
                 "ERROR refcount block %" PRIu64 " is not cluster aligned; refcount table entry "
                 "corrupted",
                 i);
            c->res->corruptions++;
            q->reft[i] = 0; /* never use it */
            continue;
        }
        uint64_t before = c->res->corruptions;
        reference(c, off, q->cs, "refcount block");
        if (c->res->corruptions != before) { /* past the end: forget it, repair rebuilds it */
            q->reft[i] = 0;
            q->reft_dirty[i] = 1;
        }
    }
    return 0;
}

/* Refcount blocks and the refcount table must be referenced exactly once: anything else
 * pointing into them (an L2 table over the refcount table, two table entries sharing a block)
 * means a write through one of them corrupts the other. Repair rebuilds the whole refcount
 * structure elsewhere, as qemu-img does. Returns whether a rebuild is due. */
static bool structure_overlaps(check_ctx *c, unsigned fix) {
    vt_qcow2 *q = c->q;
    bool repair = fix & VT_QCOW2_FIX_ERRORS, bad = false;
    for (uint64_t i = 0; i < q->reft_entries; i++) {
        uint64_t k = (q->reft[i] & QCOW2_REFT_OFFSET) >> q->cluster_bits;
        if (!k || k >= c->nclusters || c->refs[k] == 1) continue;
        note(c, "%s refcount block %" PRIu64 " refcount=%" PRIu32, repair ? "Repairing" : "ERROR",
             i, c->refs[k]);
        bad = true;
        if (repair)
            c->res->corruptions_fixed++;
        else
            c->res->corruptions++;
    }
    for (uint64_t i = 0; i < q->reft_clusters; i++) {
        uint64_t k = (q->reft_offset >> q->cluster_bits) + i;
        if (k >= c->nclusters || c->refs[k] == 1) continue;
        note(c,
             "%s refcount table cluster %" PRIu64 ": also used by other metadata (%" PRIu32
             " references)",
             repair ? "Repairing" : "ERROR", i, c->refs[k]);
        bad = true;
        if (repair)
            c->res->corruptions_fixed++;
        else
            c->res->corruptions++;
    }
    return bad && repair;
}

/* Counts what remains once the old refcount structure stops being one, and writes the new. */
static int rebuild(check_ctx *c, vt_error *err) {
    vt_qcow2 *q = c->q;
    note(c, "Rebuilding refcount structure");
    for (uint64_t i = 0; i < q->reft_clusters; i++) {
        uint64_t k = (q->reft_offset >> q->cluster_bits) + i;
        if (k < c->nclusters && c->refs[k] && c->refs[k] != UINT32_MAX) c->refs[k]--;
    }
    for (uint64_t i = 0; i < q->reft_entries; i++) {
        uint64_t k = (q->reft[i] & QCOW2_REFT_OFFSET) >> q->cluster_bits;
        if (k && k < c->nclusters && c->refs[k] && c->refs[k] != UINT32_MAX) c->refs[k]--;
    }
    uint64_t start = c->nclusters > c->max_ref ? c->nclusters : c->max_ref;
    return qcow2_rebuild_refcounts(q, c->refs, c->nclusters, start, err);
}

static int compare(check_ctx *c, unsigned fix, vt_error *err) {
    vt_qcow2 *q = c->q;
    for (uint64_t i = 0; i < c->nclusters; i++) {
        uint64_t stored;
        uint64_t blk = i >> q->rb_bits;
        bool in_file = blk < q->reft_entries && (q->reft[blk] & QCOW2_REFT_OFFSET) + q->cs <=
                                                    q->alloc_end << q->cluster_bits;
        if (blk < q->reft_entries && (q->reft[blk] & QCOW2_REFT_OFFSET) && !in_file) {
            stored = 0; /* block outside the file, reported as a reference error */
        } else if (qcow2_get_refcount(q, i, &stored, err) != 0) {
            return -1;
        }
        uint64_t want = c->refs[i];
        if (stored == want) continue;
        bool leak = stored > want;
        bool repair = fix & (leak ? VT_QCOW2_FIX_LEAKS : VT_QCOW2_FIX_ERRORS);
        note(c, "%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64,
             repair ? "Repairing"
             : leak ? "Leaked"
                    : "ERROR",
             i, stored, want);
        if (repair) {
            if (qcow2_repair_refcount(q, i, want, err) != 0) return -1;
            if (leak)
                c->res->leaks_fixed++;
            else
                c->res->corruptions_fixed++;
        } else if (leak) {
            c->res->leaks++;
        } else {
            c->res->corruptions++;
        }
    }
    return 0;
}

/* The COPIED flag of an L1/L2 entry must be set exactly when the cluster's refcount is 1. */
static int copied_ok(check_ctx *c, uint64_t *e, uint64_t host, unsigned fix, const char *what,
                     bool *changed, vt_error *err) {
    uint64_t rc;
    if (qcow2_get_refcount(c->q, host >> c->q->cluster_bits, &rc, err) != 0) return -1;
    bool want = rc == 1, has = (*e & QCOW2_OFLAG_COPIED) != 0;
    if (want == has) return 0;
    bool repair = fix & VT_QCOW2_FIX_ERRORS;
    note(c, "%s OFLAG_COPIED %s: entry=%" PRIx64 " refcount=%" PRIu64,
         repair ? "Repairing" : "ERROR", what, *e, rc);
    if (repair) {
        *e ^= QCOW2_OFLAG_COPIED;
        *changed = true;
        c->res->corruptions_fixed++;
    } else {
        c->res->corruptions++;
    }
    return 0;
}

static int check_copied(check_ctx *c, unsigned fix, vt_error *err) {
    vt_qcow2 *q = c->q;
    for (uint32_t i = 0; i < q->l1_size; i++) {
        uint64_t off = q->l1[i] & QCOW2_L1E_OFFSET;
        if (!off || (off & (q->cs - 1)) || (off >> q->cluster_bits) >= c->nclusters) continue;
        bool changed = false;
        if (copied_ok(c, &q->l1[i], off, fix, "L2 table", &changed, err) != 0) return -1;
        if (changed) q->l1_dirty[i] = 1;
        uint8_t *tab;
        if (qcow2_get_l2(q, i, false, &tab, err) != 0) return -1;
        for (uint64_t j = 0; tab && j < qcow2_l2_entries(q); j++) {
            uint64_t e = qcow2_get_l2e(tab, j), host = e & QCOW2_L2E_OFFSET;
            if ((e & QCOW2_OFLAG_COMPRESSED) || !host || (host & (q->cs - 1)) ||
                (host >> q->cluster_bits) >= c->nclusters) {
                continue;
            }
            changed = false;
            if (copied_ok(c, &e, host, fix, "data cluster", &changed, err) != 0) return -1;
            if (changed) {
                qcow2_set_l2e(tab, j, e);
                qcow2_mark_l2_dirty(q, i);
            }
        }
    }
    return 0;
}

static int check_once(vt_qcow2 *q, unsigned fix, vt_qcow2_check_result *res, FILE *log,
                      vt_error *err) {
    off_t fsize = lseek(q->fd, 0, SEEK_END);
    if (fsize < 0) return vt_fail(err, "%s: cannot determine file size", q->b.path);
    check_ctx c = {.q = q, .res = res, .log = log};
    c.nclusters = ((uint64_t)fsize + q->cs - 1) >> q->cluster_bits;
    c.refs = calloc(c.nclusters ? c.nclusters : 1, sizeof *c.refs);
    if (!c.refs) return vt_fail(err, "%s: out of memory", q->b.path);
    int rc = count_references(&c, err);
    if (rc == 0 && fix) {
        /* new refcount blocks must go past everything referenced */
        q->free_hint = c.nclusters > c.max_ref ? c.nclusters : c.max_ref;
    }
    if (rc == 0 && structure_overlaps(&c, fix)) rc = rebuild(&c, err);
    if (rc == 0) rc = compare(&c, fix, err);
    if (rc == 0) rc = check_copied(&c, fix, err);
    res->total_clusters = (q->b.size + q->cs - 1) >> q->cluster_bits;
    res->image_end = (uint64_t)fsize;
    free(c.refs);
    if (rc == 0 && fix) {
        q->free_hint = 0;
        rc = qcow2_flush_meta(q, err);
    }
    return rc;
}

int vt_qcow2_check(vt_block *b, unsigned fix, vt_qcow2_check_result *res, FILE *log,
                   vt_error *err) {
    *res = (vt_qcow2_check_result){0};
    if (!vt_block_is_qcow2(b)) return vt_fail(err, "%s: not a qcow2 image", b->path);
    vt_qcow2 *q = (vt_qcow2 *)b;
    if (q->nb_snapshots) {
        return vt_fail(err, "%s: checking images with internal snapshots is not supported",
                       b->path);
    }
    if (fix && !q->writable) return vt_fail(err, "%s: repair needs write access", b->path);
    if (q->writable && qcow2_flush_meta(q, err) != 0) return -1;
    if (check_once(q, fix, res, log, err) != 0) return -1;
    if (!fix) return 0;
    /* report what is left after the repair */
    vt_qcow2_check_result after = {0};
    if (check_once(q, 0, &after, NULL, err) != 0) return -1;
    res->corruptions = after.corruptions;
    res->leaks = after.leaks;
    res->allocated_clusters = after.allocated_clusters;
    res->image_end = after.image_end;
    if (after.corruptions == 0 && (q->incompat & QCOW2_INCOMPAT_CORRUPT)) {
        q->broken = false;
        if (qcow2_set_incompat(q, QCOW2_INCOMPAT_CORRUPT, false, err) != 0) return -1;
    }
    return 0;
}

int qcow2_repair_on_open(vt_qcow2 *q, vt_error *err) {
    vt_qcow2_check_result res;
    if (vt_qcow2_check(&q->b, VT_QCOW2_FIX_LEAKS | VT_QCOW2_FIX_ERRORS, &res, NULL, err) != 0) {
        return -1;
    }
    if (res.corruptions) {
        return vt_fail(
            err, "%s: image was not closed cleanly and cannot be repaired (%" PRIu64 " errors)",
            q->b.path, res.corruptions);
    }
    return qcow2_set_incompat(q, QCOW2_INCOMPAT_DIRTY, false, err);
}
