#!/bin/sh
# Records the reference output of tests/pc/run.sh from QEMU's `pc` with Debian's SeaBIOS and no
# VGA (so SeaBIOS uses COM1 as its console, as on pc-i440fx): the serial console and the debug
# port lines the suite compares. Needs qemu-system-x86; QEMU runs until `timeout` stops it.
set -e
here=$(dirname "$0")
bios=$(sh tests/scripts/fetch_deb.sh seabios)/usr/share/seabios/bios.bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timeout 6 qemu-system-i386 -M pc -m 64 -bios "$bios" -nographic -vga none -net none \
    -chardev "file,id=dbg,path=$work/debug" -device isa-debugcon,iobase=0x402,chardev=dbg \
    -monitor none -serial "file:$work/serial" >/dev/null 2>&1 || true
tr -d '\r' <"$work/serial" >"$here/qemu_seabios_serial.txt"
grep -E "^(SeaBIOS \(version|BUILD:|Running on|Found QEMU|qemu/e820|Relocating init|PCI: init bdf=00:0[01]\.0 )" \
    "$work/debug" >"$here/qemu_seabios_debug.txt"
