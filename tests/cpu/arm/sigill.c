/* Guest faults become guest signals: an undefined instruction raises SIGILL (its handler
 * runs with the faulting PC in the context and may skip it), a bad address raises SIGSEGV
 * with si_addr, and finally an undefined instruction without a handler kills the process
 * with SIGILL (exit status 132 seen from a shell). */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf env;

static void on_ill(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    printf("SIGILL %d addr-matches-pc %d insn %08lx\n", sig,
           si->si_addr == (void *)uc->uc_mcontext.arm_pc, *(unsigned long *)uc->uc_mcontext.arm_pc);
    uc->uc_mcontext.arm_pc += 4; /* skip the undefined word and carry on */
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    printf("SIGSEGV %d addr %p\n", sig, si->si_addr);
    siglongjmp(env, 1);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_ill;
    sigaction(SIGILL, &sa, NULL);
    sa.sa_sigaction = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    __asm__ volatile(".word 0xe7f000f0");
    printf("after first undefined\n");
    __asm__ volatile(".word 0xe7f123f4");
    printf("after second undefined\n");
    if (!sigsetjmp(env, 1)) {
        volatile int *bad = (volatile int *)0x10;
        printf("read %d\n", *bad);
    }
    printf("survived SIGSEGV\n");
    if (!sigsetjmp(env, 1)) {
        volatile int *bad = (volatile int *)0xfffffff0;
        *bad = 1;
    }
    printf("survived write fault\n");
    fflush(stdout);
    signal(SIGILL, SIG_DFL);
    __asm__ volatile(".word 0xe7f000f0");
    printf("not reached\n");
    return 0;
}
