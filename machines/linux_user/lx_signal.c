/* Signals in Linux user mode. Guest dispositions are mirrored onto the host (SIG_DFL and
 * SIG_IGN as such, handlers via one host handler that records the signal), and the guest
 * mask onto the host mask, so the host kernel does the queueing and blocking syscalls get
 * EINTR. Pending signals are delivered to guest handlers between instructions by building
 * the ABI's signal frame; default actions kill the emulator with the same signal so the
 * parent sees the same wait status. Host signal state is per host process by nature: one
 * guest process per host process (fork/exec keep that 1:1). Everything here is in guest
 * signal numbering (act[], masks, pending bits); lx_xlat.c converts at the host calls. */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "machines/linux_user/lx_abi.h"

static volatile sig_atomic_t host_pending[VT_LX_NSIG];
static siginfo_t host_info[VT_LX_NSIG];
/* the running core's stop_at: a host signal ends the current slice promptly */
static uint64_t *volatile stop_slice;

static void host_handler(int sig, siginfo_t *info, void *uc) {
    VT_UNUSED(uc);
    if (sig <= 0 || sig >= VT_LX_NSIG) return;
    host_info[sig] = *info;
    host_pending[sig] = 1;
    if (stop_slice) *stop_slice = 0;
}

static bool synchronous(int sig) {
    return sig == SIGSEGV || sig == SIGILL || sig == SIGBUS || sig == SIGFPE || sig == SIGTRAP;
}

static bool host_managed(int sig) {
    return !synchronous(sig) && sig != SIGKILL && sig != SIGSTOP && sig < SIGRTMIN;
}

static uint64_t bit(int sig) {
    return 1ull << (sig - 1);
}

static int host_sig(const vt_lx_proc *p, int sig) {
    return vt_lx_sig_to_host(p->abi, sig);
}

static void apply_host_action(vt_lx_proc *p, int sig) {
    int hs = host_sig(p, sig);
    if (hs <= 0 || hs >= VT_LX_NSIG || !host_managed(hs)) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (p->act[sig].handler == 0)
        sa.sa_handler = SIG_DFL;
    else if (p->act[sig].handler == 1)
        sa.sa_handler = SIG_IGN;
    else {
        sa.sa_sigaction = host_handler;
        sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: the guest's flag decides */
    }
    sigaction(hs, &sa, NULL);
}

void vt_lx_set_blocked(vt_lx_proc *p, uint64_t mask) {
    const vt_lx_abi *abi = p->abi;
    mask &= ~(bit(vt_lx_sig_to_guest(abi, SIGKILL)) | bit(vt_lx_sig_to_guest(abi, SIGSTOP)));
    p->blocked = mask;
    uint64_t host = vt_lx_sigset_to_host(abi, mask);
    sigset_t hs;
    sigemptyset(&hs);
    for (int s = 1; s < VT_LX_NSIG; s++)
        if ((host & bit(s)) && host_managed(s)) sigaddset(&hs, s);
    sigprocmask(SIG_SETMASK, &hs, NULL);
}

void vt_lx_signals_init(vt_lx_proc *p) {
    /* dispositions: ignored signals and the mask survive execve */
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    uint64_t mask = 0;
    memset(p->act, 0, sizeof p->act);
    for (int s = 1; s < VT_LX_NSIG; s++) { /* host numbering */
        struct sigaction old;
        int g = vt_lx_sig_to_guest(p->abi, s);
        if (g <= 0 || g >= VT_LX_NSIG) continue;
        if (host_managed(s) && !sigaction(s, NULL, &old) && old.sa_handler == SIG_IGN)
            p->act[g].handler = 1;
        if (s < SIGRTMIN && sigismember(&cur, s)) mask |= bit(s);
    }
    for (int g = 1; g < VT_LX_NSIG; g++)
        apply_host_action(p, g);
    vt_lx_set_blocked(p, vt_lx_sigset_to_guest(p->abi, mask));
    stop_slice = &p->cpu->stop_at;
}

void vt_lx_signals_fini(void) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    stop_slice = NULL;
}

/* A host signal recorded by host_handler that the guest does not block: its guest number. */
static int host_ready(const vt_lx_proc *p, int s) {
    int g = vt_lx_sig_to_guest(p->abi, s);
    return host_pending[s] && g > 0 && g < VT_LX_NSIG && !(p->blocked & bit(g)) ? g : 0;
}

