/* 32-bit PowerPC system calls for tests/boot/linux_init.c: number in r0, arguments in r3-r8,
 * `sc`, CR0.SO set on error with the positive errno in r3; r0, r4-r12, CR0, CTR and XER are not
 * preserved (Linux arch/powerpc/kernel/entry_32.S, Documentation/powerpc/syscall64-abi.rst for
 * the register roles); numbers from arch/powerpc/include/uapi/asm/unistd.h (syscall.tbl). The
 * kernel enters /init with r1 at argc: open a 16-byte frame (SysV PowerPC ABI) and call C. */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_CLOSE 6
#define NR_LSEEK 19
#define NR_MKNOD 14
#define NR_IOCTL 54
#define NR_REBOOT 88
#define NR_SOCKET 326
#define NR_RECVFROM 337
#define NR_SENDTO 335
#define NR_FSYNC 118

static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
    register long r0 __asm__("r0") = nr;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    register long r6 __asm__("r6") = d;
    register long r7 __asm__("r7") = e;
    register long r8 __asm__("r8") = f;
    __asm__ volatile("sc\n\tbns+ 1f\n\tneg 3,3\n1:"
                     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
                     :
                     : "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    return r3;
}

__asm__(".section .text\n.globl _start\n_start:\n\tstwu 1,-16(1)\n\tbl init_main\n\tb .\n");
