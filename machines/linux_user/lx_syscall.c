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

/* A syscall handler (or the ABI's own calls) and its arguments, run under the fault guard (a host
 * fault on guest memory inside a syscall is -EFAULT, as copy_to_user/copy_from_user report it in
 * Linux). */
struct call {
    sys_fn fn;
    uint32_t fn_nr; /* the guest number, for the ABI's own calls */
    const uint32_t *a;
};
static int64_t run_call(vt_lx_proc *p, void *arg) {
    const struct call *c = arg;
    return c->fn(p, c->a);
}

static int64_t run_arch(vt_lx_proc *p, void *arg) {
    const struct call *c = arg;
    return p->abi->arch_syscall(p, c->fn_nr, c->a);
}

int64_t vt_lx_dispatch(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    unsigned id = nr < p->abi->nsysnr ? p->abi->sysnr[nr] : 0;
    struct call c = {id ? handlers[id] : NULL, nr, a};
    int64_t r = vt_lx_guarded(p, id ? run_call : run_arch, &c);
    if (r == VT_LX_NO_SYSCALL) {
        vt_lx_log_once(p, nr, "%s syscall %u", p->abi->name, nr);
        return -ENOSYS;
    }
    if (id && vt_log_enabled(VT_LOG_SYSCALL))
        vt_log(VT_LOG_SYSCALL, "%s(0x%x, 0x%x, 0x%x, 0x%x) = %lld", names[id], a[0], a[1], a[2],
               a[3], (long long)r);
    return r;
}

int64_t vt_lx_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    return vt_lx_result_to_guest(p->abi, vt_lx_dispatch(p, nr, a));
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
