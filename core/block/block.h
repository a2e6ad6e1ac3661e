/* Block devices: the byte- and sector-addressed disk interface every disk controller uses.
 * A vt_block is an opened image (raw file or qcow2 overlay with its backing chain); reads,
 * writes, flushes and discards go through a small vtable. Formats: see core/block/README.md.
 * Errors come back as -1 plus a message naming the file. */
#ifndef VT_BLOCK_H
#define VT_BLOCK_H

#include "core/common.h"

#define VT_SECTOR_SIZE 512u

typedef struct vt_block vt_block;

/* What backs a range of the virtual disk (for `img map` and `img commit`). */
typedef enum vt_block_kind {
    VT_BLOCK_DATA,      /* data stored in this image at host_off */
    VT_BLOCK_ZERO,      /* reads as zeros, decided by this image */
    VT_BLOCK_BACKING,   /* not allocated here: read from the backing file (or zeros) */
    VT_BLOCK_COMPRESSED /* compressed cluster in this image (host_off = its start) */
} vt_block_kind;

typedef struct vt_block_status {
    vt_block_kind kind;
    uint64_t len;      /* length of the run with this status starting at the queried offset */
    uint64_t host_off; /* for DATA/COMPRESSED: file offset */
} vt_block_status;

typedef struct vt_block_ops {
    const char *format; /* "raw", "qcow2" */
    int (*read)(vt_block *b, uint64_t off, void *buf, size_t len, vt_error *err);
    int (*write)(vt_block *b, uint64_t off, const void *buf, size_t len, vt_error *err);
    int (*flush)(vt_block *b, vt_error *err);
    int (*discard)(vt_block *b, uint64_t off, uint64_t len, vt_error *err);
    int (*status)(vt_block *b, uint64_t off, uint64_t len, vt_block_status *st, vt_error *err);
    int (*close)(vt_block *b, vt_error *err); /* flushes, unlocks, frees */
} vt_block_ops;

struct vt_block {
    const vt_block_ops *ops;
    char *path;
    uint64_t size; /* virtual disk size in bytes */
    bool read_only;
    vt_block *backing; /* next image of the chain, or NULL */
};

typedef struct vt_block_opts {
    const char *format; /* "raw", "qcow2" or NULL to probe */
    bool read_only;
    bool force_base;       /* open even when a backing file's fingerprint does not match */
    bool no_backing;       /* do not open backing files (unallocated clusters read as zeros) */
    bool backing_writable; /* open the direct backing file read-write (img commit) */
    bool repair;           /* allow a writable open of an image marked corrupt (img check -r) */
    unsigned depth;        /* internal: backing-chain depth, leave 0 */
} vt_block_opts;

/* Opens an image. The qcow2 backing chain is opened read-only (a base is never written except
 * by `commit`). Fails on unknown formats, bad metadata, lock conflicts, base mismatch. */
int vt_block_open(vt_block **out, const char *path, const vt_block_opts *opts,
                  vt_error *err) VT_MUST_CHECK;

/* `--snapshot`: opens `path` read-only as the base of a temporary qcow2 overlay created in
 * $TMPDIR (or /tmp); writes go to the overlay. The overlay's name is unlinked as soon as it is
 * open, so it disappears when the device is closed or the process exits, even on a crash.
 * `base` may be NULL; its `format` (NULL = probe) and `force_base` (for a qcow2 base whose own
 * base changed) apply to the base; its other fields are ignored. */
int vt_block_open_snapshot(vt_block **out, const char *path, const vt_block_opts *base,
                           vt_error *err) VT_MUST_CHECK;

/* Byte-addressed I/O; off+len must lie within the virtual size. */
int vt_block_read(vt_block *b, uint64_t off, void *buf, size_t len, vt_error *err) VT_MUST_CHECK;
int vt_block_write(vt_block *b, uint64_t off, const void *buf, size_t len,
                   vt_error *err) VT_MUST_CHECK;
int vt_block_flush(vt_block *b, vt_error *err) VT_MUST_CHECK;
/* Discarded ranges read back as zeros afterwards (qcow2 v3: zero clusters). */
int vt_block_discard(vt_block *b, uint64_t off, uint64_t len, vt_error *err) VT_MUST_CHECK;

/* Sector-addressed helpers (512-byte sectors) for disk controllers. */
int vt_block_read_sectors(vt_block *b, uint64_t lba, uint32_t count, void *buf,
                          vt_error *err) VT_MUST_CHECK;
int vt_block_write_sectors(vt_block *b, uint64_t lba, uint32_t count, const void *buf,
                           vt_error *err) VT_MUST_CHECK;

static inline uint64_t vt_block_size(const vt_block *b) {
    return b->size;
}
static inline uint64_t vt_block_sectors(const vt_block *b) {
    return b->size / VT_SECTOR_SIZE;
}
static inline bool vt_block_read_only(const vt_block *b) {
    return b->read_only;
}

/* Flushes and closes; NULL is allowed. Returns -1 when the final flush failed. */
int vt_block_close(vt_block *b, vt_error *err);

/* Describes the run of the virtual disk starting at off (at most len bytes long). */
int vt_block_get_status(vt_block *b, uint64_t off, uint64_t len, vt_block_status *st,
                        vt_error *err) VT_MUST_CHECK;

/* Detects the format of a file from its first bytes: "qcow2" or "raw". */
int vt_block_probe(const char *path, const char **format, vt_error *err) VT_MUST_CHECK;

#endif
