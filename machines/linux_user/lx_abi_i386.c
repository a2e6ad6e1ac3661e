/* i386 Linux user-mode ABI: syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl, the
 * 32-bit uid and large-file variants), struct layouts (arch/x86/include/uapi/asm/stat.h: the
 * packed stat64; asm-generic statfs), INT 0x80 entry with the number in EAX and arguments in
 * EBX ECX EDX ESI EDI EBP, old_mmap and set/get_thread_area (a three-entry TLS area of the GDT,
 * entries 6-8, loaded into %gs by glibc), fadvise64/fadvise64_64 with their split 64-bit
 * arguments, no AT_SYSINFO (glibc falls back to INT 0x80), and
 * the sigframe / rt_sigframe layouts of arch/x86/kernel/signal_32.c with the FNSAVE image. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include "core/cpu/x86/x86.h"
#include "jit/x86_lockstep.h"
#include "machines/linux_user/lx_abi.h"
#include "machines/linux_user/lx_sys.h"

static const uint16_t i386_sysnr[] = {
#define LX_NR(n, name) [n] = VT_SYS_##name,
#include "machines/linux_user/lx_sysnr_common.list"
#undef LX_NR
    /* numbers of this ABI alone */
    [219] = VT_SYS_madvise,
    [220] = VT_SYS_getdents64,
    [252] = VT_SYS_exit_group,
    [258] = VT_SYS_set_tid_address,
    [265] = VT_SYS_clock_gettime,
    [266] = VT_SYS_clock_getres,
    [267] = VT_SYS_clock_nanosleep,
    [268] = VT_SYS_statfs64,
    [269] = VT_SYS_fstatfs64,
    [270] = VT_SYS_tgkill,
    [271] = VT_SYS_utimes, /* 272 fadvise64_64 splits its 64-bit arguments: arch_syscall */
    [295] = VT_SYS_openat,
    [296] = VT_SYS_mkdirat,
    [297] = VT_SYS_mknodat,
    [298] = VT_SYS_fchownat,
    [300] = VT_SYS_fstatat64,
    [301] = VT_SYS_unlinkat,
    [302] = VT_SYS_renameat,
    [303] = VT_SYS_linkat,
    [304] = VT_SYS_symlinkat,
    [305] = VT_SYS_readlinkat,
    [306] = VT_SYS_fchmodat,
    [307] = VT_SYS_faccessat,
    [308] = VT_SYS_pselect6,
    [309] = VT_SYS_ppoll,
    [311] = VT_SYS_set_robust_list,
    [312] = VT_SYS_get_robust_list,
    [320] = VT_SYS_utimensat,
    [324] = VT_SYS_fallocate,
    [330] = VT_SYS_dup3,
    [331] = VT_SYS_pipe2,
    [340] = VT_SYS_prlimit64,
    [353] = VT_SYS_renameat2,
    [355] = VT_SYS_getrandom,
    [359] = VT_SYS_socket,
    [362] = VT_SYS_connect,
    [375] = VT_SYS_membarrier,
    [383] = VT_SYS_statx,
    [386] = VT_SYS_rseq,
};

/* struct stat64 is packed on i386 (8-byte members 4-aligned): 96 bytes */
static const vt_lx_field i386_stat64[] = {
    {VT_ST_DEV, 8, 0},      {VT_ST_INO, 4, 12},      {VT_ST_MODE, 4, 16},  {VT_ST_NLINK, 4, 20},
    {VT_ST_UID, 4, 24},     {VT_ST_GID, 4, 28},      {VT_ST_RDEV, 8, 32},  {VT_ST_SIZE, 8, 44},
    {VT_ST_BLKSIZE, 4, 52}, {VT_ST_BLOCKS, 8, 56},   {VT_ST_ATIME, 4, 64}, {VT_ST_ATIME_NS, 4, 68},
    {VT_ST_MTIME, 4, 72},   {VT_ST_MTIME_NS, 4, 76}, {VT_ST_CTIME, 4, 80}, {VT_ST_CTIME_NS, 4, 84},
    {VT_ST_INO, 8, 88},     {VT_ST_END, 0, 0},
};

