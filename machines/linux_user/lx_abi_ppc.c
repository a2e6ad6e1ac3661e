/* 32-bit big-endian PowerPC Linux user-mode ABI: syscall numbers (arch/powerpc/kernel/
 * syscalls/syscall.tbl, 32-bit entries), flags and struct layouts (arch/powerpc/include/uapi/
 * asm/{errno,fcntl,mman,ioctls,stat}.h), `sc` with the number in r0, arguments in r3-r8 and
 * errors as CR0.SO + positive errno in r3, and the signal frames of arch/powerpc/kernel/
 * signal_32.c (sigcontext/ucontext/mcontext), entered through a trampoline page. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdlib.h>

#include "core/cpu/ppc/ppc.h"
#include "machines/linux_user/lx_sys.h"

static const uint16_t ppc_sysnr[] = {
#define LX_NR(n, name) [n] = VT_SYS_##name,
#include "machines/linux_user/lx_sysnr_ppc.list"
#undef LX_NR
};

/* arch/powerpc/include/uapi/asm/fcntl.h: DIRECTORY, NOFOLLOW, LARGEFILE and DIRECT differ
 * from asm-generic */
static const vt_lx_flag ppc_open_flags[] = {
    {01, O_WRONLY},
    {02, O_RDWR},
    {0100, O_CREAT},
    {0200, O_EXCL},
    {0400, O_NOCTTY},
    {01000, O_TRUNC},
    {02000, O_APPEND},
    {04000, O_NONBLOCK},
    {010000, O_DSYNC},
    {020000, FASYNC},
    {040000, O_DIRECTORY},
    {0100000, O_NOFOLLOW},
    {0200000, 0100000 /* the kernel's O_LARGEFILE */},
    {0400000, O_DIRECT},
    {01000000, O_NOATIME},
    {02000000, O_CLOEXEC},
    {04000000, 04000000 /* __O_SYNC */},
    {010000000, O_PATH},
    {020000000, 020000000 /* __O_TMPFILE */},
};

/* arch/powerpc/include/uapi/asm/mman.h: NORESERVE and LOCKED have their own values */
static const vt_lx_flag ppc_mmap_flags[] = {
    {0x01, MAP_SHARED},
    {0x02, MAP_PRIVATE},
    {0x10, MAP_FIXED},
    {0x20, MAP_ANONYMOUS},
    {0x40, MAP_NORESERVE},
    {0x80, MAP_LOCKED},
    {0x0100, MAP_GROWSDOWN},
    {0x0800, MAP_DENYWRITE},
    {0x1000, MAP_EXECUTABLE},
    {0x8000, MAP_POPULATE},
    {0x10000, MAP_NONBLOCK},
    {0x20000, MAP_STACK},
    {0x100000, MAP_FIXED_NOREPLACE},
};

/* arch/powerpc/include/uapi/asm/ioctls.h: _IOR/_IOW encodings with 3 direction bits; struct
 * termios differs from the kernel_termios the generic TCGETS code writes, so the termios
 * requests are left out (they fail with ENOTTY, as on a non-terminal) */
static const vt_lx_ioctl ppc_ioctls[] = {
    {0x40087468, VT_IOC_TIOCGWINSZ}, {0x80087467, VT_IOC_TIOCSWINSZ},
    {0x40047477, VT_IOC_TIOCGPGRP},  {0x80047476, VT_IOC_TIOCSPGRP},
    {0x4004667f, VT_IOC_FIONREAD},   {0x8004667e, VT_IOC_FIONBIO},
    {0x20006601, VT_IOC_FIOCLEX},    {0x20006602, VT_IOC_FIONCLEX},
    {0x540e, VT_IOC_TIOCSCTTY},      {0x5422, VT_IOC_TIOCNOTTY},
};

/* struct stat64 (arch/powerpc/include/uapi/asm/stat.h, 32-bit) */
static const vt_lx_field ppc_stat64[] = {
    {VT_ST_DEV, 8, 0},      {VT_ST_INO, 8, 8},       {VT_ST_MODE, 4, 16},  {VT_ST_NLINK, 4, 20},
    {VT_ST_UID, 4, 24},     {VT_ST_GID, 4, 28},      {VT_ST_RDEV, 8, 32},  {VT_ST_SIZE, 8, 48},
    {VT_ST_BLKSIZE, 4, 56}, {VT_ST_BLOCKS, 8, 64},   {VT_ST_ATIME, 4, 72}, {VT_ST_ATIME_NS, 4, 76},
    {VT_ST_MTIME, 4, 80},   {VT_ST_MTIME_NS, 4, 84}, {VT_ST_CTIME, 4, 88}, {VT_ST_CTIME_NS, 4, 92},
    {VT_ST_END, 0, 0},
};

