/* The guest-fault boundary of Linux user mode (machines/linux_user/lx_fault.c): a host SIGBUS
 * on guest memory inside a guarded host access becomes -EFAULT with the fault recorded in
 * guest terms, while a fault outside guest memory is a Vitrine bug and still kills the
 * process loudly (message, then the previous disposition). Each case runs in a forked child,
 * since the handlers are process-wide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "machines/linux_user/lx_abi.h"

static vt_lx_proc *new_proc(void) {
    vt_lx_proc *p = calloc(1, sizeof *p);
    vt_error err;
    if (!p) return NULL;
    p->abi = vt_lx_find_abi("arm");
    if (vt_lx_mem_init(p, &err)) {
        free(p);
        return NULL;
    }
    return p;
}

static int64_t touch_guest(vt_lx_proc *p, void *arg) {
    uint32_t addr = *(uint32_t *)arg;
    return *(volatile uint8_t *)(p->base + addr);
}

/* Runs fn in a child with stderr captured; returns the wait status, stderr in buf. */
static int in_child(void (*fn)(void), char *buf, size_t len) {
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* the child's previous dispositions: the default, not cmocka's crash catcher */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        dup2(pfd[1], 2);
        close(pfd[0]);
        fn();
        _exit(0);
    }
    close(pfd[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < len && (r = read(pfd[0], buf + n, len - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    close(pfd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* A shared file mapping past the end of its file: the host raises SIGBUS on access. */
static void guarded_sigbus_child(void) {
    vt_lx_proc *p = new_proc();
    if (!p) _exit(10);
    char path[] = "/tmp/vt-lxfault-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || unlink(path) || ftruncate(fd, 4096)) _exit(11);
    uint32_t addr = 0x10000;
    if (vt_lx_map(p, addr, 4096, VT_PERM_R | VT_PERM_W, true, fd, 0) || ftruncate(fd, 0)) _exit(12);
    vt_lx_fault_init(p);
    uint32_t at = addr + 42;
    int64_t r = vt_lx_guarded(p, touch_guest, &at);
    if (r != -EFAULT) _exit(13);
    /* the guard is gone again: a second guarded access works the same way */
    if (vt_lx_guarded(p, touch_guest, &at) != -EFAULT) _exit(14);
    _exit(0);
}

static void test_guarded_host_fault_is_efault(void **state) {
    (void)state;
    char err[512];
    int st = in_child(guarded_sigbus_child, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/* A fault on host memory outside the guest reservation is an emulator bug. */
static void outside_fault_child(void) {
    vt_lx_proc *p = new_proc();
    if (!p) _exit(10);
    vt_lx_fault_init(p);
    vt_lx_fault_cpu(true); /* even while the core runs, a non-guest address is not the guest's */
    uint8_t *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) _exit(11);
    *(volatile uint8_t *)page = 1;
    _exit(0); /* not reached */
}

static void test_fault_outside_guest_memory_crashes(void **state) {
    (void)state;
    char err[4096];
    int st = in_child(outside_fault_child, err, sizeof err);
    /* killed by SIGSEGV, or (under ASan, the previous handler) reported and exited non-zero */
    assert_true((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) ||
                (WIFEXITED(st) && WEXITSTATUS(st) != 0));
    assert_non_null(strstr(err, "host SIGSEGV outside guest memory"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guarded_host_fault_is_efault),
        cmocka_unit_test(test_fault_outside_guest_memory_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
