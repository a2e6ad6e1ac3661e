#!/bin/sh
# Builds the Linux disk of the PC disk suite (tests/pc/disk.sh) and of its QEMU recording
# (record_qemu_linux_disk.sh): a raw SYSLINUX disk (make_syslinux_disk.sh) holding Debian's
# i686 kernel and the busybox initramfs with ata_piix and sd_mod appended
# (make_ide_modules_cpio.sh), booted with the console on COM1 and the prompt "1 > ".
#   tests/pc/make_linux_disk.sh KERNEL_PKG_DIR OUT.img
set -e
kdir=$1 out=$2
[ -d "$kdir/boot" ] && [ -n "$out" ] || {
    echo "usage: make_linux_disk.sh KERNEL_PKG_DIR OUT.img" >&2
    exit 2
}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ird=$(sh tests/scripts/make_busybox_initramfs.sh i386)
sh "$here/make_ide_modules_cpio.sh" "$kdir" "$tmp/mods.cpio.gz"
cat "$ird" "$tmp/mods.cpio.gz" >"$tmp/initrd.gz"
printf 'SERIAL 0 115200\nPROMPT 0\nTIMEOUT 1\nDEFAULT linux\nLABEL linux\n  LINUX vmlinuz\n  INITRD initrd.gz\n  APPEND console=ttyS0 rdinit=/init PS1="1 > "\n' >"$tmp/lx.cfg"
sh "$here/make_syslinux_disk.sh" "$out" 32 "$tmp/lx.cfg" \
    "$(ls "$kdir"/boot/vmlinuz-* | head -n 1):vmlinuz" "$tmp/initrd.gz:initrd.gz"
