/* mkdir, opendir/readdir (getdents64), sorted listing, getcwd/chdir. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}
int main(void) {
    char dir[] = "/tmp/vt-ppc-dir-XXXXXX";
    mkdtemp(dir);
    char p[128];
    const char *names[] = {"zeta", "alpha", "mid", "beta"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        mkdir(p, 0755);
    }
    chdir(dir);
    DIR *d = opendir(".");
    char *got[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 16)
        if (e->d_name[0] != '.') got[n++] = strdup(e->d_name);
    closedir(d);
    qsort(got, (size_t)n, sizeof *got, cmp);
    for (int i = 0; i < n; i++)
        printf("%s%c", got[i], i + 1 < n ? ' ' : '\n');
    char cwd[256];
    printf("cwd ok %d\n", getcwd(cwd, sizeof cwd) && !strcmp(cwd, dir));
    for (int i = 0; i < 4; i++)
        rmdir(names[i]);
    chdir("/");
    printf("rmdir %d\n", rmdir(dir));
    return 0;
}
