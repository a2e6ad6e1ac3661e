/* Linux user-mode emulation: one guest process. Holds the guest address space (one 4 GiB
 * host reservation, so a 32-bit guest address can never reach outside it), the ABI in use
 * (syscall numbers, struct layouts, signal frames), signal state, and the process's view
 * of its own program (/proc/self/exe names the guest program, as under QEMU). */
#ifndef VT_LX_PROC_H
#define VT_LX_PROC_H

#include <signal.h>

#include "core/common.h"
#include "core/cpu.h"
#include "core/tlb.h"
#include "jit/jit_mode.h"

#define VT_LX_PAGE 4096u
#define VT_LX_NPAGES (1u << 20)
#define VT_LX_NSIG 65

typedef struct vt_lx_proc vt_lx_proc;
typedef struct vt_lx_abi vt_lx_abi;

/* Guest page permission bits (low three = VT_PERM_*), plus bookkeeping: mapped, shared, and
 * the fork-time advice of madvise (MADV_DONTFORK: absent in a child; MADV_WIPEONFORK: zero in
 * a child), which the emulator applies itself instead of passing it to the host. */
enum {
    VT_LX_PAGE_MAPPED = 8,
    VT_LX_PAGE_SHARED = 16,
    VT_LX_PAGE_DONTFORK = 32,
    VT_LX_PAGE_WIPEONFORK = 64,
};

typedef struct vt_lx_sigaction {
    uint32_t handler; /* 0 = SIG_DFL, 1 = SIG_IGN, else guest address */
    uint32_t flags;   /* guest SA_* bits */
    uint32_t restorer;
    uint64_t mask; /* bit (sig-1) */
} vt_lx_sigaction;

/* What a signal handler's siginfo says (filled by the emulator or from the host's). */
typedef struct vt_lx_siginfo {
    int signo, code, err;
    uint32_t addr; /* si_addr for faults */
    int32_t pid;   /* si_pid for kill/SIGCHLD */
    uint32_t uid;
    int32_t status; /* SIGCHLD */
    bool fault;
} vt_lx_siginfo;

struct vt_lx_proc {
    const vt_lx_abi *abi;
    const char *cpu_model; /* core model override, NULL for the ABI's default */
    vt_jit_mode jit;       /* --jit, passed on to execve'd guests */
    vt_cpu *cpu;
    vt_tlb *tlb;    /* the core's TLB: flushed when mappings change */
    uint8_t *base;  /* host address of guest address 0 */
    uint8_t *pages; /* VT_LX_NPAGES permission bytes */
    /* translated code accessing guest memory directly: its fault sites (lx_fault.c) */
    const struct vt_jit_cache *jit_sites;
    uint32_t brk_start, brk_cur, brk_mapped;
    uint32_t mmap_hint; /* where the next non-fixed mapping search starts */
    /* program identity */
    char *sysroot;   /* -L prefix or NULL */
    char *exe_host;  /* host path of the guest program (for open/exec) */
    char *exe_guest; /* absolute path the guest sees in /proc/self/exe */
    char *vitrine;   /* host path of this emulator, to re-run it on execve */
    /* signals */
    vt_lx_sigaction act[VT_LX_NSIG];
    uint64_t blocked;
    uint64_t pending;    /* synchronous signals raised by the emulator itself */
    uint64_t saved_mask; /* mask to restore after rt_sigsuspend's handler */
    bool saved_mask_valid;
    vt_lx_siginfo fault;      /* info of the pending synchronous signal */
    vt_lx_siginfo host_fault; /* a host fault on guest memory being turned into a guest one */
    bool no_restart;          /* the last syscall must not be restarted (sigsuspend) */
    uint32_t altstack_sp, altstack_size, altstack_flags;
    /* exit */
    bool exited;
    int exit_status;
    uint8_t unknown_logged[1024 / 8]; /* unknown syscalls already reported */
    void *abi_state;                  /* the ABI's private per-process data */
};

/* The guest's register n as the core numbers it (cpu ops get_reg/set_reg), 32 bits wide. */
static inline uint32_t vt_lx_reg(vt_lx_proc *p, int n) {
    return (uint32_t)p->cpu->ops->get_reg(p->cpu, n);
}
static inline void vt_lx_set_reg(vt_lx_proc *p, int n, uint32_t v) {
    p->cpu->ops->set_reg(p->cpu, n, v);
}

/* ---- memory (lx_mem.c) ---- */
int vt_lx_mem_init(vt_lx_proc *p, vt_error *err) VT_MUST_CHECK;
void vt_lx_mem_free(vt_lx_proc *p);
/* Maps [addr, addr+len) with guest perms; fd < 0 for anonymous. Returns 0 or -errno. */
int vt_lx_map(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms, bool shared, int fd,
              uint64_t off);
/* Maps anonymous private memory on the pages of [addr, addr+len) not mapped yet (an ELF
 * segment sharing a page with the one before it keeps that page's contents). */
int vt_lx_map_holes(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms);
int vt_lx_unmap(vt_lx_proc *p, uint32_t addr, uint32_t len);
int vt_lx_protect(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms);
/* In a forked child: drops MADV_DONTFORK pages and zero-fills MADV_WIPEONFORK pages, as the
 * kernel's dup_mmap does. Returns 0 or -errno. */
int vt_lx_mem_after_fork(vt_lx_proc *p) VT_MUST_CHECK;
/* Finds a free range of len bytes (page multiple) at or above hint; 0 when none. */
uint32_t vt_lx_find_free(vt_lx_proc *p, uint32_t hint, uint32_t len);
/* Whether every page of the range has `perm`; with VT_PERM_W the caller is about to write there
 * (the ABI's code_write hook hears of it). */
