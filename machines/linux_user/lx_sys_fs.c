/* File-system syscalls of Linux user mode: open/stat/directory/link/permission calls and
 * their *at forms. Paths go through vt_lx_path (sysroot, /proc/self/exe); struct stat64,
 * statfs and statx are written field by field in the guest's layout and byte order. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "machines/linux_user/lx_sys.h"

#define PATH_OR_RET(var, addr)                                                                     \
    int var##_e = 0;                                                                               \
    char *var = vt_lx_path(p, addr, &var##_e);                                                     \
    if (!var) return var##_e

static int64_t do_open(vt_lx_proc *p, int dirfd, uint32_t path, uint32_t flags, uint32_t mode) {
    bool bad = false;
    uint32_t hf = vt_lx_flags_to_host(p->abi->open_flags, p->abi->nopen_flags, flags, &bad);
    if (bad) vt_lx_log_once(p, 900, "open flags 0x%x", flags);
    PATH_OR_RET(h, path);
    int64_t r = lx_ret(openat(dirfd, h, (int)hf, (mode_t)mode));
    free(h);
    return r;
}

int64_t vt_lx_sys_open(vt_lx_proc *p, const uint32_t *a) {
    return do_open(p, AT_FDCWD, a[0], a[1], a[2]);
}
int64_t vt_lx_sys_openat(vt_lx_proc *p, const uint32_t *a) {
    return do_open(p, lx_s32(a[0]), a[1], a[2], a[3]);
}
int64_t vt_lx_sys_creat(vt_lx_proc *p, const uint32_t *a) {
    PATH_OR_RET(h, a[0]);
    int64_t r = lx_ret(creat(h, a[1]));
    free(h);
    return r;
}
int64_t vt_lx_sys_close(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(close(lx_s32(a[0])));
}

/* path-only calls: one macro per shape keeps each a one-liner */
#define PATH1(name, expr)                                                                          \
    int64_t vt_lx_sys_##name(vt_lx_proc *p, const uint32_t *a) {                                   \
        PATH_OR_RET(h, a[0]);                                                                      \
        int64_t r = lx_ret(expr);                                                                  \
        free(h);                                                                                   \
        return r;                                                                                  \
    }
#define PATHAT(name, expr)                                                                         \
    int64_t vt_lx_sys_##name(vt_lx_proc *p, const uint32_t *a) {                                   \
        PATH_OR_RET(h, a[1]);                                                                      \
        int64_t r = lx_ret(expr);                                                                  \
        free(h);                                                                                   \
        return r;                                                                                  \
    }

PATH1(access, access(h, (int)a[1]))
PATH1(chdir, chdir(h))
PATH1(chmod, chmod(h, a[1]))
PATH1(chown, chown(h, a[1], a[2]))
PATH1(lchown, lchown(h, a[1], a[2]))
PATH1(mkdir, mkdir(h, a[1]))
PATH1(mknod, syscall(SYS_mknodat, AT_FDCWD, h, a[1], a[2]))
PATH1(rmdir, rmdir(h))
PATH1(unlink, unlink(h))
PATH1(truncate, truncate(h, lx_s32(a[1])))
PATHAT(faccessat, faccessat(lx_s32(a[0]), h, (int)a[2], 0))
PATHAT(faccessat2, syscall(SYS_faccessat2, lx_s32(a[0]), h, a[2], a[3]))
PATHAT(fchmodat, fchmodat(lx_s32(a[0]), h, a[2], 0))
PATHAT(fchownat, fchownat(lx_s32(a[0]), h, a[2], a[3], (int)a[4]))
PATHAT(mkdirat, mkdirat(lx_s32(a[0]), h, a[2]))
PATHAT(mknodat, syscall(SYS_mknodat, lx_s32(a[0]), h, a[2], a[3]))
PATHAT(unlinkat, unlinkat(lx_s32(a[0]), h, (int)a[2]))

