#!/bin/sh
# Linux user-mode suite: Debian's static busybox and dynamically linked coreutils for each
# ABI compared byte for byte with an oracle (ARM: qemu-arm-static; i386: the host itself where
# its kernel runs i386 ELF, else qemu-i386-static; dynamic programs: qemu-*-static -L), small
# C programs compared with their native run (progs/), programs the loader must refuse, and
# PowerPC and ARM VFP C programs compared with qemu-*-static (ppc_suite.sh, qemu_suite.sh).
# Prints TAP: every sub-suite's lines, a failure for any sub-suite that stopped before its
# plan was done, and the total plan last; exits non-zero when anything failed.
cd "$(dirname "$0")/../.." || exit 1
total=0
status=0
out=$(mktemp "${TMPDIR:-/tmp}/vt-user-run.XXXXXX")
trap 'rm -f "$out"' EXIT
# run_suite NAME COMMAND...: copies the sub-suite's TAP lines, counts them and reports a
# sub-suite that stopped before its plan was done.
run_suite() {
    label=$1
    shift
    "$@" > "$out" 2>&1
    rc=$?
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
    grep -v '^1\.\.[0-9][0-9]*$' "$out"
    n=$(grep -cE '^(not )?ok ' "$out")
    failed=$(grep -c '^not ok ' "$out")
    total=$((total + n))
    if [ -z "$plan" ] || [ "$n" -ne "$plan" ] || { [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; }; then
        echo "not ok - user $label suite stopped early (status $rc, $n of ${plan:-?} results)"
        total=$((total + 1))
        status=1
    fi
    [ "$failed" -eq 0 ] || status=1
}
for abi in arm i386; do
    for suite in busybox dynamic progs elf; do
        run_suite "$abi $suite" sh "tests/user/${suite}_suite.sh" "$abi"
    done
done
run_suite "ppc programs" sh tests/user/ppc_suite.sh
run_suite "ppc progs" sh tests/user/progs_suite.sh ppc
run_suite "arm VFP programs" sh tests/user/qemu_suite.sh armvfp
echo "1..$total"
exit $status
