/* A freestanding /init for the Linux boot tests (raw system calls, no libc; one source for
 * every architecture without a Debian userland: sparc32 for the SPARCstation 5, 32-bit PowerPC
 * for the G3): proves user space was reached by printing a marker, then reads lines from the
 * console and answers each with "got: LINE" after a Forth-style "N > " prompt (what the
 * transcript endpoint waits for). "diskwrite" writes a marker sector to the first disk
 * (/dev/sda, made with mknod) and fsyncs it; "diskread" drops the block cache (BLKFLSBUF) and
 * prints the sector's start as read from the disk; "cdread" prints the start of block 16 (where
 * ISO 9660 keeps its volume descriptor) of the first CD-ROM (/dev/sr0) as a line of printable
 * characters; "poweroff" powers the machine off. The
 * per-architecture header gives the system-call numbers, sys3() and _start. BLKFLSBUF =
 * _IO(0x12, 97) with _IOC_NONE = 1 on both sparc and powerpc. */
#if defined(__sparc__)
#include "linux_init_sparc.h"
#elif defined(__powerpc__)
#include "linux_init_ppc.h"
#else
#error "linux_init.c: no system-call header for this architecture"
#endif

#define O_RDWR 2
#define S_IFBLK_0600 0060600
#define DEV_SDA 0x800 /* major 8, minor 0 */
#define DEV_SR0 0xb00 /* major 11, minor 0 */
#define O_RDONLY 0
#define SEEK_SET 0
#define CD_BLOCK 2048
#define BLKFLSBUF 0x20001261
#define DISK_MARKER "VITRINE-SCSI-WRITE-TEST"
#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

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

/* Block 16 of /dev/sr0: its first 32 bytes, non-printable ones shown as '.'. */
static void cdread(void) {
    static char block[CD_BLOCK];
    sys3(NR_MKNOD, (long)"/dev/sr0", S_IFBLK_0600, DEV_SR0);
    int fd = (int)sys3(NR_OPEN, (long)"/dev/sr0", O_RDONLY, 0);
    if (fd < 0) {
        put("cd: cannot open /dev/sr0\n");
        return;
    }
    long n = sys3(NR_LSEEK, fd, 16 * CD_BLOCK, SEEK_SET) == 16 * CD_BLOCK
                 ? sys3(NR_READ, fd, (long)block, sizeof block)
                 : -1;
    sys3(NR_CLOSE, fd, 0, 0);
    if (n != sizeof block) {
        put("cd: I/O error\n");
        return;
    }
    for (int i = 0; i < 32; i++)
        if (block[i] < ' ' || block[i] > '~') block[i] = '.';
    block[32] = 0;
    put("cd: ");
    put(block);
    put("\n");
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
        if (same(line, "cdread")) {
            cdread();
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
