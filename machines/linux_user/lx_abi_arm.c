/* ARM EABI Linux user-mode ABI: syscall numbers (arch/arm/tools/syscall.tbl), flag and
 * struct layouts (arch/arm/include/uapi/asm/{fcntl,stat,statfs}.h), the CPU glue (SVC with
 * the number in r7, the TLS register in CP15 c13, the kernel user helpers page at
 * 0xffff0000 per Documentation/arm/kernel_user_helpers.rst) and the rt signal frame
 * (arch/arm/kernel/signal.c layout). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include "core/cpu/arm/arm.h"
#include "jit/arm_jit.h"
#include "machines/linux_user/lx_sys.h"

static const uint16_t arm_sysnr[] = {
#define LX_NR(n, name) [n] = VT_SYS_##name,
#include "machines/linux_user/lx_sysnr_common.list"
#undef LX_NR
    /* numbers of this ABI alone */
    [217] = VT_SYS_getdents64,
    [220] = VT_SYS_madvise,
    [248] = VT_SYS_exit_group,
    [256] = VT_SYS_set_tid_address,
    [263] = VT_SYS_clock_gettime,
    [264] = VT_SYS_clock_getres,
    [265] = VT_SYS_clock_nanosleep,
    [266] = VT_SYS_statfs64,
    [267] = VT_SYS_fstatfs64,
    [268] = VT_SYS_tgkill,
    [269] = VT_SYS_utimes,
    [270] = VT_SYS_fadvise64_64, /* arm_fadvise64_64(fd, advice, offset, len) */
    [281] = VT_SYS_socket,
    [283] = VT_SYS_connect,
    [322] = VT_SYS_openat,
    [323] = VT_SYS_mkdirat,
    [324] = VT_SYS_mknodat,
    [325] = VT_SYS_fchownat,
    [327] = VT_SYS_fstatat64,
    [328] = VT_SYS_unlinkat,
    [329] = VT_SYS_renameat,
    [330] = VT_SYS_linkat,
    [331] = VT_SYS_symlinkat,
    [332] = VT_SYS_readlinkat,
    [333] = VT_SYS_fchmodat,
    [334] = VT_SYS_faccessat,
    [335] = VT_SYS_pselect6,
    [336] = VT_SYS_ppoll,
    [338] = VT_SYS_set_robust_list,
    [339] = VT_SYS_get_robust_list,
    [348] = VT_SYS_utimensat,
    [352] = VT_SYS_fallocate,
    [358] = VT_SYS_dup3,
    [359] = VT_SYS_pipe2,
    [369] = VT_SYS_prlimit64,
    [382] = VT_SYS_renameat2,
    [384] = VT_SYS_getrandom,
    [389] = VT_SYS_membarrier,
    [397] = VT_SYS_statx,
    [398] = VT_SYS_rseq,
};

static const vt_lx_flag arm_open_flags[] = {
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
    {0200000, O_DIRECT},
    {0400000, 0100000 /* the kernel's O_LARGEFILE */},
    {01000000, O_NOATIME},
    {02000000, O_CLOEXEC},
    {04000000, 04000000 /* __O_SYNC */},
    {010000000, O_PATH},
    {020000000, 020000000 /* __O_TMPFILE */},
};

static const vt_lx_field arm_stat64[] = {
    {VT_ST_DEV, 8, 0},      {VT_ST_INO, 4, 12},      {VT_ST_MODE, 4, 16},  {VT_ST_NLINK, 4, 20},
    {VT_ST_UID, 4, 24},     {VT_ST_GID, 4, 28},      {VT_ST_RDEV, 8, 32},  {VT_ST_SIZE, 8, 48},
    {VT_ST_BLKSIZE, 4, 56}, {VT_ST_BLOCKS, 8, 64},   {VT_ST_ATIME, 4, 72}, {VT_ST_ATIME_NS, 4, 76},
    {VT_ST_MTIME, 4, 80},   {VT_ST_MTIME_NS, 4, 84}, {VT_ST_CTIME, 4, 88}, {VT_ST_CTIME_NS, 4, 92},
    {VT_ST_INO, 8, 96},     {VT_ST_END, 0, 0},
};

/* Kernel user helpers (ARMv4T-compatible code; single-threaded guests need no extra
 * atomicity). Offsets within the page at 0xffff0000. */
