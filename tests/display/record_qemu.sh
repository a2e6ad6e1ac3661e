#!/bin/sh
# Records the display suite's references from Debian 12's QEMU 7.2 with `-display none` (the
# firmware's console on the display, as `vitrine run --display none`): each machine runs until
# its firmware screen is stable (a prompt, or SeaBIOS's "No bootable device."), then the
# monitor saves `screendump` (PPM, converted to PNG) and, on the PC, the text page at 0xB8000.
# Needs qemu-system-{i386,sparc,ppc}; run from the repository root.
set -e
here=tests/display
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seabios=$(sh tests/scripts/fetch_deb.sh seabios)/usr/share/seabios
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data)/usr/share/qemu
python3 $here/qemu_shot.py 5 "$work/pc" qemu-system-i386 -M pc -m 64 -bios "$seabios/bios.bin" \
    -display none -net none -serial null -L "$seabios"
python3 $here/qemu_shot.py 15 "$work/ss5" qemu-system-sparc -M SS-5 -m 64 -display none \
    -net none -serial null -L "$qdata"
python3 $here/qemu_shot.py 6 "$work/g3" qemu-system-ppc -M g3beige -m 256 -display none \
    -net none -serial null -L "$qdata"
python3 $here/text_of_b8000.py "$work/pc.b8000" >$here/qemu_pc_screen.txt
for m in pc ss5 g3; do python3 $here/imgcmp.py topng "$work/$m.ppm" "$here/qemu_$m.png"; done
