/* The guest <-> host translation layer of Linux user mode: errno values, signal numbers and
 * flag sets. Each ABI lists only the numbers where it differs from the host's (asm-generic
 * errno, x86 signal numbers); PowerPC and SPARC Linux differ in all three (arch/powerpc/
 * include/uapi/asm/errno.h, arch/sparc/include/uapi/asm/{errno,signal}.h), ARM EABI and i386
 * use the generic numbers and have empty lists. blink's XlatErrno is the same idea. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "machines/linux_user/lx_abi.h"

static int to_guest(const vt_lx_num *t, size_t n, int host) {
    for (size_t i = 0; i < n; i++)
        if (t[i].host == host) return t[i].guest;
    return host;
}

static int to_host(const vt_lx_num *t, size_t n, int guest) {
    for (size_t i = 0; i < n; i++)
        if (t[i].guest == guest) return t[i].host;
    return guest;
}

int vt_lx_errno_to_guest(const vt_lx_abi *abi, int host) {
    return to_guest(abi->errnos, abi->nerrnos, host);
}

int64_t vt_lx_result_to_guest(const vt_lx_abi *abi, int64_t r) {
    if (r < 0 && r >= -4095) return -(int64_t)vt_lx_errno_to_guest(abi, (int)-r);
    return r;
}

bool vt_lx_is_eintr(const vt_lx_abi *abi, int64_t guest_r) {
    return guest_r == -(int64_t)vt_lx_errno_to_guest(abi, EINTR);
}

int vt_lx_sig_to_guest(const vt_lx_abi *abi, int host) {
    return to_guest(abi->signals, abi->nsignals, host);
}

int vt_lx_sig_to_host(const vt_lx_abi *abi, int guest) {
    return to_host(abi->signals, abi->nsignals, guest);
}

uint64_t vt_lx_sigset_to_host(const vt_lx_abi *abi, uint64_t guest) {
    uint64_t h = 0;
    for (int s = 1; s <= 64; s++)
        if (guest & (1ull << (s - 1))) {
            int hs = vt_lx_sig_to_host(abi, s);
            if (hs >= 1 && hs <= 64) h |= 1ull << (hs - 1);
        }
    return h;
}

uint64_t vt_lx_sigset_to_guest(const vt_lx_abi *abi, uint64_t host) {
    uint64_t g = 0;
    for (int s = 1; s <= 64; s++)
        if (host & (1ull << (s - 1))) {
            int gs = vt_lx_sig_to_guest(abi, s);
            if (gs >= 1 && gs <= 64) g |= 1ull << (gs - 1);
        }
    return g;
}

void vt_lx_host_sigset(const vt_lx_abi *abi, uint64_t guest, sigset_t *out) {
    uint64_t h = vt_lx_sigset_to_host(abi, guest);
    sigemptyset(out);
    for (int s = 1; s <= 64 && s < SIGRTMIN; s++)
        if (h & (1ull << (s - 1))) sigaddset(out, s);
}

int vt_lx_wstatus_to_guest(const vt_lx_abi *abi, int status) {
    if (WIFSIGNALED(status)) return (status & ~0x7f) | vt_lx_sig_to_guest(abi, WTERMSIG(status));
    if (WIFSTOPPED(status))
        return (status & ~0xff00) | vt_lx_sig_to_guest(abi, WSTOPSIG(status)) << 8;
    return status;
}

uint32_t vt_lx_flags_to_host(const vt_lx_flag *t, size_t n, uint32_t guest, bool *bad) {
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++)
        if (guest & t[i].guest) {
            h |= t[i].host;
            guest &= ~t[i].guest;
        }
    if (guest && bad) *bad = true;
    return h;
}

uint32_t vt_lx_flags_to_guest(const vt_lx_flag *t, size_t n, uint32_t host) {
    uint32_t g = 0;
    for (size_t i = 0; i < n; i++)
        if ((host & t[i].host) == t[i].host && t[i].host) g |= t[i].guest;
    return g;
}
