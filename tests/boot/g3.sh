#!/bin/sh
# Power Macintosh G3 boot transcript checks (called from tests/boot/run.sh, which prints the
# plan; `g3.sh --count` prints how many TAP lines this script adds). Boots powermac-g3 headless,
# types the Forth lines of ppc_forth.txt at each `N > ` prompt and compares the answers with
# the transcript recorded from qemu-system-ppc -M g3beige -nographic -nic none (with its VGA)
# (Debian 7.2, same firmware: ppc_forth.expected, made by record_qemu.py ... g3beige).
# Bounded by emulated time (--until); a second boot must give identical output and state hash.
# Then runs the Linux boot checks of g3_linux.sh with the same ROM directory.
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
forth_checks=$(tr -d '\r' <"$here/ppc_forth.expected" | awk -v count=1 -f "$here/compare_transcript.awk" -)
if [ "$1" = "--count" ]; then
    echo $((forth_checks + 4 + $(sh "$here/g3_linux.sh" --count)))
    exit 0
fi
fwroot=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
fw="$fwroot/usr/share/qemu"
# a romset directory (romsets/README.md) made of the package's files: the run verifies them
roms="${VITRINE_CACHE:-$(pwd)/cache}/roms-ppc"
if [ ! -f "$fw/openbios-ppc" ]; then
    echo "not ok - g3 boot: qemu-system-data (openbios-ppc) not available"
    exit 1
fi
mkdir -p "$roms/openbios-ppc"
cp "$fw/openbios-ppc" "$fw/QEMU,VGA.bin" "$roms/openbios-ppc/"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in 1 2; do
    # the script endpoint stops the run at its last prompt; --until bounds it
    "$VITRINE" run powermac-g3 --rom-path "$roms" --until 60s --speed max --log unimp \
        --serial "script:$here/ppc_forth.txt" --state-hash >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    grep -o 'state-hash [0-9a-f]*' "$work/out$i" >"$work/hash$i"
    sed 's/state-hash [0-9a-f]*$//' "$work/out$i" | tr -d '\r' >"$work/console$i"
done
if grep -q '^rc=0$' "$work/err1"; then
    echo "ok - g3 boot: vitrine run exits 0"
else
    echo "not ok - g3 boot: vitrine run exits 0"
    sed 's/^/# /' "$work/err1" | tail -5
fi
if grep -q 'unimplemented' "$work/err1"; then
    echo "not ok - g3 boot: no unimplemented instruction on the way to the prompt"
    grep 'unimplemented' "$work/err1" | sort | uniq -c | head -5 | sed 's/^/# /'
else
    echo "ok - g3 boot: no unimplemented instruction on the way to the prompt"
fi
tr -d '\r' <"$here/ppc_forth.expected" >"$work/expected"
awk -v name="ppc forth" -f "$here/compare_transcript.awk" "$work/expected" "$work/console1"
if cmp -s "$work/console1" "$work/console2"; then
    echo "ok - g3 determinism: two boots give identical serial output"
else
    echo "not ok - g3 determinism: two boots give identical serial output"
fi
if [ -s "$work/hash1" ] && cmp -s "$work/hash1" "$work/hash2"; then
    echo "ok - g3 determinism: identical final state hash"
else
    echo "not ok - g3 determinism: identical final state hash"
    cat "$work/hash1" "$work/hash2" | sed 's/^/# /'
fi
sh "$here/g3_linux.sh" "$roms"
