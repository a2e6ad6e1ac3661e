#!/bin/sh
# SPARCstation 5 Linux 6.1 (the fixture ss5-zImage + the test initramfs) from power-on to user
# space (the /init marker): Vitrine (emulated time; host wall and CPU time, --speed max) next to
# qemu-system-sparc -M SS-5 -kernel (host wall and CPU time up to the marker). CPU time is the
# fairer figure on a shared machine. Medians of RUNS runs (default 3). No thresholds.
RUNS=${RUNS:-3}
VITRINE=${VITRINE:-build/vitrine}
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/sparc/ss5-zImage"
[ -f "$kernel" ] || { echo "skipped: fixture missing: $kernel"; exit 0; }
initrd=$(sh tests/boot/make_initramfs.sh sparc) || exit 1
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
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
i=0
while [ $i -lt "$RUNS" ]; do
    # the script endpoint ends the run at the first prompt, which /init prints after its marker
    python3 - "$work" "$VITRINE" run sparcstation5 --rom-path "$roms" --until 120s --speed max \
        --serial "script:$work/empty" --kernel "$kernel" --initrd "$initrd" \
        --append "$append" <<'PY'
import os, subprocess, sys, time
work, cmd = sys.argv[1], sys.argv[2:]
t0 = time.time()
with open(work + "/out", "wb") as out, open(work + "/err", "wb") as err:
    p = subprocess.Popen(cmd, stdout=out, stderr=err)
    _, _, ru = os.wait4(p.pid, 0)
open(work + "/vhost", "a").write("%.3f\n" % (time.time() - t0))
open(work + "/vcpu", "a").write("%.3f\n" % (ru.ru_utime + ru.ru_stime))
PY
    grep -q 'VITRINE-INIT-OK' "$work/out" || { echo "vitrine did not reach user space"; exit 1; }
    sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" >>"$work/vemu"
    if command -v qemu-system-sparc >/dev/null 2>&1; then
        python3 - "$fw" "$kernel" "$initrd" "$append" "$work" <<'PY'
import os, select, subprocess, sys, time
fw, kernel, initrd, append, work = sys.argv[1:6]
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
wall = time.time() - t0
stat = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
p.kill()
open(work + "/qhost", "a").write("%.3f\n" % wall)
open(work + "/qcpu", "a").write("%.3f\n" % cpu)
PY
    fi
    i=$((i + 1))
done
vh=$(median <"$work/vhost")
vc=$(median <"$work/vcpu")
ve=$(median <"$work/vemu")
printf 'vitrine  linux to user space: emulated %.3f s, host wall %.3f s, CPU %.3f s (median of %s)\n' \
    "$ve" "$vh" "$vc" "$RUNS"
if [ -s "$work/qhost" ]; then
    qh=$(median <"$work/qhost")
    qc=$(median <"$work/qcpu")
    printf 'qemu     linux to user space: host wall %.3f s, CPU %.3f s (median of %s)\n' "$qh" "$qc" "$RUNS"
    awk -v a="$vh" -v b="$qh" -v c="$vc" -v d="$qc" \
        'BEGIN { printf "ratio vitrine/qemu: wall %.2f, CPU %.2f\n", a / b, c / d }'
fi
