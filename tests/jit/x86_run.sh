#!/bin/sh
# The x86 JIT on real programs (issue 16): the self-modifying-code program (x86_smc.c) with the
# JIT on and off against a real i386 run (the host, else qemu-i386-static), then the i386 user
# suites (busybox, dynamic, progs, elf) and the random-sequence check with the JIT on, each
# folded into one TAP line. tests/jit/run.sh calls it and counts its 7 checks in its own plan.
# Env: BUILD (default build), VITRINE (default $BUILD/vitrine), VITRINE_CACHE.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
VITRINE=${VITRINE:-$PWD/$BUILD/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
echo "1..7"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-jit-x86.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0

# --- self-modifying code vs a real i386 CPU
smc_oracle=""
if i686-linux-gnu-gcc -O1 -static -o "$tmp/smc" tests/jit/x86_smc.c 2>"$tmp/cc.log"; then
    if [ -z "$VITRINE_NO_IA32" ] && "$tmp/smc" >"$tmp/ref.out" 2>&1; then
        smc_oracle=host
    elif command -v qemu-i386-static >/dev/null && qemu-i386-static "$tmp/smc" >"$tmp/ref.out" 2>&1; then
        smc_oracle=qemu-i386-static
    fi
fi
for mode in on off; do
    name="x86 jit $mode: self-modifying code program"
    if [ -z "$smc_oracle" ]; then
        echo "not ok - $name: i686-linux-gnu-gcc (tests/scripts/deps.sh) or an i386 oracle missing"
        sed 's/^/# /' "$tmp/cc.log"
        status=1
    elif "$VITRINE" user i386 --jit "$mode" "$tmp/smc" >"$tmp/out.$mode" 2>&1 &&
        cmp -s "$tmp/ref.out" "$tmp/out.$mode"; then
        echo "ok - $name matches $smc_oracle ($(wc -l <"$tmp/ref.out") checks)"
    else
        echo "not ok - $name differs from $smc_oracle"
        diff "$tmp/ref.out" "$tmp/out.$mode" | head -10 | sed 's/^/# /'
        status=1
    fi
done

# --- the i386 user suites through a wrapper that switches the JIT on (execve re-runs keep it)
printf '#!/bin/sh\nc=$1 a=$2\nshift 2\nexec "%s" "$c" "$a" --jit on "$@"\n' "$VITRINE" >"$tmp/vjit"
chmod +x "$tmp/vjit"
for suite in busybox dynamic progs elf; do
    VITRINE="$tmp/vjit" sh "tests/user/${suite}_suite.sh" i386 >"$tmp/$suite.log" 2>&1
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tmp/$suite.log" | head -n 1)
    n=$(grep -cE '^ok ' "$tmp/$suite.log")
    if [ -n "$plan" ] && [ "$n" -eq "$plan" ] && ! grep -q '^not ok ' "$tmp/$suite.log"; then
        echo "ok - x86 jit on: i386 $suite suite ($n of $plan)"
    else
        echo "not ok - x86 jit on: i386 $suite suite ($n of ${plan:-?})"
        grep -E '^not ok |^# ' "$tmp/$suite.log" | head -20
        status=1
    fi
done

# --- random instruction sequences vs the host CPU (or its recorded digests), JIT on
if VITRINE_X86_JIT=on sh tests/cpu/x86/check.sh >"$tmp/seq.log" 2>&1 &&
    ! grep -q '^not ok ' "$tmp/seq.log"; then
    echo "ok - x86 jit on: random sequences ($(grep -c '^ok ' "$tmp/seq.log") checks; $(sed -n 's/^# x86: //p' "$tmp/seq.log"))"
else
    echo "not ok - x86 jit on: random sequences"
    grep -E '^not ok |^# ' "$tmp/seq.log" | head -20
    status=1
fi
exit $status
