/* Image files on the host: opening without blocking (regular files and block devices only),
 * whole-buffer positional I/O, fsync, and image locking.
 * Locking follows the byte-range convention QEMU's file driver uses with Linux open-file-
 * description locks: byte 100+p is read-locked while holding permission p, byte 200+p while
 * refusing to share it (p: 0 consistent read, 1 write, 3 resize). A conflicting holder is
 * found with F_OFD_GETLK. Facts from QEMU's block/file-posix.c behaviour (see README.md). */
#include "core/block/block_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vt_pread_full(int fd, const char *path, void *buf, size_t len, uint64_t off, vt_error *err) {
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, (off_t)off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return vt_fail(err, "%s: read at offset %llu failed: %s", path, (unsigned long long)off,
                           strerror(errno));
        }
        if (n == 0) { /* past end of file: zeros, like a sparse file */
            memset(p, 0, len);
            return 0;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

int vt_pwrite_full(int fd, const char *path, const void *buf, size_t len, uint64_t off,
                   vt_error *err) {
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return vt_fail(err, "%s: write at offset %llu failed: %s", path,
                           (unsigned long long)off, strerror(errno));
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

int vt_fsync(int fd, const char *path, vt_error *err) {
    if (fdatasync(fd) != 0) return vt_fail(err, "%s: fsync failed: %s", path, strerror(errno));
    return 0;
}

enum { LOCK_PERM_BASE = 100, LOCK_SHARED_BASE = 200 };
enum { PERM_READ = 0, PERM_WRITE = 1, PERM_RESIZE = 3 };

static const char *perm_name(int p) {
    return p == PERM_READ ? "consistent read" : p == PERM_WRITE ? "write" : "resize";
}

static int lock_byte(int fd, int cmd, short type, off_t byte) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    return fcntl(fd, cmd, &fl) == 0 ? (cmd == F_OFD_GETLK ? fl.l_type : 0) : -1;
}

int vt_block_lock(int fd, const char *path, bool writable, vt_error *err) {
    /* held permissions and the ones we refuse to share */
    static const int w_held[] = {PERM_READ, PERM_WRITE, PERM_RESIZE};
    static const int w_unshared[] = {PERM_WRITE, PERM_RESIZE};
    static const int r_held[] = {PERM_READ};
    static const int r_unshared[] = {PERM_WRITE};
    const int *held = writable ? w_held : r_held;
    const int *unshared = writable ? w_unshared : r_unshared;
    size_t nheld = writable ? 3 : 1, nunshared = writable ? 2 : 1;

    for (size_t i = 0; i < nheld; i++) {
        if (lock_byte(fd, F_OFD_SETLK, F_RDLCK, LOCK_PERM_BASE + held[i]) != 0) goto busy;
    }
    for (size_t i = 0; i < nunshared; i++) {
        if (lock_byte(fd, F_OFD_SETLK, F_RDLCK, LOCK_SHARED_BASE + unshared[i]) != 0) goto busy;
    }
    /* someone refusing to share what we hold, or holding what we refuse to share */
    for (size_t i = 0; i < nheld; i++) {
        int t = lock_byte(fd, F_OFD_GETLK, F_WRLCK, LOCK_SHARED_BASE + held[i]);
        if (t < 0) goto fail;
        if (t != F_UNLCK) {
            return vt_fail(err,
                           "%s: failed to get \"%s\" lock: the image is in use by another "
                           "process (Vitrine or QEMU)",
                           path, perm_name(held[i]));
        }
    }
    for (size_t i = 0; i < nunshared; i++) {
        int t = lock_byte(fd, F_OFD_GETLK, F_WRLCK, LOCK_PERM_BASE + unshared[i]);
        if (t < 0) goto fail;
        if (t != F_UNLCK) {
            return vt_fail(err,
                           "%s: failed to get shared \"%s\" lock: the image is being "
                           "written by another process (Vitrine or QEMU)",
                           path, perm_name(unshared[i]));
        }
    }
    return 0;
busy:
    if (errno == EAGAIN || errno == EACCES) {
        return vt_fail(err, "%s: the image is locked by another process (Vitrine or QEMU)", path);
    }
fail:
    if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) return 0; /* no OFD locks */
    return vt_fail(err, "%s: cannot lock image: %s", path, strerror(errno));
}

static const char *file_kind(mode_t m) {
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISDIR(m)  ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

int vt_block_open_path(const char *path, int flags, int *fd, vt_error *err) {
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever */
    int f = open(path, flags | O_NONBLOCK | O_CLOEXEC, 0644);
    if (f < 0) {
        return vt_fail(err, "%s: cannot %s: %s", path,
                       (flags & O_CREAT)               ? "create"
                       : (flags & O_ACCMODE) == O_RDWR ? "open for writing"
                                                       : "open",
                       strerror(errno));
    }
    struct stat st;
    if (fstat(f, &st) != 0) {
        int e = errno;
        close(f);
        return vt_fail(err, "%s: cannot stat: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        close(f);
        return vt_fail(err, "%s: is %s; an image must be a regular file or a block device", path,
                       file_kind(st.st_mode));
    }
    if (fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(f);
        return vt_fail(err, "%s: cannot open: %s", path, strerror(e));
    }
    *fd = f;
    return 0;
}

int vt_block_open_file(const char *path, bool writable, int *fd, vt_error *err) {
    int f;
    if (vt_block_open_path(path, writable ? O_RDWR : O_RDONLY, &f, err) != 0) return -1;
    if (vt_block_lock(f, path, writable, err) != 0) {
        close(f);
        return -1;
    }
    *fd = f;
    return 0;
}

int vt_block_init_common(vt_block *b, const vt_block_ops *ops, const char *path, uint64_t size,
                         bool read_only, vt_error *err) {
    b->ops = ops;
    b->path = strdup(path);
    if (!b->path) return vt_fail(err, "%s: out of memory", path);
    b->size = size;
    b->read_only = read_only;
    return 0;
}

void vt_block_free_common(vt_block *b) {
    free(b->path);
}
