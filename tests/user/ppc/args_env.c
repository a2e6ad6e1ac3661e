/* argv and an environment variable set by the suite. */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        printf("arg%d=%s\n", i, argv[i]);
    printf("VT_TEST=%s\n", getenv("VT_TEST") ? getenv("VT_TEST") : "(unset)");
    return argc;
}
