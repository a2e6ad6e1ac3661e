#!/bin/sh
# Boot transcript suite: boots the SPARCstation 5 profile headless on the serial console,
# types the Forth lines of sparc_forth.txt at each `N > ` prompt (script serial endpoint) and
# compares every answer with the transcript recorded from qemu-system-sparc -M SS-5
# -nographic (Debian 7.2, same firmware: sparc_forth.expected, made by record_qemu.py).
# Runs are bounded by emulated time (--until), never by wall time. A second boot must give
# byte-identical serial output and the same final machine-state hash (determinism).
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
fwroot=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
fw="$fwroot/usr/share/qemu"
# a romset directory (romsets/README.md) made of the package's files: the run verifies them
roms="${VITRINE_CACHE:-$(pwd)/cache}/roms-sparc"
if [ -f "$fw/openbios-sparc32" ]; then
    mkdir -p "$roms/openbios-sparc32"
    cp "$fw/openbios-sparc32" "$fw/QEMU,tcx.bin" "$roms/openbios-sparc32/"
fi
forth_checks=$(tr -d '\r' <"$here/sparc_forth.expected" | awk -v count=1 -f "$here/compare_transcript.awk" -)
reset_checks=$(tr -d '\r' <"$here/sparc_reset.expected" | awk -v count=1 -f "$here/compare_transcript.awk" -)
LINUX_CHECKS=18 # tests/boot/sparc_linux.sh
N800_CHECKS=11  # tests/boot/n800.sh
echo "1..$((1 + forth_checks + reset_checks + 2 + LINUX_CHECKS + N800_CHECKS + $(sh "$here/g3.sh" --count) + $(sh "$here/sparc_bootmedia.sh" --count) + $(sh "$here/palmte.sh" --count)))"
if [ ! -f "$fw/openbios-sparc32" ]; then
    echo "not ok - sparc boot: qemu-system-data (openbios-sparc32) not available"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in 1 2; do
    # the script endpoint stops the run at its last prompt (~12 s emulated); --until bounds it
    "$VITRINE" run sparcstation5 --rom-path "$roms" --until 30s --speed max \
        --serial "script:$here/sparc_forth.txt" --state-hash >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    grep -o 'state-hash [0-9a-f]*' "$work/out$i" >"$work/hash$i"
    sed 's/state-hash [0-9a-f]*$//' "$work/out$i" | tr -d '\r' >"$work/console$i"
done
if grep -q '^rc=0$' "$work/err1"; then
    echo "ok - sparc boot: vitrine run exits 0"
else
    echo "not ok - sparc boot: vitrine run exits 0"
    sed 's/^/# /' "$work/err1" | tail -5
fi
tr -d '\r' <"$here/sparc_forth.expected" >"$work/expected"
awk -v name="sparc forth" -f "$here/compare_transcript.awk" "$work/expected" "$work/console1"
# reset-all: the firmware writes the system control register; the machine must come back
"$VITRINE" run sparcstation5 --rom-path "$roms" --until 30s --speed max \
    --serial "script:$here/sparc_reset.txt" 2>/dev/null | tr -d '\r' >"$work/reset"
tr -d '\r' <"$here/sparc_reset.expected" >"$work/reset_expected"
awk -v name="sparc reset" -f "$here/compare_transcript.awk" "$work/reset_expected" "$work/reset"
if cmp -s "$work/console1" "$work/console2"; then
    echo "ok - sparc determinism: two boots give identical serial output"
else
    echo "not ok - sparc determinism: two boots give identical serial output"
fi
if [ -s "$work/hash1" ] && cmp -s "$work/hash1" "$work/hash2"; then
    echo "ok - sparc determinism: identical final state hash"
else
    echo "not ok - sparc determinism: identical final state hash"
    cat "$work/hash1" "$work/hash2" | sed 's/^/# /'
fi
sh "$here/sparc_linux.sh" "$roms"
sh "$here/sparc_bootmedia.sh" "$roms"
sh "$here/g3.sh"
sh "$here/palmte.sh"
sh "$here/n800.sh"