/* GDT layout seen by user mode (arch/x86/include/asm/segment.h, 32-bit) */
enum { GDT_TLS_MIN = 6, GDT_TLS_N = 3, GDT_USER_CS = 14, GDT_USER_DS = 15 };
enum { SEG_ES = 0, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

typedef struct tls_desc {
    uint32_t base, limit; /* limit in bytes - 1 after granularity */
    uint32_t flags;       /* user_desc flag bits as given */
    bool present;
} tls_desc;

typedef struct i386_state {
    tls_desc tls[GDT_TLS_N];
    uint32_t orig_eax; /* EAX at syscall entry, for restarts */
} i386_state;

static i386_state *st_of(vt_lx_proc *p) {
    return p->abi_state;
}

/* Guest pages for the core; readable pages are executable (no NX on a Pentium II). */
static uint8_t *page_fn(void *opaque, uint32_t va, unsigned *perms) {
    vt_lx_proc *p = opaque;
    uint8_t pg = p->pages[va / VT_LX_PAGE];
    if (!(pg & VT_LX_PAGE_MAPPED)) return NULL;
    *perms = (pg & 7u) | ((pg & VT_PERM_R) ? VT_PERM_X : 0);
    return p->base + (va & ~(VT_LX_PAGE - 1));
}

static bool desc_fn(void *opaque, unsigned index, uint32_t *base, uint32_t *limit) {
    vt_lx_proc *p = opaque;
    if (index == GDT_USER_CS || index == GDT_USER_DS) {
        *base = 0;
        *limit = 0xFFFFFFFFu;
        return true;
    }
    if (index < GDT_TLS_MIN || index >= GDT_TLS_MIN + GDT_TLS_N) return false;
    const tls_desc *d = &st_of(p)->tls[index - GDT_TLS_MIN];
    if (!d->present) return false;
    *base = d->base;
    *limit = d->limit;
    return true;
}

/* struct user_desc: entry_number, base_addr, limit, then flag bits seg_32bit:1
 * contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1 */
static int64_t set_thread_area(vt_lx_proc *p, uint32_t uaddr) {
    uint32_t e, base, lim, fl;
    if (vt_lx_get32(p, uaddr, &e) || vt_lx_get32(p, uaddr + 4, &base) ||
        vt_lx_get32(p, uaddr + 8, &lim) || vt_lx_get32(p, uaddr + 12, &fl))
        return -EFAULT;
    i386_state *s = st_of(p);
    if (e == 0xFFFFFFFFu) {
        for (e = 0; e < GDT_TLS_N && s->tls[e].present; e++) {
        }
        if (e == GDT_TLS_N) return -ESRCH;
        e += GDT_TLS_MIN;
        if (vt_lx_put32(p, uaddr, e)) return -EFAULT;
    }
    if (e < GDT_TLS_MIN || e >= GDT_TLS_MIN + GDT_TLS_N) return -EINVAL;
    tls_desc *d = &s->tls[e - GDT_TLS_MIN];
    bool empty = !base && !lim && (fl & 0x28) == 0x28; /* LDT_empty: read_exec_only + not present */
    d->present = !empty && !(fl & 0x20);
    d->base = base;
    d->limit = (fl & 0x10) ? (lim << 12 | 0xFFF) : lim;
    d->flags = fl;
    /* a segment register already holding this selector sees the new descriptor on reload;
       glibc reloads %gs right after the call */
    return 0;
}

static int64_t get_thread_area(vt_lx_proc *p, uint32_t uaddr) {
    uint32_t e;
    if (vt_lx_get32(p, uaddr, &e)) return -EFAULT;
    if (e < GDT_TLS_MIN || e >= GDT_TLS_MIN + GDT_TLS_N) return -EINVAL;
    const tls_desc *d = &st_of(p)->tls[e - GDT_TLS_MIN];
    uint32_t lim = (d->flags & 0x10) ? d->limit >> 12 : d->limit;
    if (vt_lx_put32(p, uaddr + 4, d->base) || vt_lx_put32(p, uaddr + 8, lim) ||
        vt_lx_put32(p, uaddr + 12, d->present ? d->flags : 0x28))
        return -EFAULT;
    return 0;
}

/* socketcall(call, args *): the multiplexer older i386 code uses; each call is sent on as the
 * direct i386 syscall it stands for (net/socket.c SYSCALL_DEFINE2(socketcall)). */
static int64_t socketcall(vt_lx_proc *p, uint32_t call, uint32_t args) {
    static const struct {
        uint16_t nr;
        uint8_t nargs;
    } calls[] = {
        [1] = {359, 3},  [2] = {361, 3},  [3] = {362, 3},  [4] = {363, 2},  [5] = {364, 3},
        [6] = {367, 3},  [7] = {368, 3},  [8] = {360, 4},  [9] = {369, 4},  [10] = {371, 4},
        [11] = {369, 6}, [12] = {371, 6}, [13] = {373, 2}, [14] = {366, 5}, [15] = {365, 5},
        [16] = {370, 3}, [17] = {372, 3}, [18] = {364, 4}, [19] = {337, 5}, [20] = {345, 4},
    };
    if (call == 0 || call >= VT_ARRAY_LEN(calls)) return -EINVAL;
    uint32_t a[6] = {0};
    for (unsigned i = 0; i < calls[call].nargs; i++)
        if (vt_lx_get32(p, args + 4 * i, &a[i])) return -EFAULT;
    /* accept and send/recv are accept4/sendto/recvfrom with the extra arguments zero */
    return vt_lx_dispatch(p, calls[call].nr, a);
}

static int64_t i386_arch_syscall(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]) {
    switch (nr) {
    case 102:
        return socketcall(p, a[0], a[1]);
    case 90: { /* old_mmap(struct mmap_arg_struct *) */
        uint32_t m[6];
        for (int i = 0; i < 6; i++)
            if (vt_lx_get32(p, a[0] + 4 * (uint32_t)i, &m[i])) return -EFAULT;
        if (m[5] & (VT_LX_PAGE - 1)) return -EINVAL;
        m[5] /= VT_LX_PAGE;
        return vt_lx_dispatch(p, 192 /* mmap2 */, m);
    }
    case 250: /* fadvise64(fd, offset64, len32, advice): advice values are the generic ones */
        return -posix_fadvise(lx_s32(a[0]), (off_t)lx_pair(p, a, 1), (off_t)a[3], lx_s32(a[4]));
    case 272: /* fadvise64_64(fd, offset64, len64, advice) */
        return -posix_fadvise(lx_s32(a[0]), (off_t)lx_pair(p, a, 1), (off_t)lx_pair(p, a, 3),
                              lx_s32(a[5]));
    case 243:
        return set_thread_area(p, a[0]);
    case 244:
        return get_thread_area(p, a[0]);
    default: /* ipc (117), modify_ldt (123) among others: not provided */
        return VT_LX_NO_SYSCALL;
    }
}