int64_t vt_lx_sys_truncate64(vt_lx_proc *p, const uint32_t *a) {
    PATH_OR_RET(h, a[0]);
    int64_t r = lx_ret(truncate(h, (off_t)lx_pair(p, a, 1)));
    free(h);
    return r;
}

int64_t vt_lx_sys_fchdir(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(fchdir(lx_s32(a[0])));
}
int64_t vt_lx_sys_fchmod(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(fchmod(lx_s32(a[0]), a[1]));
}
int64_t vt_lx_sys_fchown(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(fchown(lx_s32(a[0]), a[1], a[2]));
}
int64_t vt_lx_sys_ftruncate(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(ftruncate(lx_s32(a[0]), lx_s32(a[1])));
}
int64_t vt_lx_sys_ftruncate64(vt_lx_proc *p, const uint32_t *a) {
    return lx_ret(ftruncate(lx_s32(a[0]), (off_t)lx_pair(p, a, 1)));
}
int64_t vt_lx_sys_umask(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return umask(a[0]);
}
int64_t vt_lx_sys_sync(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    sync();
    return 0;
}
int64_t vt_lx_sys_fsync(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(fsync(lx_s32(a[0])));
}
int64_t vt_lx_sys_fdatasync(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(fdatasync(lx_s32(a[0])));
}
int64_t vt_lx_sys_flock(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(flock(lx_s32(a[0]), (int)a[1]));
}
int64_t vt_lx_sys_fallocate(vt_lx_proc *p, const uint32_t *a) {
    return lx_ret(
        fallocate(lx_s32(a[0]), (int)a[1], (off_t)lx_pair(p, a, 2), (off_t)lx_pair(p, a, 4)));
}

static int64_t two_paths(vt_lx_proc *p, uint32_t g1, uint32_t g2, int kind, int d1, int d2,
                         uint32_t flags) {
    int e = 0;
    char *h1 =
        kind == 2 ? vt_lx_strdup(p, g1) : vt_lx_path(p, g1, &e); /* symlink target verbatim */
    if (!h1) return e ? e : -EFAULT;
    char *h2 = vt_lx_path(p, g2, &e);
    if (!h2) {
        free(h1);
        return e;
    }
    long r;
    if (kind == 0)
        r = syscall(SYS_renameat2, d1, h1, d2, h2, flags);
    else if (kind == 1)
        r = linkat(d1, h1, d2, h2, (int)flags);
    else
        r = symlinkat(h1, d2, h2);
    free(h1);
    free(h2);
    return lx_ret(r);
}

int64_t vt_lx_sys_rename(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[0], a[1], 0, AT_FDCWD, AT_FDCWD, 0);
}
int64_t vt_lx_sys_renameat(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[1], a[3], 0, lx_s32(a[0]), lx_s32(a[2]), 0);
}
int64_t vt_lx_sys_renameat2(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[1], a[3], 0, lx_s32(a[0]), lx_s32(a[2]), a[4]);
}
int64_t vt_lx_sys_link(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[0], a[1], 1, AT_FDCWD, AT_FDCWD, 0);
}
int64_t vt_lx_sys_linkat(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[1], a[3], 1, lx_s32(a[0]), lx_s32(a[2]), a[4]);
}
int64_t vt_lx_sys_symlink(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[0], a[1], 2, AT_FDCWD, AT_FDCWD, 0);
}
int64_t vt_lx_sys_symlinkat(vt_lx_proc *p, const uint32_t *a) {
    return two_paths(p, a[0], a[2], 2, AT_FDCWD, lx_s32(a[1]), 0);
}

static int64_t do_readlink(vt_lx_proc *p, int dirfd, uint32_t path, uint32_t buf, uint32_t size) {
    char *g = vt_lx_strdup(p, path);
    if (!g) return -EFAULT;
    if ((int32_t)size <= 0) {
        free(g);
        return -EINVAL;
    }
    char *out = vt_lx_ptr(p, buf, size, VT_PERM_W);
    if (!out) {
        free(g);
        return -EFAULT;
    }
    int64_t r;
    if (!strcmp(g, "/proc/self/exe")) {
        size_t n = strlen(p->exe_guest);
        if (n > size) n = size;
        memcpy(out, p->exe_guest, n);
        r = (int64_t)n;
    } else {
        char *h = vt_lx_host_path(p, g);
        r = h ? lx_ret(readlinkat(dirfd, h, out, size)) : -ENOMEM;
        free(h);
    }
    free(g);
    return r;
}

