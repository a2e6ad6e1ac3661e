/* The per-ABI interface of Linux user mode. Everything that differs between ARM EABI,
 * i386, ppc32 and sparc32 lives behind this: syscall numbers, flag encodings, struct
 * layouts (described as field tables, filled field by field in the guest's byte order),
 * the CPU glue (creating the core, entering syscalls) and signal frames. */
#ifndef VT_LX_ABI_H
#define VT_LX_ABI_H

#include "machines/linux_user/lx_proc.h"
#include "machines/linux_user/lx_sysnames.h"

/* A guest bit ↔ host bit pair for flag translation (open flags, mmap flags). */
typedef struct vt_lx_flag {
    uint32_t guest, host;
} vt_lx_flag;

/* A guest number and the host number it stands for (errno values, signals). */
typedef struct vt_lx_num {
    uint16_t guest, host;
} vt_lx_num;

/* One field of a guest struct: what it holds, where, how wide. */
typedef struct vt_lx_field {
    uint8_t id;
    uint8_t size;
    uint16_t off;
} vt_lx_field;

/* Field ids of struct stat / stat64. */
enum {
    VT_ST_END = 0,
    VT_ST_DEV,
    VT_ST_INO,
    VT_ST_MODE,
    VT_ST_NLINK,
    VT_ST_UID,
    VT_ST_GID,
    VT_ST_RDEV,
    VT_ST_SIZE,
    VT_ST_BLKSIZE,
    VT_ST_BLOCKS,
    VT_ST_ATIME,
    VT_ST_ATIME_NS,
    VT_ST_MTIME,
    VT_ST_MTIME_NS,
    VT_ST_CTIME,
    VT_ST_CTIME_NS,
};
/* Field ids of struct statfs / statfs64. */
enum {
    VT_SF_END = 0,
    VT_SF_TYPE,
    VT_SF_BSIZE,
    VT_SF_BLOCKS,
    VT_SF_BFREE,
    VT_SF_BAVAIL,
    VT_SF_FILES,
    VT_SF_FFREE,
    VT_SF_FSID0,
    VT_SF_FSID1,
    VT_SF_NAMELEN,
    VT_SF_FRSIZE,
    VT_SF_FLAGS,
};

/* Generic ioctl identities (guest numbers differ per ABI). */
enum {
    VT_IOC_none = 0,
    VT_IOC_TCGETS,
    VT_IOC_TCSETS,
    VT_IOC_TCSETSW,
    VT_IOC_TCSETSF,
    VT_IOC_TIOCGWINSZ,
    VT_IOC_TIOCSWINSZ,
    VT_IOC_TIOCGPGRP,
    VT_IOC_TIOCSPGRP,
    VT_IOC_FIONREAD,
    VT_IOC_FIONBIO,
    VT_IOC_FIOCLEX,
    VT_IOC_FIONCLEX,
    VT_IOC_TIOCSCTTY,
    VT_IOC_TIOCNOTTY,
};

typedef struct vt_lx_ioctl {
    uint32_t guest;
    uint8_t id;
} vt_lx_ioctl;

struct vt_lx_abi {
    const char *name;          /* "arm" (the CLI's ARCH) */
    const char *cpu_model;     /* default core model */
    const char *uname_machine; /* uname -m */
    const char *platform;      /* AT_PLATFORM */
    uint16_t elf_machine;      /* e_machine accepted by the loader */
    vt_endian endian;
    uint32_t hwcap;                      /* AT_HWCAP */
    uint32_t (*hwcap_of)(vt_lx_proc *p); /* optional: AT_HWCAP depending on the core model */
    uint32_t cache_bsize;  /* AT_DCACHEBSIZE/ICACHEBSIZE/UCACHEBSIZE (PowerPC), 0 = none */
    uint32_t stack_top;    /* initial stack pointer region top */
    uint32_t task_size;    /* end of the user address space: nothing is mapped above it */
    uint32_t mmap_base;    /* where non-fixed mmaps start searching */
    uint32_t sigset_bytes; /* rt_sig* sigsetsize the ABI uses */
    bool pair_align;       /* 64-bit syscall arguments start at an even register */
    /* syscall numbers: guest nr → VT_SYS_* (0 = not provided) */
    const uint16_t *sysnr;
    size_t nsysnr;
    /* errno values and signal numbers where the ABI differs from the host (lx_xlat.c) */
    const vt_lx_num *errnos;
    size_t nerrnos;
    const vt_lx_num *signals;
    size_t nsignals;
    const vt_lx_flag *open_flags;
    size_t nopen_flags;
    const vt_lx_flag *mmap_flags;
    size_t nmmap_flags;
    const vt_lx_ioctl *ioctls;
    size_t nioctls;
    const vt_lx_field *stat64;
    uint32_t stat64_size;
    const vt_lx_field *statfs;
    uint32_t statfs_size;
    const vt_lx_field *statfs64;
    uint32_t statfs64_size;
    uint32_t sa_restart, sa_siginfo, sa_onstack, sa_resethand, sa_nodefer, sa_restorer;

