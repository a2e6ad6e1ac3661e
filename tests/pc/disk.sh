#!/bin/sh
# PC disk suite: the pc-i440fx machine with an ATA disk on the PIIX3's primary channel.
#  - A raw disk built by make_syslinux_disk.sh (mbr.bin + FAT16 + SYSLINUX, `SERIAL 0 115200`)
#    holding Debian's memtest86+ (memtest86+ia32.bin, booted with the LINUX directive and
#    console=ttyS0): SeaBIOS finds the disk, boots it through INT 13h, SYSLINUX's banner and
#    memtest86+'s screen appear on COM1 and a memory test runs; the serial output up to
#    "Loading memtest.bin" equals QEMU's (qemu_syslinux_serial.txt: qemu-system-i386 7.2 -M pc
#    -m 64 -vga none -nographic, same bios.bin and disk). Determinism: a second run cut short
#    at 1 s has the same serial output and state hash at 1 s. The same disk as qcow2 boots to
#    SYSLINUX loading memtest86+.
#  - An El Torito CD (genisoimage, ISOLINUX, the same memtest86+) from the ATAPI CD-ROM drive
#    (`--cdrom`) with the VGA on (--display none): SeaBIOS finds and boots it, ISOLINUX starts
#    memtest86+, whose VGA text screen (--screen-text) shows its banner and a running test.
#  - A boot sector (int13_write.S) that writes itself to LBA 100 through INT 13h and reads it
#    back: under --snapshot the base (raw or qcow2) stays byte-identical; without it the sector
#    lands in the image and a guest-written qcow2 passes `qemu-img check`.
#  - Debian's i686 kernel + the busybox initramfs from the same kind of disk
#    (make_linux_disk.sh: SYSLINUX's LINUX and INITRD, ata_piix and sd_mod from an appended
#    cpio), booted once: user space with /dev/sda and sda1, the sd driver's lines equal QEMU's
#    (qemu_linux_disk.txt), the lines of linux_disk_shell.txt typed at the shell get QEMU's
#    answers (qemu_linux_disk_shell.txt, record_qemu_linux_disk.sh: QEMU 7.2 -M pc -m 64 -cpu
#    pentium2, same disk), and nothing is unimplemented.
# Runs are bounded by emulated time (--until); the sanitizer build skips the Linux boot (the
# kernel's boot under the sanitizers is tests/pc-linux's).
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
. tests/scripts/tap.sh
tap_plan 28
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pkg=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)
[ -f "$pkg/usr/share/seabios/bios.bin" ] || tap_bail "pc disk: Debian's seabios package not available"
roms="$work/roms"
mkdir -p "$roms/seabios"
cp "$pkg/usr/share/seabios/bios.bin" "$pkg/usr/share/seabios/vgabios-stdvga.bin" "$roms/seabios/"

run() { # run NAME UNTIL [options]: serial in NAME.out (CR removed), stderr in NAME.err;
    # $serial (default stdio) is the serial0 spec
    name=$1 until=$2
    shift 2
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until "$until" --speed max \
        --serial "${serial:-stdio}" --log bios "$@" >"$work/$name.raw" 2>"$work/$name.err"
    echo "rc=$?" >>"$work/$name.err"
    tr -d '\r' <"$work/$name.raw" >"$work/$name.out"
}
check() { # check NAME PATTERN FILE: ok when the extended regex matches a line of FILE
    if grep -aEq "$2" "$3"; then ok "pc disk: $1"; else TAP_LOG="$3" nok "pc disk: $1"; fi
}
same() { # same NAME A B
    if cmp -s "$2" "$3"; then ok "pc disk: $1"; else nok "pc disk: $1"; fi
}

# --- SYSLINUX + memtest86+ ---------------------------------------------------------------
mt=$(sh tests/scripts/fetch_deb.sh memtest86+ 2>"$work/fetch.err")
mt_names="SeaBIOS finds the ATA disk|booting from hard disk|SYSLINUX banner on ttyS0|serial up to 'Loading memtest.bin' equals QEMU's|memtest86+ banner on ttyS0|memtest86+ runs a test|no unimplemented instruction or feature|raw base unchanged under --snapshot|two boots give identical serial output and state hash at 1 s|qcow2 disk boots SYSLINUX, which loads memtest86+|qcow2 disk passes qemu-img check after the boot"
printf 'SERIAL 0 115200\nPROMPT 0\nTIMEOUT 1\nDEFAULT memtest\nLABEL memtest\n  LINUX memtest.bin\n  APPEND console=ttyS0,115200\n' >"$work/mt.cfg"
if [ ! -f "$mt/boot/memtest86+ia32.bin" ]; then
    echo "$mt_names" | tr '|' '\n' | while read -r n; do echo "ok - pc disk: $n # SKIP memtest86+ not available"; done
    TAP_COUNT=$((TAP_COUNT + 11))
