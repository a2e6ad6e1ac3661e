/* errno values the kernel returns (ENOENT, EBADF, EEXIST, ENOTDIR, EINVAL, EISDIR, ESPIPE). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    printf("%d ", open("/nonexistent/x", O_RDONLY) < 0 ? errno : 0);
    printf("%d ", close(12345) < 0 ? errno : 0);
    printf("%d ", mkdir("/tmp", 0700) < 0 ? errno : 0);
    printf("%d ", open("/etc/passwd/x", O_RDONLY) < 0 ? errno : 0);
    printf("%d ", lseek(0, 0, 99) < 0 ? errno : 0);
    printf("%d ", open("/tmp", O_WRONLY) < 0 ? errno : 0);
    int fd[2];
    pipe(fd);
    printf("%d\n", lseek(fd[0], 0, SEEK_SET) < 0 ? errno : 0);
    printf("%s\n", strerror(ENOSYS));
    return 0;
}
