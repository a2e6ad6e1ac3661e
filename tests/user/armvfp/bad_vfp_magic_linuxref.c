/* A handler that overwrites the vfp_sigframe magic in uc_regspace makes sigreturn fail: Linux's
 * restore_vfp_context rejects the frame and the process dies of SIGSEGV (checked in a forked
 * child). qemu-arm does the same but adds its own core-dump message, so the kernel's outcome
 * is the oracle (bad_vfp_magic_linuxref.expected). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
static void handler(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    ((uint32_t *)uc->uc_regspace)[0] = 0x12345678u;
}
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    printf("before\n");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        raise(SIGUSR1);
        printf("after (not reached)\n");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child signaled %d signal %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}
