/* A signal interrupting a blocking read: SA_RESTART off gives EINTR; with SA_RESTART the read
 * is restarted (all its argument registers intact, plain and SA_SIGINFO frames) and completes
 * when a forked child writes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int hits;
static void h(int s) {
    (void)s;
    hits++;
}
static void hinfo(int s, siginfo_t *si, void *uc) {
    (void)s;
    (void)si;
    (void)uc;
    hits++;
}
int main(void) {
    int fd[2];
    pipe(fd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char ch;
    ssize_t r = read(fd[0], &ch, 1);
    printf("read %zd errno %s hits %d\n", r, r < 0 && errno == EINTR ? "EINTR" : "other", hits);
    for (int round = 0; round < 2; round++) {
        sa.sa_flags = SA_RESTART | (round ? SA_SIGINFO : 0);
        if (round) sa.sa_sigaction = hinfo;
        sigaction(SIGALRM, &sa, NULL);
        pid_t c = fork();
        if (c == 0) {
            struct timespec ts = {0, 200000000};
            nanosleep(&ts, NULL);
            write(fd[1], "z", 1);
            _exit(0);
        }
        setitimer(ITIMER_REAL, &it, NULL);
        r = read(fd[0], &ch, 1);
        waitpid(c, NULL, 0);
        printf("restarted read (%s) %zd '%c' hits %d\n", round ? "siginfo" : "plain", r,
               r == 1 ? ch : '?', hits);
    }
    return 0;
}