static void do_syscall(vt_lx_proc *p) {
    uint32_t nr = vt_lx_reg(p, X86_EAX);
    uint32_t a[6] = {vt_lx_reg(p, X86_EBX), vt_lx_reg(p, X86_ECX), vt_lx_reg(p, X86_EDX),
                     vt_lx_reg(p, X86_ESI), vt_lx_reg(p, X86_EDI), vt_lx_reg(p, X86_EBP)};
    st_of(p)->orig_eax = nr;
    int64_t r = vt_lx_syscall(p, nr, a);
    if (r == VT_LX_RET_NONE) { /* sigreturn/execve-style: registers already set */
        if (!p->exited) vt_lx_signals_deliver(p, false);
        return;
    }
    vt_lx_set_reg(p, X86_EAX, (uint32_t)r);
    if (p->exited) return;
    vt_lx_signals_deliver(p, vt_lx_is_eintr(p->abi, r));
}

/* x87 exception → si_code (arch/x86/kernel/traps.c fpu__exception_code) */
static int fpe_code(vt_lx_proc *p) {
    uint32_t sw = vt_lx_reg(p, X86_FSW), cw = vt_lx_reg(p, X86_FCW);
    uint32_t e = sw & ~cw & 0x3F;
    if (e & 1) return 7;  /* FPE_FLTINV */
    if (e & 4) return 3;  /* FPE_FLTDIV */
    if (e & 8) return 4;  /* FPE_FLTOVF */
    if (e & 16) return 5; /* FPE_FLTUND */
    if (e & 32) return 6; /* FPE_FLTRES */
    return 0;
}