int64_t vt_lx_sys_readlink(vt_lx_proc *p, const uint32_t *a) {
    return do_readlink(p, AT_FDCWD, a[0], a[1], a[2]);
}
int64_t vt_lx_sys_readlinkat(vt_lx_proc *p, const uint32_t *a) {
    return do_readlink(p, lx_s32(a[0]), a[1], a[2], a[3]);
}

/* ---- stat family ---- */

static int64_t put_stat64(vt_lx_proc *p, uint32_t addr, const struct stat *st) {
    uint64_t v[VT_ST_CTIME_NS + 1] = {0};
    v[VT_ST_DEV] = st->st_dev;
    v[VT_ST_INO] = st->st_ino;
    v[VT_ST_MODE] = st->st_mode;
    v[VT_ST_NLINK] = st->st_nlink;
    v[VT_ST_UID] = st->st_uid;
    v[VT_ST_GID] = st->st_gid;
    v[VT_ST_RDEV] = st->st_rdev;
    v[VT_ST_SIZE] = (uint64_t)st->st_size;
    v[VT_ST_BLKSIZE] = (uint64_t)st->st_blksize;
    v[VT_ST_BLOCKS] = (uint64_t)st->st_blocks;
    v[VT_ST_ATIME] = (uint64_t)st->st_atim.tv_sec;
    v[VT_ST_ATIME_NS] = (uint64_t)st->st_atim.tv_nsec;
    v[VT_ST_MTIME] = (uint64_t)st->st_mtim.tv_sec;
    v[VT_ST_MTIME_NS] = (uint64_t)st->st_mtim.tv_nsec;
    v[VT_ST_CTIME] = (uint64_t)st->st_ctim.tv_sec;
    v[VT_ST_CTIME_NS] = (uint64_t)st->st_ctim.tv_nsec;
    return vt_lx_put_fields(p, addr, p->abi->stat64_size, p->abi->stat64, v);
}

static int64_t do_fstatat(vt_lx_proc *p, int dirfd, uint32_t path, uint32_t buf, int flags) {
    PATH_OR_RET(h, path);
    struct stat st;
    int64_t r = lx_ret(fstatat(dirfd, h, &st, flags));
    free(h);
    return r ? r : put_stat64(p, buf, &st);
}