elif ! sh "$here/make_syslinux_disk.sh" "$work/mt.img" 32 "$work/mt.cfg" \
    "$mt/boot/memtest86+ia32.bin:memtest.bin" >"$work/mk.err" 2>&1; then
    reason=$(tail -n 1 "$work/mk.err")
    echo "$mt_names" | tr '|' '\n' | while read -r n; do echo "ok - pc disk: $n # SKIP $reason"; done
    TAP_COUNT=$((TAP_COUNT + 11))
else
    cksum <"$work/mt.img" >"$work/mt.before"
    # memtest86+ runs test #0 at about 3 s; determinism: a second run cut short at 1 s
    run mt1 3500ms --disk "$work/mt.img" --snapshot --state-hash-at 1s
    case "$BUILD" in *san*) ;; *) run mt2 1001ms --disk "$work/mt.img" --snapshot --state-hash-at 1s ;; esac
    check "SeaBIOS finds the ATA disk" '^\[bios\] debugcon: ata0-0: VITRINE HARDDISK ATA-6 Hard-Disk \(32 MiBytes\)' "$work/mt1.err"
    check "booting from hard disk" '^Booting from Hard Disk\.\.\.$' "$work/mt1.out"
    check "SYSLINUX banner on ttyS0" '^SYSLINUX 6\.[0-9]+ EDD [0-9]+ Copyright' "$work/mt1.out"
    head -n "$(wc -l <"$here/qemu_syslinux_serial.txt")" "$work/mt1.out" >"$work/mt1.head"
    same "serial up to 'Loading memtest.bin' equals QEMU's" "$work/mt1.head" "$here/qemu_syslinux_serial.txt"
    check "memtest86+ banner on ttyS0" 'Memtest86\+ v6\.[0-9]+' "$work/mt1.out"
    check "memtest86+ runs a test" '#0  \[Address test, walking ones' "$work/mt1.out"
    if grep -q unimplemented "$work/mt1.err"; then
        TAP_LOG="$work/mt1.err" nok "pc disk: no unimplemented instruction or feature"
    else
        ok "pc disk: no unimplemented instruction or feature"
    fi
    cksum <"$work/mt.img" >"$work/mt.after"
    same "raw base unchanged under --snapshot" "$work/mt.before" "$work/mt.after"
    if [ -f "$work/mt2.raw" ]; then
        sed -n 's/^vitrine: state-hash at 1s: //p' "$work/mt1.err" >"$work/mt1.hash"
        sed -n 's/^vitrine: state-hash at 1s: //p' "$work/mt2.err" >"$work/mt2.hash"
        if [ -s "$work/mt1.hash" ] && cmp -s "$work/mt1.hash" "$work/mt2.hash" && [ -s "$work/mt2.out" ] &&
            head -c "$(wc -c <"$work/mt2.out")" "$work/mt1.out" | cmp -s - "$work/mt2.out"; then
            ok "pc disk: two boots give identical serial output and state hash at 1 s"
        else
            nok "pc disk: two boots give identical serial output and state hash at 1 s"
        fi
    else
        skip "pc disk: two boots give identical serial output and state hash at 1 s" "sanitizer build: one boot only"
    fi
    # the qcow2 copy only to the boot loader: the same bytes through the qcow2 driver
    qemu-img convert -f raw -O qcow2 "$work/mt.img" "$work/mt.qcow2"
    run mtq 1s --disk "$work/mt.qcow2"
    if grep -aq '^SYSLINUX 6\.' "$work/mtq.out" && grep -aq '^Loading memtest\.bin\.\.\.' "$work/mtq.out"; then
        ok "pc disk: qcow2 disk boots SYSLINUX, which loads memtest86+"
    else
        TAP_LOG="$work/mtq.out" nok "pc disk: qcow2 disk boots SYSLINUX, which loads memtest86+"
    fi
    if qemu-img check -q "$work/mt.qcow2" >"$work/chk.log" 2>&1; then ok "pc disk: qcow2 disk passes qemu-img check after the boot"; else
        TAP_LOG="$work/chk.log" nok "pc disk: qcow2 disk passes qemu-img check after the boot"
    fi
