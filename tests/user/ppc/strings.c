/* string.h routines over many lengths and alignments (glibc's ppc32 assembly versions). */
#include <stdio.h>
#include <string.h>
int main(void) {
    static char a[300], b[300];
    unsigned sum = 0;
    for (int al = 0; al < 8; al++)
        for (int n = 0; n < 200; n += 7) {
            memset(a, 0, sizeof a);
            for (int i = 0; i < n; i++)
                a[al + i] = (char)('a' + (i * 7 + al) % 26);
            memcpy(b + (7 - al), a + al, (size_t)n + 1);
            sum = sum * 31 + (unsigned)strlen(a + al) +
                  (unsigned)memcmp(b + 7 - al, a + al, (size_t)n);
            char *ch = strchr(a + al, 'q');
            sum += ch ? (unsigned)(ch - a) : 1000;
            sum += (unsigned)strcmp(a + al, "hello") > 0;
            memmove(a + al + 3, a + al, (size_t)n);
            sum += (unsigned char)a[al + n / 2];
        }
    char buf[64];
    strcpy(buf, "vitrine");
    strcat(buf, "-ppc");
    printf("%s %zu %u %s\n", buf, strlen(buf), sum, strstr(buf, "ne-p"));
    return 0;
}
