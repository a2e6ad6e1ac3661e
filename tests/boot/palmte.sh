#!/bin/sh
# Linux on the Palm Tungsten|E (palm-te, TI OMAP310 / ARM925T), called by tests/boot/run.sh,
# which counts its TAP lines with `palmte.sh --count`. Boots the fixture kernel
# ../shared/fixtures/omap/palmte-zImage (or $VITRINE_FIXTURES/omap/palmte-zImage) the way the
# Palm's boot loader hands over (ATAGs, machine 817) with the busybox initramfs of
# make_busybox_initramfs.sh armv4t (Debian's busybox and musl built for ARMv4T: Debian's armel
# binaries need ARMv5TE, CLZ is undefined on the ARM925T), types the lines of palmte.txt at the
# shell's "1 > " prompts (PS1 from the command line) and checks the answers: a typed line comes
# back, $((6*7)) is 42, /proc/cpuinfo names the ARM925T and the board, the SD card (a raw --disk
# image through the OMAP MMC host) reads back its first sector and a sector the guest writes
# lands in the image; `--log unimp` stays empty. The first boot runs with the default --jit (the
# ARM JIT on x86-64 hosts); a second, short boot (to the first prompt, on a fresh card) with
# --jit off must print the same console output and have the same state hash at 14 s: the JIT
# changes nothing a guest can see (issue 16). Under the sanitizer build only the short boot
# runs (the rest skips).
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
names="LCD shows the boot logo (320x320, many colours)|boot exits 0|user space reached|typed line comes back|echo \$((6*7)) answers 42|cpuinfo names the ARM925T|cpuinfo names the Palm Tungsten E|SD card sector reads back|SD card write reaches the image|--log unimp is empty|determinism: the short boot (--jit off) prints the same console output|determinism: both boots (JIT and interpreter) have the same state hash at 14 s"
if [ "$1" = "--count" ]; then
    echo $(($(echo "$names" | tr '|' '\n' | wc -l) + 2))
    exit 0
fi
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/omap/palmte-zImage"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$VITRINE" run palm-te --kernel "$work/missing-zImage" --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "missing-zImage" "$work/err"; then
    echo "ok - palm-te: a missing --kernel file is refused (status 2, names the file)"
else
    echo "not ok - palm-te: a missing --kernel file is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi
"$VITRINE" run palm-te --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "give --kernel" "$work/err"; then
    echo "ok - palm-te: a run without --kernel is refused (status 2: no PalmOS ROM)"
else
    echo "not ok - palm-te: a run without --kernel is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi
skip_all() {
    echo "$names" | tr '|' '\n' | while read -r n; do echo "ok - palm-te: $n # SKIP $1"; done
}
if [ ! -f "$kernel" ]; then
    skip_all "fixture missing: $kernel"
    exit 0
fi
# exit 1: cannot be built here (skip); 3: the ARMv4T busybox build or its check failed
initrd=$(sh tests/scripts/make_busybox_initramfs.sh armv4t 2>"$work/err")
rc=$?
if [ $rc != 0 ]; then
    if [ $rc = 3 ]; then
        echo "$names" | tr '|' '\n' | while read -r n; do echo "not ok - palm-te: $n"; done
        tail -5 "$work/err" | sed 's/^/# /'
    else
        skip_all "$(tail -n 1 "$work/err")"
    fi
    exit 0
