/* Dying from an unhandled signal: the exit status says SIGTERM. */
#include <signal.h>
#include <stdio.h>
int main(void) {
    printf("before\n");
    fflush(stdout);
    raise(SIGTERM);
    printf("after\n");
    return 0;
}
