#!/bin/sh
# Builds a raw PC hard-disk image that boots with Debian's SYSLINUX, without root or loop
# mounts: syslinux's mbr.bin plus one bootable FAT16 partition at 1 MiB (16 heads x 63 sectors
# CHS in the partition entry), formatted with mtools, `syslinux --install --offset` (the mtools
# installer), then syslinux.cfg and the given files copied in.
#   tests/pc/make_syslinux_disk.sh OUT.img SIZE_MIB SYSLINUX.CFG [FILE:NAME]...
# Needs mtools and python3 (tests/scripts/deps.sh); fetches syslinux and syslinux-common.
set -e
out=$1 size=$2 cfg=$3
[ -n "$out" ] && [ -n "$size" ] && [ -f "$cfg" ] || {
    echo "usage: make_syslinux_disk.sh OUT.img SIZE_MIB SYSLINUX.CFG [FILE:NAME]..." >&2
    exit 2
}
shift 3
for tool in mformat mcopy python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
sl=$(sh tests/scripts/fetch_deb.sh syslinux)
slc=$(sh tests/scripts/fetch_deb.sh syslinux-common)
mbr="$slc/usr/lib/syslinux/mbr/mbr.bin"
[ -x "$sl/usr/bin/syslinux" ] && [ -f "$mbr" ] || { echo "syslinux packages incomplete" >&2; exit 1; }
rm -f "$out"
truncate -s "${size}M" "$out"
dd if="$mbr" of="$out" conv=notrunc status=none
python3 - "$out" <<'EOF'
import struct, sys
# One active FAT16 (type 06h) partition from LBA 2048 to the end; CHS with 16 heads x 63.
path = sys.argv[1]
with open(path, "r+b") as f:
    f.seek(0, 2)
    total = f.tell() // 512
    def chs(lba):
        c, h, s = lba // (16 * 63), (lba // 63) % 16, lba % 63 + 1
        c = min(c, 1023)
        return bytes([h, s | ((c >> 2) & 0xC0), c & 0xFF])
    start, count = 2048, total - 2048
    entry = bytes([0x80]) + chs(start) + bytes([0x06]) + chs(start + count - 1)
    f.seek(446)
    f.write(entry + struct.pack("<II", start, count))
    f.seek(510)
    f.write(b"\x55\xaa")
EOF
part="$out@@1M"
sectors=$(( (size - 1) * 2048 ))
mformat -i "$part" -T "$sectors" -h 16 -s 63 -H 2048 -N 56495452 -v VITRINE ::
"$sl/usr/bin/syslinux" --install --offset 1048576 "$out"
mcopy -i "$part" "$cfg" ::syslinux.cfg
for f in "$@"; do
    mcopy -i "$part" "${f%%:*}" "::${f##*:}"
done
