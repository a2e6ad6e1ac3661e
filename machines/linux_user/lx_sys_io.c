/* I/O syscalls of Linux user mode: read/write and vectors, seeks, descriptors, fcntl,
 * terminal ioctls (struct termios/winsize rewritten field by field), poll and select
 * (guest fd_set words in guest byte order). Guest descriptors are host descriptors. */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "machines/linux_user/lx_sys.h"

/* Length of the accessible prefix of [addr, addr+len) (whole pages), so a generous count
 * with a smaller buffer behaves like the kernel (short transfer, EFAULT only at 0). */
static uint32_t usable_len(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perm) {
    uint32_t ok = 0;
    while (ok < len) {
        uint32_t chunk = VT_LX_PAGE - ((addr + ok) & (VT_LX_PAGE - 1));
        if (chunk > len - ok) chunk = len - ok;
        if (!vt_lx_range_ok(p, addr + ok, chunk, perm)) break;
        ok += chunk;
    }
    return ok;
}

int64_t vt_lx_sys_read(vt_lx_proc *p, const uint32_t *a) {
    uint32_t n = usable_len(p, a[1], a[2], VT_PERM_W);
    if (!n && a[2]) return -EFAULT;
    return lx_ret(read(lx_s32(a[0]), p->base + a[1], n));
}
int64_t vt_lx_sys_write(vt_lx_proc *p, const uint32_t *a) {
    uint32_t n = usable_len(p, a[1], a[2], VT_PERM_R);
    if (!n && a[2]) return -EFAULT;
    return lx_ret(write(lx_s32(a[0]), p->base + a[1], n));
}
int64_t vt_lx_sys_pread64(vt_lx_proc *p, const uint32_t *a) {
    uint32_t n = usable_len(p, a[1], a[2], VT_PERM_W);
    if (!n && a[2]) return -EFAULT;
    return lx_ret(pread(lx_s32(a[0]), p->base + a[1], n, (off_t)lx_pair(p, a, 3)));
}
int64_t vt_lx_sys_pwrite64(vt_lx_proc *p, const uint32_t *a) {
    uint32_t n = usable_len(p, a[1], a[2], VT_PERM_R);
    if (!n && a[2]) return -EFAULT;
    return lx_ret(pwrite(lx_s32(a[0]), p->base + a[1], n, (off_t)lx_pair(p, a, 3)));
}

static int64_t do_iov(vt_lx_proc *p, const uint32_t *a, bool wr) {
    uint32_t cnt = a[2];
    if (cnt > 1024) return -EINVAL;
    const uint8_t *g = vt_lx_ptr(p, a[1], 8 * cnt, VT_PERM_R);
    if (!g && cnt) return -EFAULT;
    struct iovec *iov = calloc(cnt ? cnt : 1, sizeof *iov);
    if (!iov) return -ENOMEM;
    for (uint32_t i = 0; i < cnt; i++) {
        uint32_t base = (uint32_t)vt_lx_load(p->abi, g + 8 * i, 4);
        uint32_t len = (uint32_t)vt_lx_load(p->abi, g + 8 * i + 4, 4);
        if (!vt_lx_range_ok(p, base, len, wr ? VT_PERM_R : VT_PERM_W)) {
            free(iov);
            return -EFAULT;
        }
        iov[i].iov_base = p->base + base;
        iov[i].iov_len = len;
    }
    int64_t r =
        lx_ret(wr ? writev(lx_s32(a[0]), iov, (int)cnt) : readv(lx_s32(a[0]), iov, (int)cnt));
    free(iov);
    return r;
}
int64_t vt_lx_sys_readv(vt_lx_proc *p, const uint32_t *a) {
    return do_iov(p, a, false);
}
int64_t vt_lx_sys_writev(vt_lx_proc *p, const uint32_t *a) {
    return do_iov(p, a, true);
}

int64_t vt_lx_sys_lseek(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    off_t r = lseek(lx_s32(a[0]), lx_s32(a[1]), (int)a[2]);
    if (r < 0) return -errno;
    if (r > INT32_MAX) return -EOVERFLOW;
    return r;
}
int64_t vt_lx_sys_llseek(vt_lx_proc *p, const uint32_t *a) {
    off_t off = (off_t)((uint64_t)a[1] << 32 | a[2]);
    uint8_t *res = vt_lx_ptr(p, a[3], 8, VT_PERM_W);
    if (!res) return -EFAULT;
    off_t r = lseek(lx_s32(a[0]), off, (int)a[4]);
    if (r < 0) return -errno;
    vt_lx_store(p->abi, res, 8, (uint64_t)r);
    return 0;
}

