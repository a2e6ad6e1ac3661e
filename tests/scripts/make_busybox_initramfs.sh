#!/bin/sh
# Builds a busybox initramfs for the Linux boot tests from Debian's busybox-static for ARCH
# (armel, i386) or, for armv4t, Debian's busybox built for the ARM925T by build_busybox_armv4t.sh
# (BUSYBOX=path overrides it): /bin/busybox, its applet links made at boot, and an /init that mounts
# /proc, /sys and /dev, sources /etc/vitrine.d/*.sh (an extra cpio appended by a test can add
# them, e.g. to load modules), prints the marker "vitrine: user space reached" and runs an interactive
# shell on the console. Packed with cpio -H newc and gzip -n (reproducible: fixed owner, mtime 0).
#   tests/scripts/make_busybox_initramfs.sh ARCH   → prints the path of the .cpio.gz
# Cached in $VITRINE_CACHE (or cache/) and rebuilt when this script changes.
set -e
arch=$1
case "$arch" in armel | i386 | armv4t) ;; *) echo "usage: make_busybox_initramfs.sh armel|i386|armv4t" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
cache=${VITRINE_CACHE:-$(pwd)/cache}
out="$cache/linux-init"
img="$out/busybox-$arch.cpio.gz"
for tool in cpio gzip; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
# Suites run side by side (tests/scripts/run_tests.sh): one build of an image at a time.
mkdir -p "$out"
exec 9>"$img.lock"
flock 9
if [ "$arch" = armv4t ]; then
    busybox=${BUSYBOX:-$(VITRINE_CACHE=$cache sh "$here/build_busybox_armv4t.sh")}
else
    busybox=$(VITRINE_CACHE=$cache sh "$here/fetch_deb.sh" "busybox-static:$arch")/bin/busybox
fi
if [ -f "$img" ] && [ ! "$0" -nt "$img" ] && [ ! "$busybox" -nt "$img" ]; then echo "$img"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/bin" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev" "$tmp/root/tmp"
cp "$busybox" "$tmp/root/bin/busybox"
cat >"$tmp/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for f in /etc/vitrine.d/*.sh; do [ -f "$f" ] && . "$f"; done
echo "vitrine: user space reached"
exec setsid cttyhack sh
INIT
chmod 755 "$tmp/root/init" "$tmp/root/bin/busybox"
find "$tmp/root" -exec touch -h -d @0 {} +
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0 --reproducible) |
    gzip -n -9 >"$img.tmp"
mv "$img.tmp" "$img"
echo "$img"
