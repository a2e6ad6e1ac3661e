/* setjmp/longjmp across frames keeps callee-saved integer and FP registers. */
#include <setjmp.h>
#include <stdio.h>
static jmp_buf jb;
static int depth;
static void dive(int n) {
    if (n == 0) longjmp(jb, 42);
    depth++;
    dive(n - 1);
}
int main(void) {
    volatile double f = 1.5;
    volatile int i = 7;
    int r = setjmp(jb);
    if (r == 0) {
        f = 2.75;
        i = 9;
        dive(10);
    }
    printf("r=%d depth=%d f=%g i=%d\n", r, depth, f, i);
    return 0;
}
