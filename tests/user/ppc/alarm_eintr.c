/* A signal interrupting a blocking read: SA_RESTART off gives EINTR, on restarts the call. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
static volatile int hits;
static void h(int s) { (void)s; hits++; }
int main(void) {
    int fd[2];
    pipe(fd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char c;
    ssize_t r = read(fd[0], &c, 1);
    printf("read %zd errno %s hits %d\n", r, r < 0 && errno == EINTR ? "EINTR" : "other", hits);
    return 0;
}
