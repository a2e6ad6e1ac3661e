#!/bin/sh
# Builds the test initramfs for the Linux boots of machines without a Debian userland:
# tests/boot/linux_init.c compiled freestanding as /init, packed with cpio -H newc.
#   make_initramfs.sh sparc  → sparc32 (Debian gcc-sparc64-linux-gnu, -m32 -mcpu=v8)
#   make_initramfs.sh ppc    → 32-bit PowerPC (Debian gcc-powerpc-linux-gnu, -mcpu=750)
# Prints the path of the archive (in $VITRINE_CACHE or cache/, rebuilt when a source changes);
# exits 1 with a message on stderr when the cross compiler or cpio is missing, 2 on a bad ARCH.
set -e
here=$(cd "$(dirname "$0")" && pwd)
arch=$1
case "$arch" in
sparc) cc=${SPARC_CC:-sparc64-linux-gnu-gcc}; flags="-m32 -mcpu=v8" ;;
ppc) cc=${PPC_CC:-powerpc-linux-gnu-gcc}; flags="-mcpu=750 -msdata=none" ;;
*) echo "usage: make_initramfs.sh sparc|ppc" >&2; exit 2 ;;
esac
out="${VITRINE_CACHE:-$(pwd)/cache}/linux-init"
for tool in "$cc" cpio; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
mkdir -p "$out"
img="$out/$arch-initramfs.cpio"
stale=
[ -f "$img" ] || stale=1
for src in "$0" "$here/linux_init.c" "$here/linux_init_$arch.h"; do
    [ "$src" -nt "$img" ] && stale=1
done
if [ -n "$stale" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # shellcheck disable=SC2086 # flags are words
    "$cc" $flags -static -nostdlib -ffreestanding -fno-pic -no-pie -O2 -Wall -Werror \
        -Wl,--build-id=none -o "$tmp/init" "$here/linux_init.c"
    (cd "$tmp" && echo init | cpio -o -H newc --quiet --owner=0:0 --reproducible >"$img.tmp")
    mv "$img.tmp" "$img"
fi
echo "$img"
