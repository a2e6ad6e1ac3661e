/* Process, identity, time and signal syscalls of Linux user mode: exit, fork via clone or
 * vfork (a host fork: one guest process per host process), execve (guest binaries re-run
 * under Vitrine, scripts through their interpreter, native binaries directly), wait4,
 * ids, limits, clocks and timers (32- and 64-bit time layouts), uname, sysinfo. */
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "machines/linux_user/lx_sys.h"

static int64_t do_exit(vt_lx_proc *p, uint32_t status) {
    p->exited = true;
    p->exit_status = (int)(status & 0xff);
    p->cpu->stop_at = 0;
    return VT_LX_RET_NONE;
}
int64_t vt_lx_sys_exit(vt_lx_proc *p, const uint32_t *a) {
    return do_exit(p, a[0]);
}
int64_t vt_lx_sys_exit_group(vt_lx_proc *p, const uint32_t *a) {
    return do_exit(p, a[0]);
}

#define ID0(name, expr)                                                                            \
    int64_t vt_lx_sys_##name(vt_lx_proc *p, const uint32_t *a) {                                   \
        VT_UNUSED(p);                                                                              \
        VT_UNUSED(a);                                                                              \
        return lx_ret((long)(expr));                                                               \
    }
ID0(getpid, getpid())
ID0(getppid, getppid())
ID0(gettid, gettid())
ID0(getuid, getuid())
ID0(geteuid, geteuid())
ID0(getgid, getgid())
ID0(getegid, getegid())
ID0(getpgrp, getpgrp())
ID0(setsid, setsid())
ID0(sched_yield, sched_yield())
ID0(getpgid, getpgid(lx_s32(a[0])))
ID0(getsid, getsid(lx_s32(a[0])))
ID0(setpgid, setpgid(lx_s32(a[0]), lx_s32(a[1])))
ID0(setuid, setuid(a[0]))
ID0(setgid, setgid(a[0]))
ID0(setreuid, setreuid(a[0], a[1]))
ID0(setregid, setregid(a[0], a[1]))
ID0(setresuid, setresuid(a[0], a[1], a[2]))
ID0(setresgid, setresgid(a[0], a[1], a[2]))
ID0(kill, kill(lx_s32(a[0]), vt_lx_sig_to_host(p->abi, lx_s32(a[1]))))
ID0(tkill, syscall(SYS_tkill, lx_s32(a[0]), vt_lx_sig_to_host(p->abi, lx_s32(a[1]))))
ID0(tgkill,
    syscall(SYS_tgkill, lx_s32(a[0]), lx_s32(a[1]), vt_lx_sig_to_host(p->abi, lx_s32(a[2]))))
ID0(getpriority, syscall(SYS_getpriority, lx_s32(a[0]), lx_s32(a[1])))
ID0(setpriority, setpriority((int)a[0], a[1], lx_s32(a[2])))
ID0(set_tid_address, gettid())

/* robust futex lists matter only to threads, which this user mode does not create */
int64_t vt_lx_sys_set_robust_list(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    return 0;
}
/* Deliberately absent (C libraries fall back silently): restartable sequences, membarrier,
 * robust-list queries. */
int64_t vt_lx_sys_get_robust_list(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    return -ENOSYS;
}
int64_t vt_lx_sys_rseq(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    return -ENOSYS;
}
int64_t vt_lx_sys_membarrier(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    return -ENOSYS;
}