static void trap_fn(void *opaque, vt_cpu *cpu, const vt_x86_trap *t) {
    vt_lx_proc *p = opaque;
    uint32_t eip = vt_lx_reg(p, X86_EIP);
    if (t->kind == VT_X86_TRAP_INT) {
        switch (t->vector) {
        case 0x80:
            do_syscall(p);
            break;
        case 3:
            vt_lx_signal_fault(p, SIGTRAP, 0x80 /* SI_KERNEL */, 0);
            break;
        case 1:
            vt_lx_signal_fault(p, SIGTRAP, 2 /* TRAP_TRACE */, eip);
            break;
        case 4:
            vt_lx_signal_fault(p, SIGSEGV, 0x80, 0);
            break;
        default: /* INT n through a DPL 0 gate: #GP on the instruction */
            vt_lx_set_reg(p, X86_EIP, eip - 2);
            vt_lx_signal_fault(p, SIGSEGV, 0x80, 0);
            break;
        }
    } else {
        switch (t->vector) {
        case 0:
            vt_lx_signal_fault(p, SIGFPE, 1 /* FPE_INTDIV */, eip);
            break;
        case 6:
            vt_lx_signal_fault(p, SIGILL, 2 /* ILL_ILLOPN */, eip);
            break;
        case 16:
            vt_lx_signal_fault(p, SIGFPE, fpe_code(p), eip);
            break;
        case 17:
            vt_lx_signal_fault(p, SIGBUS, 1 /* BUS_ADRALN */, 0);
            break;
        case 14:
            vt_lx_signal_mem_fault(p, t->fault_addr);
            break;
        default:
            vt_lx_signal_fault(p, SIGSEGV, 0x80, 0);
            break;
        }
    }
    if (p->exited) cpu->stop_at = cpu->cycles;
}

static __attribute__((noreturn)) void i386_host_fault(vt_lx_proc *p, uint32_t guest_addr) {
    vt_x86_user_page_fault(p->cpu, guest_addr);
}

static int i386_setup(vt_lx_proc *p, vt_error *err) {
    i386_state *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    p->abi_state = s;
    vt_cpu_config cfg = {
        .model = p->cpu_model ? p->cpu_model : p->abi->cpu_model, .env = p, .hz = 300000000};
    p->cpu = vt_cpu_create(&cfg, err);
    if (!p->cpu) return -1;
    if (strcmp(p->cpu->ops->isa, "x86"))
        return vt_fail(err, "CPU model '%s' is not an x86 core", cfg.model);
    vt_x86_set_user_mode(p->cpu, page_fn, p);
    vt_x86_set_desc_fn(p->cpu, desc_fn);
    vt_x86_set_trap_fn(p->cpu, trap_fn, p);
    p->tlb = vt_x86_tlb(p->cpu);
    if (p->jit == VT_JIT_LOCKSTEP && vt_x86_set_lockstep(p->cpu))
        return vt_fail(err, "out of memory for the JIT");
    if (p->jit == VT_JIT_ON && vt_x86_set_jit(p->cpu, true))
        return vt_fail(err, "out of memory for the JIT");
    p->jit_sites = vt_x86_jit_set_direct_base(p->cpu, p->base);
    return 0;
}

