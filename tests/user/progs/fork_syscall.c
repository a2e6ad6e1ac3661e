/* The plain fork system call (number 2 on ARM EABI and i386), made directly rather than
 * through glibc's fork() (which uses clone): the child runs, exits with a status, and the
 * parent sees it; memory written by the child stays the child's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_value = 1;

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long pid = syscall(SYS_fork);
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        shared_value = 99;
        printf("child: running, value %d, parent is %s\n", shared_value,
               getppid() > 1 ? "alive" : "gone");
        _exit(5);
    }
    int st = 0;
    if (waitpid((pid_t)pid, &st, 0) != pid) return 2;
    printf("parent: child exited %d, value still %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
           shared_value);
    return 0;
}