    /* CPU glue: create the core with hooks, map ABI pages (e.g. ARM kuser helpers). */
    int (*setup)(vt_lx_proc *p, vt_error *err) VT_MUST_CHECK;
    void (*start)(vt_lx_proc *p, uint32_t entry, uint32_t sp);
    /* Optional: runs the core for one slice and handles what ended it (cores that end run()
     * with a trap instead of calling hooks); NULL = the core's run(). */
    void (*run)(vt_lx_proc *p, uint64_t budget);
    /* Optional: drops the core's cached translations after the guest map changed (cores
     * without a vt_tlb in p->tlb). */
    void (*flush)(vt_lx_proc *p);
    /* Optional: the layer is about to write guest bytes [addr, addr+len) itself (a syscall's
     * output buffer) or remapped them (mmap/munmap/mprotect): cores that translate code from
     * guest memory drop the translations of those bytes. */
    void (*code_write)(const vt_lx_proc *p, uint32_t addr, uint32_t len);
    /* Syscalls outside the table (ARM 0xf0000+, i386 socketcall): host -errno results, or
     * VT_LX_NO_SYSCALL for a number the ABI does not provide. */
    int64_t (*arch_syscall)(vt_lx_proc *p, uint32_t nr, const uint32_t a[6]);
    /* After fork in the child: syscall returns 0, optional new stack and TLS. */
    void (*child_setup)(vt_lx_proc *p, uint32_t newsp, bool set_tls, uint32_t tls);
    /* Builds a signal frame and points the CPU at the handler; -1 when the stack is bad. */
    int (*setup_frame)(vt_lx_proc *p, const vt_lx_sigaction *act, const vt_lx_siginfo *info,
                       uint64_t oldmask);
    /* rt_sigreturn / sigreturn: restores registers and the mask from the frame. */
    int64_t (*sigreturn)(vt_lx_proc *p, bool rt);
    /* Called from the host fault handler while the core runs guest code: aborts the current
     * instruction through the core (which then reports a memory fault at guest_addr). */
    void (*host_fault)(vt_lx_proc *p, uint32_t guest_addr) __attribute__((noreturn));
    /* Rewinds the PC to re-issue the syscall just made (SA_RESTART). */
    void (*restart_syscall)(vt_lx_proc *p);
    /* clone's argument order differs per ABI: returns flags, newsp, ptid, ctid, tls. */
    void (*clone_args)(const uint32_t a[6], uint32_t *flags, uint32_t *newsp, uint32_t *ptid,
                       uint32_t *ctid, uint32_t *tls);
};

/* sigaction sa_flags bits of asm-generic/signal.h, which arm, i386 and powerpc all use, as
 * designated initializers of a vt_lx_abi. */
#define VT_LX_GENERIC_SIGACTION_FLAGS                                                              \
    .sa_restart = 0x10000000u, .sa_siginfo = 0x4u, .sa_onstack = 0x08000000u,                      \
    .sa_resethand = 0x80000000u, .sa_nodefer = 0x40000000u, .sa_restorer = 0x04000000u

/* Every ABI this build knows (lx_abis.c). */
const vt_lx_abi *vt_lx_find_abi(const char *name);
const char *vt_lx_abi_names(void);

/* ---- guest <-> host translation (lx_xlat.c) ---- */
int vt_lx_errno_to_guest(const vt_lx_abi *abi, int host);
/* A syscall result: -host errno becomes -guest errno, anything else is kept. */
int64_t vt_lx_result_to_guest(const vt_lx_abi *abi, int64_t r);
bool vt_lx_is_eintr(const vt_lx_abi *abi, int64_t guest_r);
int vt_lx_sig_to_guest(const vt_lx_abi *abi, int host);
int vt_lx_sig_to_host(const vt_lx_abi *abi, int guest);
/* Signal sets as 64-bit masks, bit (sig-1). */
uint64_t vt_lx_sigset_to_host(const vt_lx_abi *abi, uint64_t guest);
uint64_t vt_lx_sigset_to_guest(const vt_lx_abi *abi, uint64_t host);
/* A guest mask as a host sigset_t (signals the host can block: below SIGRTMIN). */
void vt_lx_host_sigset(const vt_lx_abi *abi, uint64_t guest, sigset_t *out);
/* A wait status: the terminating or stopping signal in guest numbering. */
int vt_lx_wstatus_to_guest(const vt_lx_abi *abi, int status);
/* Translates flags guest → host (and back) with an ABI table; unknown bits set *bad. */
uint32_t vt_lx_flags_to_host(const vt_lx_flag *t, size_t n, uint32_t guest, bool *bad);
uint32_t vt_lx_flags_to_guest(const vt_lx_flag *t, size_t n, uint32_t host);

/* asm-generic numbering shared by several ABIs (lx_generic_abi.c) */
enum { VT_LX_GENERIC_NOPEN_FLAGS = 19, VT_LX_GENERIC_NMMAP_FLAGS = 13, VT_LX_GENERIC_NIOCTLS = 14 };
extern const vt_lx_flag vt_lx_generic_open_flags[VT_LX_GENERIC_NOPEN_FLAGS];
extern const vt_lx_flag vt_lx_generic_mmap_flags[VT_LX_GENERIC_NMMAP_FLAGS];
extern const vt_lx_ioctl vt_lx_generic_ioctls[VT_LX_GENERIC_NIOCTLS];
extern const vt_lx_field vt_lx_generic_statfs[];   /* ends with VT_SF_END */
extern const vt_lx_field vt_lx_generic_statfs64[]; /* ends with VT_SF_END */

/* Writes a value of `size` bytes in the ABI's byte order. */
static inline void vt_lx_store(const vt_lx_abi *abi, void *p, unsigned size, uint64_t v) {
    vt_store(p, size, abi->endian, v);
}
static inline uint64_t vt_lx_load(const vt_lx_abi *abi, const void *p, unsigned size) {
    return vt_load(p, size, abi->endian);
}

#endif
