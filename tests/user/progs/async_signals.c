/* Asynchronous signals land anywhere in running code: an interval timer interrupts a
 * register-heavy computation (no syscalls in it) hundreds of times, and its handler uses the
 * registers and the stack itself. Every round of the computation must give the same result,
 * so a signal frame that saves or restores the interrupted state inexactly (the PC, a
 * register, the flags, the stack) shows as a wrong checksum or a crash. The output does not
 * depend on how many signals came (a native run is the oracle). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;
static volatile uint32_t handler_sink, seed = 1; /* volatile: every round computes */

static void on_alarm(int sig) {
    uint32_t h = (uint32_t)sig * 2654435761u, buf[16];
    for (int i = 0; i < 16; i++)
        buf[i] = h = h * 1103515245u + 12345u;
    for (int i = 15; i > 0; i--)
        h ^= buf[i] >> (i & 7);
    handler_sink = h;
    ticks++;
}

/* a callee with a stack buffer (and a canary where the compiler adds one) */
static __attribute__((noinline)) uint32_t mix(uint32_t a, uint32_t b, int n) {
    char buf[32];
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (char)(a >> (i & 24) ^ b * (uint32_t)i);
    uint32_t s = 0;
    for (int i = 0; i < n && i < (int)sizeof buf; i++)
        s = s * 33 + (uint8_t)buf[i];
    return s ^ a;
}

static uint32_t round_checksum(void) {
    uint32_t a = seed, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    for (uint32_t i = 0; i < 200000; i++) {
        a += b ^ (c << 3);
        b = (b >> 5 | b << 27) + d;
        c ^= e + i;
        d = d * 5 + f;
        e += (g < h) ? a : c;
        f ^= (int32_t)g < 0 ? h : ~h;
        g = g - a + (i & 7);
        h = (h << 1) ^ (h >> 31 ? 0x04c11db7u : 0);
        if ((i & 1023) == 0) a ^= mix(a, h, (int)(i >> 10) & 31);
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 200}, {0, 200}};
    setitimer(ITIMER_REAL, &it, NULL);
    uint32_t first = round_checksum();
    int rounds = 1, same = 1;
    while ((ticks < 300 || rounds < 3) && rounds < 100000) {
        same &= round_checksum() == first;
        rounds++;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("checksum %08x, every round the same: %s, interrupted: %s\n", first, same ? "yes" : "no",
           ticks >= 300 ? "yes" : "no");
    return 0;
}
