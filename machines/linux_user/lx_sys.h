/* Internal helpers for the syscall implementations (lx_sys_*.c): handler declarations for
 * every VT_LX_SYSCALLS entry, errno returns, guest path resolution and 64-bit argument
 * pairs. */
#ifndef VT_LX_SYS_H
#define VT_LX_SYS_H

#include <errno.h>

#include "machines/linux_user/lx_abi.h"

/* Returned by handlers that set the registers themselves (sigreturn, exit). */
#define VT_LX_RET_NONE INT64_MIN
/* Returned by an ABI's arch_syscall for a number it does not provide (-ENOSYS, logged once). */
#define VT_LX_NO_SYSCALL (INT64_MIN + 1)

#define VT_LX_DECLARE(n) int64_t vt_lx_sys_##n(vt_lx_proc *p, const uint32_t *a);
VT_LX_SYSCALLS(VT_LX_DECLARE)
#undef VT_LX_DECLARE

static inline int64_t lx_ret(long r) {
    return r < 0 ? -errno : r;
}

/* A guest path argument as a malloc'd host path: /proc/self/exe names the guest program,
 * absolute paths go through the -L sysroot. NULL with *e set on a bad address. */
char *vt_lx_path(vt_lx_proc *p, uint32_t addr, int *e);
/* Signed 32-bit syscall argument (fds, AT_FDCWD, offsets). */
static inline int32_t lx_s32(uint32_t v) {
    return (int32_t)v;
}
/* A 64-bit argument passed in two registers; i is its position counting 32-bit slots
 * without padding (ARM EABI moves it to the next even register pair). */
static inline uint64_t lx_pair(const vt_lx_proc *p, const uint32_t *a, int i) {
    if (p->abi->pair_align && (i & 1)) i++;
    if (p->abi->endian == VT_BIG_ENDIAN) return (uint64_t)a[i] << 32 | a[i + 1];
    return a[i] | (uint64_t)a[i + 1] << 32;
}
/* Writes a struct described by a field table from values indexed by field id. */
int vt_lx_put_fields(vt_lx_proc *p, uint32_t addr, uint32_t size, const vt_lx_field *f,
                     const uint64_t *vals) VT_MUST_CHECK;
/* Guest timespec/timeval (32-bit fields, or 64-bit for the *_time64 calls). */
int vt_lx_get_timespec(vt_lx_proc *p, uint32_t addr, bool t64, struct timespec *ts) VT_MUST_CHECK;
int vt_lx_put_timespec(vt_lx_proc *p, uint32_t addr, bool t64,
                       const struct timespec *ts) VT_MUST_CHECK;
/* Logs an unsupported request once per key, so guests see -ENOSYS/-EINVAL but we see why. */
void vt_lx_log_once(vt_lx_proc *p, unsigned key, const char *fmt, ...) VT_PRINTF(3, 4);

#endif
