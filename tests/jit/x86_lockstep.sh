#!/bin/sh
# `vitrine user i386 --jit lockstep` on real programs (issue 16 item 4): busybox sha256sum of a
# small file, a busybox pipeline (awk, sort, sed, gzip), the self-modifying-code program
# (tests/jit/x86_smc.c) and the i386 test programs (tests/user/progs/*.c) print with lockstep
# what they print with --jit off, lockstep reports no divergence, and blocks were checked; the
# random instruction sequences of tests/cpu/x86 pass with every block checked.
# tests/jit/run.sh calls it and counts its checks in its own plan. Prints TAP, plan first.
# Env: BUILD (default build), VITRINE (default $BUILD/vitrine), VITRINE_CACHE.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
VITRINE=${VITRINE:-$PWD/$BUILD/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
. tests/scripts/tap.sh
progs=$(ls tests/user/progs/*.c)
tap_plan $((4 + $(echo "$progs" | wc -l)))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-jit-x86ls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# check NAME MIN PROGRAM ARGS: runs it with --jit off and --jit lockstep (stdin /dev/null,
# exit status appended to stdout); ok when both print the same, lockstep reports no divergence
# and checked at least MIN blocks (summed over the processes' `--log cpu` lines).
check() {
    name=$1 min=$2
    shift 2
    "$VITRINE" user i386 --jit off "$@" >"$tmp/off" 2>"$tmp/off.err" </dev/null
    echo "status $?" >>"$tmp/off"
    "$VITRINE" user i386 --jit lockstep --log cpu "$@" >"$tmp/ls" 2>"$tmp/ls.err" </dev/null
    echo "status $?" >>"$tmp/ls"
    blocks=$(sed -n 's/.*x86 jit: \([0-9]*\) dispatches.*/\1/p' "$tmp/ls.err" |
        awk '{s += $1} END {print s + 0}')
    if grep -q 'lockstep:' "$tmp/ls.err"; then
        TAP_LOG="$tmp/divergence"
        grep 'lockstep:' "$tmp/ls.err" | head -3 >"$TAP_LOG"
        nok "x86 lockstep: $name reports a divergence"
    elif ! cmp -s "$tmp/off" "$tmp/ls"; then
        TAP_LOG="$tmp/diff"
        diff "$tmp/off" "$tmp/ls" >"$TAP_LOG"
        nok "x86 lockstep: $name prints what --jit off prints"
    elif [ "$blocks" -lt "$min" ]; then
        TAP_LOG="$tmp/ls.err"
        nok "x86 lockstep: $name checked only $blocks blocks (expected $min or more)"
    else
        ok "x86 lockstep: $name prints what --jit off prints, no divergence ($blocks blocks checked)"
    fi
}

if dir=$(sh tests/scripts/fetch_deb.sh busybox-static:i386 2>"$tmp/fetch.log"); then
    bb="$dir/bin/busybox"
    seq 1 6000 >"$tmp/data"
    check "busybox sha256sum of a 28 KiB file" 10000 "$bb" sha256sum "$tmp/data"
    work="$bb awk '{s += \$1 * \$1} END {print s}' $tmp/data; $bb sort -r $tmp/data | $bb head -3;"
    work="$work echo lockstep | $bb sed s/lock/in/; $bb gzip -c $tmp/data | $bb md5sum"
    check "busybox sh pipeline (awk, sort, sed, gzip)" 100000 "$bb" sh -c "$work"
else
    TAP_LOG="$tmp/fetch.log"
    nok "x86 lockstep: busybox sha256sum (fetch busybox-static:i386)"
    nok "x86 lockstep: busybox sh pipeline (fetch busybox-static:i386)"
fi

if i686-linux-gnu-gcc -O1 -static -o "$tmp/smc" tests/jit/x86_smc.c 2>"$tmp/cc.log"; then
    check "self-modifying code program" 1000 "$tmp/smc"
else
    TAP_LOG="$tmp/cc.log"
    nok "x86 lockstep: self-modifying code program (i686-linux-gnu-gcc: tests/scripts/deps.sh)"
fi

# the random instruction sequences of tests/cpu/x86 (against the host CPU), every block checked
TAP_LOG="$tmp/seq.log"
if VITRINE_X86_JIT=lockstep sh tests/cpu/x86/check.sh >"$tmp/seq.log" 2>&1 &&
    ! grep -q '^not ok ' "$tmp/seq.log"; then
    ok "x86 lockstep: random sequences, no divergence ($(sed -n 's/^# x86: //p' "$tmp/seq.log"))"
else
    grep -E '^not ok |lockstep:' "$tmp/seq.log" | head -5 >"$tmp/seq.fail"
    TAP_LOG="$tmp/seq.fail"
    nok "x86 lockstep: random sequences"
fi

for src in $progs; do
    name=$(basename "$src" .c)
    if ! i686-linux-gnu-gcc -O1 -static -o "$tmp/$name" "$src" 2>"$tmp/cc.log"; then
        TAP_LOG="$tmp/cc.log"
        nok "x86 lockstep: prog $name (build)"
        continue
    fi
    check "prog $name" 100 "$tmp/$name"
done
tap_done
