/* Base-image fingerprints for overlays: SHA-256 (Nettle) of the base file's bytes. Files up to
 * 1 GiB are hashed whole; larger ones by a fixed sample (README.md "Base fingerprint"): the
 * size as 8 big-endian bytes, then 256 blocks of 64 KiB at offsets
 * i * floor((size - 64 KiB) / 255) rounded down to 512 bytes, i = 0..255. */
#include "core/block/block_int.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int hash_range(int fd, const char *path, struct sha256_ctx *ctx, uint8_t *buf,
                      size_t bufsize, uint64_t off, uint64_t len, vt_error *err) {
    while (len > 0) {
        size_t n = len < bufsize ? (size_t)len : bufsize;
        if (vt_pread_full(fd, path, buf, n, off, err) != 0) return -1;
        sha256_update(ctx, n, buf);
        off += n;
        len -= n;
    }
    return 0;
}

int vt_fingerprint_file(const char *path, vt_fingerprint *fp, vt_error *err) {
    int fd;
    if (vt_block_open_path(path, O_RDONLY, &fd, err) != 0) return -1;
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
        close(fd);
        return vt_fail(err, "%s: cannot determine size: %s", path, strerror(errno));
    }
    enum { BUF = 1 << 20 };
    uint8_t *buf = malloc(BUF);
    if (!buf) {
        close(fd);
        return vt_fail(err, "%s: out of memory", path);
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint64_t size = (uint64_t)end;
    uint8_t be[8];
    store_be64(be, size);
    sha256_update(&ctx, sizeof be, be);
    int rc;
    fp->size = size;
    if (size <= VT_FP_WHOLE_LIMIT) {
        fp->method = 0;
        rc = hash_range(fd, path, &ctx, buf, BUF, 0, size, err);
    } else {
        fp->method = 1;
        rc = 0;
        for (unsigned i = 0; i < VT_FP_SAMPLES && rc == 0; i++) {
            uint64_t off = (size - VT_FP_SAMPLE_SIZE) / (VT_FP_SAMPLES - 1) * i;
            off &= ~(uint64_t)511;
            rc = hash_range(fd, path, &ctx, buf, BUF, off, VT_FP_SAMPLE_SIZE, err);
        }
    }
    sha256_digest(&ctx, sizeof fp->sha256, fp->sha256);
    free(buf);
    close(fd);
    return rc;
}

void vt_fingerprint_hex(const vt_fingerprint *fp, char out[65]) {
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", fp->sha256[i]);
}
