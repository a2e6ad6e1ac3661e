/* The ucontext an SA_SIGINFO handler receives: uc_sigmask is the interrupted code's mask
 * (signals below and above 32), uc_mcontext.uc_regs points at the saved registers (r1 there
 * is the interrupted stack pointer, near a local of main), and a mask change made in the
 * frame by the handler takes effect after rt_sigreturn. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
static volatile int usr2_blocked, rt_blocked, int_blocked, sp_near;
static volatile uintptr_t main_local;
static void h(int s, siginfo_t *si, void *ucv) {
    (void)s;
    (void)si;
    ucontext_t *uc = ucv;
    usr2_blocked = sigismember(&uc->uc_sigmask, SIGUSR2);
    rt_blocked = sigismember(&uc->uc_sigmask, SIGRTMIN + 2);
    int_blocked = sigismember(&uc->uc_sigmask, SIGINT);
    uintptr_t r1 = uc->uc_mcontext.uc_regs->gregs[1];
    sp_near = main_local > r1 && main_local - r1 < 4096;
    sigaddset(&uc->uc_sigmask, SIGINT); /* blocked once the handler returns */
}
int main(void) {
    volatile int local = 0;
    main_local = (uintptr_t)&local;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set, now;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("in frame: usr2 %d rtmin+2 %d int %d sp-near %d; after: int %d usr2 %d rtmin+2 %d\n",
           usr2_blocked, rt_blocked, int_blocked, sp_near, sigismember(&now, SIGINT),
           sigismember(&now, SIGUSR2), sigismember(&now, SIGRTMIN + 2));
    return local;
}
