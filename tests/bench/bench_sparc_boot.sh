#!/bin/sh
# SPARCstation 5 boot to the OpenBIOS `0 > ` prompt: Vitrine (emulated and host time) next to
# qemu-system-sparc -M SS-5 -nographic (host time; QEMU's guest clock follows the host).
# Medians of RUNS runs (default 3). No thresholds.
RUNS=${RUNS:-3}
VITRINE=${VITRINE:-build/vitrine}
fwroot=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
fw="$fwroot/usr/share/qemu"
# a romset directory (romsets/README.md) made of the package's files: the run verifies them
roms="${VITRINE_CACHE:-$(pwd)/cache}/roms-sparc"
if [ -f "$fw/openbios-sparc32" ]; then
    mkdir -p "$roms/openbios-sparc32"
    cp "$fw/openbios-sparc32" "$fw/QEMU,tcx.bin" "$roms/openbios-sparc32/"
fi
[ -f "$fw/openbios-sparc32" ] || { echo "no openbios-sparc32 (qemu-system-data)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/empty"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
i=0
while [ $i -lt "$RUNS" ]; do
    t0=$(now)
    "$VITRINE" run sparcstation5 --rom-path "$roms" --until 60s --speed max \
        --serial "script:$work/empty" >/dev/null 2>"$work/err"
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$work/vhost"
    sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" >>"$work/vemu"
    if command -v qemu-system-sparc >/dev/null 2>&1; then
        python3 - "$fw" >>"$work/qhost" <<'PY'
import os, select, subprocess, sys, time
fw = sys.argv[1]
t0 = time.time()
p = subprocess.Popen(["qemu-system-sparc", "-M", "SS-5", "-nographic", "-L", fw, "-m", "64",
                      "-monitor", "none", "-serial", "stdio"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
buf = b""
while time.time() - t0 < 60:
    r, _, _ = select.select([p.stdout], [], [], 0.05)
    if r:
        buf += os.read(p.stdout.fileno(), 65536)
        if b"\n0 > " in buf:
            break
print("%.3f" % (time.time() - t0))
p.kill()
PY
    fi
    i=$((i + 1))
done
vh=$(median <"$work/vhost")
ve=$(median <"$work/vemu")
printf 'vitrine  boot to 0 >: emulated %.3f s, host %.3f s (median of %s)\n' "$ve" "$vh" "$RUNS"
if [ -s "$work/qhost" ]; then
    qh=$(median <"$work/qhost")
    printf 'qemu     boot to 0 >: host %.3f s (median of %s)\n' "$qh" "$RUNS"
    awk -v a="$vh" -v b="$qh" 'BEGIN { printf "ratio vitrine/qemu host time: %.2f\n", a / b }'
fi
