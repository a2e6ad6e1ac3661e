/* sparc32 system calls for tests/boot/linux_init.c: number in %g1, arguments in %o0-%o5,
 * `ta 0x10`, carry set on error with the positive errno in %o0 (Linux
 * arch/sparc/kernel/entry.S); numbers from arch/sparc/include/uapi/asm/unistd_32.h. The kernel
 * enters /init with %sp at a 64-byte register save area above argc: call C directly. */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_CLOSE 6
#define NR_LSEEK 19
#define NR_MKNOD 14
#define NR_IOCTL 54
#define NR_REBOOT 55
#define NR_SOCKET 97
#define NR_RECVFROM 125
#define NR_SENDTO 133
#define NR_FSYNC 95

static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
    register long g1 __asm__("g1") = nr;
    register long o0 __asm__("o0") = a;
    register long o1 __asm__("o1") = b;
    register long o2 __asm__("o2") = c;
    register long o3 __asm__("o3") = d;
    register long o4 __asm__("o4") = e;
    register long o5 __asm__("o5") = f;
    __asm__ volatile("ta 0x10\n\tbcs,a 1f\n\tsub %%g0, %%o0, %%o0\n1:"
                     : "+r"(o0), "+r"(o1), "+r"(o2), "+r"(o3), "+r"(o4), "+r"(o5)
                     : "r"(g1)
                     : "memory", "cc");
    return o0;
}

__asm__(".section .text\n.globl _start\n_start:\n\tcall init_main\n\tnop\n\tta 0x10\n");
