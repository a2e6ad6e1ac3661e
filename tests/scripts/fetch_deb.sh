#!/bin/sh
# Fetches a Debian package and unpacks it into the git-ignored cache:
#   tests/scripts/fetch_deb.sh PKG[:ARCH]   → prints the unpacked directory
# Foreign architectures (armel, i386, …) are added to dpkg when needed (root or sudo).
# Nothing third-party is committed; manifests in the repo pin the files' hashes.
set -e
spec=$1
[ -n "$spec" ] || { echo "usage: fetch_deb.sh PKG[:ARCH]" >&2; exit 2; }
cache=${VITRINE_CACHE:-$(pwd)/cache}
pkg=${spec%%:*}
arch=
case "$spec" in *:*) arch=${spec#*:} ;; esac
dir="$cache/debs/${pkg}${arch:+_$arch}"
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi
# Suites run side by side (tests/scripts/run_tests.sh): one fetch of a package at a time.
mkdir -p "$cache/debs"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if [ -n "$arch" ] && [ "$arch" != "$(dpkg --print-architecture)" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
        $SUDO dpkg --add-architecture "$arch" >&2
        $SUDO apt-get update -qq >&2
    fi
fi
mkdir -p "$cache/debs/dl"
cd "$cache/debs/dl"
pat=${arch:-*}
if ! ls "${pkg}_"*"_"$pat".deb" >/dev/null 2>&1; then
    apt-get download "$spec" >&2 || { $SUDO apt-get update -qq >&2 && apt-get download "$spec" >&2; }
fi
deb=$(ls -t "${pkg}_"*"_"$pat".deb" | head -n 1)
rm -rf "$dir"
mkdir -p "$dir"
dpkg-deb -x "$deb" "$dir"
touch "$dir/.done"
echo "$dir"
