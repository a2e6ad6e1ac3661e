/* stat/lstat/fstat fields (size, mode, nlink, symlink type, inode equality) and fstatfs/statvfs
 * consistency on a fresh file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
int main(void) {
    char dir[] = "/tmp/vt-ppc-stat-XXXXXX";
    mkdtemp(dir);
    char f[64], l[64], h[64];
    snprintf(f, sizeof f, "%s/f", dir);
    snprintf(l, sizeof l, "%s/l", dir);
    snprintf(h, sizeof h, "%s/h", dir);
    int fd = open(f, O_CREAT | O_WRONLY, 0604);
    write(fd, "0123456789", 10);
    symlink("f", l);
    link(f, h);
    struct stat a, b, c;
    fstat(fd, &a);
    lstat(l, &b);
    stat(l, &c);
    printf("size %lld mode %o nlink %lu link %d target-size %lld same-ino %d blocks>0 %d\n",
           (long long)a.st_size, a.st_mode & 07777, (unsigned long)a.st_nlink, S_ISLNK(b.st_mode),
           (long long)c.st_size, a.st_ino == c.st_ino && a.st_dev == c.st_dev, a.st_blocks > 0);
    struct statvfs v;
    printf("statvfs %d bsize>0 %d\n", fstatvfs(fd, &v), v.f_bsize > 0);
    close(fd);
    unlink(l);
    unlink(h);
    unlink(f);
    printf("rmdir %d\n", rmdir(dir));
    return 0;
}