#define KUSER_PAGE 0xffff0000u
static const struct {
    uint16_t off;
    uint32_t insn;
} arm_kuser[] = {
    /* __kuser_cmpxchg64 (0xffff0f60) */
    {0xf60, 0xe92d00f0},
    {0xf64, 0xe8900030},
    {0xf68, 0xe89200c0},
    {0xf6c, 0xe0343006},
    {0xf70, 0x00353007},
    {0xf74, 0x08910030},
    {0xf78, 0x08820030},
    {0xf7c, 0xe2730000},
    {0xf80, 0xe8bd00f0},
    {0xf84, 0xe12fff1e},
    /* __kuser_memory_barrier (0xffff0fa0) */
    {0xfa0, 0xe12fff1e},
    /* __kuser_cmpxchg (0xffff0fc0) */
    {0xfc0, 0xe5923000},
    {0xfc4, 0xe0533000},
    {0xfc8, 0x05821000},
    {0xfcc, 0xe2730000},
    {0xfd0, 0xe12fff1e},
    /* __kuser_get_tls (0xffff0fe0) */
    {0xfe0, 0xee1d0f70},
    {0xfe4, 0xe12fff1e},
    /* __kuser_helper_version (0xffff0ffc): 5 = cmpxchg64 present */
    {0xffc, 5},
};

/* Signal return trampolines placed in the same page (the kernel's sigreturn_codes). */
#define ARM_SIGRETURN_CODE 0xffff0f00u
#define ARM_RT_SIGRETURN_CODE 0xffff0f08u
static const uint32_t arm_sigret_code[4] = {0xe3a07077, 0xef000000, 0xe3a070ad, 0xef000000};

typedef struct arm_state {
    uint32_t tls;      /* TPIDRURO, set by set_tls */
    uint32_t tpidrurw; /* TPIDRURW, user read/write */
    uint32_t orig_r0;  /* r0 at syscall entry, for restarts */
} arm_state;

/* Registers through the core's public vtable (numbers as in arm.h). */
static arm_state *st_of(vt_lx_proc *p) {
    return p->abi_state;
}

static int hook_read(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a,
                     uint32_t *val) {
    VT_UNUSED(c);
    return vt_lx_mem_read(ctx, va, size, a, val);
}

static int hook_write(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t val) {
    VT_UNUSED(c);
    return vt_lx_mem_write(ctx, va, size, val);
}

static int hook_cp_read(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                        unsigned crm, unsigned op2, uint32_t *val) {
    VT_UNUSED(c);
    arm_state *s = st_of(ctx);
    /* user-visible CP15 in Linux: the thread ID registers (c13, c0, 2 and 3) */
    if (cp != 15 || op1 || crn != 13 || crm) return -1;
    if (op2 == 3)
        *val = s->tls;
    else if (op2 == 2)
        *val = s->tpidrurw;
    else
        return -1;
    return 0;
}

static int hook_cp_write(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                         unsigned crm, unsigned op2, uint32_t val) {
    VT_UNUSED(c);
    if (cp != 15 || op1 || crn != 13 || crm || op2 != 2) return -1;
    st_of(ctx)->tpidrurw = val;
    return 0;
}

static void do_syscall(vt_lx_proc *p) {
    uint32_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = vt_lx_reg(p, i);
    st_of(p)->orig_r0 = a[0];
    int64_t r = vt_lx_syscall(p, vt_lx_reg(p, 7), a);
    if (r == VT_LX_RET_NONE) { /* sigreturn/execve-style: registers already set */
        if (!p->exited) vt_lx_signals_deliver(p, false);
        return;
    }
    vt_lx_set_reg(p, 0, (uint32_t)r);
    if (p->exited) return;
    vt_lx_signals_deliver(p, vt_lx_is_eintr(p->abi, r));
}

