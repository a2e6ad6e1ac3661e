/* A freestanding /init for the SPARCstation 5 Linux boot test (sparc32, raw system calls, no
 * libc): proves user space was reached by printing a marker, then reads lines from the console
 * and answers each with "got: LINE" after a Forth-style "N > " prompt (what the transcript
 * endpoint waits for). "poweroff" powers the machine off. Syscall convention (number in %g1,
 * arguments in %o0-%o5, `ta 0x10`, carry set on error): Linux arch/sparc/kernel/entry.S. */
#define NR_EXIT 1
#define NR_READ 3
#define NR_WRITE 4
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
    while (s[n]) n++;
    return n;
}

static void put(const char *s) { sys3(NR_WRITE, 1, (long)s, len(s)); }

static void put_uint(unsigned v) {
    char b[12];
    int i = 11;
    b[i] = 0;
    do b[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
    put(b + i);
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
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
        if (same(line, "poweroff")) {
            put("powering off\n");
            sys3(NR_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF);
        }
        put("got: ");
        put(line);
        put("\n");
    }
    put("console closed\n");
    for (;;) sys3(NR_EXIT, 0, 0, 0);
}

/* The kernel enters with %sp at a 64-byte register save area above argc: call C directly. */
__asm__(".section .text\n.globl _start\n_start:\n\tcall init_main\n\tnop\n\tta 0x10\n");
