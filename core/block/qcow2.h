/* qcow2 image operations beyond the block interface: creating images and overlays, reading
 * header information (backing file, features, base fingerprint), consistency check and repair
 * with qemu-img's result categories, and committing an overlay into its base.
 * Format facts: QEMU's docs/interop/qcow2.txt; our own extension: core/block/README.md. */
#ifndef VT_QCOW2_H
#define VT_QCOW2_H

#include "core/block/block.h"

#include <stdio.h>

#define VT_QCOW2_EXT_FINGERPRINT 0x56744650u /* "VtFP": base size + SHA-256 */
#define VT_QCOW2_EXT_COMMIT 0x5674434du      /* "VtCM": a commit into the base is under way */

typedef struct vt_qcow2_create_opts {
    uint64_t size;           /* 0 with a backing file: take the backing file's size */
    unsigned cluster_bits;   /* 9..21; 0 = 16 (64 KiB) */
    const char *backing;     /* path as recorded in the header, or NULL */
    const char *backing_fmt; /* "raw"/"qcow2"; NULL = probe */
    bool no_fingerprint;     /* throw-away overlays (--snapshot): skip hashing the base */
} vt_qcow2_create_opts;

/* Creates a qcow2 v3 image (refuses to overwrite nothing: an existing file is truncated).
 * With a backing file, records its format and its fingerprint extension. */
int vt_qcow2_create(const char *path, const vt_qcow2_create_opts *o, vt_error *err) VT_MUST_CHECK;
int vt_raw_create(const char *path, uint64_t size, vt_error *err) VT_MUST_CHECK;

typedef enum vt_fp_status {
    VT_FP_NONE,     /* no fingerprint recorded (e.g. created by qemu-img) */
    VT_FP_MATCH,    /* base matches */
    VT_FP_MISMATCH, /* base changed (only seen with --force-base) */
    VT_FP_NO_BASE   /* image has no backing file */
} vt_fp_status;

typedef struct vt_qcow2_info {
    uint32_t version;
    uint32_t cluster_size;
    uint32_t refcount_bits;
    uint32_t nb_snapshots;
    uint64_t incompatible, compatible, autoclear;
    const char *backing;      /* NULL if none */
    const char *backing_fmt;  /* NULL if not recorded */
    const char *backing_path; /* backing resolved relative to the image */
    vt_fp_status fp_status;
    char fp_hex[65];
    uint64_t fp_size;
    bool fp_sampled;
    bool dirty, corrupt;
    bool commit_pending; /* an `img commit` was interrupted: rerun it to finish */
} vt_qcow2_info;

bool vt_block_is_qcow2(const vt_block *b);
/* Valid while b is open. */
void vt_qcow2_get_info(vt_block *b, vt_qcow2_info *info);

typedef struct vt_qcow2_check_result {
    uint64_t corruptions, leaks, corruptions_fixed, leaks_fixed;
    uint64_t allocated_clusters, total_clusters, image_end;
} vt_qcow2_check_result;

enum { VT_QCOW2_FIX_LEAKS = 1, VT_QCOW2_FIX_ERRORS = 2 };

/* Recounts every reference and compares with the stored refcounts; prints one line per
 * problem to `log` (may be NULL). fix: 0 or VT_QCOW2_FIX_* bits (needs a writable image). */
int vt_qcow2_check(vt_block *b, unsigned fix, vt_qcow2_check_result *res, FILE *log,
                   vt_error *err) VT_MUST_CHECK;

/* Checks everything a commit needs without writing anything: a qcow2 overlay with a backing
 * image, both writable (opened with backing_writable), all of the overlay's metadata and
 * compressed clusters readable, and no non-zero data beyond the end of the base (the base is
 * never resized). A failure here means the commit was refused and nothing changed. */
int vt_qcow2_commit_prepare(vt_block *overlay, vt_error *err) VT_MUST_CHECK;

/* Runs vt_qcow2_commit_prepare, then records a commit-in-progress marker in the overlay's
 * header, writes every cluster allocated in the overlay into its base, flushes the base,
 * records the base's new fingerprint and drops the marker in one header write, and empties the
 * overlay. If it stops between marker and header write (error or crash), the overlay still
 * holds all its data and the marker makes the next open say how to finish: rerun the commit
 * (see core/block/README.md "Commit"). */
int vt_qcow2_commit(vt_block *overlay, vt_error *err) VT_MUST_CHECK;

#endif
