/* FP work inside a signal handler must not change the interrupted code's FP registers or
 * FPSCR, with the plain frame (sigreturn) and the SA_SIGINFO one (rt_sigreturn). */
#include <fenv.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
static volatile double hv;
static void work(void) {
    fesetround(FE_TOWARDZERO);
    double a = 0;
    for (int i = 1; i < 50; i++)
        a += sqrt((double)i) / 3.0;
    hv = a;
}
static void h(int s) {
    (void)s;
    work();
}
static void hinfo(int s, siginfo_t *si, void *uc) {
    (void)s;
    (void)si;
    (void)uc;
    work();
}
int main(void) {
    signal(SIGALRM, h);
    fesetround(FE_UPWARD);
    register double acc = 1.0 / 3.0;
    raise(SIGALRM);
    acc += 1.0 / 3.0;
    printf("acc %a round-up %d hv %a\n", acc, fegetround() == FE_UPWARD, hv);
    struct sigaction sa = {.sa_sigaction = hinfo, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    fesetround(FE_DOWNWARD);
    register double acc2 = 2.0 / 3.0;
    raise(SIGUSR1);
    acc2 -= 1.0 / 7.0;
    printf("rt: acc %a round-down %d hv %a\n", acc2, fegetround() == FE_DOWNWARD, hv);
    return 0;
}