/* The layer's own writes and map changes drop the JIT's translations of those bytes. */
static void i386_code_write(const vt_lx_proc *p, uint32_t addr, uint32_t len) {
    vt_x86_jit_code_written(p->cpu, addr, len);
}

static void i386_start(vt_lx_proc *p, uint32_t entry, uint32_t sp) {
    /* ELF_PLAT_INIT: general registers zero (EDX = no rtld_fini) */
    for (int r = X86_EAX; r <= X86_EDI; r++)
        vt_lx_set_reg(p, r, 0);
    vt_lx_set_reg(p, X86_ESP, sp);
    vt_lx_set_reg(p, X86_EIP, entry);
}

static void i386_child_setup(vt_lx_proc *p, uint32_t newsp, bool set_tls, uint32_t tls) {
    if (newsp) vt_lx_set_reg(p, X86_ESP, newsp);
    if (set_tls) (void)set_thread_area(p, tls); /* CLONE_SETTLS passes a struct user_desc * */
}

static void i386_clone_args(const uint32_t a[6], uint32_t *flags, uint32_t *newsp, uint32_t *ptid,
                            uint32_t *ctid, uint32_t *tls) {
    /* CLONE_BACKWARDS: flags, newsp, parent_tidptr, tls, child_tidptr */
    *flags = a[0];
    *newsp = a[1];
    *ptid = a[2];
    *tls = a[3];
    *ctid = a[4];
}

static void i386_restart_syscall(vt_lx_proc *p) {
    vt_lx_set_reg(p, X86_EAX, st_of(p)->orig_eax);
    vt_lx_set_reg(p, X86_EIP, vt_lx_reg(p, X86_EIP) - 2); /* back onto INT 0x80 */
}

/* Frame layouts (arch/x86/include/asm/sigframe.h, uapi sigcontext.h, 32-bit):
 * sigframe:    pretcode, sig, sigcontext (88), _fpstate_32 (unused, 624), extramask, retcode[8]
 * rt_sigframe: pretcode, sig, pinfo, puc, siginfo (128), ucontext (116), retcode[8]
 * sigcontext:  gs fs es ds (16-bit each in 32-bit slots), edi esi ebp esp ebx edx ecx eax,
 *              trapno err eip cs eflags esp_at_signal ss fpstate oldmask cr2
 * The FPU state (FNSAVE image + status + magic 0xffff) goes above the frame. */
enum {
    SC_GS = 0,
    SC_FS = 4,
    SC_ES = 8,
    SC_DS = 12,
    SC_EDI = 16,
    SC_EAX = 44,
    SC_TRAPNO = 48,
    SC_ERR = 52,
    SC_EIP = 56,
    SC_CS = 60,
    SC_EFLAGS = 64,
    SC_ESP_AT_SIGNAL = 68,
    SC_SS = 72,
    SC_FPSTATE = 76,
    SC_OLDMASK = 80,
    SC_CR2 = 84,
    SC_SIZE = 88,
    FP_SIZE = 112,
    FPSTATE_UNUSED = 624,
    F_SIG = 4,
    F_SC = 8,
    F_EXTRAMASK = F_SC + SC_SIZE + FPSTATE_UNUSED,
    F_RETCODE = F_EXTRAMASK + 4,
    F_SIZE = F_RETCODE + 8,
    RT_PINFO = 8,
    RT_PUC = 12,
    RT_INFO = 16,
    RT_UC = RT_INFO + 128,
    RT_RETCODE = RT_UC + 116,
    RT_SIZE = RT_RETCODE + 8,
    UC_STACK = 8,
    UC_MCONTEXT = 20,
    UC_SIGMASK = 108,
};
/* sigcontext order of EDI..EAX and the core's register numbers */
static const int sc_regs[8] = {X86_EDI, X86_ESI, X86_EBP, X86_ESP,
                               X86_EBX, X86_EDX, X86_ECX, X86_EAX};
