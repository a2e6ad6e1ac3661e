/* The raw backend: the virtual disk is the file's bytes, one to one. Discard punches a hole
 * (reads back as zeros) or writes zeros where the filesystem cannot. */
#include "core/block/block_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct vt_raw {
    vt_block b;
    int fd;
} vt_raw;

static int raw_read(vt_block *b, uint64_t off, void *buf, size_t len, vt_error *err) {
    return vt_pread_full(((vt_raw *)b)->fd, b->path, buf, len, off, err);
}

static int raw_write(vt_block *b, uint64_t off, const void *buf, size_t len, vt_error *err) {
    return vt_pwrite_full(((vt_raw *)b)->fd, b->path, buf, len, off, err);
}

static int raw_flush(vt_block *b, vt_error *err) {
    return vt_fsync(((vt_raw *)b)->fd, b->path, err);
}

static int raw_discard(vt_block *b, uint64_t off, uint64_t len, vt_error *err) {
    vt_raw *r = (vt_raw *)b;
    if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len) == 0) {
        return 0;
    }
    static const uint8_t zeros[65536];
    while (len > 0) {
        size_t n = len < sizeof zeros ? (size_t)len : sizeof zeros;
        if (vt_pwrite_full(r->fd, b->path, zeros, n, off, err) != 0) return -1;
        off += n;
        len -= n;
    }
    return 0;
}

static int raw_status(vt_block *b, uint64_t off, uint64_t len, vt_block_status *st, vt_error *err) {
    VT_UNUSED(b);
    VT_UNUSED(err);
    *st = (vt_block_status){.kind = VT_BLOCK_DATA, .len = len, .host_off = off};
    return 0;
}

static int raw_close(vt_block *b, vt_error *err) {
    vt_raw *r = (vt_raw *)b;
    int rc = b->read_only ? 0 : raw_flush(b, err);
    close(r->fd);
    vt_block_free_common(b);
    free(r);
    return rc;
}

static const vt_block_ops raw_ops = {
    .format = "raw",
    .read = raw_read,
    .write = raw_write,
    .flush = raw_flush,
    .discard = raw_discard,
    .status = raw_status,
    .close = raw_close,
};

int vt_raw_open(vt_block **out, const char *path, const vt_block_opts *opts, vt_error *err) {
    int fd;
    if (vt_block_open_file(path, !opts->read_only, &fd, err) != 0) return -1;
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
        close(fd);
        return vt_fail(err, "%s: cannot determine size: %s", path, strerror(errno));
    }
    vt_raw *r = calloc(1, sizeof *r);
    if (!r || vt_block_init_common(&r->b, &raw_ops, path, (uint64_t)end, opts->read_only, err)) {
        free(r);
        close(fd);
        return vt_fail(err, "%s: out of memory", path);
    }
    r->fd = fd;
    *out = &r->b;
    return 0;
}

int vt_raw_create(const char *path, uint64_t size, vt_error *err) {
    int fd;
    if (vt_block_open_path(path, O_RDWR | O_CREAT, &fd, err) != 0) return -1;
    int rc = 0;
    if (vt_block_lock(fd, path, true, err) != 0) {
        rc = -1;
    } else if (ftruncate(fd, 0) != 0 || ftruncate(fd, (off_t)size) != 0) {
        rc = vt_fail(err, "%s: cannot set size: %s", path, strerror(errno));
    }
    close(fd);
    return rc;
}
