/* A handler on an alternate stack (SA_ONSTACK) sees its own stack; nested signal masks. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static char *alt;
static volatile int on_alt, nested;
static void inner(int s) {
    (void)s;
    nested++;
}
static void h(int s) {
    (void)s;
    char here;
    on_alt = &here >= alt && &here < alt + SIGSTKSZ * 4;
    raise(SIGUSR2);
}
int main(void) {
    alt = malloc(SIGSTKSZ * 4);
    stack_t ss = {.ss_sp = alt, .ss_size = SIGSTKSZ * 4};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_ONSTACK;
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGUSR2, inner);
    raise(SIGUSR1);
    printf("on_alt %d nested %d\n", on_alt, nested);
    return 0;
}
