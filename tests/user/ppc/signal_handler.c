/* sigaction handlers (plain and SA_SIGINFO), raise, masks, sigreturn restoring registers. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile int got, code;
static void h(int s) {
    got = s;
}
static void hi(int s, siginfo_t *si, void *uc) {
    (void)uc;
    got = s;
    code = si->si_code;
}
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGUSR1, &sa, NULL);
    volatile double x = 1.25;
    raise(SIGUSR1);
    printf("usr1 %d x %g\n", got, x * 2);
    sa.sa_sigaction = hi;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    printf("usr2 %d code %d\n", got, code);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    got = 0;
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    printf("blocked %d\n", got);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked %d\n", got);
    return 0;
}
