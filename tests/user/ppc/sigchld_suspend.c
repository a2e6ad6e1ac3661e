/* SIGCHLD with si_pid/si_status through SA_SIGINFO, waited for with sigsuspend. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int got, status, same_pid;
static volatile pid_t child;
static void h(int s, siginfo_t *si, void *uc) {
    (void)uc;
    got = s;
    status = si->si_status;
    same_pid = si->si_pid == child;
}
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    child = fork();
    if (child == 0) _exit(23);
    while (!got)
        sigsuspend(&old);
    int st;
    waitpid(child, &st, 0);
    printf("sigchld %d status %d pid-match %d wexit %d\n", got, status, same_pid, WEXITSTATUS(st));
    return 0;
}