bool vt_lx_range_ok(const vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perm);
/* Host pointer to a guest range when every page has `perm`, else NULL (→ -EFAULT). */
void *vt_lx_ptr(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perm);
/* Copies a NUL-terminated guest string into a fresh malloc'd buffer (NULL on fault). */
char *vt_lx_strdup(vt_lx_proc *p, uint32_t addr);
/* Fixed-size guest values in the ABI's byte order; return -EFAULT on a bad address. */
int vt_lx_get32(vt_lx_proc *p, uint32_t addr, uint32_t *v) VT_MUST_CHECK;
int vt_lx_put32(vt_lx_proc *p, uint32_t addr, uint32_t v) VT_MUST_CHECK;
int vt_lx_put_bytes(vt_lx_proc *p, uint32_t addr, const void *src, uint32_t len) VT_MUST_CHECK;
/* The CPU's memory slow path for user mode (perm check, TLB fill). */
int vt_lx_mem_read(vt_lx_proc *p, uint32_t va, unsigned size, vt_access a, uint32_t *val);
int vt_lx_mem_write(vt_lx_proc *p, uint32_t va, unsigned size, uint32_t val);

/* ---- ELF loading and the initial stack (lx_elf.c) ---- */
/* A loaded image: entry, program headers in memory, load bias, end of its data, interpreter. */
typedef struct vt_lx_image {
    uint32_t entry, phdr, phnum, bias, end;
    char interp[4096];
} vt_lx_image;
/* Maps one ELF image held in memory (name for messages); is_interp places an ET_DYN image
 * at the mmap base and ignores its PT_INTERP. */
int vt_lx_load_image(vt_lx_proc *p, const uint8_t *data, size_t len, const char *name,
                     bool is_interp, vt_lx_image *img, vt_error *err) VT_MUST_CHECK;
int vt_lx_load_elf(vt_lx_proc *p, const char *host_path, char **argv, char **envp, uint32_t *entry,
                   uint32_t *sp, vt_error *err) VT_MUST_CHECK;
/* Host path of a guest path: under the sysroot when it exists there. malloc'd. */
char *vt_lx_host_path(const vt_lx_proc *p, const char *guest);

/* ---- syscalls (lx_syscall.c) ---- */
/* Runs guest syscall `nr` (guest numbering) with args; returns the result (-guest errno).
 * Numbers outside the ABI's table go to its arch_syscall. */
int64_t vt_lx_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]);
/* The same with the host's errno: for an ABI's multiplexers (socketcall) calling back in. */
int64_t vt_lx_dispatch(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]);

/* ---- signals (lx_signal.c) ---- */
void vt_lx_signals_init(vt_lx_proc *p);
/* The process is over: host signals stay blocked and no longer reach its CPU (freed next). */
void vt_lx_signals_fini(void);
/* Delivers every deliverable pending signal; `interrupted` = the last syscall returned
 * -EINTR and may be restarted. */
void vt_lx_signals_deliver(vt_lx_proc *p, bool interrupted);
/* Raises a synchronous signal from a CPU fault (SIGSEGV, SIGILL, SIGTRAP, SIGBUS). */
void vt_lx_signal_fault(vt_lx_proc *p, int sig, int code, uint32_t addr);
bool vt_lx_signal_pending(const vt_lx_proc *p);
int64_t vt_lx_sys_rt_sigaction_impl(vt_lx_proc *p, int sig, uint32_t act, uint32_t oact);
int64_t vt_lx_sys_rt_sigprocmask_impl(vt_lx_proc *p, int how, uint32_t set, uint32_t oset);
int64_t vt_lx_sys_rt_sigsuspend_impl(vt_lx_proc *p, uint32_t set);
int64_t vt_lx_sys_rt_sigpending_impl(vt_lx_proc *p, uint32_t set);
void vt_lx_set_blocked(vt_lx_proc *p, uint64_t mask);
/* Terminates the emulator the way the guest dies from signal sig (status 128+sig). */
void vt_lx_die_by_signal(vt_lx_proc *p, int sig) __attribute__((noreturn));

/* ---- the guest-fault boundary (lx_fault.c) ---- */
/* Installs the host SIGSEGV/SIGBUS handlers for process p. */
void vt_lx_fault_init(vt_lx_proc *p);
/* Marks whether the CPU core is running guest code (host faults then abort its instruction). */
void vt_lx_fault_cpu(bool running);
/* Runs fn; a host fault on guest memory inside it makes it return -EFAULT instead. */
int64_t vt_lx_guarded(vt_lx_proc *p, int64_t (*fn)(vt_lx_proc *p, void *arg), void *arg);
/* Raises the guest signal for a faulting guest access at addr: the host's signal and si_code
 * when a host fault led here, else SIGSEGV (MAPERR or ACCERR from the page table). */
void vt_lx_signal_mem_fault(vt_lx_proc *p, uint32_t addr);

/* ---- running (lx_run.c) ---- */
typedef struct vt_lx_options {
    const char *arch;
    const char *sysroot;
    const char *argv0; /* overrides argv[0] (execve re-runs pass the guest's) */
    const char *cpu;   /* CPU model override */
    vt_jit_mode jit;   /* --jit: translated code for cores that have a JIT */
    const char *program;
    char **argv; /* guest argv starting at argv[0] */
    int argc;
} vt_lx_options;

/* Runs a guest program to completion; returns its exit status (or exits/dies by a signal
 * like it). On setup failure: -1 with err set. */
int vt_lx_run(const vt_lx_options *o, vt_error *err) VT_MUST_CHECK;

#endif