static bool hook_exception(void *ctx, vt_arm_cpu *c, vt_arm_exception e, uint32_t addr) {
    VT_UNUSED(c);
    vt_lx_proc *p = ctx;
    uint32_t pc = vt_arm_insn_pc(p->cpu);
    if (e == VT_ARM_EXC_SWI) {
        do_syscall(p);
    } else if (e == VT_ARM_EXC_UNDEF || e == VT_ARM_EXC_BKPT || e == VT_ARM_EXC_PABT ||
               e == VT_ARM_EXC_DABT) {
        vt_arm_set_resume_pc(p->cpu, pc, false); /* the handler returns to the faulting insn */
        if (e == VT_ARM_EXC_UNDEF)
            vt_lx_signal_fault(p, SIGILL, 1 /* ILL_ILLOPC */, pc);
        else if (e == VT_ARM_EXC_BKPT)
            vt_lx_signal_fault(p, SIGTRAP, 1 /* TRAP_BRKPT */, pc);
        else
            vt_lx_signal_mem_fault(p, addr);
    } else {
        return false;
    }
    if (p->exited) p->cpu->stop_at = 0;
    return true;
}

static __attribute__((noreturn)) void arm_host_fault(vt_lx_proc *p, uint32_t guest_addr) {
    uint32_t pc = vt_arm_insn_pc(p->cpu);
    bool fetch = guest_addr >= pc && guest_addr - pc < 4;
    vt_arm_abort(p->cpu, fetch, guest_addr);
}

/* Mappings changed (mmap, munmap, mprotect): the core forgets translations too. */
static void arm_flush(vt_lx_proc *p) {
    p->cpu->ops->flush_tlb(p->cpu);
}

static int arm_setup(vt_lx_proc *p, vt_error *err) {
    arm_state *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    p->abi_state = s;
    vt_cpu_config cfg = {.model = p->cpu_model ? p->cpu_model : p->abi->cpu_model, .env = p};
    p->cpu = vt_cpu_create(&cfg, err);
    if (!p->cpu) return -1;
    if (strcmp(p->cpu->ops->isa, "arm"))
        return vt_fail(err, "CPU model '%s' is not an ARM core", cfg.model);
    p->tlb = vt_arm_tlb(p->cpu);
    if (vt_arm_jit_enable(p->cpu, p->jit, err)) return -1;
    p->jit_sites = vt_arm_jit_set_direct_base(p->cpu, p->base);
    vt_arm_set_hooks(p->cpu, &(vt_arm_hooks){
                                 .read = hook_read,
                                 .write = hook_write,
                                 .exception = hook_exception,
                                 .cp_read = hook_cp_read,
                                 .cp_write = hook_cp_write,
                             });
    vt_lx_set_reg(p, VT_ARM_REG_CPSR, VT_ARM_MODE_USR);
    int e = vt_lx_map(p, KUSER_PAGE, VT_LX_PAGE, VT_PERM_R | VT_PERM_W, false, -1, 0);
    if (e) return vt_fail(err, "cannot map the ARM user helpers page: %s", strerror(-e));
    for (size_t i = 0; i < VT_ARRAY_LEN(arm_kuser); i++)
        store_le32(p->base + KUSER_PAGE + arm_kuser[i].off, arm_kuser[i].insn);
    for (size_t i = 0; i < 4; i++)
        store_le32(p->base + ARM_SIGRETURN_CODE + 4 * i, arm_sigret_code[i]);
    if (vt_lx_protect(p, KUSER_PAGE, VT_LX_PAGE, VT_PERM_R | VT_PERM_X))
        return vt_fail(err, "cannot protect the ARM user helpers page");
    return 0;
}

static void arm_start(vt_lx_proc *p, uint32_t entry, uint32_t sp) {
    vt_lx_set_reg(p, 0, 0); /* no rtld_fini from the kernel (ELF_PLAT_INIT) */
    vt_lx_set_reg(p, VT_ARM_REG_SP, sp);
    vt_arm_set_resume_pc(p->cpu, entry, true);
}

static int64_t arm_arch_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    arm_state *s = st_of(p);
    switch (nr) {
    case 0xf0001: /* breakpoint */
        vt_lx_signal_fault(p, SIGTRAP, 1, vt_arm_insn_pc(p->cpu));
        return 0;
    case 0xf0002: /* cacheflush(start, end, flags): drop JIT translations of those bytes */
        vt_arm_jit_invalidate_range(p->cpu, a[0], a[1]);
        return 0;
    case 0xf0005: /* set_tls */
        s->tls = a[0];
        return 0;
    case 0xf0006: /* get_tls */
        return s->tls;
    default:
        return VT_LX_NO_SYSCALL;
    }
}

static void arm_child_setup(vt_lx_proc *p, uint32_t newsp, bool set_tls, uint32_t tls) {
    if (newsp) vt_lx_set_reg(p, VT_ARM_REG_SP, newsp);
    if (set_tls) st_of(p)->tls = tls;
}