int64_t vt_lx_sys_stat64(vt_lx_proc *p, const uint32_t *a) {
    return do_fstatat(p, AT_FDCWD, a[0], a[1], 0);
}
int64_t vt_lx_sys_lstat64(vt_lx_proc *p, const uint32_t *a) {
    return do_fstatat(p, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
}
int64_t vt_lx_sys_fstatat64(vt_lx_proc *p, const uint32_t *a) {
    return do_fstatat(p, lx_s32(a[0]), a[1], a[2], (int)a[3]);
}
int64_t vt_lx_sys_fstat64(vt_lx_proc *p, const uint32_t *a) {
    struct stat st;
    int64_t r = lx_ret(fstat(lx_s32(a[0]), &st));
    return r ? r : put_stat64(p, a[1], &st);
}

/* struct statx is the same on every architecture (include/uapi/linux/stat.h). */
int64_t vt_lx_sys_statx(vt_lx_proc *p, const uint32_t *a) {
    PATH_OR_RET(h, a[1]);
    struct statx sx;
    int64_t r = lx_ret(statx(lx_s32(a[0]), h, (int)a[2], a[3], &sx));
    free(h);
    if (r) return r;
    uint8_t *o = vt_lx_ptr(p, a[4], 256, VT_PERM_W);
    if (!o) return -EFAULT;
    const vt_lx_abi *abi = p->abi;
    memset(o, 0, 256);
    vt_lx_store(abi, o + 0, 4, sx.stx_mask);
    vt_lx_store(abi, o + 4, 4, sx.stx_blksize);
    vt_lx_store(abi, o + 8, 8, sx.stx_attributes);
    vt_lx_store(abi, o + 16, 4, sx.stx_nlink);
    vt_lx_store(abi, o + 20, 4, sx.stx_uid);
    vt_lx_store(abi, o + 24, 4, sx.stx_gid);
    vt_lx_store(abi, o + 28, 2, sx.stx_mode);
    vt_lx_store(abi, o + 32, 8, sx.stx_ino);
    vt_lx_store(abi, o + 40, 8, sx.stx_size);
    vt_lx_store(abi, o + 48, 8, sx.stx_blocks);
    vt_lx_store(abi, o + 56, 8, sx.stx_attributes_mask);
    const struct statx_timestamp *ts[4] = {&sx.stx_atime, &sx.stx_btime, &sx.stx_ctime,
                                           &sx.stx_mtime};
    for (int i = 0; i < 4; i++) {
        vt_lx_store(abi, o + 64 + 16 * i, 8, (uint64_t)ts[i]->tv_sec);
        vt_lx_store(abi, o + 72 + 16 * i, 4, ts[i]->tv_nsec);
    }
    vt_lx_store(abi, o + 128, 4, sx.stx_rdev_major);
    vt_lx_store(abi, o + 132, 4, sx.stx_rdev_minor);
    vt_lx_store(abi, o + 136, 4, sx.stx_dev_major);
    vt_lx_store(abi, o + 140, 4, sx.stx_dev_minor);
    return 0;
}

static int64_t put_statfs(vt_lx_proc *p, uint32_t addr, const struct statfs *s, bool is64) {
    uint64_t v[VT_SF_FLAGS + 1] = {0};
    v[VT_SF_TYPE] = (uint64_t)s->f_type;
    v[VT_SF_BSIZE] = (uint64_t)s->f_bsize;
    v[VT_SF_BLOCKS] = s->f_blocks;
    v[VT_SF_BFREE] = s->f_bfree;
    v[VT_SF_BAVAIL] = s->f_bavail;
    v[VT_SF_FILES] = s->f_files;
    v[VT_SF_FFREE] = s->f_ffree;
    int fsid[2];
    memcpy(fsid, &s->f_fsid, sizeof fsid);
    v[VT_SF_FSID0] = (uint32_t)fsid[0];
    v[VT_SF_FSID1] = (uint32_t)fsid[1];
    v[VT_SF_NAMELEN] = (uint64_t)s->f_namelen;
    v[VT_SF_FRSIZE] = (uint64_t)s->f_frsize;
    v[VT_SF_FLAGS] = (uint64_t)s->f_flags;
    if (!is64 && (s->f_blocks > UINT32_MAX || s->f_files > UINT32_MAX)) return -EOVERFLOW;
    return vt_lx_put_fields(p, addr, is64 ? p->abi->statfs64_size : p->abi->statfs_size,
                            is64 ? p->abi->statfs64 : p->abi->statfs, v);
}

int64_t vt_lx_sys_statfs(vt_lx_proc *p, const uint32_t *a) {
    PATH_OR_RET(h, a[0]);
    struct statfs s;
    int64_t r = lx_ret(statfs(h, &s));
    free(h);
    return r ? r : put_statfs(p, a[1], &s, false);
}
int64_t vt_lx_sys_statfs64(vt_lx_proc *p, const uint32_t *a) {
    PATH_OR_RET(h, a[0]);
    struct statfs s;
    int64_t r = lx_ret(statfs(h, &s));
    free(h);
    return r ? r : put_statfs(p, a[2], &s, true);
}
int64_t vt_lx_sys_fstatfs(vt_lx_proc *p, const uint32_t *a) {
    struct statfs s;
    int64_t r = lx_ret(fstatfs(lx_s32(a[0]), &s));
    return r ? r : put_statfs(p, a[1], &s, false);
}
int64_t vt_lx_sys_fstatfs64(vt_lx_proc *p, const uint32_t *a) {
    struct statfs s;
    int64_t r = lx_ret(fstatfs(lx_s32(a[0]), &s));
    return r ? r : put_statfs(p, a[2], &s, true);
}

int64_t vt_lx_sys_getcwd(vt_lx_proc *p, const uint32_t *a) {
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) return -errno;
    size_t n = strlen(buf) + 1;
    if (n > a[1]) return -ERANGE;
    if (vt_lx_put_bytes(p, a[0], buf, (uint32_t)n)) return -EFAULT;
    return (int64_t)n;
}

