#!/bin/sh
# PC (pc-i440fx) suite: boots Debian's SeaBIOS headless with no disks and compares what it
# prints with QEMU's `pc` running the same bios.bin (reference files recorded from Debian 12's
# qemu-system-i386 7.2 by tests/pc/record_qemu.sh): the serial console (SeaBIOS's sercon on
# COM1, since neither machine has a VGA) and the debug port 0x402 (`--log bios`). The run is
# bounded by emulated time (--until); a second run must give identical output and state hash.
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
. tests/scripts/tap.sh
tap_plan 10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TAP_LOG="$work/err1"

pkg=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)
[ -f "$pkg/usr/share/seabios/bios.bin" ] || tap_bail "pc: Debian's seabios package not available"
roms="$work/roms"
mkdir -p "$roms/seabios"
cp "$pkg/usr/share/seabios/bios.bin" "$pkg/usr/share/seabios/vgabios-stdvga.bin" "$roms/seabios/"

for i in 1 2; do
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until 3s --speed max --serial stdio \
        --log bios --state-hash >"$work/out$i" 2>"$work/err$i"
    echo $? >"$work/rc$i"
    grep -v '^state-hash ' "$work/out$i" | tr -d '\r' >"$work/serial$i"
    sed -n 's/^\[bios\] debugcon: //p' "$work/err$i" >"$work/debug$i"
done
s="$work/serial1"
q="$here/qemu_seabios_serial.txt"

if [ "$(cat "$work/rc1")" = 0 ] && [ "$(cat "$work/rc2")" = 0 ]; then ok "pc: SeaBIOS runs exit 0"; else nok "pc: SeaBIOS runs exit 0"; fi
# the banner line, with sercon's terminal reset sequence in front, byte for byte
if [ "$(head -n 1 "$s")" = "$(head -n 1 "$q")" ]; then ok "pc: serial banner equals QEMU's"; else nok "pc: serial banner equals QEMU's"; fi
# each boot attempt fails with QEMU's message for that device
for dev in "Hard Disk" "Floppy"; do
    ours=$(grep -A1 -x "Booting from $dev\.\.\." "$s" | tail -n 1)
    theirs=$(grep -A1 -x "Booting from $dev\.\.\." "$q" | tail -n 1)
    if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then ok "pc: boot attempt '$dev' as QEMU"; else nok "pc: boot attempt '$dev' as QEMU ('$ours')"; fi
done
if [ "$(grep -v '^$' "$s" | tail -n 1)" = "$(grep -v '^$' "$q" | tail -n 1)" ]; then
    ok "pc: ends with QEMU's 'No bootable device.'"
else
    nok "pc: ends with QEMU's 'No bootable device.'"
fi
# the debug-port lines QEMU's log has (identity, fw_cfg, e820, relocation, the two chipset IDs)
grep -E "^(SeaBIOS \(version|BUILD:|Running on|Found QEMU|qemu/e820|Relocating init|PCI: init bdf=00:0[01]\.0 )" \
    "$work/debug1" >"$work/dbg_sel"
if cmp -s "$work/dbg_sel" "$here/qemu_seabios_debug.txt"; then ok "pc: debug port lines equal QEMU's"; else
    TAP_LOG="$work/dbg_sel" nok "pc: debug port lines equal QEMU's"
fi
if grep -q "PCI: init bdf=00:01.1 id=8086:7010" "$work/debug1"; then ok "pc: PIIX3 IDE function found by SeaBIOS"; else nok "pc: PIIX3 IDE function found by SeaBIOS"; fi
if grep -q "unimplemented" "$work/err1"; then nok "pc: no unimplemented instruction or feature"; else ok "pc: no unimplemented instruction or feature"; fi
if cmp -s "$work/out1" "$work/out2" && cmp -s "$work/debug1" "$work/debug2"; then
    ok "pc: two boots give identical serial, debug output and state hash"
else
    nok "pc: two boots give identical serial, debug output and state hash"
fi
if grep -q '^state-hash [0-9a-f]\{64\}$' "$work/out1"; then ok "pc: state hash printed"; else nok "pc: state hash printed"; fi
sh "$here/disk.sh" # the disk suite: its own plan, added up by tap_count.sh
tap_done
