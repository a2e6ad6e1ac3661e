/* Linux starts a signal handler in VFP scalar mode: FPSCR LEN and STRIDE cleared (arch/arm/
 * vfp/vfpmodule.c vfp_preserve_user_clear_hwstate), the rest of FPSCR kept; sigreturn brings
 * the interrupted vector mode back. qemu-arm keeps LEN, so Linux's values are the oracle. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

static volatile uint32_t in_handler;

static uint32_t get_fpscr(void) {
    uint32_t v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}
static void set_fpscr(uint32_t v) {
    __asm__ volatile("vmsr fpscr, %0" ::"r"(v));
}
static void handler(int sig) {
    (void)sig;
    in_handler = get_fpscr();
}

int main(void) {
    signal(SIGUSR2, handler);
    set_fpscr((2u << 22) | (1u << 16) | (3u << 20)); /* round down, LEN = 2, STRIDE = 2 */
    raise(SIGUSR2);
    uint32_t after = get_fpscr();
    set_fpscr(0);
    printf("handler fpscr %08x after %08x\n", (unsigned)in_handler, (unsigned)after);
    return 0;
}
