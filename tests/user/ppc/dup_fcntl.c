/* dup, dup2, fcntl F_GETFD/F_SETFD/F_GETFL/F_SETFL (O_NONBLOCK, O_APPEND), EAGAIN on an empty
 * non-blocking pipe. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    int fd[2];
    pipe(fd);
    int d = dup(fd[0]);
    int d2 = dup2(fd[1], 10);
    fcntl(d, F_SETFD, FD_CLOEXEC);
    printf("dup %d dup2 %d cloexec %d\n", d > fd[1], d2, fcntl(d, F_GETFD) & FD_CLOEXEC);
    fcntl(fd[0], F_SETFL, fcntl(fd[0], F_GETFL) | O_NONBLOCK);
    char c;
    ssize_t r = read(fd[0], &c, 1);
    printf("nonblock %d read %zd eagain %d\n", !!(fcntl(fd[0], F_GETFL) & O_NONBLOCK), r,
           errno == EAGAIN);
    int a = open("/dev/null", O_WRONLY | O_APPEND);
    printf("append %d rdonly-acc %d\n", !!(fcntl(a, F_GETFL) & O_APPEND),
           (fcntl(a, F_GETFL) & O_ACCMODE) == O_WRONLY);
    return 0;
}
