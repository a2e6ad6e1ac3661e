/* time, clock_gettime, gettimeofday, nanosleep and gmtime/strftime agree with each other.
 * glibc's time() reads CLOCK_REALTIME_COARSE, which Linux updates once per tick, so it may
 * trail a precise read taken just before it by up to a tick: across a second boundary
 * time() can be one less than gettimeofday's seconds. That is kernel behaviour, not a bug,
 * so time() is only held between the precise reads around it, less one second. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
int main(void) {
    struct timespec a, b, m;
    clock_gettime(CLOCK_REALTIME, &a);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &m);
    nanosleep(&(struct timespec){0, 2000000}, NULL);
    clock_gettime(CLOCK_REALTIME, &b);
    printf("ordered %d %d mono %d slept %d\n", tv.tv_sec >= a.tv_sec,
           t + 1 >= tv.tv_sec && t <= b.tv_sec, m.tv_sec > 0 || m.tv_nsec > 0,
           (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec) >= 2000000);
    time_t fixed = 1234567890;
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a", gmtime(&fixed));
    printf("%s\n", buf);
    return 0;
}
