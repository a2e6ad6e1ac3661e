#!/bin/sh
# ARM machine boots with the JIT off and on: palm-te (OMAP310, ARM925T) and nokia-n800
# (OMAP2420, ARM1136) from the fixture kernels (../shared/fixtures/omap, see tests/boot/palmte.sh
# and n800.sh) to the busybox shell's first prompt, host seconds (medians of RUNS, default 3)
# and the emulated time of the prompt. No QEMU column: QEMU 7.2's cheetah does not boot the Palm
# kernel and its n800 stops in the Menelaus I2C probe (hwdocs/omap310_palmte.md,
# hwdocs/omap2420_n800.md), so the ratio reported is JIT on / JIT off.
RUNS=${RUNS:-3}
VITRINE=${VITRINE:-build/vitrine}
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -z "${VITRINE_FIXTURES:-}" ] && [ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/empty.txt"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# boot NAME JIT ARGS...: RUNS boots to the first prompt; prints the host median and the
# emulated time of the prompt, or "failed: " and the first error line
boot() {
    name=$1
    jit=$2
    shift 2
    : >"$work/times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now)
        "$VITRINE" run "$name" --jit "$jit" --until 60s --speed max --serial "script:$work/empty.txt" \
            "$@" >"$work/out" 2>"$work/err" || { echo "failed: $(head -1 "$work/err")"; return; }
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$work/times"
        i=$((i + 1))
    done
    emu=$(sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" | head -1)
    echo "$(median <"$work/times") s host (prompt at ${emu:-?} s emulated)"
}

# report NAME ARGS...
report() {
    name=$1
    shift
    off=$(boot "$name" off "$@")
    on=$(boot "$name" on "$@")
    echo "$name to the first prompt, JIT off: $off"
    echo "$name to the first prompt, JIT on:  $on"
    case "$off$on" in
    *failed*) ;;
    *) awk -v a="${off%% *}" -v b="${on%% *}" -v n="$name" \
        'BEGIN { printf "%s JIT on/off = %.2fx\n", n, b / a }' ;;
    esac
}

kernel="$fixtures/omap/palmte-zImage"
if [ -f "$kernel" ] && initrd=$(sh tests/scripts/make_busybox_initramfs.sh armv4t 2>/dev/null); then
    dd if=/dev/zero of="$work/sd.img" bs=1024 count=4096 2>/dev/null
    report palm-te --kernel "$kernel" --initrd "$initrd" --disk "$work/sd.img" \
        --append 'console=ttyS0,115200 rdinit=/init omapfb.manual_update=0 PS1="1 > "'
else
    echo "palm-te: skipped (fixture $kernel or the ARMv4T busybox initramfs missing)"
fi
kernel="$fixtures/omap/n800-zImage"
dtb="$fixtures/omap/omap2420-n800.dtb"
if [ -f "$kernel" ] && [ -f "$dtb" ] && initrd=$(sh tests/scripts/make_busybox_initramfs.sh armel 2>/dev/null); then
    report nokia-n800 --kernel "$kernel" --dtb "$dtb" --initrd "$initrd" \
        --append 'console=ttyS2,115200 rdinit=/init PS1="1 > "'
else
    echo "nokia-n800: skipped (fixture $kernel, $dtb or the busybox initramfs missing)"
fi
