/* Shared by the programs of tests/user/progs that run hot loops into memory they may not
 * touch: a SIGSEGV handler that prints what faulted (signal, si_code, whether si_addr is the
 * expected address `want`) and siglongjmps back to `jb`. Included by one program each. */
#ifndef VT_TESTS_USER_PROGS_FAULT_CATCH_H
#define VT_TESTS_USER_PROGS_FAULT_CATCH_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define ROUNDS 3000 /* loop runs on good memory before the faulting one: translated by then */

static sigjmp_buf jb;
static volatile uintptr_t want;

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("  fault: %s code=%d addr_ok=%d\n", sig == SIGSEGV ? "SIGSEGV" : "other", si->si_code,
           (uintptr_t)si->si_addr == want);
    siglongjmp(jb, 1);
}

/* Unbuffered output (a fault must not lose lines) and on_fault for SIGSEGV. */
static void catch_faults(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
}

#endif
