#!/bin/sh
# The x86 JIT on a machine (issue 16): pc-i440fx boots SeaBIOS and Debian's i686 Linux (the
# kernel package and busybox initramfs of tests/pc/linux.sh, console on COM1) once with
# --jit off and once with --jit on to the same emulated time; the serial output and the state
# hash at that time must be equal, and the JIT run must have run translated blocks and chained
# exits (its --log cpu summary). --jit lockstep is a usage error for the machine. Under the sanitizers
# the boots stop at 2 s (SeaBIOS); else at 20 s (the kernel is printing its boot log).
# tests/jit/run.sh counts its 4 checks in its own plan. Env: BUILD, VITRINE, VITRINE_CACHE.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
VITRINE=${VITRINE:-$PWD/$BUILD/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
echo "1..4"
names="--jit lockstep is refused for pc-i440fx|boot with --jit on prints what --jit off prints|same state hash with --jit on and off|translated blocks ran, chained"
skip_all() {
    echo "$names" | tr '|' '\n' | while read -r n; do echo "ok - x86 jit pc: $n # SKIP $1"; done
    exit 0
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-jit-pc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
here=tests/pc
pkgspec=$(cut -d' ' -f3 "$here/linux_kernel.sha256")
vmlinuz=$(cut -d' ' -f5 "$here/linux_kernel.sha256")
pkg=$(sh tests/scripts/fetch_deb.sh "$pkgspec" 2>/dev/null)
bios=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
initrd=$(sh tests/scripts/make_busybox_initramfs.sh i386 2>/dev/null)
if [ ! -f "$pkg/$vmlinuz" ] || [ ! -f "$bios/usr/share/seabios/bios.bin" ] ||
    [ ! -f "$qdata/usr/share/qemu/linuxboot_dma.bin" ] || [ ! -f "$initrd" ]; then
    skip_all "Debian packages ($pkgspec, seabios, qemu-system-data, busybox-static:i386) not available"
fi
roms="$tmp/roms"
mkdir -p "$roms/seabios" "$roms/linuxboot"
cp "$bios/usr/share/seabios/bios.bin" "$bios/usr/share/seabios/vgabios-stdvga.bin" "$roms/seabios/"
cp "$qdata/usr/share/qemu/linuxboot_dma.bin" "$roms/linuxboot/"
at=20s
case "$BUILD" in *san*) at=2s ;; esac
status=0
# boot MODE: to $at, serial output to $tmp/out.MODE, stderr to $tmp/err.MODE
boot() {
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until $at --speed max --state-hash-at $at \
        --jit "$1" --log cpu --kernel "$pkg/$vmlinuz" --initrd "$initrd" \
        --append 'console=ttyS0,115200' >"$tmp/out.$1" 2>"$tmp/err.$1"
    echo "rc=$?" >>"$tmp/err.$1"
}

boot lockstep
if grep -q '^rc=2$' "$tmp/err.lockstep" && grep -q 'no lockstep' "$tmp/err.lockstep"; then
    echo "ok - x86 jit pc: --jit lockstep is refused for pc-i440fx (status 2)"
else
    echo "not ok - x86 jit pc: --jit lockstep is refused for pc-i440fx"
    sed 's/^/# /' "$tmp/err.lockstep" | head -3
    status=1
fi

boot off
boot on
if grep -q '^rc=0$' "$tmp/err.on" && grep -q 'SeaBIOS' "$tmp/out.off" &&
    cmp -s "$tmp/out.off" "$tmp/out.on"; then
    echo "ok - x86 jit pc: boot with --jit on prints what --jit off prints ($at, $(wc -l <"$tmp/out.off") lines)"
else
    echo "not ok - x86 jit pc: boot with --jit on prints what --jit off prints ($at)"
    diff "$tmp/out.off" "$tmp/out.on" | head -8 | sed 's/^/# /'
    grep -v '^\[cpu\]' "$tmp/err.on" | head -3 | sed 's/^/# /'
    status=1
fi
sed -n "s/^vitrine: state-hash at $at: //p" "$tmp/err.off" >"$tmp/hash.off"
sed -n "s/^vitrine: state-hash at $at: //p" "$tmp/err.on" >"$tmp/hash.on"
if [ -s "$tmp/hash.off" ] && cmp -s "$tmp/hash.off" "$tmp/hash.on"; then
    echo "ok - x86 jit pc: same state hash with --jit on and off at $at"
else
    echo "not ok - x86 jit pc: same state hash with --jit on and off at $at"
    cat "$tmp/hash.off" "$tmp/hash.on" | sed 's/^/# /'
    status=1
fi
summary=$(grep '^\[cpu\] x86 jit: ' "$tmp/err.on" | tail -1)
translated=$(echo "$summary" | sed -n 's/.*dispatches (\([0-9]*\) translated).*/\1/p')
chained=$(echo "$summary" | sed -n 's/.* \([0-9]*\) exits chained.*/\1/p')
if [ -n "$translated" ] && [ "$translated" -gt 0 ] && [ -n "$chained" ] && [ "$chained" -gt 0 ]; then
    echo "ok - x86 jit pc: translated blocks ran, chained (${summary#\[cpu\] x86 jit: })"
else
    echo "not ok - x86 jit pc: translated blocks ran, chained"
    echo "# ${summary:-no JIT summary on stderr}"
    status=1
fi
exit $status
