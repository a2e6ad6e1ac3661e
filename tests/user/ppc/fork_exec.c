/* fork + execve of a guest program (itself with an argument) and of /proc/self/exe. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc > 1) {
        printf("child argv1=%s argc=%d\n", argv[1], argc);
        return 5;
    }
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        execl("/proc/self/exe", "self", "hello", "x", (char *)NULL);
        _exit(99);
    }
    int st;
    waitpid(c, &st, 0);
    printf("parent: child status %d\n", WEXITSTATUS(st));
    return 0;
}