#define FIX_EFLAGS 0x00050DD5u /* CF PF AF ZF SF TF DF OF RF AC: what sigreturn restores */

static void put32(vt_lx_proc *p, uint32_t addr, uint32_t v) {
    store_le32(p->base + addr, v);
}
static uint32_t get32(vt_lx_proc *p, uint32_t addr) {
    return load_le32(p->base + addr);
}

static void write_sigcontext(vt_lx_proc *p, uint32_t sc, uint32_t fp, int sig, uint32_t oldmask,
                             uint32_t cr2) {
    put32(p, sc + SC_GS, vt_lx_reg(p, X86_GS));
    put32(p, sc + SC_FS, vt_lx_reg(p, X86_FS));
    put32(p, sc + SC_ES, vt_lx_reg(p, X86_ES));
    put32(p, sc + SC_DS, vt_lx_reg(p, X86_DS));
    for (int i = 0; i < 8; i++)
        put32(p, sc + SC_EDI + 4 * (uint32_t)i, vt_lx_reg(p, sc_regs[i]));
    put32(p, sc + SC_TRAPNO, sig == SIGSEGV ? 14 : sig == SIGFPE ? 0 : sig == SIGILL ? 6 : 0);
    put32(p, sc + SC_ERR, 0);
    put32(p, sc + SC_EIP, vt_lx_reg(p, X86_EIP));
    put32(p, sc + SC_CS, vt_lx_reg(p, X86_CS));
    put32(p, sc + SC_EFLAGS, vt_lx_reg(p, X86_EFLAGS));
    put32(p, sc + SC_ESP_AT_SIGNAL, vt_lx_reg(p, X86_ESP));
    put32(p, sc + SC_SS, vt_lx_reg(p, X86_SS));
    put32(p, sc + SC_FPSTATE, fp);
    put32(p, sc + SC_OLDMASK, oldmask);
    put32(p, sc + SC_CR2, cr2);
}

