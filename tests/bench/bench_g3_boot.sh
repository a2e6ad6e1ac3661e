#!/bin/sh
# Power Macintosh G3: boot to the OpenBIOS `0 > ` prompt, and the fixture kernel
# (../shared/fixtures/ppc/g3-vmlinux, direct boot with the test initramfs) to user space (the
# /init marker), Vitrine (emulated and host time) next to qemu-system-ppc -M g3beige (host
# time; QEMU's guest clock follows the host). Medians of RUNS runs (default 3). No thresholds.
RUNS=${RUNS:-3}
VITRINE=${VITRINE:-build/vitrine}
fwroot=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
fw="$fwroot/usr/share/qemu"
[ -f "$fw/openbios-ppc" ] || { echo "no openbios-ppc (qemu-system-data)"; exit 1; }
roms="${VITRINE_CACHE:-$(pwd)/cache}/roms-ppc"
mkdir -p "$roms/openbios-ppc"
cp "$fw/openbios-ppc" "$fw/QEMU,VGA.bin" "$roms/openbios-ppc/"
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/ppc/g3-vmlinux"
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/empty"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

vitrine_run() { # KIND: forth or linux; stops at the first prompt (script with no lines)
    if [ "$1" = linux ]; then
        "$VITRINE" run powermac-g3 --rom-path "$roms" --until 120s --speed max \
            --serial "script:$work/empty" --kernel "$kernel" --initrd "$initrd" \
            --append "console=ttyPZ0 rdinit=/init"
    else
        "$VITRINE" run powermac-g3 --rom-path "$roms" --until 120s --speed max \
            --serial "script:$work/empty"
    fi
}
qemu_run() { # KIND: host seconds until its marker on the serial output
    if [ "$1" = linux ]; then
        python3 "$here/qemu_time_to.py" VITRINE-INIT-OK 120 qemu-system-ppc -M g3beige -m 128 \
            -nographic -L "$fw" -kernel "$kernel" -initrd "$initrd" \
            -append "console=ttyPZ0 rdinit=/init"
    else
        python3 "$here/qemu_time_to.py" "0 > " 120 qemu-system-ppc -M g3beige -m 128 \
            -nographic -L "$fw" -vga none -nic none
    fi
}

bench() { # NAME KIND
    : >"$work/vhost"; : >"$work/vemu"; : >"$work/qhost"
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now)
        vitrine_run "$2" >/dev/null 2>"$work/err"
        t1=$(now)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$work/vhost"
        sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" >>"$work/vemu"
        command -v qemu-system-ppc >/dev/null 2>&1 && qemu_run "$2" >>"$work/qhost"
        i=$((i + 1))
    done
    vh=$(median <"$work/vhost")
    ve=$(median <"$work/vemu")
    printf 'vitrine  %s: emulated %.3f s, host %.3f s (median of %s)\n' "$1" "$ve" "$vh" "$RUNS"
    if [ -s "$work/qhost" ]; then
        qh=$(median <"$work/qhost")
        printf 'qemu     %s: host %.3f s (median of %s)\n' "$1" "$qh" "$RUNS"
        awk -v a="$vh" -v b="$qh" 'BEGIN { printf "ratio vitrine/qemu host time: %.2f\n", a / b }'
    fi
}

bench "boot to 0 >" forth
if [ ! -f "$kernel" ]; then
    echo "kernel to user space: skipped (fixture missing: $kernel)"
elif ! initrd=$(sh tests/boot/make_initramfs.sh ppc 2>"$work/err"); then
    echo "kernel to user space: skipped ($(cat "$work/err"))"
else
    bench "kernel to user space" linux
fi