/* The trampoline page (what the vDSO's __kernel_sigtramp32 / __kernel_sigtramp_rt32 are
 * under Linux): li r0,__NR_sigreturn; sc / li r0,__NR_rt_sigreturn; sc. It lies at the top
 * of the user address space, above the stack. */
#define PPC_TASK_SIZE 0xc0000000u
#define PPC_TRAMP_PAGE (PPC_TASK_SIZE - VT_LX_PAGE)
#define PPC_SIGRETURN_CODE PPC_TRAMP_PAGE
#define PPC_RT_SIGRETURN_CODE (PPC_TRAMP_PAGE + 8)
static const uint32_t ppc_tramp_code[4] = {0x38000077, 0x44000002, 0x380000ac, 0x44000002};

/* MSR bits (MPC750 UM table 2-4) and CR0[SO] */
#define MSR_FE0 (1u << 11)
#define MSR_FE1 (1u << 8)
#define CR0_SO 0x10000000u
/* get_reg number of the PVR (SPRG0-3, HID0, HID1, PVR: ppc.h) */
#define PPC_PVR_REG (VT_PPC_SPRG0 + 6)

typedef struct ppc_state {
    uint32_t orig_r3; /* r3 at syscall entry, for restarts */
    sigjmp_buf abort; /* where a host fault inside run() lands */
    uint32_t abort_addr;
} ppc_state;

static ppc_state *st_of(vt_lx_proc *p) {
    return p->abi_state;
}

static uint8_t *page_fn(void *opaque, uint32_t page_va, unsigned *perms) {
    vt_lx_proc *p = opaque;
    uint8_t b = p->pages[page_va / VT_LX_PAGE];
    if (!(b & VT_LX_PAGE_MAPPED)) return NULL;
    *perms = b & (VT_PERM_R | VT_PERM_W | VT_PERM_X);
    return p->base + page_va;
}

static void ppc_flush(vt_lx_proc *p) {
    vt_ppc_flush_tlb(p->cpu);
}

static int ppc_setup(vt_lx_proc *p, vt_error *err) {
    ppc_state *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    p->abi_state = s;
    vt_cpu_config cfg = {.model = p->cpu_model ? p->cpu_model : p->abi->cpu_model, .env = p};
    p->cpu = vt_cpu_create(&cfg, err);
    if (!p->cpu) return -1;
    if (strcmp(p->cpu->ops->isa, "ppc"))
        return vt_fail(err, "CPU model '%s' is not a PowerPC core", cfg.model);
    vt_ppc_set_user_mode(p->cpu, page_fn, p);
    /* Linux starts processes with FP exceptions disabled (FE0 = FE1 = 0, PR_FP_EXC_DISABLED) */
    vt_lx_set_reg(p, VT_PPC_MSR, vt_lx_reg(p, VT_PPC_MSR) & ~(MSR_FE0 | MSR_FE1));
    int e = vt_lx_map(p, PPC_TRAMP_PAGE, VT_LX_PAGE, VT_PERM_R | VT_PERM_W, false, -1, 0);
    if (e) return vt_fail(err, "cannot map the signal trampoline page: %s", strerror(-e));
    for (size_t i = 0; i < VT_ARRAY_LEN(ppc_tramp_code); i++)
        vt_lx_store(p->abi, p->base + PPC_TRAMP_PAGE + 4 * i, 4, ppc_tramp_code[i]);
    if (vt_lx_protect(p, PPC_TRAMP_PAGE, VT_LX_PAGE, VT_PERM_R | VT_PERM_X))
        return vt_fail(err, "cannot protect the signal trampoline page");
    return 0;
}