static void arm_clone_args(const uint32_t a[6], uint32_t *flags, uint32_t *newsp, uint32_t *ptid,
                           uint32_t *ctid, uint32_t *tls) {
    *flags = a[0];
    *newsp = a[1];
    *ptid = a[2];
    *tls = a[3];
    *ctid = a[4];
}

static void arm_restart_syscall(vt_lx_proc *p) {
    vt_lx_set_reg(p, 0, st_of(p)->orig_r0);
    vt_arm_set_resume_pc(p->cpu, vt_arm_insn_pc(p->cpu), false);
}

/* CPSR bits (ARM ARM A2.5): E (data endianness), and what sigreturn may restore in user
 * mode: N Z C V Q, GE[3:0], E, T */
#define CPSR_E 0x200u
#define CPSR_USER_BITS 0xf80f0220u

/* struct ucontext offsets (arch/arm/include/asm/ucontext.h) */
enum {
    UC_FLAGS = 0,
    UC_LINK = 4,
    UC_STACK = 8,
    UC_MCONTEXT = 20,
    UC_SIGMASK = 104,
    UC_REGSPACE = 232,
    UC_SIZE = 744,
    /* sigcontext: trap_no, error_code, oldmask, r0..r10, fp, ip, sp, lr, pc, cpsr, fault */
    SC_TRAPNO = 0,
    SC_ERROR = 4,
    SC_OLDMASK = 8,
    SC_R0 = 12,
    SC_PC = 72,
    SC_CPSR = 76,
    SC_FAULT = 80,
    SIGINFO_SIZE = 128,
    /* struct vfp_sigframe at the start of uc_regspace (arch/arm/include/asm/ucontext.h):
       magic, size, user_vfp {fpregs[32] u64, fpscr}, user_vfp_exc {fpexc, fpinst, fpinst2} */
    VFP_MAGIC = 0x56465001,
    VFP_FRAME_SIZE = 0x120,
    VFP_FPREGS = 8,
    VFP_FPSCR = 8 + 256,
    VFP_FPEXC = 272,
    VFP_FPINST = 276,
    VFP_FPINST2 = 280,
};

static void put_frame32(vt_lx_proc *p, uint32_t addr, uint32_t v) {
    vt_lx_store(p->abi, p->base + addr, 4, v);
}
static uint32_t get_frame32(vt_lx_proc *p, uint32_t addr) {
    return (uint32_t)vt_lx_load(p->abi, p->base + addr, 4);
}

/* HWCAP_VFP (arch/arm/vfp/vfpmodule.c sets it when the coprocessor is present) */
#define HWCAP_VFP 64u

static uint32_t arm_hwcap(vt_lx_proc *p) {
    vt_arm_vfp_regs v;
    return p->abi->hwcap | (vt_arm_get_vfp(p->cpu, &v) ? HWCAP_VFP : 0);
}

/* preserve_vfp_context: the interrupted code's VFP state into the frame; the handler starts
 * with FPSCR LEN and STRIDE cleared (scalar mode) and FPEXC.EX clear. */
static void save_vfp(vt_lx_proc *p, uint32_t at) {
    vt_arm_vfp_regs v;
    if (!vt_arm_get_vfp(p->cpu, &v)) return;
    put_frame32(p, at, VFP_MAGIC);
    put_frame32(p, at + 4, VFP_FRAME_SIZE);
    for (uint32_t i = 0; i < 16; i++)
        vt_lx_store(p->abi, p->base + at + VFP_FPREGS + 8 * i, 8, v.d[i]);
    put_frame32(p, at + VFP_FPSCR, v.fpscr);
    put_frame32(p, at + VFP_FPEXC, v.fpexc);
    put_frame32(p, at + VFP_FPINST, v.fpinst);
    put_frame32(p, at + VFP_FPINST2, v.fpinst2);
    v.fpscr &= ~(7u << 16 | 3u << 20);
    v.fpexc &= ~(1u << 31);
    vt_arm_set_vfp(p->cpu, &v);
}

