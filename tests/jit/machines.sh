#!/bin/sh
# The ARM JIT on the ARM machines (issue 16, jit/README.md), called by tests/jit/run.sh: the
# first seconds of the palm-te and nokia-n800 Linux boots (decompressor, then the kernel with
# the MMU on and timer interrupts) under --jit lockstep report no divergence and give the
# interpreter's state hash at that time. The full boots compare --jit on with --jit off in
# tests/boot/palmte.sh and n800.sh (same serial output, same state hash). Under the sanitizer
# build the runs stop after 0.3 s; a bad --jit value is a usage error. Prints its 5 TAP lines
# (run.sh prints the plan).
VITRINE=${VITRINE:-$PWD/build/vitrine}
fixtures=${VITRINE_FIXTURES:-$PWD/../shared/fixtures}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-jitm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
palm_t=3s
n800_t=1s
case "${BUILD:-}" in *san*) palm_t=300ms n800_t=300ms ;; esac

hash_of() { sed -n 's/^vitrine: state-hash at [^:]*: //p' "$1"; }

# lockstep NAME T ARGS...: no divergence, and the state hash at T equals the interpreter's
lockstep() {
    name=$1 t=$2
    shift 2
    "$VITRINE" run "$@" --jit off --until "$t" --speed max --serial none --state-hash-at "$t" \
        >/dev/null 2>"$tmp/off.err"
    "$VITRINE" run "$@" --jit lockstep --until "$t" --speed max --serial none \
        --state-hash-at "$t" >/dev/null 2>"$tmp/ls.err"
    if grep -q 'lockstep:' "$tmp/ls.err"; then
        echo "not ok - jit $name --jit lockstep: no divergence for $t"
        grep 'lockstep:' "$tmp/ls.err" | head -3 | sed 's/^/# /'
        fail=1
    else
        echo "ok - jit $name --jit lockstep: no divergence for $t"
    fi
    h_off=$(hash_of "$tmp/off.err")
    h_ls=$(hash_of "$tmp/ls.err")
    if [ -n "$h_off" ] && [ "$h_off" = "$h_ls" ]; then
        echo "ok - jit $name --jit lockstep: the interpreter's state hash at $t"
    else
        echo "not ok - jit $name --jit lockstep: the interpreter's state hash at $t"
        echo "# off: ${h_off:-none} lockstep: ${h_ls:-none}"
        tail -3 "$tmp/ls.err" | sed 's/^/# /'
        fail=1
    fi
}

# a bad value is a usage error before any machine is built
"$VITRINE" run palm-te --jit sometimes --until 1ms >/dev/null 2>"$tmp/usage.err"
rc=$?
if [ $rc = 2 ] && grep -q "on, off or lockstep, not 'sometimes'" "$tmp/usage.err"; then
    echo "ok - jit vitrine run --jit sometimes is a usage error (status 2)"
else
    echo "not ok - jit vitrine run --jit sometimes is a usage error (status $rc)"
    head -3 "$tmp/usage.err" | sed 's/^/# /'
    fail=1
fi

palm="$fixtures/omap/palmte-zImage"
if [ -f "$palm" ]; then
    lockstep palm-te "$palm_t" palm-te --kernel "$palm"
else
    echo "ok - jit palm-te --jit lockstep: no divergence # SKIP fixture missing: $palm"
    echo "ok - jit palm-te --jit lockstep: the interpreter's state hash # SKIP fixture missing"
fi
n800="$fixtures/omap/n800-zImage"
dtb="$fixtures/omap/omap2420-n800.dtb"
if [ -f "$n800" ] && [ -f "$dtb" ]; then
    lockstep nokia-n800 "$n800_t" nokia-n800 --kernel "$n800" --dtb "$dtb"
else
    echo "ok - jit nokia-n800 --jit lockstep: no divergence # SKIP fixtures missing: $n800, $dtb"
    echo "ok - jit nokia-n800 --jit lockstep: the interpreter's state hash # SKIP fixtures missing"
fi
exit $fail