static int64_t get_ids(vt_lx_proc *p, const uint32_t *a, bool gid) {
    uid_t r, e, s;
    if (gid ? getresgid(&r, &e, &s) : getresuid(&r, &e, &s)) return -errno;
    if (vt_lx_put32(p, a[0], r) || vt_lx_put32(p, a[1], e) || vt_lx_put32(p, a[2], s))
        return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_getresuid(vt_lx_proc *p, const uint32_t *a) {
    return get_ids(p, a, false);
}
int64_t vt_lx_sys_getresgid(vt_lx_proc *p, const uint32_t *a) {
    return get_ids(p, a, true);
}

int64_t vt_lx_sys_getgroups(vt_lx_proc *p, const uint32_t *a) {
    gid_t g[256];
    int32_t size = lx_s32(a[0]);
    if (size < 0) return -EINVAL;
    int n = getgroups(size > 256 ? 256 : size, g);
    if (n < 0) return -errno;
    for (int i = 0; i < n && size; i++)
        if (vt_lx_put32(p, a[1] + 4 * (uint32_t)i, g[i])) return -EFAULT;
    return n;
}
int64_t vt_lx_sys_setgroups(vt_lx_proc *p, const uint32_t *a) {
    gid_t g[256];
    if (a[0] > 256) return -EINVAL;
    for (uint32_t i = 0; i < a[0]; i++) {
        uint32_t v;
        if (vt_lx_get32(p, a[1] + 4 * i, &v)) return -EFAULT;
        g[i] = v;
    }
    return lx_ret(setgroups(a[0], g));
}

/* ---- fork / exec / wait ---- */

static int64_t do_fork(vt_lx_proc *p, uint32_t flags, uint32_t newsp, uint32_t ptid, uint32_t ctid,
                       uint32_t tls) {
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        vt_lx_log_once(p, 970, "clone with CLONE_VM (threads) flags 0x%x", flags);
        return -ENOSYS;
    }
    if ((flags & 0xff) != SIGCHLD && (flags & 0xff))
        vt_lx_log_once(p, 971, "clone exit signal %u", flags & 0xff);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid == 0) {
        if (flags & CLONE_CHILD_SETTID) {
            int ignored = vt_lx_put32(p, ctid, (uint32_t)getpid());
            VT_UNUSED(ignored);
        }
        /* a vfork child shares the parent's memory in Linux, so fork-time advice applies
           only to a real copy; a child that cannot apply it must not run on wrong memory */
        if (!(flags & CLONE_VM) && vt_lx_mem_after_fork(p)) {
            fprintf(stderr, "vitrine: cannot apply MADV_DONTFORK/WIPEONFORK in a fork child\n");
            _exit(127);
        }
        p->abi->child_setup(p, (flags & CLONE_VFORK) ? 0 : newsp, (flags & CLONE_SETTLS) != 0, tls);
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID) {
        int ignored = vt_lx_put32(p, ptid, (uint32_t)pid);
        VT_UNUSED(ignored);
    }
    return pid;
}

int64_t vt_lx_sys_clone(vt_lx_proc *p, const uint32_t *a) {
    uint32_t flags, newsp, ptid, ctid, tls;
    p->abi->clone_args(a, &flags, &newsp, &ptid, &ctid, &tls);
    return do_fork(p, flags, newsp, ptid, ctid, tls);
}
/* vfork runs as a host fork too (the parent does not wait for the child's exec, which no
   program can tell apart except through memory the child writes) */