int64_t vt_lx_sys_dup(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(dup(lx_s32(a[0])));
}
int64_t vt_lx_sys_dup2(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(dup2(lx_s32(a[0]), lx_s32(a[1])));
}
int64_t vt_lx_sys_dup3(vt_lx_proc *p, const uint32_t *a) {
    bool bad = false;
    uint32_t f = vt_lx_flags_to_host(p->abi->open_flags, p->abi->nopen_flags, a[2], &bad);
    if (bad) return -EINVAL;
    return lx_ret(dup3(lx_s32(a[0]), lx_s32(a[1]), (int)f));
}

static int64_t do_pipe(vt_lx_proc *p, uint32_t addr, uint32_t flags) {
    bool bad = false;
    uint32_t f = vt_lx_flags_to_host(p->abi->open_flags, p->abi->nopen_flags, flags, &bad);
    if (bad) return -EINVAL;
    if (!vt_lx_range_ok(p, addr, 8, VT_PERM_W)) return -EFAULT;
    int fds[2];
    if (pipe2(fds, (int)f)) return -errno;
    if (vt_lx_put32(p, addr, (uint32_t)fds[0]) || vt_lx_put32(p, addr + 4, (uint32_t)fds[1]))
        return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_pipe(vt_lx_proc *p, const uint32_t *a) {
    return do_pipe(p, a[0], 0);
}
int64_t vt_lx_sys_pipe2(vt_lx_proc *p, const uint32_t *a) {
    return do_pipe(p, a[0], a[1]);
}

/* fcntl commands are the asm-generic numbers on ARM and i386 */
static int64_t do_fcntl(vt_lx_proc *p, const uint32_t *a) {
    int fd = lx_s32(a[0]);
    uint32_t cmd = a[1];
    switch (cmd) {
    case 0:    /* F_DUPFD */
    case 1030: /* F_DUPFD_CLOEXEC */
        return lx_ret(fcntl(fd, cmd == 0 ? F_DUPFD : F_DUPFD_CLOEXEC, lx_s32(a[2])));
    case 1:
        return lx_ret(fcntl(fd, F_GETFD));
    case 2:
        return lx_ret(fcntl(fd, F_SETFD, (int)a[2]));
    case 3: {
        int r = fcntl(fd, F_GETFL);
        if (r < 0) return -errno;
        return vt_lx_flags_to_guest(p->abi->open_flags, p->abi->nopen_flags, (uint32_t)r);
    }
    case 4: {
        uint32_t f = vt_lx_flags_to_host(p->abi->open_flags, p->abi->nopen_flags, a[2], NULL);
        return lx_ret(fcntl(fd, F_SETFL, (int)f));
    }
    case 8:
        return lx_ret(fcntl(fd, F_SETOWN, lx_s32(a[2])));
    case 9:
        return lx_ret(fcntl(fd, F_GETOWN));
    case 1031:
        return lx_ret(fcntl(fd, F_SETPIPE_SZ, (int)a[2]));
    case 1032:
        return lx_ret(fcntl(fd, F_GETPIPE_SZ));
    default:
        vt_lx_log_once(p, 910 + (cmd & 15), "%s fcntl command %u", p->abi->name, cmd);
        return -EINVAL;
    }
}
int64_t vt_lx_sys_fcntl(vt_lx_proc *p, const uint32_t *a) {
    return do_fcntl(p, a);
}
int64_t vt_lx_sys_fcntl64(vt_lx_proc *p, const uint32_t *a) {
    return do_fcntl(p, a);
}

/* The kernel's struct termios (not glibc's): 4 flag words, c_line, 19 control chars. */
struct kernel_termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[19];
};