static int i386_setup_frame(vt_lx_proc *p, const vt_lx_sigaction *act, const vt_lx_siginfo *info,
                            uint64_t oldmask) {
    int sig = info->signo;
    bool rt = (act->flags & p->abi->sa_siginfo) != 0;
    uint32_t sp = vt_lx_reg(p, X86_ESP);
    if ((act->flags & p->abi->sa_onstack) && p->altstack_size &&
        !(sp - p->altstack_sp < p->altstack_size))
        sp = p->altstack_sp + p->altstack_size;
    uint32_t fp = (sp - FP_SIZE) & ~63u;
    uint32_t size = rt ? RT_SIZE : F_SIZE;
    /* the frame is aligned so that ESP+4 is 16-byte aligned at handler entry */
    uint32_t frame = ((fp - size + 4) & ~15u) - 4;
    if (!vt_lx_range_ok(p, frame, sp - frame, VT_PERM_W)) return -1;
    memset(p->base + frame, 0, fp + FP_SIZE - frame);
    uint8_t img[108];
    vt_x86_fsave(p->cpu, img);
    memcpy(p->base + fp, img, sizeof img);
    store_le16(p->base + fp + 108, (uint16_t)vt_lx_reg(p, X86_FSW)); /* status */
    store_le16(p->base + fp + 110, 0xFFFF);                          /* magic: FNSAVE data only */
    uint32_t cr2 = info->fault ? info->addr : 0;
    uint32_t ret, code;
    if (rt) {
        uint32_t si = frame + RT_INFO, uc = frame + RT_UC;
        put32(p, frame + F_SIG, (uint32_t)sig);
        put32(p, frame + RT_PINFO, si);
        put32(p, frame + RT_PUC, uc);
        put32(p, si, (uint32_t)sig);
        put32(p, si + 4, (uint32_t)info->err);
        put32(p, si + 8, (uint32_t)info->code);
        if (info->fault) {
            put32(p, si + 12, info->addr);
        } else {
            put32(p, si + 12, (uint32_t)info->pid);
            put32(p, si + 16, info->uid);
            put32(p, si + 20, (uint32_t)info->status);
        }
        put32(p, uc + UC_STACK, p->altstack_sp);
        put32(p, uc + UC_STACK + 4, p->altstack_flags);
        put32(p, uc + UC_STACK + 8, p->altstack_size);
        write_sigcontext(p, uc + UC_MCONTEXT, fp, sig, (uint32_t)oldmask, cr2);
        put32(p, uc + UC_SIGMASK, (uint32_t)oldmask);
        put32(p, uc + UC_SIGMASK + 4, (uint32_t)(oldmask >> 32));
        code = frame + RT_RETCODE;
        /* movl $173, %eax; int $0x80 (rt_sigreturn) */
        static const uint8_t rc[8] = {0xB8, 0xAD, 0x00, 0x00, 0x00, 0xCD, 0x80, 0x00};
        memcpy(p->base + code, rc, sizeof rc);
    } else {
        put32(p, frame + F_SIG, (uint32_t)sig);
        write_sigcontext(p, frame + F_SC, fp, sig, (uint32_t)oldmask, cr2);
        put32(p, frame + F_EXTRAMASK, (uint32_t)(oldmask >> 32));
        code = frame + F_RETCODE;
        /* popl %eax; movl $119, %eax; int $0x80 (sigreturn) */
        static const uint8_t rc[8] = {0x58, 0xB8, 0x77, 0x00, 0x00, 0x00, 0xCD, 0x80};
        memcpy(p->base + code, rc, sizeof rc);
    }
    ret = (act->flags & p->abi->sa_restorer) ? act->restorer : code;
    put32(p, frame, ret);
    /* handlers start with a clean FPU (fpu__clear_user_states) */
    store_le16(img, 0x037F);
    store_le16(img + 4, 0);
    store_le16(img + 8, 0xFFFF);
    vt_x86_frstor(p->cpu, img);
    vt_lx_set_reg(p, X86_ESP, frame);
    vt_lx_set_reg(p, X86_EIP, act->handler);
    vt_lx_set_reg(p, X86_EAX, (uint32_t)sig);
    vt_lx_set_reg(p, X86_EDX, rt ? frame + RT_INFO : 0);
    vt_lx_set_reg(p, X86_ECX, rt ? frame + RT_UC : 0);
    vt_lx_set_reg(p, X86_EFLAGS, vt_lx_reg(p, X86_EFLAGS) & ~(0x100u | 0x400u)); /* TF, DF clear */
    return 0;
}

