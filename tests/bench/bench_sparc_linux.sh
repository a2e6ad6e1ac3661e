#!/bin/sh
# SPARCstation 5 Linux 6.1 (the fixture ss5-zImage + the test initramfs) from power-on to user
# space (the /init marker): Vitrine (host and emulated time, --speed max) next to
# qemu-system-sparc -M SS-5 -kernel (host time). Medians of RUNS runs (default 3). No thresholds.
RUNS=${RUNS:-3}
VITRINE=${VITRINE:-build/vitrine}
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/sparc/ss5-zImage"
[ -f "$kernel" ] || { echo "skipped: fixture missing: $kernel"; exit 0; }
initrd=$(sh tests/boot/make_sparc_initramfs.sh) || exit 1
fwroot=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
fw="$fwroot/usr/share/qemu"
roms="${VITRINE_CACHE:-$(pwd)/cache}/roms-sparc"
if [ -f "$fw/openbios-sparc32" ]; then
    mkdir -p "$roms/openbios-sparc32"
    cp "$fw/openbios-sparc32" "$fw/QEMU,tcx.bin" "$roms/openbios-sparc32/"
fi
[ -f "$fw/openbios-sparc32" ] || { echo "no openbios-sparc32 (qemu-system-data)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/empty"
append="console=ttyS0 rdinit=/init"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
i=0
while [ $i -lt "$RUNS" ]; do
    # the script endpoint ends the run at the first prompt, which /init prints after its marker
    t0=$(now)
    "$VITRINE" run sparcstation5 --rom-path "$roms" --until 120s --speed max \
        --serial "script:$work/empty" --kernel "$kernel" --initrd "$initrd" --append "$append" \
        >"$work/out" 2>"$work/err"
    t1=$(now)
    grep -q 'VITRINE-INIT-OK' "$work/out" || { echo "vitrine did not reach user space"; exit 1; }
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$work/vhost"
    sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" >>"$work/vemu"
    if command -v qemu-system-sparc >/dev/null 2>&1; then
        python3 - "$fw" "$kernel" "$initrd" "$append" >>"$work/qhost" <<'PY'
import os, select, subprocess, sys, time
fw, kernel, initrd, append = sys.argv[1:5]
t0 = time.time()
p = subprocess.Popen(["qemu-system-sparc", "-M", "SS-5", "-nographic", "-L", fw, "-m", "64",
                      "-monitor", "none", "-serial", "stdio", "-kernel", kernel,
                      "-initrd", initrd, "-append", append],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
buf = b""
while time.time() - t0 < 120:
    r, _, _ = select.select([p.stdout], [], [], 0.05)
    if r:
        buf += os.read(p.stdout.fileno(), 65536)
        if b"VITRINE-INIT-OK" in buf:
            break
print("%.3f" % (time.time() - t0))
p.kill()
PY
    fi
    i=$((i + 1))
done
vh=$(median <"$work/vhost")
ve=$(median <"$work/vemu")
printf 'vitrine  linux to user space: emulated %.3f s, host %.3f s (median of %s)\n' "$ve" "$vh" "$RUNS"
if [ -s "$work/qhost" ]; then
    qh=$(median <"$work/qhost")
    printf 'qemu     linux to user space: host %.3f s (median of %s)\n' "$qh" "$RUNS"
    awk -v a="$vh" -v b="$qh" 'BEGIN { printf "ratio vitrine/qemu host time: %.2f\n", a / b }'
fi
