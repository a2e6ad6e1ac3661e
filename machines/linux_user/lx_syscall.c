/* Syscall dispatch for Linux user mode: the ABI's number table maps a guest syscall
 * number to a generic handler (one per VT_LX_SYSCALLS entry). Unknown numbers return
 * -ENOSYS and are logged once. Also the shared marshalling helpers of lx_sys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "machines/linux_user/lx_sys.h"

typedef int64_t (*sys_fn)(vt_lx_proc *p, const uint32_t *a);

static const sys_fn handlers[VT_SYS_COUNT] = {
#define VT_LX_ENTRY(n) [VT_SYS_##n] = vt_lx_sys_##n,
    VT_LX_SYSCALLS(VT_LX_ENTRY)
#undef VT_LX_ENTRY
};

static const char *const names[VT_SYS_COUNT] = {
#define VT_LX_NAME(n) [VT_SYS_##n] = #n,
    VT_LX_SYSCALLS(VT_LX_NAME)
#undef VT_LX_NAME
};

void vt_lx_log_once(vt_lx_proc *p, unsigned key, const char *fmt, ...) {
    key %= 1000; /* slots 1000..1023 are the ABIs' own */
    if (p->unknown_logged[key / 8] & (1u << (key % 8))) return;
    p->unknown_logged[key / 8] |= (uint8_t)(1u << (key % 8));
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vt_log(VT_LOG_UNIMP, "unimplemented: %s", msg);
}

int64_t vt_lx_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    unsigned id = nr < p->abi->nsysnr ? p->abi->sysnr[nr] : 0;
    if (!id) {
        vt_lx_log_once(p, nr, "%s syscall %u", p->abi->name, nr);
        return -ENOSYS;
    }
    int64_t r = handlers[id](p, a);
    if (vt_log_enabled(VT_LOG_SYSCALL))
        vt_log(VT_LOG_SYSCALL, "%s(0x%x, 0x%x, 0x%x, 0x%x) = %lld", names[id], a[0], a[1], a[2],
               a[3], (long long)r);
    return r;
}

char *vt_lx_path(vt_lx_proc *p, uint32_t addr, int *e) {
    char *g = vt_lx_strdup(p, addr);
    if (!g) {
        *e = -EFAULT;
        return NULL;
    }
    char *h;
    if (!strcmp(g, "/proc/self/exe"))
        h = strdup(p->exe_host);
    else
        h = vt_lx_host_path(p, g);
    free(g);
    if (!h) *e = -ENOMEM;
    return h;
}

int vt_lx_put_fields(vt_lx_proc *p, uint32_t addr, uint32_t size, const vt_lx_field *f,
                     const uint64_t *vals) {
    uint8_t *h = vt_lx_ptr(p, addr, size, VT_PERM_W);
    if (!h) return -EFAULT;
    memset(h, 0, size);
    for (; f->id; f++)
        vt_lx_store(p->abi, h + f->off, f->size, vals[f->id]);
    return 0;
}

int vt_lx_get_timespec(vt_lx_proc *p, uint32_t addr, bool t64, struct timespec *ts) {
    unsigned w = t64 ? 8 : 4;
    const uint8_t *h = vt_lx_ptr(p, addr, 2 * w, VT_PERM_R);
    if (!h) return -EFAULT;
    if (t64) {
        ts->tv_sec = (time_t)(int64_t)vt_lx_load(p->abi, h, 8);
        ts->tv_nsec = (long)(int32_t)vt_lx_load(p->abi, h + 8, 4);
        if (p->abi->endian == VT_BIG_ENDIAN)
            ts->tv_nsec = (long)(int32_t)vt_lx_load(p->abi, h + 12, 4);
    } else {
        ts->tv_sec = (int32_t)vt_lx_load(p->abi, h, 4);
        ts->tv_nsec = (int32_t)vt_lx_load(p->abi, h + 4, 4);
    }
    return 0;
}

int vt_lx_put_timespec(vt_lx_proc *p, uint32_t addr, bool t64, const struct timespec *ts) {
    unsigned w = t64 ? 8 : 4;
    uint8_t *h = vt_lx_ptr(p, addr, 2 * w, VT_PERM_W);
    if (!h) return -EFAULT;
    vt_lx_store(p->abi, h, w, (uint64_t)ts->tv_sec);
    vt_lx_store(p->abi, h + w, w, (uint64_t)ts->tv_nsec);
    return 0;
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
        if ((host & t[i].host) == t[i].host && t[i].host) {
            g |= t[i].guest;
        }
    return g;
}
