#!/bin/sh
# Builds the SPARCstation 5 test initramfs: tests/boot/sparc_init.c compiled freestanding for
# sparc32 (Debian gcc-sparc64-linux-gnu, -m32 -mcpu=v8) as /init, packed with cpio -H newc.
# Prints the path of the archive (in $VITRINE_CACHE or cache/, rebuilt when the source changes);
# exits 1 with a message on stderr when the cross compiler or cpio is missing.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="${VITRINE_CACHE:-$(pwd)/cache}/linux-init"
cc=${SPARC_CC:-sparc64-linux-gnu-gcc}
for tool in "$cc" cpio; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
mkdir -p "$out"
img="$out/sparc-initramfs.cpio"
if [ ! -f "$img" ] || [ "$here/sparc_init.c" -nt "$img" ] || [ "$0" -nt "$img" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    "$cc" -m32 -mcpu=v8 -static -nostdlib -ffreestanding -fno-pic -no-pie -O2 -Wall -Werror \
        -Wl,--build-id=none -o "$tmp/init" "$here/sparc_init.c"
    (cd "$tmp" && echo init | cpio -o -H newc --quiet --owner=0:0 --reproducible >"$img.tmp")
    mv "$img.tmp" "$img"
fi
echo "$img"
