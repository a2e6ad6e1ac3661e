/* A SIGSEGV on a bad store reaches an SA_SIGINFO handler with si_addr; siglongjmp out. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
static sigjmp_buf jb;
static void *addr;
static int code;
static void h(int s, siginfo_t *si, void *uc) {
    (void)s;
    (void)uc;
    addr = si->si_addr;
    code = si->si_code;
    siglongjmp(jb, 1);
}
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (!sigsetjmp(jb, 1)) *(volatile int *)0x1234 = 5;
    printf("segv at %p code %d\n", addr, code);
    return 0;
}