/* restore_vfp_context: false (a bad frame) when the magic or size is wrong. */
static bool restore_vfp(vt_lx_proc *p, uint32_t at) {
    vt_arm_vfp_regs v;
    if (!vt_arm_get_vfp(p->cpu, &v)) return true;
    if (get_frame32(p, at) != VFP_MAGIC || get_frame32(p, at + 4) != VFP_FRAME_SIZE) return false;
    for (uint32_t i = 0; i < 16; i++)
        v.d[i] = vt_lx_load(p->abi, p->base + at + VFP_FPREGS + 8 * i, 8);
    v.fpscr = get_frame32(p, at + VFP_FPSCR);
    v.fpexc = get_frame32(p, at + VFP_FPEXC) | (1u << 30); /* the kernel keeps VFP enabled */
    v.fpinst = get_frame32(p, at + VFP_FPINST);
    v.fpinst2 = get_frame32(p, at + VFP_FPINST2);
    vt_arm_set_vfp(p->cpu, &v);
    return true;
}

static int arm_setup_frame(vt_lx_proc *p, const vt_lx_sigaction *act, const vt_lx_siginfo *info,
                           uint64_t oldmask) {
    int sig = info->signo;
    uint32_t addr = info->fault ? info->addr : 0;
    bool rt = (act->flags & p->abi->sa_siginfo) != 0;
    uint32_t size = (rt ? SIGINFO_SIZE : 0) + UC_SIZE + 8;
    uint32_t sp = vt_lx_reg(p, VT_ARM_REG_SP);
    if ((act->flags & p->abi->sa_onstack) && p->altstack_size &&
        !(sp - p->altstack_sp < p->altstack_size))
        sp = p->altstack_sp + p->altstack_size;
    uint32_t frame = (sp - size) & ~7u;
    if (!vt_lx_range_ok(p, frame, size, VT_PERM_W)) return -1;
    memset(p->base + frame, 0, size);
    uint32_t uc = frame + (rt ? SIGINFO_SIZE : 0);
    if (rt) {
        put_frame32(p, frame, (uint32_t)sig);
        put_frame32(p, frame + 4, (uint32_t)info->err);
        put_frame32(p, frame + 8, (uint32_t)info->code);
        if (info->fault) {
            put_frame32(p, frame + 12, info->addr);
        } else {
            put_frame32(p, frame + 12, (uint32_t)info->pid);
            put_frame32(p, frame + 16, info->uid);
            put_frame32(p, frame + 20, (uint32_t)info->status);
        }
    }
    put_frame32(p, uc + UC_STACK, p->altstack_sp);
    put_frame32(p, uc + UC_STACK + 4, p->altstack_flags);
    put_frame32(p, uc + UC_STACK + 8, p->altstack_size);
    uint32_t mc = uc + UC_MCONTEXT;
    put_frame32(p, mc + SC_TRAPNO, sig == SIGSEGV ? 14 : 0);
    put_frame32(p, mc + SC_OLDMASK, (uint32_t)oldmask);
    for (int i = 0; i < 15; i++)
        put_frame32(p, mc + SC_R0 + 4 * (uint32_t)i, vt_lx_reg(p, i));
    put_frame32(p, mc + SC_PC, vt_arm_resume_pc(p->cpu));
    put_frame32(p, mc + SC_CPSR, vt_lx_reg(p, VT_ARM_REG_CPSR));
    put_frame32(p, mc + SC_FAULT, addr);
    put_frame32(p, uc + UC_SIGMASK, (uint32_t)oldmask);
    put_frame32(p, uc + UC_SIGMASK + 4, (uint32_t)(oldmask >> 32));
    save_vfp(p, uc + UC_REGSPACE);
    uint32_t ret;
    if (act->flags & p->abi->sa_restorer)
        ret = act->restorer;
    else
        ret = rt ? ARM_RT_SIGRETURN_CODE : ARM_SIGRETURN_CODE;
    vt_lx_set_reg(p, 0, (uint32_t)sig);
    vt_lx_set_reg(p, 1, rt ? frame : 0);
    vt_lx_set_reg(p, 2, rt ? uc : 0);
    vt_lx_set_reg(p, VT_ARM_REG_SP, frame);
    vt_lx_set_reg(p, VT_ARM_REG_LR, ret);
    vt_lx_set_reg(p, VT_ARM_REG_CPSR,
                  vt_lx_reg(p, VT_ARM_REG_CPSR) & ~CPSR_E); /* handlers run little-endian */
    vt_arm_set_resume_pc(p->cpu, act->handler, true);
    return 0;
}

