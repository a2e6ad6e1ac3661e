/* A freestanding /init for the SPARCstation 5 Linux boot test (sparc32, raw system calls, no
 * libc): proves user space was reached by printing a marker, then reads lines from the console
 * and answers each with "got: LINE" after a Forth-style "N > " prompt (what the transcript
 * endpoint waits for). "diskwrite" writes a marker sector to the first SCSI disk (/dev/sda,
 * made with mknod) and fsyncs it; "diskread" drops the block cache (BLKFLSBUF) and prints the
 * sector's start as read from the disk; "ping" sends an ICMP echo request to the network's
 * gateway 10.0.2.2 on a raw socket and prints the reply's sequence number and payload;
 * "poweroff" powers the machine off. Syscall convention (number in %g1, arguments in %o0-%o5,
 * `ta 0x10`, carry set on error): Linux arch/sparc/kernel/entry.S; numbers from
 * asm/unistd_32.h, BLKFLSBUF = _IO(0x12, 97) with sparc's _IOC_NONE = 1; ICMP echo: RFC 792. */
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
#define NR_SOCKET 97
#define NR_RECVFROM 125
#define NR_SENDTO 133
#define AF_INET 2
#define SOCK_RAW 3
#define IPPROTO_ICMP 1
#define GATEWAY 0x0a000202 /* 10.0.2.2 */
#define PING_PAYLOAD "VITRINE-PING"

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
    } to = {AF_INET, 0, GATEWAY, {0}};
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

/* The kernel enters with %sp at a 64-byte register save area above argc: call C directly. */
__asm__(".section .text\n.globl _start\n_start:\n\tcall init_main\n\tnop\n\tta 0x10\n");
