/* qcow2 internals shared by the backend's files: the open-image state, metadata caches,
 * refcount allocation, L2 access and the ordered metadata flush. Layout facts from QEMU's
 * docs/interop/qcow2.txt (header fields, L1/L2/refcount entry bits, extension magics). */
#ifndef VT_QCOW2_INT_H
#define VT_QCOW2_INT_H

#include "core/block/block_int.h"
#include "core/block/qcow2.h"

#define QCOW2_MAGIC 0x514649fbu
#define QCOW2_INCOMPAT_DIRTY (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2 (1ull << 4)
#define QCOW2_INCOMPAT_KNOWN                                                                       \
    (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_COMPRESSION)

#define QCOW2_EXT_BACKING_FMT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u

#define QCOW2_OFLAG_COPIED (1ull << 63)
#define QCOW2_OFLAG_COMPRESSED (1ull << 62)
#define QCOW2_OFLAG_ZERO 1ull
#define QCOW2_L1E_OFFSET 0x00fffffffffffe00ull
#define QCOW2_L2E_OFFSET 0x00fffffffffffe00ull
#define QCOW2_REFT_OFFSET 0xfffffffffffffe00ull

#define QCOW2_MAX_L1_BYTES (32u << 20)
#define QCOW2_MAX_REFTABLE_BYTES (8u << 20)
#define QCOW2_CACHE_BYTES (16u << 20)

typedef struct qcow2_ext {
    uint32_t type;
    uint32_t len;
    uint8_t *data;
} qcow2_ext;

/* A direct-mapped cache of cluster-sized tables (L2 tables or refcount blocks). */
typedef struct qcow2_cache {
    unsigned nslots;
    uint64_t *key; /* host offset of the table in the slot, 0 = empty */
    bool *dirty;
    uint8_t *data; /* nslots * cluster_size */
} qcow2_cache;

typedef struct vt_qcow2 {
    vt_block b;
    int fd;
    bool writable;
    bool repair; /* opened for img check -r: the corrupt bit does not block writing */

    uint32_t version, header_length;
    uint8_t header_tail[256]; /* fixed-header bytes 104..header_length, kept as read */
    uint64_t incompat, compat, autoclear;
    unsigned cluster_bits;
    uint64_t cs;                      /* cluster size */
    unsigned l2_bits;                 /* log2 of entries per L2 table */
    unsigned refcount_order, rb_bits; /* rb_bits: log2 of refcounts per refcount block */
    uint8_t compression_type;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;

    uint32_t l1_size;
    uint64_t l1_offset;
    uint64_t *l1;
    uint8_t *l1_dirty; /* per entry */

    uint64_t reft_offset;
    uint32_t reft_clusters;
    uint64_t reft_entries;
    uint64_t *reft;
    uint8_t *reft_dirty;

    char *backing_name; /* as recorded */
    char *backing_fmt;  /* NULL if not recorded */
    char *backing_path; /* resolved */
    qcow2_ext *exts;    /* unknown extensions, preserved in order */
    unsigned nexts;
    bool has_fp;
    bool commit_pending; /* "VtCM" extension present: an interrupted commit into the base */
    vt_fingerprint fp;
    vt_fp_status fp_status;

    qcow2_cache l2c, rbc;
    uint64_t free_hint; /* lowest cluster index that may be free */
    uint64_t alloc_end; /* clusters from here on are free: past the end of the file and of
                         * every allocation made since opening (refcounts there can only be
                         * leaks, since nothing durable points past the end of the file) */
    uint64_t *pending;  /* host cluster offsets to release after the next L2 flush */
    size_t npending, pending_cap;
    uint64_t *meta; /* sorted offsets of L2 tables and refcount blocks */
    size_t nmeta, meta_cap;
    bool data_dirty; /* data written since the last fsync */
    bool broken;     /* metadata corruption detected: no more writes */

    uint8_t *bounce;     /* one cluster, for copy-on-write */
    uint8_t *zbuf;       /* compressed input */
    uint8_t *cbuf;       /* last decompressed cluster */
    uint64_t cbuf_entry; /* its L2 entry, 0 = none */
} vt_qcow2;

static inline uint64_t qcow2_l2_entries(const vt_qcow2 *q) {
    return 1ull << q->l2_bits;
}
static inline uint64_t qcow2_get_l2e(const uint8_t *tab, uint64_t i) {
    return load_be64(tab + 8 * i);
}
static inline void qcow2_set_l2e(uint8_t *tab, uint64_t i, uint64_t v) {
    store_be64(tab + 8 * i, v);
}

