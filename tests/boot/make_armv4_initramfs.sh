#!/bin/sh
# Builds the Palm Tungsten|E test initramfs: tests/boot/armv4_init.c compiled freestanding for
# ARMv4T (Debian gcc-arm-linux-gnueabi, -march=armv4t -marm) as /init, packed with cpio -H newc.
# Debian's armel userland needs ARMv5TE (its busybox executes CLZ at once), so the ARM925T
# boot test runs this instead. Prints the path of the archive (in $VITRINE_CACHE or cache/,
# rebuilt when the source changes); exits 1 with a message when a tool is missing.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="${VITRINE_CACHE:-$(pwd)/cache}/linux-init"
cc=${ARM_CC:-arm-linux-gnueabi-gcc}
for tool in "$cc" cpio; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
mkdir -p "$out"
img="$out/armv4t-initramfs.cpio"
if [ ! -f "$img" ] || [ "$here/armv4_init.c" -nt "$img" ] || [ "$0" -nt "$img" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    "$cc" -march=armv4t -marm -static -nostdlib -ffreestanding -fno-pic -no-pie -O2 -Wall -Werror \
        -fno-stack-protector -Wl,--build-id=none -o "$tmp/init" "$here/armv4_init.c"
    (cd "$tmp" && echo init | cpio -o -H newc --quiet --owner=0:0 --reproducible >"$img.tmp")
    mv "$img.tmp" "$img"
fi
echo "$img"
