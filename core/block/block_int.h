/* Internal helpers shared by the block backends: whole-buffer pread/pwrite, image file locking
 * compatible with QEMU's OFD byte-range scheme, base fingerprints, and the backend openers.
 * Not for use outside core/block and its tests. */
#ifndef VT_BLOCK_INT_H
#define VT_BLOCK_INT_H

#include "core/block/block.h"

#include <sys/types.h>

#define VT_BLOCK_MAX_CHAIN 16 /* deepest backing chain accepted (also stops loops) */

/* Reads exactly len bytes at off; bytes past end of file read as zeros. */
int vt_pread_full(int fd, const char *path, void *buf, size_t len, uint64_t off,
                  vt_error *err) VT_MUST_CHECK;
int vt_pwrite_full(int fd, const char *path, const void *buf, size_t len, uint64_t off,
                   vt_error *err) VT_MUST_CHECK;
int vt_fsync(int fd, const char *path, vt_error *err) VT_MUST_CHECK;

/* Takes the image lock on an open fd: a writer excludes every other writer and every reader
 * that needs a stable image; readers share. Uses the byte offsets QEMU uses (100 + permission,
 * 200 + unshared permission) so qemu-img/qemu-io and Vitrine see each other. */
int vt_block_lock(int fd, const char *path, bool writable, vt_error *err) VT_MUST_CHECK;

/* Opens an image file (flags: O_RDONLY, O_RDWR, optionally O_CREAT; close-on-exec added)
 * without blocking: a FIFO, socket, terminal or directory is refused with a message. */
int vt_block_open_path(const char *path, int flags, int *fd, vt_error *err) VT_MUST_CHECK;

/* Opens the file for an image with the given access mode and takes its lock. */
int vt_block_open_file(const char *path, bool writable, int *fd, vt_error *err) VT_MUST_CHECK;

/* Base fingerprint: SHA-256 of the whole file up to 1 GiB, else of the documented sample
 * (README.md). method: 0 = whole file, 1 = sampled. */
#define VT_FP_WHOLE_LIMIT (1ull << 30)
#define VT_FP_SAMPLES 256u
#define VT_FP_SAMPLE_SIZE (64u * 1024u)
typedef struct vt_fingerprint {
    uint8_t method;
    uint64_t size;
    uint8_t sha256[32];
} vt_fingerprint;
int vt_fingerprint_file(const char *path, vt_fingerprint *fp, vt_error *err) VT_MUST_CHECK;
void vt_fingerprint_hex(const vt_fingerprint *fp, char out[65]);

int vt_raw_open(vt_block **out, const char *path, const vt_block_opts *opts,
                vt_error *err) VT_MUST_CHECK;
int vt_qcow2_open(vt_block **out, const char *path, const vt_block_opts *opts,
                  vt_error *err) VT_MUST_CHECK;

/* Fills the vt_block fields common to all backends. */
int vt_block_init_common(vt_block *b, const vt_block_ops *ops, const char *path, uint64_t size,
                         bool read_only, vt_error *err) VT_MUST_CHECK;
void vt_block_free_common(vt_block *b);

#endif
