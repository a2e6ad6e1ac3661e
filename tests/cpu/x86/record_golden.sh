#!/bin/sh
# Records golden.sha256: for each seed, the SHA-256 of the result records that the host CPU
# itself produces for gen_x86's sequences. Run on an x86 host whose kernel runs i386 ELF
# (ia32 emulation on), after any change to gen_x86.c, and commit the file. Lines: SEED COUNT SHA256.
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
per=5000
seeds=${1:-200}
${CC:-cc} -O2 -o "$work/gen_x86" "$here/gen_x86.c"
{
    echo "# seed count sha256 of the host CPU's result records ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
    s=1
    while [ "$s" -le "$seeds" ]; do
        "$work/gen_x86" "$s" "$per" >"$work/s.s"
        as --32 "$work/s.s" -o "$work/s.o"
        ld -m elf_i386 -Ttext=0x08048000 -e _start "$work/s.o" -o "$work/s.elf"
        echo "$s $per $("$work/s.elf" | sha256sum | cut -d' ' -f1)"
        s=$((s + 1))
    done
} >"$here/golden.sha256.new"
mv "$here/golden.sha256.new" "$here/golden.sha256"
echo "recorded $seeds seeds into $here/golden.sha256"
