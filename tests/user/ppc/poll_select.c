/* poll and select on pipes: readiness before and after a write, timeouts of zero. */
#include <poll.h>
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>
int main(void) {
    int fd[2];
    pipe(fd);
    struct pollfd p[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLOUT, 0}};
    int n = poll(p, 2, 0);
    printf("poll %d in %d out %d\n", n, !!(p[0].revents & POLLIN), !!(p[1].revents & POLLOUT));
    write(fd[1], "x", 1);
    n = poll(p, 2, 0);
    printf("poll %d in %d out %d\n", n, !!(p[0].revents & POLLIN), !!(p[1].revents & POLLOUT));
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd[0], &r);
    struct timeval tv = {0, 0};
    n = select(fd[0] + 1, &r, NULL, NULL, &tv);
    printf("select %d isset %d\n", n, FD_ISSET(fd[0], &r));
    close(fd[1]);
    char c;
    read(fd[0], &c, 1);
    n = poll(p, 1, 0);
    printf("after close: poll %d hup %d\n", n, !!(p[0].revents & POLLHUP));
    return 0;
}
