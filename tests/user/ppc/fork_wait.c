/* fork, exit status through waitpid, pipes between parent and child. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int fd[2];
    if (pipe(fd)) return 1;
    pid_t c = fork();
    if (c == 0) {
        close(fd[0]);
        const char *m = "from child";
        write(fd[1], m, strlen(m));
        _exit(17);
    }
    close(fd[1]);
    char buf[64] = {0};
    ssize_t n = read(fd[0], buf, sizeof buf - 1);
    int st;
    waitpid(c, &st, 0);
    printf("read %zd '%s' exited %d status %d\n", n, buf, WIFEXITED(st), WEXITSTATUS(st));
    c = fork();
    if (c == 0) {
        raise(SIGKILL);
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
