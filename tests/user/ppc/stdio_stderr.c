/* stdout and stderr are separate streams; exit status from exit(). */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    fprintf(stderr, "to stderr %d\n", 1);
    printf("to stdout %d\n", 2);
    fflush(stdout);
    fprintf(stderr, "again\n");
    exit(7);
}