bool vt_lx_signal_pending(const vt_lx_proc *p) {
    if (p->pending & ~p->blocked) return true;
    for (int s = 1; s < VT_LX_NSIG; s++)
        if (host_ready(p, s)) return true;
    return false;
}

void vt_lx_die_by_signal(vt_lx_proc *p, int guest_sig) {
    int sig = host_sig(p, guest_sig);
    struct rlimit nocore = {0, 0};
    setrlimit(RLIMIT_CORE, &nocore);
    signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    raise(sig);
    _exit(128 + sig);
}

static bool default_ignored(int sig) {
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

struct frame_call {
    const vt_lx_sigaction *act;
    const vt_lx_siginfo *info;
    uint64_t oldmask;
};
static int64_t build_frame(vt_lx_proc *p, void *arg) {
    const struct frame_call *f = arg;
    return p->abi->setup_frame(p, f->act, f->info, f->oldmask);
}

void vt_lx_signals_deliver(vt_lx_proc *p, bool interrupted) {
    if (p->no_restart) interrupted = false;
    p->no_restart = false;
    for (;;) {
        int sig = 0;
        vt_lx_siginfo info = {0};
        uint64_t ready = p->pending & ~p->blocked;
        if (ready) {
            sig = __builtin_ctzll(ready) + 1;
            p->pending &= ~bit(sig);
            info = p->fault;
        } else {
            int from = 0; /* the host signal */
            for (int s = 1; s < VT_LX_NSIG && !sig; s++)
                if ((sig = host_ready(p, s))) from = s;
            if (!sig) break;
            host_pending[from] = 0;
            const siginfo_t *hi = &host_info[from];
            info.signo = sig;
            info.code = hi->si_code;
            info.err = vt_lx_errno_to_guest(p->abi, hi->si_errno);
            info.pid = hi->si_pid;
            info.uid = hi->si_uid;
            if (from == SIGCHLD) /* an exit code, or the signal that killed or stopped it */
                info.status = hi->si_code == CLD_EXITED ? hi->si_status
                                                        : vt_lx_sig_to_guest(p->abi, hi->si_status);
        }
        const vt_lx_sigaction *act = &p->act[sig];
        int hs = host_sig(p, sig);
        if (act->handler == 1) continue;
        if (act->handler == 0) {
            if (default_ignored(hs)) continue;
            if (hs == SIGTSTP || hs == SIGTTIN || hs == SIGTTOU) {
                raise(SIGSTOP);
                continue;
            }
            vt_lx_die_by_signal(p, sig);
        }
        if (interrupted) {
            if (act->flags & p->abi->sa_restart) p->abi->restart_syscall(p);
            interrupted = false;
        }
        uint64_t oldmask = p->saved_mask_valid ? p->saved_mask : p->blocked;
        p->saved_mask_valid = false;
        struct frame_call fc = {act, &info, oldmask};
        /* a frame that cannot be written (bad stack, or a host fault on it) is fatal, as
           the kernel's force_sigsegv after a failed setup_rt_frame */
        if (vt_lx_guarded(p, build_frame, &fc)) vt_lx_die_by_signal(p, SIGSEGV);
        uint64_t nb = p->blocked | act->mask;
        if (!(act->flags & p->abi->sa_nodefer)) nb |= bit(sig);
        if (act->flags & p->abi->sa_resethand) {
            memset(&p->act[sig], 0, sizeof p->act[sig]);
            apply_host_action(p, sig);
        }
        vt_lx_set_blocked(p, nb);
    }
    if (p->saved_mask_valid) {
        p->saved_mask_valid = false;
        vt_lx_set_blocked(p, p->saved_mask);
    }
}

void vt_lx_signal_fault(vt_lx_proc *p, int sig, int code, uint32_t addr) {
    /* like the kernel's force_sig_fault: blocked or ignored means the default action */
    if ((p->blocked & bit(sig)) || p->act[sig].handler <= 1) vt_lx_die_by_signal(p, sig);
    p->fault = (vt_lx_siginfo){.signo = sig, .code = code, .addr = addr, .fault = true};
    p->pending |= bit(sig);
    vt_lx_signals_deliver(p, false);
}

/* struct sigaction as rt_sigaction takes it: handler, flags, restorer, mask (ARM, i386) */
int64_t vt_lx_sys_rt_sigaction_impl(vt_lx_proc *p, int sig, uint32_t act, uint32_t oact) {
    if (sig <= 0 || sig >= VT_LX_NSIG) return -EINVAL;
    const vt_lx_abi *abi = p->abi;
    vt_lx_sigaction old = p->act[sig];
    if (act) {
        const uint8_t *h = vt_lx_ptr(p, act, 20, VT_PERM_R);
        if (!h) return -EFAULT;
        int hs = host_sig(p, sig);
        if (hs == SIGKILL || hs == SIGSTOP) return -EINVAL;
        vt_lx_sigaction n = {
            .handler = (uint32_t)vt_lx_load(abi, h, 4),
            .flags = (uint32_t)vt_lx_load(abi, h + 4, 4),
            .restorer = (uint32_t)vt_lx_load(abi, h + 8, 4),
            .mask = vt_lx_load(abi, h + 12, 4) | vt_lx_load(abi, h + 16, 4) << 32,
        };
        p->act[sig] = n;
        apply_host_action(p, sig);
    }
    if (oact) {
        uint8_t *h = vt_lx_ptr(p, oact, 20, VT_PERM_W);
        if (!h) return -EFAULT;
        vt_lx_store(abi, h, 4, old.handler);
        vt_lx_store(abi, h + 4, 4, old.flags);
        vt_lx_store(abi, h + 8, 4, old.restorer);
        vt_lx_store(abi, h + 12, 4, (uint32_t)old.mask);
        vt_lx_store(abi, h + 16, 4, (uint32_t)(old.mask >> 32));
    }
    return 0;
}

static int get_set(vt_lx_proc *p, uint32_t addr, uint64_t *set) {
    const uint8_t *h = vt_lx_ptr(p, addr, 8, VT_PERM_R);
    if (!h) return -EFAULT;
    *set = vt_lx_load(p->abi, h, 4) | vt_lx_load(p->abi, h + 4, 4) << 32;
    return 0;
}

static int put_set(vt_lx_proc *p, uint32_t addr, uint64_t set) {
    uint8_t *h = vt_lx_ptr(p, addr, 8, VT_PERM_W);
    if (!h) return -EFAULT;
    vt_lx_store(p->abi, h, 4, (uint32_t)set);
    vt_lx_store(p->abi, h + 4, 4, (uint32_t)(set >> 32));
    return 0;
}

int64_t vt_lx_sys_rt_sigprocmask_impl(vt_lx_proc *p, int how, uint32_t set, uint32_t oset) {
    uint64_t old = p->blocked, s;
    if (set) {
        if (get_set(p, set, &s)) return -EFAULT;
        if (how == SIG_BLOCK)
            vt_lx_set_blocked(p, old | s);
        else if (how == SIG_UNBLOCK)
            vt_lx_set_blocked(p, old & ~s);
        else if (how == SIG_SETMASK)
            vt_lx_set_blocked(p, s);
        else
            return -EINVAL;
    }
    if (oset && put_set(p, oset, old)) return -EFAULT;
    return 0;
}

int64_t vt_lx_sys_rt_sigsuspend_impl(vt_lx_proc *p, uint32_t set) {
    uint64_t s;
    if (get_set(p, set, &s)) return -EFAULT;
    p->saved_mask = p->blocked;
    p->saved_mask_valid = true;
    vt_lx_set_blocked(p, s);
    sigset_t hs;
    sigprocmask(SIG_SETMASK, NULL, &hs);
    while (!vt_lx_signal_pending(p))
        sigsuspend(&hs);
    p->no_restart = true;
    return -EINTR;
}

int64_t vt_lx_sys_rt_sigpending_impl(vt_lx_proc *p, uint32_t set) {
    sigset_t hs;
    sigpending(&hs);
    uint64_t host = 0;
    for (int i = 1; i < SIGRTMIN && i < VT_LX_NSIG; i++)
        if (sigismember(&hs, i) || host_pending[i]) host |= bit(i);
    return put_set(p, set, (p->pending | vt_lx_sigset_to_guest(p->abi, host)) & p->blocked);
}