int64_t vt_lx_sys_ioctl(vt_lx_proc *p, const uint32_t *a) {
    int fd = lx_s32(a[0]);
    uint32_t cmd = a[1], arg = a[2];
    unsigned id = 0;
    for (size_t i = 0; i < p->abi->nioctls; i++)
        if (p->abi->ioctls[i].guest == cmd) id = p->abi->ioctls[i].id;
    const vt_lx_abi *abi = p->abi;
    switch (id) {
    case VT_IOC_TCGETS: {
        struct kernel_termios t;
        if (ioctl(fd, TCGETS, &t)) return -errno;
        uint8_t *o = vt_lx_ptr(p, arg, 36, VT_PERM_W);
        if (!o) return -EFAULT;
        vt_lx_store(abi, o, 4, t.iflag);
        vt_lx_store(abi, o + 4, 4, t.oflag);
        vt_lx_store(abi, o + 8, 4, t.cflag);
        vt_lx_store(abi, o + 12, 4, t.lflag);
        o[16] = t.line;
        memcpy(o + 17, t.cc, 19);
        return 0;
    }
    case VT_IOC_TCSETS:
    case VT_IOC_TCSETSW:
    case VT_IOC_TCSETSF: {
        const uint8_t *g = vt_lx_ptr(p, arg, 36, VT_PERM_R);
        if (!g) return -EFAULT;
        struct kernel_termios t;
        t.iflag = (uint32_t)vt_lx_load(abi, g, 4);
        t.oflag = (uint32_t)vt_lx_load(abi, g + 4, 4);
        t.cflag = (uint32_t)vt_lx_load(abi, g + 8, 4);
        t.lflag = (uint32_t)vt_lx_load(abi, g + 12, 4);
        t.line = g[16];
        memcpy(t.cc, g + 17, 19);
        unsigned long req = id == VT_IOC_TCSETS ? TCSETS : id == VT_IOC_TCSETSW ? TCSETSW : TCSETSF;
        return lx_ret(ioctl(fd, req, &t));
    }
    case VT_IOC_TIOCGWINSZ: {
        struct winsize w;
        if (ioctl(fd, TIOCGWINSZ, &w)) return -errno;
        uint8_t *o = vt_lx_ptr(p, arg, 8, VT_PERM_W);
        if (!o) return -EFAULT;
        vt_lx_store(abi, o, 2, w.ws_row);
        vt_lx_store(abi, o + 2, 2, w.ws_col);
        vt_lx_store(abi, o + 4, 2, w.ws_xpixel);
        vt_lx_store(abi, o + 6, 2, w.ws_ypixel);
        return 0;
    }
    case VT_IOC_TIOCSWINSZ: {
        const uint8_t *g = vt_lx_ptr(p, arg, 8, VT_PERM_R);
        if (!g) return -EFAULT;
        struct winsize w = {
            (unsigned short)vt_lx_load(abi, g, 2), (unsigned short)vt_lx_load(abi, g + 2, 2),
            (unsigned short)vt_lx_load(abi, g + 4, 2), (unsigned short)vt_lx_load(abi, g + 6, 2)};
        return lx_ret(ioctl(fd, TIOCSWINSZ, &w));
    }
    case VT_IOC_TIOCGPGRP:
    case VT_IOC_FIONREAD: {
        int v;
        if (ioctl(fd, id == VT_IOC_TIOCGPGRP ? TIOCGPGRP : FIONREAD, &v)) return -errno;
        return vt_lx_put32(p, arg, (uint32_t)v) ? -EFAULT : 0;
    }
    case VT_IOC_TIOCSPGRP:
    case VT_IOC_FIONBIO: {
        uint32_t v;
        if (vt_lx_get32(p, arg, &v)) return -EFAULT;
        int hv = (int)v;
        return lx_ret(ioctl(fd, id == VT_IOC_TIOCSPGRP ? TIOCSPGRP : FIONBIO, &hv));
    }
    case VT_IOC_FIOCLEX:
        return lx_ret(ioctl(fd, FIOCLEX));
    case VT_IOC_FIONCLEX:
        return lx_ret(ioctl(fd, FIONCLEX));
    case VT_IOC_TIOCSCTTY:
        return lx_ret(ioctl(fd, TIOCSCTTY, (int)arg));
    case VT_IOC_TIOCNOTTY:
        return lx_ret(ioctl(fd, TIOCNOTTY));
    default:
        vt_lx_log_once(p, 920 + (cmd % 40), "%s ioctl 0x%x", abi->name, cmd);
        return -ENOTTY;
    }
}