static int64_t arm_sigreturn(vt_lx_proc *p, bool rt) {
    uint32_t frame = vt_lx_reg(p, VT_ARM_REG_SP);
    uint32_t uc = frame + (rt ? SIGINFO_SIZE : 0);
    if ((frame & 7) || !vt_lx_range_ok(p, frame, (rt ? SIGINFO_SIZE : 0) + UC_SIZE, VT_PERM_R)) {
        vt_lx_signal_fault(p, SIGSEGV, 0x80 /* SI_KERNEL */, frame);
        return INT64_MIN;
    }
    if (!restore_vfp(p, uc + UC_REGSPACE)) {
        vt_lx_signal_fault(p, SIGSEGV, 0x80 /* SI_KERNEL */, frame);
        return INT64_MIN;
    }
    uint32_t mc = uc + UC_MCONTEXT;
    for (int i = 0; i < 15; i++)
        vt_lx_set_reg(p, i, get_frame32(p, mc + SC_R0 + 4 * (uint32_t)i));
    uint32_t pc = get_frame32(p, mc + SC_PC), cpsr = get_frame32(p, mc + SC_CPSR);
    /* user mode keeps its mode and masks: only flags, GE, E and T come back */
    uint32_t keep = vt_lx_reg(p, VT_ARM_REG_CPSR) & ~CPSR_USER_BITS;
    vt_lx_set_reg(p, VT_ARM_REG_CPSR, keep | (cpsr & CPSR_USER_BITS));
    vt_arm_set_resume_pc(p->cpu, pc, false);
    uint64_t mask = get_frame32(p, uc + UC_SIGMASK) | (uint64_t)get_frame32(p, uc + UC_SIGMASK + 4)
                                                          << 32;
    vt_lx_set_blocked(p, mask);
    return INT64_MIN;
}

const vt_lx_abi vt_lx_abi_arm = {
    .name = "arm",
    .cpu_model = "arm1136",
    .flush = arm_flush,
    .uname_machine = "armv5tel",
    .platform = "v5l",
    .elf_machine = 40,
    .endian = VT_LITTLE_ENDIAN,
    /* SWP HALF THUMB FAST_MULT EDSP TLS (arch/arm/mm/proc-v6.S, setup.c); VFP is added by
       arm_hwcap when the core model has one (ARM1136JF-S: VFP11) */
    .hwcap = 0x1 | 0x2 | 0x4 | 0x10 | 0x80 | 0x8000,
    .hwcap_of = arm_hwcap,
    .stack_top = 0xbf000000u,
    /* TASK_SIZE = PAGE_OFFSET - 16 MiB (arch/arm/include/asm/memory.h, 3G/1G split): the
       vectors and kuser helper page at 0xffff0000 lie above it */
    .task_size = 0xbf000000u,
    .mmap_base = 0x40000000u,
    .sigset_bytes = 8,
    .pair_align = true,
    .sysnr = arm_sysnr,
    .nsysnr = VT_ARRAY_LEN(arm_sysnr),
    /* errno is asm-generic and the signal numbers are x86's (arch/arm/include/uapi/asm/signal.h):
       nothing differs */
    .errnos = NULL,
    .nerrnos = 0,
    .signals = NULL,
    .nsignals = 0,
    .open_flags = arm_open_flags,
    .nopen_flags = VT_ARRAY_LEN(arm_open_flags),
    .mmap_flags = vt_lx_generic_mmap_flags,
    .nmmap_flags = VT_LX_GENERIC_NMMAP_FLAGS,
    .ioctls = vt_lx_generic_ioctls,
    .nioctls = VT_LX_GENERIC_NIOCTLS,
    .stat64 = arm_stat64,
    .stat64_size = 104,
    .statfs = vt_lx_generic_statfs,
    .statfs_size = 64,
    .statfs64 = vt_lx_generic_statfs64,
    .statfs64_size = 84,
    VT_LX_GENERIC_SIGACTION_FLAGS,
    .setup = arm_setup,
    .start = arm_start,
    .arch_syscall = arm_arch_syscall,
    .child_setup = arm_child_setup,
    .setup_frame = arm_setup_frame,
    .sigreturn = arm_sigreturn,
    .host_fault = arm_host_fault,
    .restart_syscall = arm_restart_syscall,
    .clone_args = arm_clone_args,
};
