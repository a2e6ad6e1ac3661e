/* VFP state across a signal handler on ARM (VFPv2, ARM1136JF-S): the handler changes the
 * rounding mode, the vector LEN/STRIDE fields and d0-d15; after sigreturn the interrupted code
 * must see its own d8-d15 and FPSCR again (the vfp_sigframe in uc_regspace). The handler also
 * reports the rounding mode it started with and the frame's magic and size (the LEN/STRIDE
 * clearing, where QEMU differs from Linux, is signal_vfp_lenstride_linuxref.c). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile uint32_t start_fpscr, magic, size;
static volatile double hres;

static uint32_t get_fpscr(void) {
    uint32_t v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}
static void set_fpscr(uint32_t v) {
    __asm__ volatile("vmsr fpscr, %0" ::"r"(v));
}

static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    const uint32_t *rs = (const uint32_t *)uc->uc_regspace;
    magic = rs[0];
    size = rs[1];
    start_fpscr = get_fpscr() & 0x00c00000u; /* RMode (23:22) */
    set_fpscr((3u << 22) | (3u << 16));      /* round toward zero, LEN = 4 */
    set_fpscr(3u << 22);                     /* back to scalar before arithmetic */
    static const double junk[8] = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, -3.0};
    __asm__ volatile("vldmia %0, {d8-d15}" ::"r"(junk)
                     : "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15");
    volatile double a = 1.0, b = 3.0;
    hres = a / b;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    /* round toward +inf, LEN = 2, STRIDE = 2 (vector mode) in the interrupted code */
    set_fpscr((1u << 22) | (1u << 16) | (3u << 20));
    uint64_t before[8], after[8];
    static const double mine[8] = {0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 4.0, 8.0};
    __asm__ volatile("vldmia %0, {d8-d15}\n\tvstmia %1, {d8-d15}" ::"r"(mine), "r"(before)
                     : "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15", "memory");
    uint32_t fp_before = get_fpscr();
    raise(SIGUSR1);
    uint32_t fp_after = get_fpscr();
    __asm__ volatile("vstmia %0, {d8-d15}" ::"r"(after) : "memory");
    set_fpscr(0);
    printf("d8-d15 kept %d fpscr %08x -> %08x kept %d\n", !memcmp(before, after, sizeof before),
           (unsigned)fp_before, (unsigned)fp_after, fp_before == fp_after);
    printf("handler: start rmode %08x magic %08x size %#x result %a\n", (unsigned)start_fpscr,
           (unsigned)magic, (unsigned)size, hres);
    return 0;
}