static void ppc_start(vt_lx_proc *p, uint32_t entry, uint32_t sp) {
    for (int i = 0; i < 32; i++)
        vt_lx_set_reg(p, VT_PPC_R0 + i, 0); /* r7 = 0: no rtld_fini from the kernel */
    vt_lx_set_reg(p, VT_PPC_R0 + 1, sp);
    vt_lx_set_reg(p, VT_PPC_PC, entry);
}

static void do_syscall(vt_lx_proc *p) {
    uint32_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = vt_lx_reg(p, VT_PPC_R0 + 3 + i);
    st_of(p)->orig_r3 = a[0];
    int64_t r = vt_lx_syscall(p, vt_lx_reg(p, VT_PPC_R0), a);
    if (r == VT_LX_RET_NONE) { /* sigreturn/execve-style: registers already set */
        if (!p->exited) vt_lx_signals_deliver(p, false);
        return;
    }
    uint32_t cr = vt_lx_reg(p, VT_PPC_CR) & ~CR0_SO;
    if (r < 0 && r >= -4095) {
        vt_lx_set_reg(p, VT_PPC_R0 + 3, (uint32_t)-r);
        cr |= CR0_SO;
    } else {
        vt_lx_set_reg(p, VT_PPC_R0 + 3, (uint32_t)r);
    }
    vt_lx_set_reg(p, VT_PPC_CR, cr);
    if (p->exited) return;
    vt_lx_signals_deliver(p, vt_lx_is_eintr(p->abi, r));
}

/* si_code of an enabled IEEE exception from FPSCR (arch/powerpc/kernel/traps.c parse_fpe):
 * the enable bits VE OE UE ZE XE (IBM bits 24-28: 0x80 to 0x08) against VX OX UX ZX XX. */
static int fpe_code(uint32_t fpscr) {
    uint32_t en = fpscr & 0xf8u;
    if ((en & 0x80) && (fpscr & 0x20000000u)) return 7; /* FPE_FLTINV (VX) */
    if ((en & 0x40) && (fpscr & 0x10000000u)) return 4; /* FPE_FLTOVF */
    if ((en & 0x20) && (fpscr & 0x08000000u)) return 5; /* FPE_FLTUND */
    if ((en & 0x10) && (fpscr & 0x04000000u)) return 3; /* FPE_FLTDIV */
    if ((en & 0x08) && (fpscr & 0x02000000u)) return 6; /* FPE_FLTRES */
    return 0;
}

/* Linux emulates `mfspr rD, PVR` for user programs (arch/powerpc/kernel/traps.c
 * emulate_instruction); glibc reads the PVR at startup to pick its string routines. */
static bool emulate_mfpvr(vt_lx_proc *p, uint32_t pc) {
    const uint8_t *h = vt_lx_ptr(p, pc, 4, VT_PERM_X);
    if (!h) return false;
    uint32_t insn = (uint32_t)vt_lx_load(p->abi, h, 4);
    if ((insn & 0xfc1fffffu) != 0x7c1f42a6u) return false;
    vt_lx_set_reg(p, VT_PPC_R0 + ((insn >> 21) & 31), vt_lx_reg(p, PPC_PVR_REG));
    return true;
}

static void handle_trap(vt_lx_proc *p, vt_ppc_trap t) {
    uint32_t pc = vt_lx_reg(p, VT_PPC_PC);
    switch (t.kind) {
    case VT_PPC_TRAP_SC:
        do_syscall(p);
        break;
    case VT_PPC_TRAP_PROGRAM:
        if (t.code & VT_PPC_PROG_FP)
            vt_lx_signal_fault(p, SIGFPE, fpe_code(vt_lx_reg(p, VT_PPC_FPSCR)), pc);
        else if ((t.code & VT_PPC_PROG_PRIV) && emulate_mfpvr(p, pc))
            vt_lx_set_reg(p, VT_PPC_PC, pc + 4);
        else if (t.code & VT_PPC_PROG_PRIV)
            vt_lx_signal_fault(p, SIGILL, 5 /* ILL_PRVOPC */, pc);
        else if (t.code & VT_PPC_PROG_TRAP)
            vt_lx_signal_fault(p, SIGTRAP, 1 /* TRAP_BRKPT */, pc);
        else
            vt_lx_signal_fault(p, SIGILL, 1 /* ILL_ILLOPC */, pc);
        break;
    case VT_PPC_TRAP_DSI:
    case VT_PPC_TRAP_ISI:
        vt_lx_signal_mem_fault(p, t.addr);
        break;
    case VT_PPC_TRAP_ALIGN:
        vt_lx_signal_fault(p, SIGBUS, 1 /* BUS_ADRALN */, t.addr);
        break;
    case VT_PPC_TRAP_FP_UNAVAIL: /* MSR[FP] stays set in user mode: not reachable */
        vt_lx_signal_fault(p, SIGILL, 1, pc);
        break;
    case VT_PPC_TRAP_NONE:
        break;
    }
}

