/* mmap of a file (shared), msync, munmap, anonymous mmap with MAP_NORESERVE, mprotect. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    char path[] = "/tmp/vt-ppc-mmap-XXXXXX";
    int fd = mkstemp(path);
    ftruncate(fd, 8192);
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(m + 4096, "mapped text");
    msync(m, 8192, MS_SYNC);
    char buf[16] = {0};
    pread(fd, buf, 11, 4096);
    munmap(m, 8192);
    char *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    a[12345] = 9;
    int pr = mprotect(a, 4096, PROT_READ);
    printf("'%s' anon %d mprotect %d\n", buf, a[12345], pr);
    close(fd);
    unlink(path);
    return 0;
}
