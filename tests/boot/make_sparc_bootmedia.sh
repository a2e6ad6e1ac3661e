#!/bin/sh
# Builds the SPARCstation 5 boot media of tests/boot/sparc_bootmedia.sh in directory $1:
#   boot.aout  tests/boot/sparc_bootblock.c (gcc-sparc64-linux-gnu -m32 -mcpu=v8, freestanding,
#              linked at 0x4000) behind a 32-byte a.out OMAGIC header (entry 0x4000);
#   disk.img   1 MiB: a Sun disk label in sector 0 (magic 0xDABE at 508, checksum at 510 = XOR
#              of the other 16-bit words; partition a = the whole disk) and the a.out at sectors
#              1-15, where OpenBIOS's a.out loader looks (offsets 0..7.5 KiB of partition a);
#   boot.iso   an ISO 9660 image (genisoimage -G) whose system area holds the same 8 KiB.
# Exits 1 with a message on stderr when a tool is missing.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=$1
cc=${SPARC_CC:-sparc64-linux-gnu-gcc}
objcopy=${SPARC_OBJCOPY:-sparc64-linux-gnu-objcopy}
for tool in "$cc" "$objcopy" genisoimage python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
"$cc" -m32 -mcpu=v8 -static -nostdlib -ffreestanding -fno-pic -no-pie -O2 -Wall -Werror \
    -Wl,--build-id=none -Wl,-Ttext=0x4000 -Wl,-e,start -o "$out/boot.elf" "$here/sparc_bootblock.c"
"$objcopy" -O binary "$out/boot.elf" "$out/boot.bin"
python3 - "$out" <<'PY'
import os, struct, sys
out = sys.argv[1]
code = open(os.path.join(out, "boot.bin"), "rb").read()
# a.out header: a_info (SPARC, OMAGIC), text, data, bss, syms, entry, trsize, drsize
aout = struct.pack(">8I", 0x01030107, len(code), 0, 0, 0, 0x4000, 0, 0) + code
assert len(aout) <= 15 * 512, "boot program larger than sectors 1-15"
open(os.path.join(out, "boot.aout"), "wb").write(aout)
sectors, heads, spt = 2048, 1, 32          # 1 MiB as 64 cylinders of 1 head x 32 sectors
label = bytearray(512)
label[0:40] = b"VITRINE boot test cyl 64 alt 0 hd 1 sec 32".ljust(40)[:40]
struct.pack_into(">HH", label, 142 + 0 * 4, 0x02, 0)   # partition a: id 2 (root)
struct.pack_into(">H", label, 420, 3600)                 # rpm
struct.pack_into(">H", label, 422, 64)                   # physical cylinders
struct.pack_into(">H", label, 430, 1)                    # interleave
struct.pack_into(">H", label, 432, 64)                   # data cylinders
struct.pack_into(">H", label, 434, 0)                    # alternate cylinders
struct.pack_into(">H", label, 436, heads)                # tracks per cylinder
struct.pack_into(">H", label, 438, spt)                  # sectors per track
struct.pack_into(">II", label, 444 + 0 * 8, 0, sectors)  # partition a: cylinder 0, all sectors
struct.pack_into(">H", label, 508, 0xDABE)
csum = 0
for i in range(0, 510, 2):
    csum ^= struct.unpack_from(">H", label, i)[0]
struct.pack_into(">H", label, 510, csum)
area = bytes(label) + aout.ljust(15 * 512, b"\0")
open(os.path.join(out, "bootarea.bin"), "wb").write(area)
open(os.path.join(out, "disk.img"), "wb").write(area.ljust(sectors * 512, b"\0"))
PY
mkdir -p "$out/iso"
echo "Vitrine SS-5 boot test" >"$out/iso/README.TXT"
genisoimage -quiet -G "$out/bootarea.bin" -V VITRINE_BOOT -o "$out/boot.iso" "$out/iso"