static void ppc_run(vt_lx_proc *p, uint64_t budget) {
    ppc_state *s = st_of(p);
    if (sigsetjmp(s->abort, 0)) {
        /* a host fault on guest memory aborted the instruction at pc */
        vt_lx_fault_cpu(false);
        vt_lx_signal_mem_fault(p, s->abort_addr);
        return;
    }
    p->cpu->ops->run(p->cpu, budget);
    vt_lx_fault_cpu(false);
    handle_trap(p, vt_ppc_take_trap(p->cpu));
}

static __attribute__((noreturn)) void ppc_host_fault(vt_lx_proc *p, uint32_t guest_addr) {
    ppc_state *s = st_of(p);
    s->abort_addr = guest_addr;
    siglongjmp(s->abort, 1);
}

/* prctl's floating-point exception mode (kernel/process.c set_fpexc_mode/get_fpexc_mode):
 * PR_FP_EXC_DISABLED 0, NONRECOV 1 (FE1), ASYNC 2 (FE0), PRECISE 3 (both) live in MSR[FE0,FE1];
 * glibc's feenableexcept selects PRECISE. Other prctl options are the generic ones. */
enum { PR_GET_FPEXC_ = 11, PR_SET_FPEXC_ = 12, PR_FP_EXC_PRECISE_ = 3 };
static int64_t ppc_prctl(vt_lx_proc *p, const uint32_t a[6]) {
    uint32_t msr = vt_lx_reg(p, VT_PPC_MSR);
    if (a[0] == PR_SET_FPEXC_) {
        if (a[1] > PR_FP_EXC_PRECISE_) return -EINVAL; /* SW_ENABLE: SPE only */
        msr &= ~(MSR_FE0 | MSR_FE1);
        vt_lx_set_reg(p, VT_PPC_MSR, msr | ((a[1] & 2) ? MSR_FE0 : 0) | ((a[1] & 1) ? MSR_FE1 : 0));
        return 0;
    }
    if (a[0] == PR_GET_FPEXC_)
        return vt_lx_put32(p, a[1], ((msr & MSR_FE0) ? 2u : 0) | ((msr & MSR_FE1) ? 1u : 0));
    return vt_lx_sys_prctl(p, a);
}

static int64_t ppc_arch_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    return nr == 171 ? ppc_prctl(p, a) : VT_LX_NO_SYSCALL;
}

static void ppc_child_setup(vt_lx_proc *p, uint32_t newsp, bool set_tls, uint32_t tls) {
    if (newsp) vt_lx_set_reg(p, VT_PPC_R0 + 1, newsp);
    if (set_tls) vt_lx_set_reg(p, VT_PPC_R0 + 2, tls); /* the TLS pointer lives in r2 */
}

/* CLONE_BACKWARDS: flags, newsp, ptid, tls, ctid (as ARM) */
static void ppc_clone_args(const uint32_t a[6], uint32_t *flags, uint32_t *newsp, uint32_t *ptid,
                           uint32_t *ctid, uint32_t *tls) {
    *flags = a[0];
    *newsp = a[1];
    *ptid = a[2];
    *tls = a[3];
    *ctid = a[4];
}

static void ppc_restart_syscall(vt_lx_proc *p) {
    vt_lx_set_reg(p, VT_PPC_R0 + 3, st_of(p)->orig_r3);
    vt_lx_set_reg(p, VT_PPC_PC, vt_lx_reg(p, VT_PPC_PC) - 4);
}

