#!/bin/sh
# Builds a small gzip'd cpio to append to the busybox initramfs (make_busybox_initramfs.sh)
# so Debian's modular i686 kernel sees an IDE disk: the ata_piix and sd_mod modules with their
# dependencies from the kernel package, loaded in dependency order by /etc/vitrine.d/ide.sh
# (sourced by the initramfs's /init), which then lists the block devices on the console.
#   tests/pc/make_ide_modules_cpio.sh KERNEL_PKG_DIR OUT.cpio.gz
set -e
pkg=$1 out=$2
[ -d "$pkg/lib/modules" ] && [ -n "$out" ] || {
    echo "usage: make_ide_modules_cpio.sh KERNEL_PKG_DIR OUT.cpio.gz" >&2
    exit 2
}
kdir=$(ls -d "$pkg"/lib/modules/*/kernel | head -n 1)
# dependency order (the modules' own `depends=`; the crypto providers before their users)
mods="drivers/scsi/scsi_common drivers/scsi/scsi_mod drivers/ata/libata drivers/ata/ata_piix
crypto/crct10dif_common crypto/crct10dif_generic lib/crc-t10dif lib/crc64
crypto/crc64_rocksoft_generic lib/crc64-rocksoft block/t10-pi drivers/scsi/sd_mod"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/lib/modules" "$tmp/root/etc/vitrine.d"
list=""
for m in $mods; do
    cp "$kdir/$m.ko" "$tmp/root/lib/modules/"
    list="$list ${m##*/}"
done
cat >"$tmp/root/etc/vitrine.d/ide.sh" <<EOF
for m in$list; do insmod /lib/modules/\$m.ko || echo "vitrine: insmod \$m failed"; done
echo "vitrine: block devices: \$(ls /sys/block | tr '\n' ' ')"
echo "vitrine: partitions: \$(awk 'NR > 2 { printf "%s ", \$4 }' /proc/partitions)"
EOF
find "$tmp/root" -exec touch -h -d @0 {} +
(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --owner=0:0 --reproducible) |
    gzip -n -9 >"$out"
