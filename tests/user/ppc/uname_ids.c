/* uname machine, pid/ppid consistency, getuid == geteuid. */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>
int main(void) {
    struct utsname u;
    uname(&u);
    printf("machine %s sysname %s pid>0 %d ids %d\n", u.machine, u.sysname, getpid() > 0,
           getuid() == geteuid());
    return 0;
}