/* Frame layouts (arch/powerpc/include/uapi/asm/{ucontext,sigcontext,elf}.h, 32-bit) */
enum {
    SIGNAL_FRAMESIZE = 64, /* __SIGNAL_FRAMESIZE: the caller frame below the signal frame */
    SIGINFO_SIZE = 128,
    /* struct mcontext: mc_gregs[48], mc_fregs[33] (f0-f31, fpscr), mc_pad[2], mc_vregs */
    MC_GREGS = 0,
    MC_FREGS = 192,
    MC_SIZE = 992,
    PT_NIP = 32,
    PT_MSR = 33,
    PT_ORIG_R3 = 34,
    PT_CTR = 35,
    PT_LNK = 36,
    PT_XER = 37,
    PT_CCR = 38,
    PT_TRAP = 40,
    PT_DAR = 41,
    PT_DSISR = 42,
    /* struct ucontext: flags, link, stack, pad[7], uc_regs, sigmask (+ext), pad2, mcontext */
    UC_STACK = 8,
    UC_REGS = 48,
    UC_SIGMASK = 52,
    UC_MCONTEXT = 192,
    UC_SIZE = UC_MCONTEXT + MC_SIZE,
    ABIGAP = 224, /* int abigap[56] after the frame */
    RT_FRAME_SIZE = SIGINFO_SIZE + UC_SIZE + ABIGAP,
    /* struct sigcontext: _unused[4] (the third carries the mask's high word), signal,
       handler, oldmask, regs; then the struct mcontext */
    SC_MASK_HI = 12,
    SC_SIGNAL = 16,
    SC_HANDLER = 20,
    SC_OLDMASK = 24,
    SC_REGS = 28,
    SC_MCONTEXT = 32,
    FRAME_SIZE = SC_MCONTEXT + MC_SIZE + ABIGAP,
};

static void put32(vt_lx_proc *p, uint32_t addr, uint32_t v) {
    vt_lx_store(p->abi, p->base + addr, 4, v);
}
static uint32_t get32(vt_lx_proc *p, uint32_t addr) {
    return (uint32_t)vt_lx_load(p->abi, p->base + addr, 4);
}

static void save_mcontext(vt_lx_proc *p, uint32_t mc, int sig) {
    for (int i = 0; i < 32; i++)
        put32(p, mc + MC_GREGS + 4 * (uint32_t)i, vt_lx_reg(p, VT_PPC_R0 + i));
    put32(p, mc + 4 * PT_NIP, vt_lx_reg(p, VT_PPC_PC));
    put32(p, mc + 4 * PT_MSR, vt_lx_reg(p, VT_PPC_MSR));
    put32(p, mc + 4 * PT_ORIG_R3, st_of(p)->orig_r3);
    put32(p, mc + 4 * PT_CTR, vt_lx_reg(p, VT_PPC_CTR));
    put32(p, mc + 4 * PT_LNK, vt_lx_reg(p, VT_PPC_LR));
    put32(p, mc + 4 * PT_XER, vt_lx_reg(p, VT_PPC_XER));
    put32(p, mc + 4 * PT_CCR, vt_lx_reg(p, VT_PPC_CR));
    put32(p, mc + 4 * PT_TRAP, sig == SIGSEGV ? 0x300 : 0);
    for (int i = 0; i < 32; i++)
        vt_lx_store(p->abi, p->base + mc + MC_FREGS + 8 * (uint32_t)i, 8,
                    p->cpu->ops->get_reg(p->cpu, VT_PPC_F0 + i));
    vt_lx_store(p->abi, p->base + mc + MC_FREGS + 8 * 32, 8, vt_lx_reg(p, VT_PPC_FPSCR));
}

/* restore_user_regs: gprs, nip, ctr, lr, xer, cr and the FP state; MSR stays (only LE could
 * come back, and the handler ran with the process's own byte order). */
static void restore_mcontext(vt_lx_proc *p, uint32_t mc) {
    for (int i = 0; i < 32; i++)
        vt_lx_set_reg(p, VT_PPC_R0 + i, get32(p, mc + MC_GREGS + 4 * (uint32_t)i));
    vt_lx_set_reg(p, VT_PPC_PC, get32(p, mc + 4 * PT_NIP));
    vt_lx_set_reg(p, VT_PPC_CTR, get32(p, mc + 4 * PT_CTR));
    vt_lx_set_reg(p, VT_PPC_LR, get32(p, mc + 4 * PT_LNK));
    vt_lx_set_reg(p, VT_PPC_XER, get32(p, mc + 4 * PT_XER));
    vt_lx_set_reg(p, VT_PPC_CR, get32(p, mc + 4 * PT_CCR));
    for (int i = 0; i < 32; i++)
        p->cpu->ops->set_reg(p->cpu, VT_PPC_F0 + i,
                             vt_lx_load(p->abi, p->base + mc + MC_FREGS + 8 * (uint32_t)i, 8));
    vt_lx_set_reg(p, VT_PPC_FPSCR,
                  (uint32_t)vt_lx_load(p->abi, p->base + mc + MC_FREGS + 8 * 32, 8));
}

