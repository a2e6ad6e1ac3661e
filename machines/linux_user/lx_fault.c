/* The guest-fault boundary of Linux user mode: host SIGSEGV/SIGBUS raised by an access to
 * guest memory (a MAP_SHARED file page past a shrunk end of file, a page the guest cannot
 * read) becomes what Linux gives the guest: translated code reading guest memory directly
 * resumes at that access's slow path (its fault site, jit/jit_cache.h), which repeats the
 * access through the interpreter; inside a syscall the call fails with -EFAULT (copy_to_user
 * semantics), inside guest code the CPU core aborts the instruction and the guest receives the
 * host's signal with its si_code and the guest address. Faults anywhere else are Vitrine bugs: they
 * go to the previous handler (default: die, ASan: report). A syscall left this way does not run its
 * cleanup: what it had allocated for that call is leaked. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "jit/jit_cache.h"
#include "machines/linux_user/lx_abi.h"

/* Signal handlers see process-wide state only: one guest process per host process. */
static vt_lx_proc *fault_proc;
static sigjmp_buf *volatile fault_guard; /* innermost guarded host access, or NULL */
static volatile sig_atomic_t fault_in_cpu;
static struct sigaction previous[2];

static int slot(int sig) {
    return sig == SIGBUS;
}

static void say(const char *s) {
    ssize_t ignored = write(2, s, strlen(s));
    VT_UNUSED(ignored);
}

/* Whether the fault is a direct guest access of translated code (guest memory or the guard
 * page past it): then the context resumes at the access's slow path. */
static bool redirect_fault_site(const vt_lx_proc *p, uintptr_t a, void *uc) {
#if defined(__x86_64__) && defined(REG_RIP)
    if (!p->jit_sites || a - (uintptr_t)p->base >= ((uintptr_t)1 << 32) + VT_LX_PAGE) return false;
    ucontext_t *u = uc;
    const uint8_t *slow =
        vt_jit_fault_target(p->jit_sites, (uintptr_t)u->uc_mcontext.gregs[REG_RIP]);
    if (!slow) return false;
    u->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)slow;
    return true;
#else
    VT_UNUSED(p);
    VT_UNUSED(a);
    VT_UNUSED(uc);
    return false;
#endif
}

static void on_host_fault(int sig, siginfo_t *si, void *uc) {
    vt_lx_proc *p = fault_proc;
    uintptr_t a = (uintptr_t)si->si_addr, base = p ? (uintptr_t)p->base : 0;
    bool guest = p && a - base < ((uintptr_t)1 << 32);
    /* si_code > 0: raised by the kernel for this access, not sent with kill() */
    if (p && si->si_code > 0 && fault_in_cpu && redirect_fault_site(p, a, uc)) return;
    if (guest && si->si_code > 0) {
        uint32_t ga = (uint32_t)(a - base);
        p->host_fault =
            (vt_lx_siginfo){.signo = sig, .code = si->si_code, .addr = ga, .fault = true};
        if (fault_guard) siglongjmp(*fault_guard, 1);
        if (fault_in_cpu) p->abi->host_fault(p, ga); /* does not return */
    }
    if (si->si_code > 0) {
        say(sig == SIGBUS ? "vitrine: host SIGBUS " : "vitrine: host SIGSEGV ");
        say(guest ? "on guest memory outside guest code and syscalls (a Vitrine bug)\n"
                  : "outside guest memory (a Vitrine bug)\n");
    }
    /* back to the previous disposition; the faulting access runs again and meets it, and a
       signal sent by kill() is sent once more */
    sigaction(sig, &previous[slot(sig)], NULL);
    if (si->si_code <= 0) raise(sig);
}

void vt_lx_fault_init(vt_lx_proc *p) {
    fault_proc = p;
    fault_guard = NULL;
    fault_in_cpu = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_host_fault;
    /* NODEFER: a handler left by siglongjmp or by the core's abort must not leave the
       signal blocked */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous[slot(SIGSEGV)]);
    sigaction(SIGBUS, &sa, &previous[slot(SIGBUS)]);
}

void vt_lx_fault_cpu(bool running) {
    fault_in_cpu = running;
}

int64_t vt_lx_guarded(vt_lx_proc *p, int64_t (*fn)(vt_lx_proc *p, void *arg), void *arg) {
    sigjmp_buf jb;
    sigjmp_buf *outer = fault_guard;
    if (sigsetjmp(jb, 0)) {
        fault_guard = outer;
        p->host_fault.signo = 0;
        return -EFAULT;
    }
    fault_guard = &jb;
    int64_t r = fn(p, arg);
    fault_guard = outer;
    return r;
}

void vt_lx_signal_mem_fault(vt_lx_proc *p, uint32_t addr) {
    vt_lx_siginfo hf = p->host_fault;
    p->host_fault.signo = 0;
    if (hf.signo && hf.addr == addr) {
        vt_lx_signal_fault(p, vt_lx_sig_to_guest(p->abi, hf.signo), hf.code, addr);
        return;
    }
    bool mapped = (p->pages[addr / VT_LX_PAGE] & VT_LX_PAGE_MAPPED) != 0;
    vt_lx_signal_fault(p, vt_lx_sig_to_guest(p->abi, SIGSEGV),
                       mapped ? 2 /* SEGV_ACCERR */ : 1 /* SEGV_MAPERR */, addr);
}
