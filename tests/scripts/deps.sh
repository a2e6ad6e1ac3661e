#!/bin/sh
# Installs the Debian packages Vitrine needs to build and test, when missing.
# Runs apt-get as root, or through sudo; does nothing when everything is present.
set -e
PKGS="build-essential pkg-config libsdl2-dev libarchive-dev libpng-dev libopenal-dev libinih-dev
zlib1g-dev nettle-dev libcmocka-dev zip p7zip-full xz-utils dpkg-dev libarchive-tools qemu-user-static qemu-utils
qemu-system-sparc gcc-arm-linux-gnueabi libc6-dev-armel-cross gcc-i686-linux-gnu libc6-dev-i386-cross
binutils-powerpc-linux-gnu gcc-sparc64-linux-gnu cpio clang clang-format libclang-rt-14-dev python3
qemu-system-x86 qemu-system-ppc mtools
gcc-powerpc-linux-gnu libc6-dev-powerpc-cross
libslirp-dev genisoimage
xvfb xdotool x11-utils imagemagick libfdt-dev device-tree-compiler"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