int64_t vt_lx_sys_vfork(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(a);
    return do_fork(p, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}
int64_t vt_lx_sys_fork(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(a);
    return do_fork(p, SIGCHLD, 0, 0, 0, 0);
}

/* Reads a NULL-terminated guest pointer array of strings. */
static char **get_strv(vt_lx_proc *p, uint32_t addr, int *count) {
    size_t n = 0, cap = 16;
    char **v = calloc(cap, sizeof *v);
    if (!v) return NULL;
    for (; addr; n++) {
        uint32_t s;
        if (vt_lx_get32(p, addr + 4 * (uint32_t)n, &s)) goto fail;
        if (!s) break;
        if (n + 2 >= cap) {
            cap *= 2;
            char **nv = realloc(v, cap * sizeof *v);
            if (!nv) goto fail;
            v = nv;
        }
        if (!(v[n] = vt_lx_strdup(p, s))) goto fail;
        v[n + 1] = NULL;
    }
    v[n] = NULL;
    *count = (int)n;
    return v;
fail:
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return NULL;
}

static void free_strv(char **v) {
    if (!v) return;
    for (char **s = v; *s; s++)
        free(*s);
    free(v);
}

/* What kind of file a path is: 1 our guest ELF, 2 a #! script, 0 anything else. */
static int classify(vt_lx_proc *p, const char *host, char *interp, size_t ilen) {
    int fd = open(host, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    uint8_t b[256];
    ssize_t n = read(fd, b, sizeof b - 1);
    close(fd);
    if (n >= 20 &&
        !memcmp(b,
                "\x7f"
                "ELF",
                4) &&
        b[4] == 1) {
        uint16_t m = (uint16_t)vt_lx_load(p->abi, b + 18, 2);
        return m == p->abi->elf_machine ? 1 : 0;
    }
    if (n > 2 && b[0] == '#' && b[1] == '!') {
        b[n] = 0;
        char *nl = memchr(b, '\n', (size_t)n);
        if (nl) *nl = 0;
        snprintf(interp, ilen, "%s", (char *)b + 2);
        return 2;
    }
    return 0;
}

int64_t vt_lx_sys_execve(vt_lx_proc *p, const uint32_t *a) {
    char *g = vt_lx_strdup(p, a[0]);
    if (!g) return -EFAULT;
    int argc = 0, envc = 0;
    char **argv = get_strv(p, a[1], &argc), **envp = get_strv(p, a[2], &envc);
    char *prog = strcmp(g, "/proc/self/exe") ? strdup(g) : strdup(p->exe_guest);
    char *host = prog ? vt_lx_host_path(p, prog) : NULL;
    int64_t r = -ENOMEM;
    char **hv = NULL;
    if (!argv || !envp || !host) goto out;
    if (access(host, F_OK)) {
        r = -errno;
        goto out;
    }
    if (access(host, X_OK)) {
        r = -EACCES;
        goto out;
    }
    char interp[256];
    int kind = classify(p, host, interp, sizeof interp);
    /* scripts: "#!interp [arg]" becomes interp [arg] path args... (fs/binfmt_script.c) */
    char *iarg = NULL, *ipath = NULL;
    if (kind == 2) {
        char *s = interp;
        while (*s == ' ' || *s == '\t')
            s++;
        ipath = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s) {
            *s++ = 0;
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s) {
                iarg = s;
                size_t l = strlen(iarg);
                while (l && (iarg[l - 1] == ' ' || iarg[l - 1] == '\t'))
                    iarg[--l] = 0;
            }
        }
        char *ih = vt_lx_host_path(p, ipath);
        if (!ih) goto out;
        char dummy[256];
        kind = classify(p, ih, dummy, sizeof dummy) == 1 ? 3 : 4;
        free(host);
        host = ih;
    }
    hv = calloc((size_t)argc + 16, sizeof *hv);
    if (!hv) goto out;
    int n = 0;
    if (kind == 1 || kind == 3) {
        hv[n++] = p->vitrine;
        hv[n++] = (char *)"user";
        hv[n++] = (char *)p->abi->name;
        if (p->sysroot) {
            hv[n++] = (char *)"-L";
            hv[n++] = p->sysroot;
        }
        if (p->cpu_model) {
            hv[n++] = (char *)"--cpu";
            hv[n++] = (char *)p->cpu_model;
        }
        hv[n++] = (char *)"--jit";
        hv[n++] = (char *)vt_jit_mode_name(p->jit);
        hv[n++] = (char *)"-0";
        hv[n++] = kind == 3 ? ipath : (argc ? argv[0] : prog);
        hv[n++] = (char *)"--";
        hv[n++] = kind == 3 ? ipath : prog;
    } else {
        hv[n++] = kind == 4 ? ipath : (argc ? argv[0] : prog);
    }
    if (kind >= 3) {
        if (iarg) hv[n++] = iarg;
        hv[n++] = prog;
    }
    for (int i = 1; i < argc; i++)
        hv[n++] = argv[i];
    hv[n] = NULL;
    fflush(NULL);
    if (kind == 1 || kind == 3)
        execve(p->vitrine, hv, envp);
    else
        execve(host, hv, envp);
    r = -errno;
out:
    free(hv);
    free(host);
    free(prog);
    free(g);
    free_strv(argv);
    free_strv(envp);
    return r;
}