fi

# --- El Torito from the ATAPI CD-ROM ---------------------------------------------------------
cd_names="SeaBIOS finds the ATAPI CD-ROM|booting from the CD|ISOLINUX banner and memtest86+ from the CD|memtest86+'s VGA text screen: banner and a running test"
iso=$(sh tests/scripts/fetch_deb.sh isolinux 2>/dev/null)/usr/lib/ISOLINUX/isolinux.bin
ldl=$(sh tests/scripts/fetch_deb.sh syslinux-common 2>/dev/null)/usr/lib/syslinux/modules/bios/ldlinux.c32
if ! command -v genisoimage >/dev/null || [ ! -f "$iso" ] || [ ! -f "$ldl" ] || [ ! -f "$mt/boot/memtest86+ia32.bin" ]; then
    echo "$cd_names" | tr '|' '\n' | while read -r n; do echo "ok - pc disk: $n # SKIP genisoimage, isolinux or memtest86+ missing"; done
    TAP_COUNT=$((TAP_COUNT + 4))
else
    mkdir -p "$work/iso"
    cp "$iso" "$ldl" "$work/iso/"
    cp "$mt/boot/memtest86+ia32.bin" "$work/iso/memtest.bin"
    cp "$work/mt.cfg" "$work/iso/isolinux.cfg"
    genisoimage -quiet -o "$work/cd.iso" -b isolinux.bin -c boot.cat -no-emul-boot \
        -boot-load-size 4 -boot-info-table -R "$work/iso"
    # with the VGA on (--display none): SeaBIOS's console is the screen, SYSLINUX and memtest86+
    # also write COM1; the text screen at the end is memtest86+'s
    run cd 4s --cdrom "$work/cd.iso" --display none --screen-text "$work/cd.screen"
    check "SeaBIOS finds the ATAPI CD-ROM" '^\[bios\] debugcon: DVD/CD \[ata1-0: VITRINE CD-ROM ATAPI-6 DVD/CD\]' "$work/cd.err"
    check "booting from the CD" '^\[bios\] debugcon: Booting from DVD/CD\.\.\.$' "$work/cd.err"
    if grep -aq '^ISOLINUX 6\.[0-9]* [0-9]* .*Copyright' "$work/cd.out" && grep -aq 'Address test, walking ones' "$work/cd.out"; then
        ok "pc disk: ISOLINUX banner and memtest86+ from the CD"
    else
        TAP_LOG="$work/cd.out" nok "pc disk: ISOLINUX banner and memtest86+ from the CD"
    fi
    if grep -q '^ *Memtest86+ v6\.[0-9]* *│ Pentium II' "$work/cd.screen" &&
        grep -q '│ Test #[0-9]  *\[[A-Z]' "$work/cd.screen" && grep -q 'Status: Testing' "$work/cd.screen"; then
        ok "pc disk: memtest86+'s VGA text screen: banner and a running test"
    else
        TAP_LOG="$work/cd.screen" nok "pc disk: memtest86+'s VGA text screen: banner and a running test"
    fi
fi

# --- guest writes through INT 13h ----------------------------------------------------------
as --32 -o "$work/w.o" "$here/int13_write.S" &&
    ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$work/w.bin" "$work/w.o" ||
    tap_bail "pc disk: int13_write.S does not assemble"
truncate -s 8M "$work/w.img"
dd if="$work/w.bin" of="$work/w.img" conv=notrunc status=none
qemu-img convert -f raw -O qcow2 "$work/w.img" "$work/w.qcow2"
cksum <"$work/w.img" >"$work/w.before"
cksum <"$work/w.qcow2" >"$work/wq.before"
sector100() { dd if="$1" bs=512 skip=100 count=1 status=none; }

run w1 1s --disk "$work/w.img" --snapshot
check "INT 13h write reads back (raw, --snapshot)" '^int13: write ok$' "$work/w1.out"
cksum <"$work/w.img" >"$work/w.after"
same "raw base byte-identical after a guest write under --snapshot" "$work/w.before" "$work/w.after"
run wq1 1s --disk "$work/w.qcow2" --snapshot
check "INT 13h write reads back (qcow2, --snapshot)" '^int13: write ok$' "$work/wq1.out"
cksum <"$work/w.qcow2" >"$work/wq.after"
same "qcow2 base byte-identical after a guest write under --snapshot" "$work/wq.before" "$work/wq.after"