/* ---- poll / select ---- */

static int64_t do_poll(vt_lx_proc *p, uint32_t fds, uint32_t nfds, int timeout_ms,
                       const struct timespec *ts, bool use_ts, const sigset_t *mask) {
    if (nfds > 4096) return -EINVAL;
    uint8_t *g = vt_lx_ptr(p, fds, 8 * nfds, VT_PERM_R | VT_PERM_W);
    if (!g && nfds) return -EFAULT;
    struct pollfd *h = calloc(nfds ? nfds : 1, sizeof *h);
    if (!h) return -ENOMEM;
    for (uint32_t i = 0; i < nfds; i++) {
        h[i].fd = (int32_t)vt_lx_load(p->abi, g + 8 * i, 4);
        h[i].events = (short)vt_lx_load(p->abi, g + 8 * i + 4, 2);
    }
    int r = use_ts ? ppoll(h, nfds, ts, mask) : poll(h, nfds, timeout_ms);
    int e = errno;
    if (r >= 0)
        for (uint32_t i = 0; i < nfds; i++)
            vt_lx_store(p->abi, g + 8 * i + 6, 2, (uint16_t)h[i].revents);
    free(h);
    return r < 0 ? -e : r;
}

int64_t vt_lx_sys_poll(vt_lx_proc *p, const uint32_t *a) {
    return do_poll(p, a[0], a[1], lx_s32(a[2]), NULL, false, NULL);
}

static int guest_sigmask(vt_lx_proc *p, uint32_t addr, sigset_t *out) {
    uint32_t lo, hi;
    if (vt_lx_get32(p, addr, &lo) || vt_lx_get32(p, addr + 4, &hi)) return -EFAULT;
    vt_lx_host_sigset(p->abi, lo | (uint64_t)hi << 32, out);
    /* faults stay deliverable: the emulator itself must see them */
    sigdelset(out, SIGSEGV);
    sigdelset(out, SIGBUS);
    sigdelset(out, SIGILL);
    return 0;
}

static int64_t ppoll_common(vt_lx_proc *p, const uint32_t *a, bool t64) {
    struct timespec ts;
    sigset_t mask;
    if (a[2] && vt_lx_get_timespec(p, a[2], t64, &ts)) return -EFAULT;
    if (a[3] && guest_sigmask(p, a[3], &mask)) return -EFAULT;
    return do_poll(p, a[0], a[1], -1, a[2] ? &ts : NULL, true, a[3] ? &mask : NULL);
}
int64_t vt_lx_sys_ppoll(vt_lx_proc *p, const uint32_t *a) {
    return ppoll_common(p, a, false);
}
int64_t vt_lx_sys_ppoll_time64(vt_lx_proc *p, const uint32_t *a) {
    return ppoll_common(p, a, true);
}

/* fd_set as an array of 32-bit guest words */
static int get_fdset(vt_lx_proc *p, uint32_t addr, int n, fd_set *s) {
    FD_ZERO(s);
    if (!addr) return 0;
    uint32_t words = (uint32_t)(n + 31) / 32;
    const uint8_t *g = vt_lx_ptr(p, addr, 4 * words, VT_PERM_R);
    if (!g) return -EFAULT;
    for (int fd = 0; fd < n; fd++)
        if ((vt_lx_load(p->abi, g + 4 * (fd / 32), 4) >> (fd % 32)) & 1) FD_SET(fd, s);
    return 0;
}

static int put_fdset(vt_lx_proc *p, uint32_t addr, int n, const fd_set *s) {
    if (!addr) return 0;
    uint32_t words = (uint32_t)(n + 31) / 32;
    uint8_t *g = vt_lx_ptr(p, addr, 4 * words, VT_PERM_W);
    if (!g) return -EFAULT;
    for (uint32_t w = 0; w < words; w++) {
        uint32_t v = 0;
        for (int b = 0; b < 32 && (int)(w * 32) + b < n; b++)
            if (FD_ISSET((int)w * 32 + b, s)) v |= 1u << b;
        vt_lx_store(p->abi, g + 4 * w, 4, v);
    }
    return 0;
}

