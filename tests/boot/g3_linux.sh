#!/bin/sh
# Linux on the Power Macintosh G3 (called by tests/boot/g3.sh with the ROM directory as $1;
# `g3_linux.sh --count` prints how many TAP lines it adds). Boots the fixture kernel
# ../shared/fixtures/ppc/g3-vmlinux (or $VITRINE_FIXTURES/ppc/g3-vmlinux) directly
# (--kernel/--initrd/--append through fw_cfg, as QEMU's g3beige) with the freestanding /init of
# linux_init.c (make_initramfs.sh ppc) on console=ttyPZ0 (pmac_zilog on the ESCC), types the
# lines of g3_linux.txt at its "N > " prompts and checks the answers; the last line powers the
# machine off through CUDA, which must end the run with status 0. Also checks the kernel's
# view of CUDA (ADB keyboard and mouse, RTC) and that no unimplemented instruction was logged; boots
# twice for determinism. A 64 MiB qcow2 disk (--disk, --snapshot) on the mac-io ATA channel must
# appear as sda with its size, a sector the guest writes (DBDMA) must read back after the guest
# drops its cache, and the base must stay byte-identical; a 64 KiB disc image (--cdrom) in the
# ATAPI drive on the second channel must appear as sr0 and read back its block 16. Under the sanitizer build (BUILD=build-san) the boot stops at the
# first prompt, right after the init marker. Runs are bounded by emulated time (--until).
names="a missing --kernel file is refused (status 2, names the file)|boot exits 0|init marker reached|kernel reads the CUDA clock|ADB keyboard found through CUDA|ADB mouse found through CUDA|no unimplemented instruction during the Linux boot|typed lines come back|guest power-off ends the run|64 MiB qcow2 disk listed as sda (mac-io ATA)|guest disk write reads back (DBDMA)|disk base unchanged under --snapshot|ATAPI CD-ROM drive found (sr0)|guest reads the CD-ROM (ATAPI)|determinism: identical serial output|determinism: identical state hash"
if [ "$1" = "--count" ]; then
    echo "$names" | tr '|' '\n' | wc -l
    exit 0
fi
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
roms=$1
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/ppc/g3-vmlinux"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$VITRINE" run powermac-g3 --rom-path "$roms" --kernel "$work/missing-vmlinux" --until 1ms \
    >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "missing-vmlinux" "$work/err"; then
    echo "ok - g3 linux: a missing --kernel file is refused (status 2, names the file)"
else
    echo "not ok - g3 linux: a missing --kernel file is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi
skip_all() {
    echo "$names" | tr '|' '\n' | tail -n +2 | while read -r n; do
        echo "ok - g3 linux: $n # SKIP $1"
    done
}
if [ ! -f "$kernel" ]; then
    skip_all "fixture missing: $kernel"
    exit 0
fi
if ! initrd=$(sh "$here/make_initramfs.sh" ppc 2>"$work/err"); then
    skip_all "$(cat "$work/err")"
    exit 0
fi
"$VITRINE" img create -f qcow2 "$work/disk.qcow2" 64M >/dev/null
cksum <"$work/disk.qcow2" >"$work/disk.before"
dd if=/dev/zero of="$work/disc.iso" bs=2048 count=32 2>/dev/null
printf 'VITRINE-ATAPI-READ-TEST' | dd of="$work/disc.iso" bs=2048 seek=16 conv=notrunc 2>/dev/null
script="$here/g3_linux.txt"
short=""
case "$BUILD" in *san*) short=1; script="$work/empty.txt"; : >"$script" ;; esac
for i in 1 2; do
    "$VITRINE" run powermac-g3 --rom-path "$roms" --until 60s --speed max --state-hash \
        --log unimp --serial "script:$script" --kernel "$kernel" --initrd "$initrd" \
        --disk "$work/disk.qcow2" --snapshot --cdrom "$work/disc.iso" \
        --append "console=ttyPZ0 rdinit=/init" >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    grep -o 'state-hash [0-9a-f]*' "$work/out$i" >"$work/hash$i"
    sed 's/state-hash [0-9a-f]*$//' "$work/out$i" | tr -d '\r' >"$work/console$i"
done
check() { # check NAME COMMAND...: one TAP line, the console tail as diagnostics on failure
    name=$1
    shift
    if "$@"; then
        echo "ok - g3 linux: $name"
    else
        echo "not ok - g3 linux: $name"
        tail -5 "$work/console1" | sed 's/^/# /'
    fi
}
skip_short() { echo "ok - g3 linux: $1 # SKIP sanitizer build stops at the marker"; }
check "boot exits 0" grep -q '^rc=0$' "$work/err1"
check "init marker reached" grep -q '^VITRINE-INIT-OK: user space reached$' "$work/console1"
# CUDA keeps seconds since 1904; the profile's clock starts at 2000-01-01
check "kernel reads the CUDA clock" \
    grep -q '^rtc-generic rtc-generic: setting system clock to 2000-01-01T00:00:' "$work/console1"
check "ADB keyboard found through CUDA" \
    grep -q '^input: ADB keyboard as /devices/virtual/input/input0$' "$work/console1"
check "ADB mouse found through CUDA" \
    grep -q '^input: ADB mouse as /devices/virtual/input/input1$' "$work/console1"
check "no unimplemented instruction during the Linux boot" \
    sh -c "! grep -q unimplemented '$work/err1'"
if [ -n "$short" ]; then
    skip_short "typed lines come back"
    skip_short "guest power-off ends the run"
else
    missing=0
    while IFS= read -r line; do
        case "$line" in poweroff | diskwrite | diskread | cdread) continue ;; esac
        grep -qxF "got: $line" "$work/console1" || missing=$((missing + 1))
    done <"$script"
    check "typed lines come back" [ "$missing" = 0 ]
    check "guest power-off ends the run" grep -q '^reboot: Power down$' "$work/console1"
fi
check "64 MiB qcow2 disk listed as sda (mac-io ATA)" grep -q \
    '^sd 0:0:0:0: \[sda\] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)$' "$work/console1"
if [ -n "$short" ]; then
    skip_short "guest disk write reads back (DBDMA)"
else
    check "guest disk write reads back (DBDMA)" sh -c "grep -q '^disk: written$' '$work/console1' &&
        grep -q '^disk: VITRINE-SCSI-WRITE-TEST$' '$work/console1'"
fi
check "disk base unchanged under --snapshot" sh -c "cksum <'$work/disk.qcow2' | cmp -s - '$work/disk.before'"
check "ATAPI CD-ROM drive found (sr0)" grep -q '^ata2.00: ATAPI: VITRINE CD-ROM, 1.0, max UDMA/100$' \
    "$work/console1"
if [ -n "$short" ]; then
    skip_short "guest reads the CD-ROM (ATAPI)"
else
    check "guest reads the CD-ROM (ATAPI)" grep -q '^cd: VITRINE-ATAPI-READ-TEST\.\.\.\.\.\.\.\.\.$' \
        "$work/console1"
fi
check "determinism: identical serial output" cmp -s "$work/console1" "$work/console2"
check "determinism: identical state hash" sh -c "[ -s '$work/hash1' ] && cmp -s '$work/hash1' '$work/hash2'"