static void put_siginfo(vt_lx_proc *p, uint32_t at, const vt_lx_siginfo *info) {
    put32(p, at, (uint32_t)info->signo);
    put32(p, at + 4, (uint32_t)info->err);
    put32(p, at + 8, (uint32_t)info->code);
    if (info->fault) {
        put32(p, at + 12, info->addr);
    } else {
        put32(p, at + 12, (uint32_t)info->pid);
        put32(p, at + 16, info->uid);
        put32(p, at + 20, (uint32_t)info->status);
    }
}

static int ppc_setup_frame(vt_lx_proc *p, const vt_lx_sigaction *act, const vt_lx_siginfo *info,
                           uint64_t oldmask) {
    int sig = info->signo;
    bool rt = (act->flags & p->abi->sa_siginfo) != 0;
    uint32_t size = rt ? RT_FRAME_SIZE : FRAME_SIZE;
    uint32_t sp = vt_lx_reg(p, VT_PPC_R0 + 1);
    if ((act->flags & p->abi->sa_onstack) && p->altstack_size &&
        !(sp - p->altstack_sp < p->altstack_size))
        sp = p->altstack_sp + p->altstack_size;
    uint32_t frame = (sp - size) & ~15u;
    uint32_t newsp = frame - SIGNAL_FRAMESIZE - (rt ? 16 : 0);
    if (!vt_lx_range_ok(p, newsp, frame + size - newsp, VT_PERM_W)) return -1;
    memset(p->base + frame, 0, size);
    uint32_t mc, ret;
    if (rt) {
        put_siginfo(p, frame, info);
        uint32_t uc = frame + SIGINFO_SIZE;
        put32(p, uc + UC_STACK, p->altstack_sp);
        put32(p, uc + UC_STACK + 4, p->altstack_flags);
        put32(p, uc + UC_STACK + 8, p->altstack_size);
        mc = uc + UC_MCONTEXT;
        put32(p, uc + UC_REGS, mc);
        put32(p, uc + UC_SIGMASK, (uint32_t)oldmask); /* sig[0]: signals 1-32 */
        put32(p, uc + UC_SIGMASK + 4, (uint32_t)(oldmask >> 32));
        ret = PPC_RT_SIGRETURN_CODE;
    } else {
        mc = frame + SC_MCONTEXT;
        put32(p, frame + SC_MASK_HI, (uint32_t)(oldmask >> 32));
        put32(p, frame + SC_SIGNAL, (uint32_t)sig);
        put32(p, frame + SC_HANDLER, act->handler);
        put32(p, frame + SC_OLDMASK, (uint32_t)oldmask);
        put32(p, frame + SC_REGS, mc);
        ret = PPC_SIGRETURN_CODE;
    }
    save_mcontext(p, mc, sig);
    /* handler(sig, info, uc) with r6 = the frame, or handler(sig, sigcontext) */
    vt_lx_set_reg(p, VT_PPC_R0 + 4, frame);
    if (rt) {
        vt_lx_set_reg(p, VT_PPC_R0 + 5, frame + SIGINFO_SIZE);
        vt_lx_set_reg(p, VT_PPC_R0 + 6, frame);
    }
    if (sig == SIGSEGV || sig == SIGBUS) put32(p, mc + 4 * PT_DAR, info->addr);
    put32(p, newsp, vt_lx_reg(p, VT_PPC_R0 + 1)); /* back chain to the interrupted frame */
    if (act->flags & p->abi->sa_restorer) ret = act->restorer;
    vt_lx_set_reg(p, VT_PPC_R0 + 1, newsp);
    vt_lx_set_reg(p, VT_PPC_R0 + 3, (uint32_t)sig);
    vt_lx_set_reg(p, VT_PPC_LR, ret);
    vt_lx_set_reg(p, VT_PPC_FPSCR, 0); /* the handler starts with all FP exceptions off */
    vt_lx_set_reg(p, VT_PPC_PC, act->handler);
    return 0;
}

