/* A freestanding ARMv4T /init for the Palm Tungsten|E boot test (EABI raw system calls, no libc,
 * no division): Debian's armel userland needs ARMv5TE. Mounts /proc, prints "vitrine: user space
 * reached", then answers console lines after "N > " prompts: "cpuinfo", "uname", "sdread" (the
 * SD card's first sector via /dev/mmcblk0), "sdwrite" (a marker into its second sector, then
 * fsync), anything else as "got: LINE". Sources: Linux
 * arch/arm/kernel/entry-common.S (r7 = number, svc 0), arch/arm/tools/syscall.tbl. */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
#define NR_OPEN 5
#define NR_CLOSE 6
#define NR_MKDIR 39
#define NR_MOUNT 21
#define NR_UNAME 122
#define NR_MKNOD 14
#define S_IFBLK_0600 0060600
#define DEV_MMCBLK0 0xb300 /* major 179, minor 0 */
#define NR_LSEEK 19
#define NR_FSYNC 118
#define O_RDWR 2
#define SD_MARKER "VITRINE-PALM-SD-WRITE"

static long sys5(long nr, long a, long b, long c, long d, long e) {
    register long r7 __asm__("r7") = nr;
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    register long r3 __asm__("r3") = d;
    register long r4 __asm__("r4") = e;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
    return r0;
}

static long sys3(long nr, long a, long b, long c) {
    return sys5(nr, a, b, c, 0, 0);
}

static unsigned long len(const char *s) {
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s) {
    sys3(NR_WRITE, 1, (long)s, (long)len(s));
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void cat(const char *path) {
    char buf[256];
    long fd = sys3(NR_OPEN, (long)path, 0, 0), n;
    if (fd < 0) {
        put("cannot open ");
        put(path);
        put("\n");
        return;
    }
    while ((n = sys3(NR_READ, fd, (long)buf, sizeof buf)) > 0)
        sys3(NR_WRITE, 1, (long)buf, n);
    sys3(NR_CLOSE, fd, 0, 0);
}

static void sdread(void) {
    char buf[32];
    sys3(NR_MKNOD, (long)"/dev/mmcblk0", S_IFBLK_0600, DEV_MMCBLK0);
    long fd = sys3(NR_OPEN, (long)"/dev/mmcblk0", 0, 0);
    if (fd < 0 || sys3(NR_READ, fd, (long)buf, sizeof buf) != sizeof buf) {
        put("sdread: cannot read /dev/mmcblk0\n");
        return;
    }
    sys3(NR_CLOSE, fd, 0, 0);
    unsigned long n = 0;
    while (n < sizeof buf && buf[n] >= ' ' && buf[n] <= '~')
        n++;
    put("sector 0: ");
    sys3(NR_WRITE, 1, (long)buf, (long)n);
    put("\n");
}

static void sdwrite(void) {
    static char sector[512] = SD_MARKER;
    long fd = sys3(NR_OPEN, (long)"/dev/mmcblk0", O_RDWR, 0);
    if (fd < 0 || sys3(NR_LSEEK, fd, 512, 0) != 512 ||
        sys3(NR_WRITE, fd, (long)sector, sizeof sector) != sizeof sector ||
        sys3(NR_FSYNC, fd, 0, 0) != 0) {
        put("sdwrite: failed\n");
        return;
    }
    sys3(NR_CLOSE, fd, 0, 0);
    put("sdwrite: done\n");
}

/* struct new_utsname: six 65-byte fields */
static void uname(void) {
    static char u[6 * 65];
    if (sys3(NR_UNAME, (long)u, 0, 0) < 0) return;
    for (int i = 0; i < 3; i++) {
        put(u + 65 * i);
        put(i < 2 ? " " : "\n");
    }
}

/* The prompt number, counted in decimal without division. */
static char num[8] = "1";

static void next_num(void) {
    unsigned long i = len(num);
    while (i > 0 && num[i - 1] == '9')
        num[--i] = '0';
    if (i > 0) {
        num[i - 1]++;
    } else if (len(num) + 1 < sizeof num) {
        for (unsigned long j = len(num) + 1; j > 0; j--)
            num[j] = num[j - 1];
        num[0] = '1';
    }
}

static void prompt(void) {
    put(num);
    put(" > ");
    next_num();
}

void _start(void) {
    sys3(NR_MKDIR, (long)"/proc", 0555, 0);
    if (sys5(NR_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0) < 0)
        put("mount /proc failed\n");
    put("vitrine: user space reached\n");
    char line[128];
    unsigned long n = 0;
    prompt();
    for (;;) {
        char c;
        if (sys3(NR_READ, 0, (long)&c, 1) != 1) continue;
        if (c == '\r') c = '\n';
        if (c != '\n') {
            if (n + 1 < sizeof line) line[n++] = c;
            continue;
        }
        line[n] = 0;
        if (same(line, "cpuinfo"))
            cat("/proc/cpuinfo");
        else if (same(line, "uname"))
            uname();
        else if (same(line, "sdread"))
            sdread();
        else if (same(line, "sdwrite"))
            sdwrite();
        else if (n) {
            put("got: ");
            put(line);
            put("\n");
        }
        n = 0;
        prompt();
    }
}
