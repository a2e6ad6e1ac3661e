#!/bin/sh
# `make screenshots`: PNGs of every machine that has a display, made by Vitrine itself
# (`--display none --screenshot`), for the README: docs/screenshots/<profile>.png. The ROM sets
# come from Debian's packages (tests/scripts/fetch_deb.sh, cached under $VITRINE_CACHE).
# Each moment is when the firmware's screen is complete: SeaBIOS's "No bootable device.", or
# OpenBIOS at its prompt. The Palm has no firmware of its own: its picture is the fixture Linux
# kernel's console on the LCD 12 s into the boot (skipped, saying so, when the fixture is missing).
set -e
VITRINE=${VITRINE:-${BUILD:-build}/vitrine}
out=${1:-docs/screenshots}
mkdir -p "$out"
roms=$(mktemp -d)
trap 'rm -rf "$roms"' EXIT
seabios=$(sh tests/scripts/fetch_deb.sh seabios)/usr/share/seabios
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data)/usr/share/qemu
mkdir -p "$roms/seabios" "$roms/openbios-sparc32" "$roms/openbios-ppc"
cp "$seabios/bios.bin" "$seabios/vgabios-stdvga.bin" "$roms/seabios/"
cp "$qdata/openbios-sparc32" "$qdata/QEMU,tcx.bin" "$roms/openbios-sparc32/"
cp "$qdata/openbios-ppc" "$qdata/QEMU,VGA.bin" "$roms/openbios-ppc/"
shot() { # profile time
    "$VITRINE" run "$1" --rom-path "$roms" --display none --serial none --until "$2" \
        --screenshot "$out/$1.png@$2"
    echo "$out/$1.png"
}
shot pc-i440fx 3s
shot powermac-g3 5s
shot sparcstation5 20s
kernel=${VITRINE_FIXTURES:-../shared/fixtures}/omap/palmte-zImage
if [ -f "$kernel" ]; then
    "$VITRINE" run palm-te --display none --serial none --until 12s --speed max --kernel "$kernel" \
        --append "console=tty0 omapfb.manual_update=0" --screenshot "$out/palm-te.png@12s"
    echo "$out/palm-te.png"
else
    echo "palm-te: no picture, $kernel is missing (../shared/fixtures/README.md)" >&2
fi
