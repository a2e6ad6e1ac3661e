/* malloc small (brk) and large (mmap) blocks, realloc, free; qsort of doubles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
int main(void) {
    unsigned long sum = 0;
    for (int i = 1; i < 2000; i++) {
        char *p = malloc((size_t)i * 13);
        memset(p, i & 0xff, (size_t)i * 13);
        sum += (unsigned char)p[i * 13 - 1];
        free(p);
    }
    double *big = malloc(4 << 20);
    for (int i = 0; i < (4 << 20) / 8; i++)
        big[i] = (double)((i * 7919) % 10007) / 3.0;
    qsort(big, 10000, sizeof *big, cmp);
    big = realloc(big, 8 << 20);
    printf("sum %lu first %.6f last %.6f\n", sum, big[0], big[9999]);
    free(big);
    return 0;
}
