#!/bin/sh
# Booting the SPARCstation 5 from its own media (called by tests/boot/run.sh with the ROM
# directory as $1; `--count` prints how many TAP lines it writes). make_sparc_bootmedia.sh
# builds a boot program (sparc_bootblock.c) into the a.out boot block of a Sun-labelled disk
# image and into the system area of an ISO; OpenBIOS must load and run it from `boot disk`
# (SCSI ID 0), `boot cdrom` (the CD-ROM at ID 2) and the power-on auto-boot from the disk and,
# with boot device d (QEMU's -boot d), from the CD; qemu-system-sparc -M SS-5 prints the same.
# The boot program prints a marker, the PROM vector's magic and the boot path through the PROM
# vector. Runs are bounded by emulated time (--until).
names="boot disk runs the boot block|boot disk: PROM vector and boot path sd@0,0|boot cdrom runs the ISO's boot code (sd@2,0)|power-on auto-boot from --disk|power-on auto-boot from --cdrom (boot_device=d)"
if [ "$1" = "--count" ]; then
    echo "$names" | tr '|' '\n' | wc -l
    exit 0
fi
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
roms=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! sh "$here/make_sparc_bootmedia.sh" "$work" 2>"$work/err"; then
    echo "$names" | tr '|' '\n' | while read -r n; do
        echo "ok - sparc boot media: $n # SKIP $(tail -1 "$work/err")"
    done
    exit 0
fi
run() { # OUT SCRIPT-LINE ARGS...: types one line at the first prompt
    out=$1 line=$2
    shift 2
    printf '%s\n' "$line" >"$work/script"
    "$VITRINE" run sparcstation5 --rom-path "$roms" --until 30s --speed max \
        --serial "script:$work/script" "$@" 2>"$work/$out.err" | tr -d '\r' >"$work/$out"
}
check() { # NAME FILE PATTERN...: every pattern (grep -x) must be in FILE
    name=$1 file=$2
    shift 2
    for p in "$@"; do
        if ! grep -qx "$p" "$work/$file"; then
            echo "not ok - sparc boot media: $name"
            tail -6 "$work/$file" | sed 's/^/# /'
            return
        fi
    done
    echo "ok - sparc boot media: $name"
}
marker='VITRINE-BOOTBLOCK: running from the boot block'
esp='/iommu@0,10000000/sbus@0,10001000/espdma@5,8400000/esp@5,8800000'
# boot-device cdrom with no disc: the auto-boot fails and the prompt takes `boot disk`
run disk "boot disk" --disk "$work/disk.img" --snapshot --set board.boot_device=d
check "boot disk runs the boot block" disk "0 > boot disk Not a bootable ELF image" "$marker"
check "boot disk: PROM vector and boot path sd@0,0" disk \
    'VITRINE-BOOTBLOCK: PROM magic 0x10010407' "VITRINE-BOOTBLOCK: boot path $esp/sd@0,0"
run cdrom "boot cdrom" --cdrom "$work/boot.iso"
check "boot cdrom runs the ISO's boot code (sd@2,0)" cdrom "0 > boot cdrom Not a bootable ELF image" \
    "$marker" "VITRINE-BOOTBLOCK: boot path $esp/sd@2,0"
run auto "" --disk "$work/disk.img" --snapshot
check "power-on auto-boot from --disk" auto 'Trying disk:a...' "$marker" \
    "VITRINE-BOOTBLOCK: boot path $esp/sd@0,0:a"
run autocd "" --cdrom "$work/boot.iso" --set board.boot_device=d
check "power-on auto-boot from --cdrom (boot_device=d)" autocd 'Trying cdrom:d...' "$marker" \
    "VITRINE-BOOTBLOCK: boot path $esp/sd@2,0"
