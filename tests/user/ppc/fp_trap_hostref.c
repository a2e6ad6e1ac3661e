/* feenableexcept (prctl PR_SET_FPEXC + FPSCR enable bits) makes a division by zero and an
 * invalid operation raise SIGFPE with FPE_FLTDIV / FPE_FLTINV (the handler starts with FP
 * exceptions disabled, as Linux clears FPSCR for it); fedisableexcept turns them off.
 * glibc's ppc32 feenableexcept executes mffscrni-class code QEMU's 750 refuses, so the oracle
 * is the host build (the same si_code values). */
#define _GNU_SOURCE
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
static sigjmp_buf jb;
static volatile int code;
static void h(int s, siginfo_t *si, void *uc) {
    (void)s;
    (void)uc;
    code = si->si_code;
    siglongjmp(jb, 1);
}
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    volatile double z = 0.0, one = 1.0, r = 0;
    printf("enable %d\n", feenableexcept(FE_DIVBYZERO | FE_INVALID) >= 0);
    if (!sigsetjmp(jb, 1)) r = one / z;
    printf("div: code %d (FPE_FLTDIV %d) enabled %d\n", code, FPE_FLTDIV,
           fegetexcept() == (FE_DIVBYZERO | FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
    feenableexcept(FE_INVALID); /* the handler ran with exceptions off; siglongjmp kept that */
    code = 0;
    if (!sigsetjmp(jb, 1)) r = z / z;
    printf("invalid: code %d (FPE_FLTINV %d)\n", code, FPE_FLTINV);
    feclearexcept(FE_ALL_EXCEPT);
    fedisableexcept(FE_ALL_EXCEPT);
    code = 0;
    r = one / z;
    printf("disabled: code %d r %g\n", code, r);
    return 0;
}
