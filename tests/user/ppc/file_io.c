/* File I/O: open/write/lseek/read/pread/fstat/rename/unlink in a fresh temporary directory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
    char dir[] = "/tmp/vt-ppc-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char p1[64], p2[64];
    snprintf(p1, sizeof p1, "%s/a", dir);
    snprintf(p2, sizeof p2, "%s/b", dir);
    int fd = open(p1, O_CREAT | O_RDWR | O_TRUNC, 0640);
    for (int i = 0; i < 100; i++)
        dprintf(fd, "line %d\n", i);
    off_t end = lseek(fd, 0, SEEK_END);
    char buf[16] = {0};
    pread(fd, buf, 7, 8);
    struct stat st;
    fstat(fd, &st);
    printf("end %lld pread '%s' size %lld mode %o reg %d\n", (long long)end, buf,
           (long long)st.st_size, st.st_mode & 0777, S_ISREG(st.st_mode));
    close(fd);
    printf("rename %d stat-old %d\n", rename(p1, p2), stat(p1, &st));
    FILE *f = fopen(p2, "r");
    int lines = 0;
    char l[64];
    while (fgets(l, sizeof l, f))
        lines++;
    fclose(f);
    printf("lines %d last %s", lines, l);
    printf("unlink %d rmdir %d\n", unlink(p2), rmdir(dir));
    return 0;
}
