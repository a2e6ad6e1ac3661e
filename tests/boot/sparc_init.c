/* A freestanding /init for the SPARCstation 5 Linux boot test (sparc32, raw system calls, no
 * libc): proves user space was reached by printing a marker, then reads lines from the console
 * and answers each with "got: LINE" after a Forth-style "N > " prompt (what the transcript
 * endpoint waits for). "diskwrite" writes a marker sector to the first SCSI disk (/dev/sda,
 * made with mknod) and fsyncs it; "diskread" drops the block cache (BLKFLSBUF) and prints the
 * sector's start as read from the disk; "poweroff" powers the machine off. Syscall convention
 * (number in %g1, arguments in %o0-%o5, `ta 0x10`, carry set on error): Linux
 * arch/sparc/kernel/entry.S; numbers from asm/unistd_32.h, BLKFLSBUF = _IO(0x12, 97) with
 * sparc's _IOC_NONE = 1. */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_CLOSE 6
#define NR_MKNOD 14
#define NR_IOCTL 54
#define NR_FSYNC 95
#define O_RDWR 2
#define S_IFBLK_0600 0060600
#define DEV_SDA 0x800 /* major 8, minor 0 */
#define BLKFLSBUF 0x20001261
#define DISK_MARKER "VITRINE-SCSI-WRITE-TEST"
#define NR_REBOOT 55
#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

static long sys3(long nr, long a, long b, long c) {
    register long g1 __asm__("g1") = nr;
    register long o0 __asm__("o0") = a;
    register long o1 __asm__("o1") = b;
    register long o2 __asm__("o2") = c;
    __asm__ volatile("ta 0x10\n\tbcs,a 1f\n\tsub %%g0, %%o0, %%o0\n1:"
                     : "+r"(o0), "+r"(o1), "+r"(o2)
                     : "r"(g1)
                     : "memory", "cc");
    return o0;
}

static unsigned len(const char *s) {
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s) {
    sys3(NR_WRITE, 1, (long)s, len(s));
}

static void put_uint(unsigned v) {
    char b[12];
    int i = 11;
    b[i] = 0;
    do
        b[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i > 0);
    put(b + i);
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int open_sda(void) {
    sys3(NR_MKNOD, (long)"/dev/sda", S_IFBLK_0600, DEV_SDA); /* EEXIST the second time */
    return (int)sys3(NR_OPEN, (long)"/dev/sda", O_RDWR, 0);
}

/* Writes (or reads back and prints) the first sector of /dev/sda. */
static void disk(int write) {
    static char sector[512];
    int fd = open_sda();
    if (fd < 0) {
        put("disk: cannot open /dev/sda\n");
        return;
    }
    long n;
    if (write) {
        for (unsigned i = 0; i < sizeof sector; i++)
            sector[i] = DISK_MARKER[i % 23];
        n = sys3(NR_WRITE, fd, (long)sector, sizeof sector);
        if (n == sizeof sector) n = sys3(NR_FSYNC, fd, 0, 0) == 0 ? n : -1;
    } else {
        sys3(NR_IOCTL, fd, BLKFLSBUF, 0);
        n = sys3(NR_READ, fd, (long)sector, sizeof sector);
        sector[23] = 0;
    }
    sys3(NR_CLOSE, fd, 0, 0);
    put(n == sizeof sector ? (write ? "disk: written\n" : "disk: ") : "disk: I/O error\n");
    if (n == sizeof sector && !write) {
        put(sector);
        put("\n");
    }
}

void init_main(void) {
    static char line[256];
    put("VITRINE-INIT-OK: user space reached\n");
    for (unsigned n = 1;; n++) {
        put_uint(n);
        put(" > ");
        long got = sys3(NR_READ, 0, (long)line, sizeof line - 1);
        if (got <= 0) break;
        if (line[got - 1] == '\n') got--;
        line[got] = 0;
        if (same(line, "diskwrite") || same(line, "diskread")) {
            disk(line[4] == 'w');
            continue;
        }
        if (same(line, "poweroff")) {
            put("powering off\n");
            sys3(NR_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF);
        }
        put("got: ");
        put(line);
        put("\n");
    }
    put("console closed\n");
    for (;;)
        sys3(NR_EXIT, 0, 0, 0);
}

/* The kernel enters with %sp at a 64-byte register save area above argc: call C directly. */
__asm__(".section .text\n.globl _start\n_start:\n\tcall init_main\n\tnop\n\tta 0x10\n");