static int put_timeval(vt_lx_proc *p, uint32_t addr, int64_t sec, int64_t usec) {
    uint8_t *h = vt_lx_ptr(p, addr, 8, VT_PERM_W);
    if (!h) return -EFAULT;
    vt_lx_store(p->abi, h, 4, (uint64_t)sec);
    vt_lx_store(p->abi, h + 4, 4, (uint64_t)usec);
    return 0;
}

/* struct rusage with 32-bit longs: two timevals then 14 counters */
static int put_rusage(vt_lx_proc *p, uint32_t addr, const struct rusage *ru) {
    uint8_t *h = vt_lx_ptr(p, addr, 72, VT_PERM_W);
    if (!h) return -EFAULT;
    const long *cnt = &ru->ru_maxrss;
    if (put_timeval(p, addr, ru->ru_utime.tv_sec, ru->ru_utime.tv_usec) ||
        put_timeval(p, addr + 8, ru->ru_stime.tv_sec, ru->ru_stime.tv_usec))
        return -EFAULT;
    for (int i = 0; i < 14; i++)
        vt_lx_store(p->abi, h + 16 + 4 * i, 4, (uint64_t)cnt[i]);
    return 0;
}

int64_t vt_lx_sys_wait4(vt_lx_proc *p, const uint32_t *a) {
    int st;
    struct rusage ru;
    pid_t r = wait4(lx_s32(a[0]), &st, (int)a[2], a[3] ? &ru : NULL);
    if (r < 0) return -errno;
    /* the encoding is the same on every Linux architecture; the signal numbers are not */
    if (r > 0 && a[1] && vt_lx_put32(p, a[1], (uint32_t)vt_lx_wstatus_to_guest(p->abi, st)))
        return -EFAULT;
    if (r > 0 && a[3] && put_rusage(p, a[3], &ru)) return -EFAULT;
    return r;
}

int64_t vt_lx_sys_getrusage(vt_lx_proc *p, const uint32_t *a) {
    struct rusage ru;
    if (getrusage(lx_s32(a[0]), &ru)) return -errno;
    return put_rusage(p, a[1], &ru);
}

/* ---- system information ---- */

int64_t vt_lx_sys_uname(vt_lx_proc *p, const uint32_t *a) {
    struct utsname u;
    if (uname(&u)) return -errno;
    char *o = vt_lx_ptr(p, a[0], 6 * 65, VT_PERM_W);
    if (!o) return -EFAULT;
    memset(o, 0, 6 * 65);
    snprintf(o, 65, "%s", u.sysname);
    snprintf(o + 65, 65, "%s", u.nodename);
    snprintf(o + 130, 65, "%s", u.release);
    snprintf(o + 195, 65, "%s", u.version);
    snprintf(o + 260, 65, "%s", p->abi->uname_machine);
    snprintf(o + 325, 65, "%s", u.domainname);
    return 0;
}

