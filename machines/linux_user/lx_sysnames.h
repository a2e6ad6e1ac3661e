/* The ABI-independent syscall identities Vitrine implements: one X(name) per entry. Each
 * ABI's table (lx_abi_<arch>.c) maps its own syscall numbers onto these; lx_syscall.c
 * implements each as sys_<name>. Where ABIs differ only in a struct layout or an id width,
 * the name says which semantic variant it is (e.g. getuid = 32-bit ids, stat64 = the ABI's
 * stat64 layout, mmap2 = offset in 4 KiB units). */
/* clang-format off */
#define VT_LX_SYSCALLS(X)                                                                   \
    X(access) X(brk) X(chdir) X(chmod) X(chown) X(clock_getres) X(clock_getres_time64)     \
    X(clock_gettime) X(clock_gettime64) X(clock_nanosleep) X(clock_nanosleep_time64)       \
    X(clone) X(close) X(creat) X(dup) X(dup2) X(dup3) X(execve) X(exit) X(exit_group)      \
    X(faccessat) X(faccessat2) X(fallocate) X(fchdir) X(fchmod) X(fchmodat) X(fchown)      \
    X(fchownat) X(fcntl) X(fcntl64) X(fdatasync) X(flock) X(fstat64) X(fstatat64)          \
    X(fstatfs) X(fstatfs64) X(fsync) X(ftruncate) X(ftruncate64) X(futex) X(futex_time64)  \
    X(get_robust_list) X(getcwd) X(getdents) X(getdents64) X(getegid) X(geteuid) X(getgid) \
    X(getgroups) X(getitimer) X(getpgid) X(getpgrp) X(getpid) X(getppid) X(getpriority)    \
    X(getrandom) X(getresgid) X(getresuid) X(getrlimit) X(getrusage) X(getsid) X(gettid)   \
    X(gettimeofday) X(getuid) X(ioctl) X(kill) X(lchown) X(link) X(linkat) X(llseek)       \
    X(lseek) X(lstat64) X(madvise) X(membarrier) X(mkdir) X(mkdirat) X(mknod) X(mknodat)   \
    X(mlock) X(mmap2) X(mprotect) X(mremap) X(msync) X(munlock) X(munmap) X(nanosleep)     \
    X(open) X(openat) X(pipe) X(pipe2) X(poll) X(ppoll) X(ppoll_time64) X(prctl)           \
    X(pread64) X(prlimit64) X(pselect6) X(pselect6_time64) X(pwrite64) X(read) X(readlink) \
    X(readlinkat) X(readv) X(rename) X(renameat) X(renameat2) X(rmdir) X(rseq)             \
    X(rt_sigaction) X(rt_sigpending) X(rt_sigprocmask) X(rt_sigreturn) X(rt_sigsuspend)    \
    X(rt_sigtimedwait) X(sched_getaffinity) X(sched_yield) X(select) X(sendfile)           \
    X(sendfile64) X(set_robust_list) X(set_tid_address) X(setgid) X(setgroups)            \
    X(setitimer) X(setpgid) X(setpriority) X(setregid) X(setresgid) X(setresuid)          \
    X(setreuid) X(setrlimit) X(setsid) X(settimeofday) X(setuid) X(sigaltstack)           \
    X(sigreturn) X(stat64) X(statfs) X(statfs64) X(statx) X(symlink) X(symlinkat) X(sync) \
    X(sysinfo) X(tgkill) X(times) X(tkill) X(truncate) X(truncate64) X(umask) X(uname)    \
    X(unlink) X(unlinkat) X(utimensat) X(utimensat_time64) X(utimes) X(vfork) X(wait4)   \
    X(write) X(writev) X(getxattr) X(lgetxattr) X(fgetxattr) X(listxattr) X(llistxattr)   \
    X(flistxattr) X(socket) X(connect) X(fadvise64_64) X(fork)
/* clang-format on */

enum {
    VT_SYS_none = 0,
#define VT_LX_ENUM(n) VT_SYS_##n,
    VT_LX_SYSCALLS(VT_LX_ENUM)
#undef VT_LX_ENUM
        VT_SYS_COUNT
};