/* getdents64 records are arch-independent; rewritten field by field in guest order. */
int64_t vt_lx_sys_getdents64(vt_lx_proc *p, const uint32_t *a) {
    uint32_t count = a[2] > 65536 ? 65536 : a[2];
    uint8_t *out = vt_lx_ptr(p, a[1], count, VT_PERM_W);
    if (!out) return -EFAULT;
    uint8_t *tmp = malloc(count);
    if (!tmp) return -ENOMEM;
    long n = syscall(SYS_getdents64, lx_s32(a[0]), tmp, count);
    if (n < 0) {
        int e = errno;
        free(tmp);
        return -e;
    }
    for (long off = 0; off < n;) {
        uint8_t *r = tmp + off, *w = out + off;
        uint64_t ino, doff;
        uint16_t reclen;
        memcpy(&ino, r, 8);
        memcpy(&doff, r + 8, 8);
        memcpy(&reclen, r + 16, 2);
        memmove(w + 18, r + 18, reclen - 18u); /* d_type and name */
        vt_lx_store(p->abi, w, 8, ino);
        vt_lx_store(p->abi, w + 8, 8, doff);
        vt_lx_store(p->abi, w + 16, 2, reclen);
        off += reclen;
    }
    free(tmp);
    return n;
}

/* Old getdents: 32-bit d_ino/d_off, d_type in the last byte of the record. */
int64_t vt_lx_sys_getdents(vt_lx_proc *p, const uint32_t *a) {
    int fd = lx_s32(a[0]);
    uint32_t count = a[2] > 65536 ? 65536 : a[2];
    uint8_t *out = vt_lx_ptr(p, a[1], count, VT_PERM_W);
    if (!out) return -EFAULT;
    uint8_t *tmp = malloc(count);
    if (!tmp) return -ENOMEM;
    long n = syscall(SYS_getdents64, fd, tmp, count);
    if (n < 0) {
        int e = errno;
        free(tmp);
        return -e;
    }
    uint32_t used = 0;
    for (long off = 0; off < n;) {
        uint8_t *r = tmp + off;
        uint64_t ino, doff;
        uint16_t reclen;
        memcpy(&ino, r, 8);
        memcpy(&doff, r + 8, 8);
        memcpy(&reclen, r + 16, 2);
        size_t namelen = strlen((char *)r + 19);
        uint32_t glen = (uint32_t)(10 + namelen + 2 + 3) & ~3u;
        if (used + glen > count) { /* rewind to the first entry not returned */
            lseek(fd, (off_t)(off ? doff : 0), SEEK_SET);
            break;
        }
        uint8_t *w = out + used;
        vt_lx_store(p->abi, w, 4, ino);
        vt_lx_store(p->abi, w + 4, 4, doff);
        vt_lx_store(p->abi, w + 8, 2, glen);
        memcpy(w + 10, r + 19, namelen + 1);
        w[glen - 1] = r[18];
        used += glen;
        off += reclen;
    }
    free(tmp);
    if (n > 0 && used == 0) return -EINVAL;
    return used;
}