run w2 1s --disk "$work/w.img"
sector100 "$work/w.img" >"$work/w.s100"
if grep -aq '^int13: write ok$' "$work/w2.out" && cmp -s "$work/w.s100" "$work/w.bin"; then
    ok "pc disk: guest write lands in the raw image"
else
    TAP_LOG="$work/w2.out" nok "pc disk: guest write lands in the raw image"
fi
run wq2 1s --disk "$work/w.qcow2"
if qemu-img check -q "$work/w.qcow2" >"$work/wchk.log" 2>&1; then ok "pc disk: qcow2 written by the guest passes qemu-img check"; else
    TAP_LOG="$work/wchk.log" nok "pc disk: qcow2 written by the guest passes qemu-img check"
fi
qemu-img convert -f qcow2 -O raw "$work/w.qcow2" "$work/wq.raw"
sector100 "$work/wq.raw" >"$work/wq.s100"
if grep -aq '^int13: write ok$' "$work/wq2.out" && cmp -s "$work/wq.s100" "$work/w.bin"; then
    ok "pc disk: guest write lands in the qcow2 image (read by qemu-img)"
else
    TAP_LOG="$work/wq2.out" nok "pc disk: guest write lands in the qcow2 image (read by qemu-img)"
fi

# --- Debian's i686 Linux from the disk ----------------------------------------------------
# The kernel package pckernel's --kernel test uses (override: VITRINE_PC_KERNEL_PKG); its
# ata_piix and sd_mod are modules, appended to the busybox initramfs as a second cpio.
kpkg=${VITRINE_PC_KERNEL_PKG:-linux-image-6.1.0-50-686-unsigned:i386}
lx_names="Linux from the disk reaches user space|ata_piix finds the ATA disk|the disk is /dev/sda with partition sda1|the sd driver's lines and the listing equal QEMU's|the shell's answers about the disk equal QEMU's|no unimplemented instruction or feature in the Linux boot"
lx_skip() {
    echo "$lx_names" | tr '|' '\n' | while read -r n; do echo "ok - pc disk: $n # SKIP $1"; done
    TAP_COUNT=$((TAP_COUNT + 6))
}
case "$BUILD" in *san*) san=1 ;; *) san= ;; esac
if [ -n "$san" ]; then
    lx_skip "sanitizer build: the kernel's boot is checked by tests/pc-linux"
elif ! kdir=$(sh tests/scripts/fetch_deb.sh "$kpkg" 2>"$work/kfetch.err") || ! ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1; then
    lx_skip "$kpkg not available"
elif ! sh "$here/make_linux_disk.sh" "$kdir" "$work/lx.img" >"$work/mk.err" 2>&1; then
    lx_skip "the Linux disk could not be built: $(tail -n 1 "$work/mk.err")"
else
    # the lines of linux_disk_shell.txt typed at the prompts; the run ends after the last one
    serial="script:$here/linux_disk_shell.txt" run lx 200s --disk "$work/lx.img" --snapshot --log unimp
    check "Linux from the disk reaches user space" '^vitrine: user space reached$' "$work/lx.out"
    check "ata_piix finds the ATA disk" 'ata1\.00: ATA-6: VITRINE HARDDISK' "$work/lx.out"
    check "the disk is /dev/sda with partition sda1" '^vitrine: partitions: sda sda1 $' "$work/lx.out"
    sed -n 's/^\[ *[0-9.]*\] //p; /^vitrine: /p' "$work/lx.out" |
        grep -aE '^(sd 0:0:0:0: \[sda\]| sda: |vitrine: )' >"$work/lx.sel"
    same "the sd driver's lines and the listing equal QEMU's" "$work/lx.sel" "$here/qemu_linux_disk.txt"
    sed -n '/^vitrine: user space reached$/,$p' "$work/lx.out" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' |
        sed -n '/^1 > /,$p' | sed '$a\' >"$work/lx.shell"
    if cmp -s "$work/lx.shell" "$here/qemu_linux_disk_shell.txt"; then
        ok "pc disk: the shell's answers about the disk equal QEMU's"
    else
        diff "$here/qemu_linux_disk_shell.txt" "$work/lx.shell" >"$work/lx.diff"
        TAP_LOG="$work/lx.diff" nok "pc disk: the shell's answers about the disk equal QEMU's"
    fi
    if grep unimplemented "$work/lx.err" >"$work/lx.unimp"; then
        TAP_LOG="$work/lx.unimp" nok "pc disk: no unimplemented instruction or feature in the Linux boot"
    else
        ok "pc disk: no unimplemented instruction or feature in the Linux boot"
    fi
fi
tap_done
