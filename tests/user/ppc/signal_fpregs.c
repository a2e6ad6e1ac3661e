/* FP work inside a signal handler must not change the interrupted code's FP registers or
 * FPSCR (the frame saves and sigreturn restores them). */
#include <fenv.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
static volatile double hv;
static void h(int s) {
    (void)s;
    fesetround(FE_TOWARDZERO);
    double a = 0;
    for (int i = 1; i < 50; i++) a += sqrt((double)i) / 3.0;
    hv = a;
}
int main(void) {
    signal(SIGALRM, h);
    fesetround(FE_UPWARD);
    register double acc = 1.0 / 3.0;
    raise(SIGALRM);
    acc += 1.0 / 3.0;
    printf("acc %a round-up %d hv %a\n", acc, fegetround() == FE_UPWARD, hv);
    return 0;
}
