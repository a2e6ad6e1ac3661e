/* madvise with Linux semantics: MADV_DONTFORK pages are absent in a forked child (its SIGSEGV
 * handler runs), MADV_WIPEONFORK pages are zero there, MADV_DOFORK undoes DONTFORK,
 * MADV_DONTNEED zero-fills private anonymous memory, mremap keeps the advice, and bad advice
 * is refused. The parent
 * keeps everything. The output is the same on every architecture (a native run is the
 * oracle). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile char *want;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("  child handler: %s code=%d addr_ok=%d\n", sig == SIGSEGV ? "SIGSEGV" : "other",
           si->si_code, (volatile char *)si->si_addr == want);
    siglongjmp(jb, 1);
}

static char *page(int flags) {
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void advise(const char *what, void *p, size_t len, int advice) {
    int r = madvise(p, len, advice);
    printf("madvise %s: %d %s\n", what, r, r ? strerror(errno) : "");
}

static void fork_and_look(volatile char *a, volatile char *b) {
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
        want = a + 5;
        if (!sigsetjmp(jb, 1)) printf("  child: a[5]=%d\n", a[5]);
        printf("  child: b[0]=%d\n", b[0]);
        _exit(3);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    printf("  parent: child exit %d, a[5]=%d b[0]=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, a[5],
           b[0]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char *a = page(MAP_PRIVATE), *b = page(MAP_PRIVATE), *c = page(MAP_SHARED),
         *d = page(MAP_PRIVATE);
    if (!a || !b || !c || !d) return 10;
    a[5] = 42;
    b[0] = 7;
    d[0] = 5;
    advise("DONTFORK", a, 4096, MADV_DONTFORK);
    advise("WIPEONFORK", b, 4096, MADV_WIPEONFORK);
    advise("WIPEONFORK on shared memory", c, 4096, MADV_WIPEONFORK);
    advise("unknown advice", a, 4096, 12345);
    advise("unaligned", a + 1, 100, MADV_NORMAL);
    advise("WILLNEED", d, 4096, MADV_WILLNEED);
    advise("DONTNEED", d, 4096, MADV_DONTNEED);
    printf("after DONTNEED: d[0]=%d\n", d[0]);
    munmap(c, 4096);
    advise("unmapped range", c, 4096, MADV_NORMAL);
    printf("fork with DONTFORK and WIPEONFORK\n");
    fork_and_look(a, b);
    advise("DOFORK", a, 4096, MADV_DOFORK);
    advise("KEEPONFORK", b, 4096, MADV_KEEPONFORK);
    printf("fork after DOFORK and KEEPONFORK\n");
    fork_and_look(a, b);
    /* the advice belongs to the mapping: pages mremap adds or moves keep it */
    char *e = page(MAP_PRIVATE);
    advise("DONTFORK before mremap", e, 4096, MADV_DONTFORK);
    e = mremap(e, 4096, 3 * 4096, MREMAP_MAYMOVE);
    if (e == MAP_FAILED) return 11;
    printf("fork after growing a DONTFORK mapping\n");
    fork_and_look(e + 8192, b);
    return 0;
}