int64_t vt_lx_sys_sysinfo(vt_lx_proc *p, const uint32_t *a) {
    struct sysinfo s;
    if (sysinfo(&s)) return -errno;
    uint8_t *o = vt_lx_ptr(p, a[0], 64, VT_PERM_W);
    if (!o) return -EFAULT;
    /* scale memory figures into 32 bits the way the kernel's compat path does */
    uint64_t unit = s.mem_unit ? s.mem_unit : 1;
    uint64_t big = s.totalram > s.totalswap ? s.totalram : s.totalswap;
    while (big * unit > UINT32_MAX && unit < (1u << 30))
        unit <<= 1;
    uint64_t div = unit / (s.mem_unit ? s.mem_unit : 1);
    const vt_lx_abi *abi = p->abi;
    memset(o, 0, 64);
    vt_lx_store(abi, o, 4, (uint64_t)s.uptime);
    for (int i = 0; i < 3; i++)
        vt_lx_store(abi, o + 4 + 4 * i, 4, s.loads[i]);
    uint64_t mem[6] = {s.totalram, s.freeram, s.sharedram, s.bufferram, s.totalswap, s.freeswap};
    for (int i = 0; i < 6; i++)
        vt_lx_store(abi, o + 16 + 4 * i, 4, mem[i] / div);
    vt_lx_store(abi, o + 40, 2, s.procs);
    vt_lx_store(abi, o + 44, 4, s.totalhigh / div);
    vt_lx_store(abi, o + 48, 4, s.freehigh / div);
    vt_lx_store(abi, o + 52, 4, unit);
    return 0;
}

