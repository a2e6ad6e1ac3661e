#!/bin/sh
# Linux 6.1 on the Nokia N800 (called by tests/boot/run.sh, which counts N800_CHECKS in its
# plan): boots the fixture kernel ../shared/fixtures/omap/n800-zImage (or $VITRINE_FIXTURES/omap)
# with its device tree omap2420-n800.dtb (--dtb: bootargs and initrd in /chosen) and the busybox
# initramfs of tests/scripts/make_busybox_initramfs.sh, console on UART3 (ttyS2 = the first
# --serial); types the lines of n800.txt at the shell's prompts (PS1 "1 > " from the command
# line) and checks the answers, the Menelaus PMIC probe over I2C, an empty `--log unimp`, and
# that two boots, the first with the default --jit (the ARM JIT on x86-64 hosts) and the second
# with --jit off, give the same serial output and state hash (issue 16); before that, that a replayed input
# log loads the TSC2301's key map (config/keymaps/nokia-n800.ini) and is delivered. Under the sanitizer build
# (BUILD=build-san) one boot stops at the first prompt. Runs are bounded by emulated time.
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -z "${VITRINE_FIXTURES:-}" ] && [ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/omap/n800-zImage"
dtb="$fixtures/omap/omap2420-n800.dtb"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
append='console=ttyS2,115200 rdinit=/init PS1="1 > "'

# usage errors need no fixture
"$VITRINE" run nokia-n800 --dtb "$work/x.dtb" --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "need --kernel" "$work/err"; then
    echo "ok - n800 linux: --dtb without --kernel is a usage error"
else
    echo "not ok - n800 linux: --dtb without --kernel is a usage error (status $rc)"
fi
printf 'not a device tree' >"$work/bad.dtb"
"$VITRINE" run nokia-n800 --kernel "$work/bad.dtb" --dtb "$work/bad.dtb" --until 1ms \
    >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "dtb $work/bad.dtb" "$work/err"; then
    echo "ok - n800 linux: a bad --dtb is refused (status 2, names the file)"
else
    echo "not ok - n800 linux: a bad --dtb is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi

# host input reaches the TSC2301 (config/keymaps/nokia-n800.ini loads; no fixture needed)
printf '1000000000 key Up down\n2000000000 touch 100 200 down\n3000000000 key F7 up\n' \
    >"$work/input.log"
if "$VITRINE" run nokia-n800 --replay-input "$work/input.log" --record-input "$work/rec.log" \
    --until 5ms >/dev/null 2>"$work/err" && [ "$(grep -vc '^#' "$work/rec.log")" = 3 ]; then
    echo "ok - n800 linux: TSC2301 input route and key map load, replayed keys and touches delivered"
else
    echo "not ok - n800 linux: TSC2301 input route and key map load, replayed keys and touches delivered"
    sed 's/^/# /' "$work/err"
fi

names="boot exits 0|user-space marker reached|echo \$((6*7)) answers 42|/proc/cpuinfo shows the ARMv6 ARM1136 (part 0xb36)|Menelaus PMIC probed over I2C, no I2C timeout|--log unimp is empty|determinism: identical serial output with --jit off|determinism: identical state hash with --jit off"
skip_all() {
    echo "$names" | tr '|' '\n' | while read -r n; do echo "ok - n800 linux: $n # SKIP $1"; done
}
if [ ! -f "$kernel" ] || [ ! -f "$dtb" ]; then
    skip_all "fixtures missing: $kernel, $dtb"
    exit 0
fi
if ! initrd=$(sh tests/scripts/make_busybox_initramfs.sh armel 2>"$work/err"); then
    skip_all "initramfs: $(head -1 "$work/err")"
    exit 0
fi
script="$here/n800.txt"
runs="1 2"
case "$BUILD" in *san*) runs=1; script="$work/empty.txt"; : >"$script" ;; esac
for i in $runs; do
    jit=""
    [ $i = 2 ] && jit="--jit off"
    # shellcheck disable=SC2086
    "$VITRINE" run nokia-n800 --until 60s --speed max --state-hash --log unimp $jit \
        --serial "script:$script" --kernel "$kernel" --dtb "$dtb" --initrd "$initrd" \
        --append "$append" >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    grep -o 'state-hash [0-9a-f]*' "$work/out$i" >"$work/hash$i"
    sed 's/state-hash [0-9a-f]*$//' "$work/out$i" | tr -d '\r' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' \
        >"$work/console$i"
done
check() { # NAME, then a command that succeeds when the check passes
    name=$1
    shift
    if "$@"; then echo "ok - n800 linux: $name"; else
        echo "not ok - n800 linux: $name"
        tail -5 "$work/console1" | sed 's/^/# /'
    fi
}
check "boot exits 0" grep -q '^rc=0$' "$work/err1"
check "user-space marker reached" grep -q '^vitrine: user space reached$' "$work/console1"
if [ "$runs" = 1 ]; then
    echo "ok - n800 linux: echo \$((6*7)) answers 42 # SKIP sanitizer build stops at the first prompt"
    echo "ok - n800 linux: /proc/cpuinfo shows the ARMv6 ARM1136 (part 0xb36) # SKIP sanitizer build stops at the first prompt"
else
    check "echo \$((6*7)) answers 42" sh -c "grep -A1 '^1 > echo \\\$((6\\*7))\$' '$work/console1' | grep -qx 42"
    check "/proc/cpuinfo shows the ARMv6 ARM1136 (part 0xb36)" sh -c \
        "grep -q '^model name.*ARMv6-compatible' '$work/console1' && grep -q '^CPU part.*0xb36' '$work/console1'"
fi
check "Menelaus PMIC probed over I2C, no I2C timeout" sh -c \
    "grep -q 'Menelaus rev 2.2' '$work/console1' && ! grep -qi 'i2c.*time' '$work/console1'"
check "--log unimp is empty" sh -c "! grep -q unimplemented '$work/err1'"
if [ "$runs" = 1 ]; then
    echo "ok - n800 linux: determinism: identical serial output with --jit off # SKIP sanitizer build boots once"
    echo "ok - n800 linux: determinism: identical state hash with --jit off # SKIP sanitizer build boots once"
else
    check "determinism: identical serial output with --jit off" cmp -s "$work/console1" "$work/console2"
    check "determinism: identical state hash with --jit off" sh -c "[ -s '$work/hash1' ] && cmp -s '$work/hash1' '$work/hash2'"
fi
