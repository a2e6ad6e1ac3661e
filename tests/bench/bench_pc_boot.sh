#!/bin/sh
# PC (pc-i440fx) boots, Vitrine next to qemu-system-i386 -M pc -m 64 -cpu pentium2 (host time;
# QEMU's guest clock follows the host): SeaBIOS with no disks to "No bootable device." (Vitrine:
# a 3 s emulated run, which covers it), and Debian's i686 kernel + busybox initramfs
# (tests/pc/linux.sh) to the shell's first prompt (Vitrine also reports the emulated time).
# Medians of RUNS runs (default 3) for SeaBIOS and LINUX_RUNS (default 1) for Linux.
RUNS=${RUNS:-3}
LINUX_RUNS=${LINUX_RUNS:-1}
VITRINE=${VITRINE:-build/vitrine}
bios=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)/usr/share/seabios
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)/usr/share/qemu
[ -f "$bios/bios.bin" ] && [ -f "$qdata/linuxboot_dma.bin" ] ||
    { echo "no seabios / qemu-system-data package"; exit 1; }
spec=tests/pc/linux_kernel.sha256
kernel=$(sh tests/scripts/fetch_deb.sh "$(cut -d' ' -f3 "$spec")" 2>/dev/null)/$(cut -d' ' -f5 "$spec")
initrd=$(sh tests/scripts/make_busybox_initramfs.sh i386 2>/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
roms="$work/roms"
mkdir -p "$roms/seabios" "$roms/linuxboot"
cp "$bios/bios.bin" "$bios/vgabios-stdvga.bin" "$roms/seabios/"
cp "$qdata/linuxboot_dma.bin" "$roms/linuxboot/"
: >"$work/empty"
append='console=ttyS0,115200 PS1="1 > "'
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
# qemu_until PATTERN ARGS...: host seconds until PATTERN appears on QEMU's serial console
qemu_until() {
    python3 - "$@" <<'PY'
import os, select, subprocess, sys, time
pat = sys.argv[1].encode()
t0 = time.time()
p = subprocess.Popen(["qemu-system-i386", "-M", "pc", "-m", "64", "-cpu", "pentium2",
                      "-nographic", "-vga", "none", "-net", "none", "-monitor", "none",
                      "-serial", "stdio"] + sys.argv[2:], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
buf = b""
while time.time() - t0 < 120:
    r, _, _ = select.select([p.stdout], [], [], 0.05)
    if r:
        buf += os.read(p.stdout.fileno(), 65536)
        if pat in buf:
            break
print("%.3f" % (time.time() - t0))
p.kill()
PY
}
has_qemu() { command -v qemu-system-i386 >/dev/null 2>&1; }

i=0
while [ $i -lt "$RUNS" ]; do
    t0=$(now)
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until 3s --speed max --serial stdio \
        </dev/null >"$work/sea" 2>/dev/null
    elapsed "$t0" "$(now)" >>"$work/sea_v"
    grep -q "No bootable device" "$work/sea" || echo "vitrine: SeaBIOS did not reach 'No bootable device.'"
    has_qemu && qemu_until "No bootable device" -bios "$bios/bios.bin" >>"$work/sea_q"
    i=$((i + 1))
done
printf 'vitrine  SeaBIOS to "No bootable device.": host %.3f s for 3 s emulated (median of %s)\n' \
    "$(median <"$work/sea_v")" "$RUNS"
[ -s "$work/sea_q" ] && printf 'qemu     SeaBIOS to "No bootable device.": host %.3f s (median of %s)\n' \
    "$(median <"$work/sea_q")" "$RUNS"

[ -f "$kernel" ] && [ -f "$initrd" ] || { echo "no Debian kernel / initramfs for the Linux boot"; exit 1; }
i=0
while [ $i -lt "$LINUX_RUNS" ]; do
    t0=$(now)
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until 200s --speed max --serial "script:$work/empty" \
        --kernel "$kernel" --initrd "$initrd" --append "$append" >/dev/null 2>"$work/err"
    elapsed "$t0" "$(now)" >>"$work/lin_v"
    sed -n 's/.*first prompt at \([0-9.]*\) s emulated.*/\1/p' "$work/err" >>"$work/lin_e"
    has_qemu && qemu_until "1 > " -kernel "$kernel" -initrd "$initrd" -append "$append" >>"$work/lin_q"
    i=$((i + 1))
done
printf 'vitrine  Linux to the shell prompt: emulated %.3f s, host %.3f s (median of %s)\n' \
    "$(median <"$work/lin_e")" "$(median <"$work/lin_v")" "$LINUX_RUNS"
if [ -s "$work/lin_q" ]; then
    printf 'qemu     Linux to the shell prompt: host %.3f s (median of %s)\n' \
        "$(median <"$work/lin_q")" "$LINUX_RUNS"
    awk -v a="$(median <"$work/lin_v")" -v b="$(median <"$work/lin_q")" \
        'BEGIN { printf "ratio vitrine/qemu host time (Linux): %.2f\n", a / b }'
fi
