/* Guest-fault boundary: host faults on guest memory must reach the guest as Linux delivers
 * them. A MAP_SHARED file mapping shrunk by ftruncate gives SIGBUS/BUS_ADRERR on read and
 * write, with si_addr the guest address; a syscall writing there fails with EFAULT; an
 * unmapped page gives SIGSEGV/SEGV_MAPERR and a read-only one SEGV_ACCERR. The output is the
 * same on every architecture, so a native run is the oracle. A private file mapping behaves
 * the same past its end of file, and MADV_DONTNEED re-reads its pages from the file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile char *want;

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("  handler: %s code=%d addr_ok=%d\n",
           sig == SIGBUS    ? "SIGBUS"
           : sig == SIGSEGV ? "SIGSEGV"
                            : "other",
           si->si_code, (volatile char *)si->si_addr == want);
    siglongjmp(jb, 1);
}

static void try_read(const char *what, volatile char *p) {
    printf("%s\n", what);
    want = p;
    if (!sigsetjmp(jb, 1)) printf("  read %d, no fault\n", *p);
}

static void try_write(const char *what, volatile char *p) {
    printf("%s\n", what);
    want = p;
    if (!sigsetjmp(jb, 1)) {
        *p = 1;
        printf("  wrote, no fault\n");
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);

    char path[] = "/tmp/vt-fault-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || unlink(path) || ftruncate(fd, 8192)) return 10;
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) return 11;
    m[0] = 'a';
    m[4096] = 'b';
    try_read("shared file page, file intact", m);
    if (ftruncate(fd, 0)) return 12;
    try_read("read past the shrunk end of file", m + 100);
    try_write("write past the shrunk end of file", m + 4096 + 8);
    /* a real syscall (not the vDSO, which writes from user space): the kernel's copy-out
       fails with EFAULT and no signal */
    errno = 0;
    long r = syscall(SYS_clock_gettime, CLOCK_REALTIME, m + 64);
    printf("clock_gettime syscall into it: %ld %s\n", r, r ? strerror(errno) : "");
    if (ftruncate(fd, 8192)) return 13;
    try_read("file grown back: the page reads as zero", m + 100);

    /* a private file mapping reaches past the end of the file too: the partial last page
       reads as zero after EOF, a whole page past it raises SIGBUS; MADV_DONTNEED drops a
       private copy and the file's contents come back */
    if (ftruncate(fd, 100) || pwrite(fd, "file", 4, 0) != 4) return 14;
    char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (q == MAP_FAILED) return 15;
    printf("private mapping: '%.4s', after EOF %d\n", q, q[200]);
    try_read("private mapping, a page past EOF", q + 4096 + 1);
    q[0] = 'F';
    printf("private copy written: '%.4s'\n", q);
    madvise(q, 4096, MADV_DONTNEED);
    printf("after MADV_DONTNEED: '%.4s'\n", q);

    char *u = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    try_write("write to a read-only page", u + 12);
    munmap(u, 4096);
    try_read("read an unmapped page", u + 20);
    printf("done\n");
    return 0;
}
