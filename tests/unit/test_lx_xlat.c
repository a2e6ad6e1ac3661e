/* The guest <-> host translation layer of Linux user mode (machines/linux_user/lx_xlat.c),
 * driven by an ABI whose numbers differ from the host's the way SPARC Linux's do
 * (arch/sparc/include/uapi/asm/signal.h and errno.h against the x86-64 host): signal numbers
 * both ways, signal sets, wait statuses, errno results, and the identity for ARM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>

#include "machines/linux_user/lx_abi.h"

/* guest (SPARC) number, host (x86-64) number */
static const vt_lx_num sparc_signals[] = {
    {10, SIGBUS},  {12, SIGSYS}, {16, SIGURG}, {17, SIGSTOP}, {18, SIGTSTP}, {19, SIGCONT},
    {20, SIGCHLD}, {23, SIGIO},  {29, SIGPWR}, {30, SIGUSR1}, {31, SIGUSR2},
};
static const vt_lx_num sparc_errnos[] = {
    {36, EINPROGRESS},
    {37, EALREADY},
    {38, ENOTSOCK},
};

static vt_lx_abi sparc_like(void) {
    vt_lx_abi abi = *vt_lx_find_abi("arm");
    abi.signals = sparc_signals;
    abi.nsignals = VT_ARRAY_LEN(sparc_signals);
    abi.errnos = sparc_errnos;
    abi.nerrnos = VT_ARRAY_LEN(sparc_errnos);
    return abi;
}

static uint64_t bit(int sig) {
    return 1ull << (sig - 1);
}

static void test_signal_numbers(void **state) {
    (void)state;
    vt_lx_abi abi = sparc_like();
    assert_int_equal(vt_lx_sig_to_host(&abi, 10), SIGBUS);
    assert_int_equal(vt_lx_sig_to_guest(&abi, SIGBUS), 10);
    assert_int_equal(vt_lx_sig_to_host(&abi, 30), SIGUSR1);
    assert_int_equal(vt_lx_sig_to_guest(&abi, SIGCHLD), 20);
    /* numbers both sides share pass through; 0 (kill's probe) stays 0 */
    assert_int_equal(vt_lx_sig_to_host(&abi, SIGSEGV), SIGSEGV);
    assert_int_equal(vt_lx_sig_to_host(&abi, 0), 0);
    uint64_t guest = bit(10) | bit(30) | bit(2);
    uint64_t host = vt_lx_sigset_to_host(&abi, guest);
    assert_true(host == (bit(SIGBUS) | bit(SIGUSR1) | bit(SIGINT)));
    assert_true(vt_lx_sigset_to_guest(&abi, host) == guest);
}

static void test_wait_status(void **state) {
    (void)state;
    vt_lx_abi abi = sparc_like();
    assert_int_equal(vt_lx_wstatus_to_guest(&abi, SIGBUS), 10);               /* killed */
    assert_int_equal(vt_lx_wstatus_to_guest(&abi, SIGBUS | 0x80), 10 | 0x80); /* + core */
    assert_int_equal(vt_lx_wstatus_to_guest(&abi, SIGTSTP << 8 | 0x7f), 18 << 8 | 0x7f);
    assert_int_equal(vt_lx_wstatus_to_guest(&abi, 3 << 8), 3 << 8); /* exit(3) */
}

static void test_errno_results(void **state) {
    (void)state;
    vt_lx_abi abi = sparc_like();
    assert_int_equal(vt_lx_result_to_guest(&abi, -EINPROGRESS), -36);
    assert_int_equal(vt_lx_result_to_guest(&abi, -ENOENT), -ENOENT);
    assert_int_equal(vt_lx_result_to_guest(&abi, 4242), 4242);
    assert_int_equal(vt_lx_result_to_guest(&abi, -5000), -5000); /* not an errno */
    assert_true(vt_lx_is_eintr(&abi, -EINTR));
}

static void test_arm_is_identity(void **state) {
    (void)state;
    const vt_lx_abi *arm = vt_lx_find_abi("arm");
    for (int s = 1; s < 65; s++) {
        assert_int_equal(vt_lx_sig_to_host(arm, s), s);
        assert_int_equal(vt_lx_sig_to_guest(arm, s), s);
    }
    for (int e = 1; e < 134; e++)
        assert_int_equal(vt_lx_errno_to_guest(arm, e), e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal_numbers),
        cmocka_unit_test(test_wait_status),
        cmocka_unit_test(test_errno_results),
        cmocka_unit_test(test_arm_is_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