static uint32_t rlim32(rlim_t v) {
    return v == RLIM_INFINITY || v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

int64_t vt_lx_sys_getrlimit(vt_lx_proc *p, const uint32_t *a) {
    struct rlimit r;
    if (getrlimit((int)a[0], &r)) return -errno;
    if (vt_lx_put32(p, a[1], rlim32(r.rlim_cur)) || vt_lx_put32(p, a[1] + 4, rlim32(r.rlim_max)))
        return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_setrlimit(vt_lx_proc *p, const uint32_t *a) {
    uint32_t c, m;
    if (vt_lx_get32(p, a[1], &c) || vt_lx_get32(p, a[1] + 4, &m)) return -EFAULT;
    struct rlimit r = {c == UINT32_MAX ? RLIM_INFINITY : c, m == UINT32_MAX ? RLIM_INFINITY : m};
    return lx_ret(setrlimit((int)a[0], &r));
}
int64_t vt_lx_sys_prlimit64(vt_lx_proc *p, const uint32_t *a) {
    struct rlimit n, o;
    if (a[2]) {
        const uint8_t *h = vt_lx_ptr(p, a[2], 16, VT_PERM_R);
        if (!h) return -EFAULT;
        n.rlim_cur = vt_lx_load(p->abi, h, 8);
        n.rlim_max = vt_lx_load(p->abi, h + 8, 8);
    }
    if (prlimit(lx_s32(a[0]), (int)a[1], a[2] ? &n : NULL, a[3] ? &o : NULL)) return -errno;
    if (a[3]) {
        uint8_t *h = vt_lx_ptr(p, a[3], 16, VT_PERM_W);
        if (!h) return -EFAULT;
        vt_lx_store(p->abi, h, 8, o.rlim_cur);
        vt_lx_store(p->abi, h + 8, 8, o.rlim_max);
    }
    return 0;
}

int64_t vt_lx_sys_prctl(vt_lx_proc *p, const uint32_t *a) {
    switch (a[0]) {
    case PR_SET_NAME: {
        char name[16];
        const char *g = vt_lx_ptr(p, a[1], 1, VT_PERM_R);
        if (!g) return -EFAULT;
        char *s = vt_lx_strdup(p, a[1]);
        if (!s) return -EFAULT;
        snprintf(name, sizeof name, "%s", s);
        free(s);
        return lx_ret(prctl(PR_SET_NAME, name));
    }
    case PR_GET_NAME: {
        char name[16] = {0};
        if (prctl(PR_GET_NAME, name)) return -errno;
        return vt_lx_put_bytes(p, a[1], name, 16) ? -EFAULT : 0;
    }
    case PR_SET_PDEATHSIG:
        return lx_ret(prctl(PR_SET_PDEATHSIG, vt_lx_sig_to_host(p->abi, lx_s32(a[1])), 0, 0, 0));
    case PR_SET_DUMPABLE:
        return lx_ret(prctl((int)a[0], a[1], 0, 0, 0));
    case PR_GET_DUMPABLE:
        return lx_ret(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    default:
        vt_lx_log_once(p, 975, "prctl option %u", a[0]);
        return -EINVAL;
    }
}

int64_t vt_lx_sys_getrandom(vt_lx_proc *p, const uint32_t *a) {
    void *h = vt_lx_ptr(p, a[0], a[1], VT_PERM_W);
    if (!h && a[1]) return -EFAULT;
    return lx_ret(getrandom(h, a[1], a[2]));
}

int64_t vt_lx_sys_sched_getaffinity(vt_lx_proc *p, const uint32_t *a) {
    cpu_set_t set;
    long r = syscall(SYS_sched_getaffinity, lx_s32(a[0]), sizeof set, &set);
    if (r < 0) return -errno;
    uint32_t n = (uint32_t)r < a[1] ? (uint32_t)r : a[1];
    if (a[1] < 4) return -EINVAL;
    /* little-endian bitmask bytes equal 32-bit LE words; big-endian ABIs swap per word */
    uint8_t *o = vt_lx_ptr(p, a[2], n, VT_PERM_W);
    if (!o) return -EFAULT;
    for (uint32_t w = 0; w + 4 <= n; w += 4) {
        uint32_t v;
        memcpy(&v, (uint8_t *)&set + w, 4);
        vt_lx_store(p->abi, o + w, 4, v);
    }
    return n;
}

/* ---- time ---- */

int64_t vt_lx_sys_gettimeofday(vt_lx_proc *p, const uint32_t *a) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (a[0] && put_timeval(p, a[0], tv.tv_sec, tv.tv_usec)) return -EFAULT;
    if (a[1] && (vt_lx_put32(p, a[1], 0) || vt_lx_put32(p, a[1] + 4, 0))) return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_settimeofday(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(p);
    VT_UNUSED(a);
    return -EPERM; /* the host clock is not the guest's to set */
}

static int64_t clock_get(vt_lx_proc *p, const uint32_t *a, bool t64, bool res) {
    struct timespec ts;
    if ((res ? clock_getres : clock_gettime)((clockid_t)lx_s32(a[0]), &ts)) return -errno;
    if (a[1] && vt_lx_put_timespec(p, a[1], t64, &ts)) return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_clock_gettime(vt_lx_proc *p, const uint32_t *a) {
    return clock_get(p, a, false, false);
}
int64_t vt_lx_sys_clock_gettime64(vt_lx_proc *p, const uint32_t *a) {
    return clock_get(p, a, true, false);
}
int64_t vt_lx_sys_clock_getres(vt_lx_proc *p, const uint32_t *a) {
    return clock_get(p, a, false, true);
}
int64_t vt_lx_sys_clock_getres_time64(vt_lx_proc *p, const uint32_t *a) {
    return clock_get(p, a, true, true);
}

static int64_t do_sleep(vt_lx_proc *p, clockid_t clk, int flags, uint32_t req, uint32_t rem,
                        bool t64) {
    struct timespec r, left;
    if (vt_lx_get_timespec(p, req, t64, &r)) return -EFAULT;
    int e = clock_nanosleep(clk, flags, &r, &left);
    if (e == EINTR && rem && !(flags & TIMER_ABSTIME) && vt_lx_put_timespec(p, rem, t64, &left))
        return -EFAULT;
    return -e;
}
int64_t vt_lx_sys_nanosleep(vt_lx_proc *p, const uint32_t *a) {
    return do_sleep(p, CLOCK_MONOTONIC, 0, a[0], a[1], false);
}
int64_t vt_lx_sys_clock_nanosleep(vt_lx_proc *p, const uint32_t *a) {
    return do_sleep(p, (clockid_t)lx_s32(a[0]), (int)a[1], a[2], a[3], false);
}
int64_t vt_lx_sys_clock_nanosleep_time64(vt_lx_proc *p, const uint32_t *a) {
    return do_sleep(p, (clockid_t)lx_s32(a[0]), (int)a[1], a[2], a[3], true);
}

int64_t vt_lx_sys_times(vt_lx_proc *p, const uint32_t *a) {
    struct tms t;
    clock_t r = times(&t);
    if (a[0]) {
        uint8_t *o = vt_lx_ptr(p, a[0], 16, VT_PERM_W);
        if (!o) return -EFAULT;
        vt_lx_store(p->abi, o, 4, (uint64_t)t.tms_utime);
        vt_lx_store(p->abi, o + 4, 4, (uint64_t)t.tms_stime);
        vt_lx_store(p->abi, o + 8, 4, (uint64_t)t.tms_cutime);
        vt_lx_store(p->abi, o + 12, 4, (uint64_t)t.tms_cstime);
    }
    return (int64_t)(int32_t)(uint32_t)r;
}

static int get_itimerval(vt_lx_proc *p, uint32_t addr, struct itimerval *v) {
    const uint8_t *h = vt_lx_ptr(p, addr, 16, VT_PERM_R);
    if (!h) return -EFAULT;
    v->it_interval.tv_sec = (int32_t)vt_lx_load(p->abi, h, 4);
    v->it_interval.tv_usec = (int32_t)vt_lx_load(p->abi, h + 4, 4);
    v->it_value.tv_sec = (int32_t)vt_lx_load(p->abi, h + 8, 4);
    v->it_value.tv_usec = (int32_t)vt_lx_load(p->abi, h + 12, 4);
    return 0;
}
static int put_itimerval(vt_lx_proc *p, uint32_t addr, const struct itimerval *v) {
    if (put_timeval(p, addr, v->it_interval.tv_sec, v->it_interval.tv_usec) ||
        put_timeval(p, addr + 8, v->it_value.tv_sec, v->it_value.tv_usec))
        return -EFAULT;
    return 0;
}
int64_t vt_lx_sys_getitimer(vt_lx_proc *p, const uint32_t *a) {
    struct itimerval v;
    if (getitimer((__itimer_which_t)a[0], &v)) return -errno;
    return put_itimerval(p, a[1], &v);
}
int64_t vt_lx_sys_setitimer(vt_lx_proc *p, const uint32_t *a) {
    struct itimerval n, o;
    if (get_itimerval(p, a[1], &n)) return -EFAULT;
    if (setitimer((__itimer_which_t)a[0], &n, &o)) return -errno;
    return a[2] ? put_itimerval(p, a[2], &o) : 0;
}

/* ---- futexes: one thread per process, so WAKE finds nobody and WAIT sleeps ---- */

static int64_t do_futex(vt_lx_proc *p, const uint32_t *a, bool t64) {
    unsigned op = a[1] & 0x7f; /* without FUTEX_PRIVATE_FLAG / CLOCK_REALTIME */
    uint32_t cur;
    if (vt_lx_get32(p, a[0], &cur)) return -EFAULT;
    switch (op) {
    case 1:  /* WAKE */
    case 10: /* WAKE_BITSET */
        return 0;
    case 0:   /* WAIT */
    case 9: { /* WAIT_BITSET */
        if (cur != a[2]) return -EAGAIN;
        struct timespec ts;
        if (!a[3]) {
            pause(); /* nobody else can wake us: only a signal ends this */
            return -EINTR;
        }
        if (vt_lx_get_timespec(p, a[3], t64, &ts)) return -EFAULT;
        int e = clock_nanosleep(CLOCK_MONOTONIC, op == 9 ? TIMER_ABSTIME : 0, &ts, NULL);
        return e ? -e : -ETIMEDOUT;
    }
    default:
        vt_lx_log_once(p, 980, "futex op %u", op);
        return -ENOSYS;
    }
}
int64_t vt_lx_sys_futex(vt_lx_proc *p, const uint32_t *a) {
    return do_futex(p, a, false);
}
int64_t vt_lx_sys_futex_time64(vt_lx_proc *p, const uint32_t *a) {
    return do_futex(p, a, true);
}

/* ---- signals ---- */

int64_t vt_lx_sys_rt_sigaction(vt_lx_proc *p, const uint32_t *a) {
    if (a[3] != p->abi->sigset_bytes) return -EINVAL;
    return vt_lx_sys_rt_sigaction_impl(p, lx_s32(a[0]), a[1], a[2]);
}
int64_t vt_lx_sys_rt_sigprocmask(vt_lx_proc *p, const uint32_t *a) {
    if (a[3] != p->abi->sigset_bytes) return -EINVAL;
    return vt_lx_sys_rt_sigprocmask_impl(p, lx_s32(a[0]), a[1], a[2]);
}
int64_t vt_lx_sys_rt_sigsuspend(vt_lx_proc *p, const uint32_t *a) {
    return vt_lx_sys_rt_sigsuspend_impl(p, a[0]);
}
int64_t vt_lx_sys_rt_sigpending(vt_lx_proc *p, const uint32_t *a) {
    return vt_lx_sys_rt_sigpending_impl(p, a[0]);
}
int64_t vt_lx_sys_rt_sigreturn(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(a);
    return p->abi->sigreturn(p, true);
}
int64_t vt_lx_sys_sigreturn(vt_lx_proc *p, const uint32_t *a) {
    VT_UNUSED(a);
    return p->abi->sigreturn(p, false);
}

int64_t vt_lx_sys_rt_sigtimedwait(vt_lx_proc *p, const uint32_t *a) {
    uint32_t lo, hi;
    if (vt_lx_get32(p, a[0], &lo) || vt_lx_get32(p, a[0] + 4, &hi)) return -EFAULT;
    sigset_t set;
    vt_lx_host_sigset(p->abi, lo | (uint64_t)hi << 32, &set);
    struct timespec ts;
    if (a[2] && vt_lx_get_timespec(p, a[2], false, &ts)) return -EFAULT;
    siginfo_t si;
    int r = sigtimedwait(&set, &si, a[2] ? &ts : NULL);
    if (r < 0) return -errno;
    if (a[1]) {
        uint8_t *o = vt_lx_ptr(p, a[1], 128, VT_PERM_W);
        if (!o) return -EFAULT;
        memset(o, 0, 128);
        vt_lx_store(p->abi, o, 4, (uint32_t)vt_lx_sig_to_guest(p->abi, si.si_signo));
        vt_lx_store(p->abi, o + 4, 4, (uint32_t)vt_lx_errno_to_guest(p->abi, si.si_errno));
        vt_lx_store(p->abi, o + 8, 4, (uint32_t)si.si_code);
        vt_lx_store(p->abi, o + 12, 4, (uint32_t)si.si_pid);
        vt_lx_store(p->abi, o + 16, 4, si.si_uid);
    }
    return vt_lx_sig_to_guest(p->abi, r);
}

/* stack_t: ss_sp, ss_flags, ss_size (32-bit) */
int64_t vt_lx_sys_sigaltstack(vt_lx_proc *p, const uint32_t *a) {
    if (a[1]) {
        uint8_t *o = vt_lx_ptr(p, a[1], 12, VT_PERM_W);
        if (!o) return -EFAULT;
        vt_lx_store(p->abi, o, 4, p->altstack_sp);
        vt_lx_store(p->abi, o + 4, 4, p->altstack_size ? 0 : 2 /* SS_DISABLE */);
        vt_lx_store(p->abi, o + 8, 4, p->altstack_size);
    }
    if (a[0]) {
        const uint8_t *g = vt_lx_ptr(p, a[0], 12, VT_PERM_R);
        if (!g) return -EFAULT;
        uint32_t sp = (uint32_t)vt_lx_load(p->abi, g, 4),
                 fl = (uint32_t)vt_lx_load(p->abi, g + 4, 4);
        uint32_t sz = (uint32_t)vt_lx_load(p->abi, g + 8, 4);
        if (fl & 2) {
            p->altstack_sp = p->altstack_size = 0;
        } else {
            if (sz < 2048) return -ENOMEM;
            p->altstack_sp = sp;
            p->altstack_size = sz;
        }
        p->altstack_flags = fl;
    }
    return 0;
}