fi
# a 4 MiB SD card whose first sector starts with a marker
new_card() {
    dd if=/dev/zero of="$work/sd.img" bs=1024 count=4096 2>/dev/null
    printf 'VITRINE-PALM-SD-CARD' | dd of="$work/sd.img" conv=notrunc 2>/dev/null
}
script="$here/palmte.txt"
: >"$work/empty.txt"
short=""
case "$BUILD" in *san*) short=1 ;; esac
for i in 1 2; do
    new_card
    s=$script
    shot=""
    jit=""
    [ $i = 2 ] && jit="--jit off"
    if [ -n "$short" ] || [ $i = 2 ]; then
        # the short boot ends at its first prompt (about 14.4 s emulated); the logo is up by 12 s
        s="$work/empty.txt"
        shot="--screenshot $work/lcd.png@12s"
    fi
    # the script endpoint stops the run at the prompt after its last line; --until bounds it.
    # omapfb.manual_update=0: omap1_defconfig sets FB_OMAP_MANUAL_UPDATE, which the internal
    # LCD controller refuses (it only refreshes in auto-update mode), leaving the panel dark
    # shellcheck disable=SC2086
    "$VITRINE" run palm-te --until 60s --speed max --log unimp $shot $jit --state-hash-at 14s \
        --serial "script:$s" --kernel "$kernel" --initrd "$initrd" --disk "$work/sd.img" \
        --append 'console=ttyS0,115200 rdinit=/init omapfb.manual_update=0 PS1="1 > "' \
        >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    tr -d '\r' <"$work/out$i" >"$work/console$i"
    dd if="$work/sd.img" bs=1 skip=512 count=21 2>/dev/null >"$work/written$i"
    [ -n "$short" ] && break
done
check() { # name, then a command that succeeds when the check passes
    name=$1
    shift
    if "$@"; then
        echo "ok - palm-te: $name"
    else
        echo "not ok - palm-te: $name"
        tail -5 "$work/console1" | sed 's/^/# /'
    fi
}
# the 224-colour Tux fbcon draws (through the 12-bit palette); a dark or blank panel has 1 or 2
colours=$(python3 tests/display/imgcmp.py info "$work/lcd.png" 2>/dev/null | sed -n 's/^320x320 colours=//p')
check "LCD shows the boot logo (320x320, many colours)" [ "${colours:-0}" -gt 16 ]
check "boot exits 0" grep -q '^rc=0$' "$work/err1"
check "user space reached" grep -q '^vitrine: user space reached$' "$work/console1"
if [ -n "$short" ]; then
    for n in "typed line comes back" "echo \$((6*7)) answers 42" "cpuinfo names the ARM925T" "cpuinfo names the Palm Tungsten E" \
        "SD card sector reads back" "SD card write reaches the image"; do
        echo "ok - palm-te: $n # SKIP sanitizer build stops at the first prompt"
    done
else
    check "typed line comes back" grep -q '^hello vitrine$' "$work/console1"
    check "echo \$((6*7)) answers 42" grep -q '^42$' "$work/console1"
    check "cpuinfo names the ARM925T" grep -q '^model name	: ARM925T rev 2 (v4l)$' "$work/console1"
    check "cpuinfo names the Palm Tungsten E" \
        grep -q '^Hardware	: OMAP310 based Palm Tungsten E$' "$work/console1"
    check "SD card sector reads back" grep -q '^sector 0: VITRINE-PALM-SD-CARD$' "$work/console1"
    check "SD card write reaches the image" grep -qx 'VITRINE-PALM-SD-WRITE' "$work/written1"
fi
check "--log unimp is empty" sh -c "! grep -q 'unimplemented' '$work/err1'"
if [ -n "$short" ]; then
    echo "ok - palm-te: determinism: the short boot (--jit off) prints the same console output # SKIP sanitizer build boots once"
    echo "ok - palm-te: determinism: both boots (JIT and interpreter) have the same state hash at 14 s # SKIP sanitizer build boots once"
else
    # the short boot ends at its first prompt: the full boot's output up to there
    n=$(wc -c <"$work/console2")
    check "determinism: the short boot (--jit off) prints the same console output" \
        sh -c "[ $n -gt 0 ] && head -c $n '$work/console1' | cmp -s - '$work/console2'"
    hash_at() { sed -n 's/^vitrine: state-hash at [^:]*: //p' "$1"; }
    h1=$(hash_at "$work/err1")
    h2=$(hash_at "$work/err2")
    check "determinism: both boots (JIT and interpreter) have the same state hash at 14 s" \
        sh -c "[ -n '$h1' ] && [ '$h1' = '$h2' ]"
fi