/* qcow2_header.c */
int qcow2_parse_header(vt_qcow2 *q, vt_error *err) VT_MUST_CHECK;
int qcow2_write_header(vt_qcow2 *q, vt_error *err) VT_MUST_CHECK;
void qcow2_free_header(vt_qcow2 *q);
/* Builds header + extensions + backing name for cluster 0 into buf (cs bytes). */
int qcow2_build_header(const vt_qcow2 *q, uint8_t *buf, vt_error *err) VT_MUST_CHECK;
int qcow2_set_incompat(vt_qcow2 *q, uint64_t bits, bool on, vt_error *err) VT_MUST_CHECK;

/* qcow2_cache.c */
int qcow2_cache_init(qcow2_cache *c, uint64_t cs, unsigned nslots);
void qcow2_cache_free(qcow2_cache *c);

/* qcow2_refcount.c */
int qcow2_get_refcount(vt_qcow2 *q, uint64_t cluster, uint64_t *rc, vt_error *err) VT_MUST_CHECK;
int qcow2_set_refcount(vt_qcow2 *q, uint64_t cluster, uint64_t rc, vt_error *err) VT_MUST_CHECK;
int qcow2_alloc_clusters(vt_qcow2 *q, uint64_t n, uint64_t *off, vt_error *err) VT_MUST_CHECK;
/* Releases the host clusters an L2 entry points at, once the entry's change is on disk. */
int qcow2_release_later(vt_qcow2 *q, uint64_t l2_entry, vt_error *err) VT_MUST_CHECK;
uint64_t qcow2_refcount_max(const vt_qcow2 *q);
/* Stores refcount v of entry i in a refcount block buffer (refcount_order bits wide). */
void qcow2_rc_encode(const vt_qcow2 *q, uint8_t *rb, uint64_t i, uint64_t v);
/* Sets a refcount, creating its refcount block if needed (repair). */
int qcow2_repair_refcount(vt_qcow2 *q, uint64_t cluster, uint64_t rc, vt_error *err) VT_MUST_CHECK;
int qcow2_meta_add(vt_qcow2 *q, uint64_t off, vt_error *err) VT_MUST_CHECK;
/* Fails, and signals corruption, when a write at off+len would hit the header, the L1 table,
 * the refcount table or an L2 table / refcount block. */
int qcow2_check_overlap(vt_qcow2 *q, uint64_t off, uint64_t len, vt_error *err) VT_MUST_CHECK;
/* Same, optionally without the L2-table/refcount-block index (for writing those tables). */
int qcow2_check_overlap_meta(vt_qcow2 *q, uint64_t off, uint64_t len, bool tables,
                             vt_error *err) VT_MUST_CHECK;
/* Marks the image corrupt on disk (when writable) and refuses further writes. */
int qcow2_signal_corruption(vt_qcow2 *q, vt_error *err, const char *fmt, ...) VT_PRINTF(3, 4);

/* qcow2_flush.c: writes dirty metadata in crash-safe order, fsync between stages. */
int qcow2_flush_meta(vt_qcow2 *q, vt_error *err) VT_MUST_CHECK;
int qcow2_write_refblocks(vt_qcow2 *q, bool *wrote, vt_error *err) VT_MUST_CHECK;

/* qcow2_cluster.c */
/* Gets the L2 table for l1 index; *tab = NULL when absent and !alloc. */
int qcow2_get_l2(vt_qcow2 *q, uint64_t l1i, bool alloc, uint8_t **tab, vt_error *err) VT_MUST_CHECK;
void qcow2_mark_l2_dirty(vt_qcow2 *q, uint64_t l1i);
/* Reads the L2 entry mapping a virtual cluster (0 when unallocated). */
int qcow2_lookup(vt_qcow2 *q, uint64_t vcluster, uint64_t *entry, vt_error *err) VT_MUST_CHECK;
/* Inflates a compressed cluster into q->cbuf. */
int qcow2_read_compressed(vt_qcow2 *q, uint64_t entry, vt_error *err) VT_MUST_CHECK;
/* Host clusters [first, first+count) spanned by a compressed entry. */
void qcow2_compressed_span(const vt_qcow2 *q, uint64_t entry, uint64_t *first, uint64_t *count);

/* qcow2_io.c: unmaps every cluster (after a commit) and flushes. */
int qcow2_make_empty(vt_qcow2 *q, vt_error *err) VT_MUST_CHECK;

/* qcow2_rebuild.c: writes a new refcount table and blocks from start (a cluster index past
 * everything referenced) holding refs[0..n) plus themselves, then switches the header to
 * them. The old table and blocks are simply no longer refcount structures. */
int qcow2_rebuild_refcounts(vt_qcow2 *q, const uint32_t *refs, uint64_t n, uint64_t start,
                            vt_error *err) VT_MUST_CHECK;

/* qcow2_check.c */
int qcow2_repair_on_open(vt_qcow2 *q, vt_error *err) VT_MUST_CHECK;

#endif