static int64_t ppc_sigreturn(vt_lx_proc *p, bool rt) {
    uint32_t sp = vt_lx_reg(p, VT_PPC_R0 + 1);
    uint32_t frame = sp + SIGNAL_FRAMESIZE + (rt ? 16 : 0);
    uint32_t need = rt ? SIGINFO_SIZE + UC_MCONTEXT : SC_MCONTEXT;
    uint32_t mc = 0;
    uint64_t mask = 0;
    bool ok = vt_lx_range_ok(p, frame, need, VT_PERM_R);
    if (ok && rt) {
        uint32_t uc = frame + SIGINFO_SIZE;
        mask = get32(p, uc + UC_SIGMASK) | (uint64_t)get32(p, uc + UC_SIGMASK + 4) << 32;
        mc = get32(p, uc + UC_REGS);
    } else if (ok) {
        mask = (uint64_t)get32(p, frame + SC_MASK_HI) << 32 | get32(p, frame + SC_OLDMASK);
        mc = get32(p, frame + SC_REGS);
    }
    if (!ok || !vt_lx_range_ok(p, mc, MC_FREGS + 8 * 33, VT_PERM_R)) {
        vt_lx_signal_fault(p, SIGSEGV, 0x80 /* SI_KERNEL */, frame);
        return VT_LX_RET_NONE;
    }
    restore_mcontext(p, mc);
    vt_lx_set_blocked(p, mask);
    return VT_LX_RET_NONE;
}

const vt_lx_abi vt_lx_abi_ppc = {
    .name = "ppc",
    .cpu_model = "ppc750",
    .uname_machine = "ppc",
    .platform = "ppc750",
    .elf_machine = 20, /* EM_PPC */
    .endian = VT_BIG_ENDIAN,
    /* PPC_FEATURE_32 | HAS_FPU | HAS_MMU (COMMON_USER) | PPC_LE, the 750's entry in
       arch/powerpc/kernel/cpu_specs_book3s_32.h */
    .hwcap = 0x80000000u | 0x08000000u | 0x04000000u | 0x00000001u,
    .cache_bsize = 32,
    .stack_top = PPC_TRAMP_PAGE,
    .task_size = PPC_TASK_SIZE,
    .mmap_base = 0x30000000u, /* TASK_UNMAPPED_BASE = TASK_SIZE / 4 */
    .sigset_bytes = 8,
    .pair_align = true, /* SVR4 ABI: long long in an odd/even pair starting at r3, r5, r7 */
    .sysnr = ppc_sysnr,
    .nsysnr = VT_ARRAY_LEN(ppc_sysnr),
    /* arch/powerpc/include/uapi/asm/errno.h only renames EDEADLOCK (58) and the kernel
       never returns it; the signal numbers (asm/signal.h) are x86's */
    .errnos = NULL,
    .nerrnos = 0,
    .signals = NULL,
    .nsignals = 0,
    .open_flags = ppc_open_flags,
    .nopen_flags = VT_ARRAY_LEN(ppc_open_flags),
    .mmap_flags = ppc_mmap_flags,
    .nmmap_flags = VT_ARRAY_LEN(ppc_mmap_flags),
    .ioctls = ppc_ioctls,
    .nioctls = VT_ARRAY_LEN(ppc_ioctls),
    .stat64 = ppc_stat64,
    .stat64_size = 104,
    .statfs = vt_lx_generic_statfs,
    .statfs_size = 64,
    .statfs64 = vt_lx_generic_statfs64,
    .statfs64_size = 88,
    VT_LX_GENERIC_SIGACTION_FLAGS,
    .setup = ppc_setup,
    .start = ppc_start,
    .run = ppc_run,
    .flush = ppc_flush,
    .arch_syscall = ppc_arch_syscall,
    .child_setup = ppc_child_setup,
    .setup_frame = ppc_setup_frame,
    .sigreturn = ppc_sigreturn,
    .host_fault = ppc_host_fault,
    .restart_syscall = ppc_restart_syscall,
    .clone_args = ppc_clone_args,
};