static int64_t do_utimensat(vt_lx_proc *p, int dirfd, uint32_t path, uint32_t times, int flags,
                            bool t64) {
    struct timespec ts[2];
    if (times) {
        unsigned w = t64 ? 16 : 8;
        if (vt_lx_get_timespec(p, times, t64, &ts[0]) ||
            vt_lx_get_timespec(p, times + w, t64, &ts[1]))
            return -EFAULT;
    }
    char *h = NULL;
    if (path) {
        int e = 0;
        h = vt_lx_path(p, path, &e);
        if (!h) return e;
    }
    int64_t r = lx_ret(syscall(SYS_utimensat, dirfd, h, times ? ts : NULL, flags));
    free(h);
    return r;
}

int64_t vt_lx_sys_utimensat(vt_lx_proc *p, const uint32_t *a) {
    return do_utimensat(p, lx_s32(a[0]), a[1], a[2], (int)a[3], false);
}
int64_t vt_lx_sys_utimensat_time64(vt_lx_proc *p, const uint32_t *a) {
    return do_utimensat(p, lx_s32(a[0]), a[1], a[2], (int)a[3], true);
}
int64_t vt_lx_sys_utimes(vt_lx_proc *p, const uint32_t *a) {
    struct timeval tv[2];
    if (a[1]) {
        const uint8_t *h = vt_lx_ptr(p, a[1], 16, VT_PERM_R);
        if (!h) return -EFAULT;
        for (int i = 0; i < 2; i++) {
            tv[i].tv_sec = (int32_t)vt_lx_load(p->abi, h + 8 * i, 4);
            tv[i].tv_usec = (int32_t)vt_lx_load(p->abi, h + 8 * i + 4, 4);
        }
    }
    PATH_OR_RET(h, a[0]);
    int64_t r = lx_ret(utimes(h, a[1] ? tv : NULL));
    free(h);
    return r;
}

/* ---- extended attributes: names and values are plain bytes ---- */

static int64_t do_getxattr(vt_lx_proc *p, const uint32_t *a, int kind) {
    char *name = vt_lx_strdup(p, a[1]);
    if (!name) return -EFAULT;
    void *val = a[3] ? vt_lx_ptr(p, a[2], a[3], VT_PERM_W) : NULL;
    int64_t r;
    if (a[3] && !val)
        r = -EFAULT;
    else if (kind == 2)
        r = lx_ret(fgetxattr(lx_s32(a[0]), name, val, a[3]));
    else {
        int e = 0;
        char *h = vt_lx_path(p, a[0], &e);
        r = !h ? e : lx_ret(kind ? lgetxattr(h, name, val, a[3]) : getxattr(h, name, val, a[3]));
        free(h);
    }
    free(name);
    return r;
}
int64_t vt_lx_sys_getxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_getxattr(p, a, 0);
}
int64_t vt_lx_sys_lgetxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_getxattr(p, a, 1);
}
int64_t vt_lx_sys_fgetxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_getxattr(p, a, 2);
}

static int64_t do_listxattr(vt_lx_proc *p, const uint32_t *a, int kind) {
    char *list = a[2] ? vt_lx_ptr(p, a[1], a[2], VT_PERM_W) : NULL;
    if (a[2] && !list) return -EFAULT;
    if (kind == 2) return lx_ret(flistxattr(lx_s32(a[0]), list, a[2]));
    int e = 0;
    char *h = vt_lx_path(p, a[0], &e);
    if (!h) return e;
    int64_t r = lx_ret(kind ? llistxattr(h, list, a[2]) : listxattr(h, list, a[2]));
    free(h);
    return r;
}
int64_t vt_lx_sys_listxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_listxattr(p, a, 0);
}
int64_t vt_lx_sys_llistxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_listxattr(p, a, 1);
}
int64_t vt_lx_sys_flistxattr(vt_lx_proc *p, const uint32_t *a) {
    return do_listxattr(p, a, 2);
}

int64_t vt_lx_sys_fadvise64_64(vt_lx_proc *p, const uint32_t *a) {
    /* ARM passes (fd, advice, offset, len) so the 64-bit pairs stay aligned */
    return -posix_fadvise(lx_s32(a[0]), (off_t)lx_pair(p, a, 2), (off_t)lx_pair(p, a, 4),
                          (int)a[1]);
}