static int64_t i386_sigreturn(vt_lx_proc *p, bool rt) {
    uint32_t esp = vt_lx_reg(p, X86_ESP);
    /* sigreturn: the handler's ret and the trampoline's popl consumed pretcode and sig;
       rt_sigreturn: only pretcode */
    uint32_t frame = rt ? esp - 4 : esp - 8;
    uint32_t size = rt ? RT_SIZE : F_SIZE;
    if (!vt_lx_range_ok(p, frame, size, VT_PERM_R)) {
        vt_lx_signal_fault(p, SIGSEGV, 0x80, frame);
        return VT_LX_RET_NONE;
    }
    uint32_t sc = rt ? frame + RT_UC + UC_MCONTEXT : frame + F_SC;
    uint64_t mask;
    if (rt)
        mask = get32(p, frame + RT_UC + UC_SIGMASK) |
               (uint64_t)get32(p, frame + RT_UC + UC_SIGMASK + 4) << 32;
    else
        mask = get32(p, sc + SC_OLDMASK) | (uint64_t)get32(p, frame + F_EXTRAMASK) << 32;
    for (int i = 0; i < 8; i++)
        vt_lx_set_reg(p, sc_regs[i], get32(p, sc + SC_EDI + 4 * (uint32_t)i));
    vt_lx_set_reg(p, X86_EIP, get32(p, sc + SC_EIP));
    uint32_t fl = vt_lx_reg(p, X86_EFLAGS);
    vt_lx_set_reg(p, X86_EFLAGS, (fl & ~FIX_EFLAGS) | (get32(p, sc + SC_EFLAGS) & FIX_EFLAGS));
    /* FS/GS selectors come back through the TLS descriptors */
    static const struct {
        int reg, off, seg;
    } segs[] = {{X86_FS, SC_FS, SEG_FS}, {X86_GS, SC_GS, SEG_GS}};
    for (size_t k = 0; k < VT_ARRAY_LEN(segs); k++) {
        uint16_t sel = (uint16_t)get32(p, sc + (uint32_t)segs[k].off);
        uint32_t base = 0, limit = 0;
        bool ok = (sel & ~3u) && !(sel & 4) && desc_fn(p, sel >> 3, &base, &limit);
        vt_x86_load_user_seg(p->cpu, segs[k].seg, sel, base, limit, ok);
    }
    uint32_t fp = get32(p, sc + SC_FPSTATE);
    if (fp && vt_lx_range_ok(p, fp, 108, VT_PERM_R)) vt_x86_frstor(p->cpu, p->base + fp);
    vt_lx_set_blocked(p, mask);
    return VT_LX_RET_NONE;
}

const vt_lx_abi vt_lx_abi_i386 = {
    .name = "i386",
    .cpu_model = "pentium2",
    .uname_machine = "i686",
    .platform = "i686",
    .elf_machine = 3, /* EM_386 */
    .endian = VT_LITTLE_ENDIAN,
    /* AT_HWCAP = CPUID.1:EDX of the core: FPU PSE TSC MSR CX8 SEP PGE CMOV MMX */
    .hwcap = 0x0080A939u,
    .stack_top = 0xbf000000u,
    /* TASK_SIZE of a 32-bit task on an x86-64 kernel (IA32_PAGE_OFFSET), the native oracle */
    .task_size = 0xffffe000u,
    .mmap_base = 0x40000000u,
    .sigset_bytes = 8,
    .pair_align = false,
    .sysnr = i386_sysnr,
    .nsysnr = VT_ARRAY_LEN(i386_sysnr),
    /* errno is asm-generic and the signal numbers are x86's (arch/x86/include/uapi/asm/signal.h):
       nothing differs */
    .errnos = NULL,
    .nerrnos = 0,
    .signals = NULL,
    .nsignals = 0,
    .open_flags = vt_lx_generic_open_flags,
    .nopen_flags = VT_LX_GENERIC_NOPEN_FLAGS,
    .mmap_flags = vt_lx_generic_mmap_flags,
    .nmmap_flags = VT_LX_GENERIC_NMMAP_FLAGS,
    .ioctls = vt_lx_generic_ioctls,
    .nioctls = VT_LX_GENERIC_NIOCTLS,
    .stat64 = i386_stat64,
    .stat64_size = 96,
    .statfs = vt_lx_generic_statfs,
    .statfs_size = 64,
    .statfs64 = vt_lx_generic_statfs64,
    .statfs64_size = 84,
    VT_LX_GENERIC_SIGACTION_FLAGS,
    .setup = i386_setup,
    .start = i386_start,
    .code_write = i386_code_write,
    .arch_syscall = i386_arch_syscall,
    .child_setup = i386_child_setup,
    .setup_frame = i386_setup_frame,
    .sigreturn = i386_sigreturn,
    .host_fault = i386_host_fault,
    .restart_syscall = i386_restart_syscall,
    .clone_args = i386_clone_args,
};