static int64_t do_select(vt_lx_proc *p, const uint32_t *a, const struct timespec *ts,
                         const sigset_t *mask) {
    int n = lx_s32(a[0]);
    if (n < 0 || n > FD_SETSIZE) return -EINVAL;
    fd_set r, w, e;
    if (get_fdset(p, a[1], n, &r) || get_fdset(p, a[2], n, &w) || get_fdset(p, a[3], n, &e))
        return -EFAULT;
    int res = pselect(n, a[1] ? &r : NULL, a[2] ? &w : NULL, a[3] ? &e : NULL, ts, mask);
    if (res < 0) return -errno;
    if (put_fdset(p, a[1], n, &r) || put_fdset(p, a[2], n, &w) || put_fdset(p, a[3], n, &e))
        return -EFAULT;
    return res;
}

int64_t vt_lx_sys_select(vt_lx_proc *p, const uint32_t *a) {
    struct timespec ts;
    if (a[4]) {
        const uint8_t *g = vt_lx_ptr(p, a[4], 8, VT_PERM_R);
        if (!g) return -EFAULT;
        ts.tv_sec = (int32_t)vt_lx_load(p->abi, g, 4);
        ts.tv_nsec = 1000L * (int32_t)vt_lx_load(p->abi, g + 4, 4);
    }
    return do_select(p, a, a[4] ? &ts : NULL, NULL);
}

static int64_t pselect_common(vt_lx_proc *p, const uint32_t *a, bool t64) {
    struct timespec ts;
    sigset_t mask;
    bool have_mask = false;
    if (a[4] && vt_lx_get_timespec(p, a[4], t64, &ts)) return -EFAULT;
    if (a[5]) { /* { const sigset_t *ss; size_t ss_len; } */
        uint32_t ss;
        if (vt_lx_get32(p, a[5], &ss)) return -EFAULT;
        if (ss) {
            if (guest_sigmask(p, ss, &mask)) return -EFAULT;
            have_mask = true;
        }
    }
    return do_select(p, a, a[4] ? &ts : NULL, have_mask ? &mask : NULL);
}
int64_t vt_lx_sys_pselect6(vt_lx_proc *p, const uint32_t *a) {
    return pselect_common(p, a, false);
}
int64_t vt_lx_sys_pselect6_time64(vt_lx_proc *p, const uint32_t *a) {
    return pselect_common(p, a, true);
}

static int64_t do_sendfile(vt_lx_proc *p, const uint32_t *a, bool off64) {
    off_t off = 0;
    unsigned w = off64 ? 8 : 4;
    uint8_t *g = NULL;
    if (a[2]) {
        g = vt_lx_ptr(p, a[2], w, VT_PERM_R | VT_PERM_W);
        if (!g) return -EFAULT;
        off = off64 ? (off_t)vt_lx_load(p->abi, g, 8) : (off_t)(int32_t)vt_lx_load(p->abi, g, 4);
    }
    ssize_t r = sendfile(lx_s32(a[0]), lx_s32(a[1]), a[2] ? &off : NULL, a[3]);
    if (r < 0) return -errno;
    if (g) vt_lx_store(p->abi, g, w, (uint64_t)off);
    return r;
}
int64_t vt_lx_sys_sendfile(vt_lx_proc *p, const uint32_t *a) {
    return do_sendfile(p, a, false);
}
int64_t vt_lx_sys_sendfile64(vt_lx_proc *p, const uint32_t *a) {
    return do_sendfile(p, a, true);
}

/* ---- sockets: enough for local probes (nscd); socket type flags match the host's ---- */

int64_t vt_lx_sys_socket(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    return lx_ret(socket(lx_s32(a[0]), (int)a[1], lx_s32(a[2])));
}

int64_t vt_lx_sys_connect(vt_lx_proc *p, const uint32_t *a) {
    /* sockaddr: 16-bit family in guest order, then family-specific bytes */
    if (a[2] < 2 || a[2] > 128) return -EINVAL;
    const uint8_t *g = vt_lx_ptr(p, a[1], a[2], VT_PERM_R);
    if (!g) return -EFAULT;
    uint8_t sa[128];
    memcpy(sa, g, a[2]);
    uint16_t fam = (uint16_t)vt_lx_load(p->abi, g, 2);
    memcpy(sa, &fam, 2);
    return lx_ret(connect(lx_s32(a[0]), (struct sockaddr *)sa, a[2]));
}
