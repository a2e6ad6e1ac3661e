/* A freestanding /init for the Linux boot tests (raw system calls, no libc; one source for
 * every architecture without a Debian userland: sparc32 for the SPARCstation 5, 32-bit PowerPC
 * for the G3): proves user space was reached by printing a marker, then reads lines from the
 * console and answers each with "got: LINE" after a Forth-style "N > " prompt (what the
 * transcript endpoint waits for). "diskwrite" writes a marker sector to the first disk
 * (/dev/sda, made with mknod) and fsyncs it; "diskread" drops the block cache (BLKFLSBUF) and
 * prints the sector's start as read from the disk; "cdread" prints the start of block 16 (where
 * ISO 9660 keeps its volume descriptor) of the first CD-ROM (/dev/sr0) as a line of printable
 * characters; "ping" sends an ICMP echo request (RFC 792) to the network's gateway 10.0.2.2 on a
 * raw socket and prints the reply's sequence number and payload; "poweroff" powers the machine
 * off. The per-architecture header gives the system-call numbers, sys6() and _start. BLKFLSBUF =
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
#define AF_INET 2
#define SOCK_RAW 3
#define IPPROTO_ICMP 1
#define GATEWAY_BE ((10u << 24) | (2u << 8) | 2u) /* 10.0.2.2, both targets are big-endian */
#define PING_PAYLOAD "VITRINE-PING"

static long sys3(long nr, long a, long b, long c) {
    return sys6(nr, a, b, c, 0, 0, 0);
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

/* Internet checksum of n bytes (even n), big-endian words. */
static unsigned short checksum(const unsigned char *p, unsigned n) {
    unsigned long sum = 0;
    for (unsigned i = 0; i < n; i += 2)
        sum += (unsigned long)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned short)~sum;
}

/* One ICMP echo request to the gateway; prints the reply (raw sockets see the IP header). */
static void ping(void) {
    static unsigned char pkt[8 + sizeof PING_PAYLOAD], reply[256];
    struct {
        unsigned short family, port;
        unsigned addr;
        unsigned char zero[8];
    } to = {AF_INET, 0, GATEWAY_BE, {0}};
    int fd = (int)sys3(NR_SOCKET, AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        put("ping: no raw socket\n");
        return;
    }
    pkt[0] = 8;                               /* echo request */
    pkt[4] = 0x56, pkt[5] = 0x54, pkt[7] = 1; /* identifier "VT", sequence 1 */
    for (unsigned i = 0; i < sizeof PING_PAYLOAD; i++)
        pkt[8 + i] = (unsigned char)PING_PAYLOAD[i];
    unsigned short sum = checksum(pkt, sizeof pkt);
    pkt[2] = (unsigned char)(sum >> 8), pkt[3] = (unsigned char)sum;
    if (sys6(NR_SENDTO, fd, (long)pkt, sizeof pkt, 0, (long)&to, sizeof to) != sizeof pkt) {
        put("ping: send failed\n");
    } else {
        long n = sys6(NR_RECVFROM, fd, (long)reply, sizeof reply - 1, 0, 0, 0);
        unsigned ihl = (reply[0] & 15) * 4u;
        if (n < (long)(ihl + sizeof pkt) || reply[ihl] != 0 || reply[ihl + 4] != 0x56) {
            put("ping: bad reply\n");
        } else {
            reply[n] = 0;
            put("ping: echo reply from 10.0.2.2 seq ");
            put_uint(reply[ihl + 7]);
            put(" payload ");
            put((const char *)reply + ihl + 8);
            put("\n");
        }
    }
    sys3(NR_CLOSE, fd, 0, 0);
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
        if (same(line, "ping")) {
            ping();
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
