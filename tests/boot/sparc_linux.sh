#!/bin/sh
# Linux on the SPARCstation 5 (called by tests/boot/run.sh, which passes the ROM directory as $1
# and counts the LINUX_CHECKS TAP lines below in its plan). Boots the fixture kernel
# ../shared/fixtures/sparc/ss5-zImage (or $VITRINE_FIXTURES/sparc/ss5-zImage) directly
# (--kernel/--initrd/--append through fw_cfg) with the freestanding /init of linux_init.c,
# types the lines of sparc_linux.txt at its "N > " prompts and checks the answers, the last line
# ("poweroff") powering the machine off, which must end the run with status 0; a 64 MiB
# qcow2 disk at SCSI ID 0 (--disk, --snapshot) must appear as sda with its size, a sector the
# guest writes (ESP data-out) must read back from the disk after the guest drops its cache, and
# the base must stay byte-identical; with --net user (libslirp) and ip=dhcp the kernel's IP
# autoconfiguration must get 10.0.2.15 from the backend through the Lance, and an ICMP echo
# the guest sends to the gateway 10.0.2.2 must be answered; the Sun keyboard and mouse on the
# kbd/mouse ESCC must be found (sunkbd, sermouse); boots twice for determinism. Under the sanitizer build (BUILD=build-san) the boot stops at the first
# prompt, right after the init marker. Runs are bounded by emulated time (--until).
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
roms=$1
fixtures=${VITRINE_FIXTURES:-$(pwd)/../shared/fixtures}
[ -d "$(pwd)/../shared/fixtures" ] && fixtures="$(pwd)/../shared/fixtures"
kernel="$fixtures/sparc/ss5-zImage"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# bad input is refused with status 2 before anything runs (no fixture needed)
"$VITRINE" run sparcstation5 --rom-path "$roms" --kernel "$work/missing-zImage" --until 1ms \
    >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "missing-zImage" "$work/err"; then
    echo "ok - sparc linux: a missing --kernel file is refused (status 2, names the file)"
else
    echo "not ok - sparc linux: a missing --kernel file is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi
"$VITRINE" run sparcstation5 --rom-path "$roms" --initrd "$work/x" >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "need --kernel" "$work/err"; then
    echo "ok - sparc linux: --initrd without --kernel is a usage error"
else
    echo "not ok - sparc linux: --initrd without --kernel is a usage error (status $rc)"
fi

# a bad --net spec is refused with status 2, naming the option
"$VITRINE" run sparcstation5 --rom-path "$roms" --net user,hostfwd=tcp:0.0.0.0:2222-:22 \
    --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "127.0.0.1 only" "$work/err"; then
    echo "ok - sparc linux: --net hostfwd off loopback is refused (status 2)"
else
    echo "not ok - sparc linux: --net hostfwd off loopback is refused (status $rc)"
    sed 's/^/# /' "$work/err"
fi
# a --net no device takes (the Lance unplugged) is named in a warning; the run still works
"$VITRINE" run sparcstation5 --rom-path "$roms" --net user --set device.lance.net=none \
    --serial none --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 0 ] && grep -q "warning: --net user: no network device" "$work/err"; then
    echo "ok - sparc linux: an unused --net is warned about"
else
    echo "not ok - sparc linux: an unused --net is warned about (status $rc)"
    sed 's/^/# /' "$work/err"
fi

names="boot exits 0|init marker reached|kernel reads the NVRAM clock|typed lines come back|guest power-off ends the run|64 MiB qcow2 disk listed as sda|guest disk write reads back|disk base unchanged under --snapshot|determinism: identical serial output|determinism: identical state hash|Lance probed as eth0|ip=dhcp: address 10.0.2.15 from --net user|guest ping to 10.0.2.2 answered|Sun Type 5 keyboard and Sun mouse found"
skip_all() {
    echo "$names" | tr '|' '\n' | while read -r n; do echo "ok - sparc linux: $n # SKIP $1"; done
}
if [ ! -f "$kernel" ]; then
    skip_all "fixture missing: $kernel"
    exit 0
fi
if ! initrd=$(sh "$here/make_initramfs.sh" sparc 2>"$work/err"); then
    skip_all "$(cat "$work/err")"
    exit 0
fi
"$VITRINE" img create -f qcow2 "$work/disk.qcow2" 64M >/dev/null
cksum <"$work/disk.qcow2" >"$work/disk.before"
script="$here/sparc_linux.txt"
short=""
case "$BUILD" in *san*) short=1; script="$work/empty.txt"; : >"$script" ;; esac
for i in 1 2; do
    "$VITRINE" run sparcstation5 --rom-path "$roms" --until 120s --speed max --state-hash \
        --serial "script:$script" --kernel "$kernel" --initrd "$initrd" \
        --disk "$work/disk.qcow2" --snapshot --net user \
        --append "console=ttyS0 rdinit=/init ip=dhcp" >"$work/out$i" 2>"$work/err$i"
    echo "rc=$?" >>"$work/err$i"
    grep -o 'state-hash [0-9a-f]*' "$work/out$i" >"$work/hash$i"
    sed 's/state-hash [0-9a-f]*$//' "$work/out$i" | tr -d '\r' >"$work/console$i"
done
if grep -q '^rc=0$' "$work/err1"; then
    echo "ok - sparc linux: boot exits 0"
else
    echo "not ok - sparc linux: boot exits 0"
    tail -5 "$work/err1" | sed 's/^/# /'
fi
if grep -q '^VITRINE-INIT-OK: user space reached$' "$work/console1"; then
    echo "ok - sparc linux: init marker reached"
else
    echo "not ok - sparc linux: init marker reached"
    tail -5 "$work/console1" | sed 's/^/# /'
fi
# the M48T08 keeps years since 1968 (year_base): Linux must accept the profile's 2000-01-01
if grep -q '^rtc-m48t59 rtc-m48t59.0: setting system clock to 2000-01-01T00:00:' "$work/console1"; then
    echo "ok - sparc linux: kernel reads the NVRAM clock"
else
    echo "not ok - sparc linux: kernel reads the NVRAM clock"
    grep 'rtc' "$work/console1" | sed 's/^/# /'
fi
if [ -n "$short" ]; then
    echo "ok - sparc linux: typed lines come back # SKIP sanitizer build stops at the marker"
else
    missing=0
    while IFS= read -r line; do
        case "$line" in poweroff | diskwrite | diskread | ping) continue ;; esac
        grep -qxF "got: $line" "$work/console1" || missing=$((missing + 1))
    done <"$script"
    if [ $missing = 0 ]; then
        echo "ok - sparc linux: typed lines come back"
    else
        echo "not ok - sparc linux: typed lines come back ($missing missing)"
        tail -8 "$work/console1" | sed 's/^/# /'
    fi
fi
if [ -n "$short" ]; then
    echo "ok - sparc linux: guest power-off ends the run # SKIP sanitizer build stops at the marker"
elif grep -q '^rc=0$' "$work/err1" && grep -q '^reboot: Power down$' "$work/console1"; then
    echo "ok - sparc linux: guest power-off ends the run"
else
    echo "not ok - sparc linux: guest power-off ends the run"
fi
if grep -q '^sd 0:0:0:0: \[sda\] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)$' "$work/console1"; then
    echo "ok - sparc linux: 64 MiB qcow2 disk listed as sda"
else
    echo "not ok - sparc linux: 64 MiB qcow2 disk listed as sda"
    grep 'sda\|scsi' "$work/console1" | sed 's/^/# /'
fi
if [ -n "$short" ]; then
    echo "ok - sparc linux: guest disk write reads back # SKIP sanitizer build stops at the marker"
elif grep -q '^disk: written$' "$work/console1" &&
    grep -q '^disk: VITRINE-SCSI-WRITE-TEST$' "$work/console1"; then
    echo "ok - sparc linux: guest disk write reads back"
else
    echo "not ok - sparc linux: guest disk write reads back"
    grep '^disk:' "$work/console1" | sed 's/^/# /'
fi
if cksum <"$work/disk.qcow2" | cmp -s - "$work/disk.before"; then
    echo "ok - sparc linux: disk base unchanged under --snapshot"
else
    echo "not ok - sparc linux: disk base unchanged under --snapshot"
fi
if cmp -s "$work/console1" "$work/console2"; then
    echo "ok - sparc linux: determinism: identical serial output"
else
    echo "not ok - sparc linux: determinism: identical serial output"
fi
if [ -s "$work/hash1" ] && cmp -s "$work/hash1" "$work/hash2"; then
    echo "ok - sparc linux: determinism: identical state hash"
else
    echo "not ok - sparc linux: determinism: identical state hash"
fi
if grep -q '^eth0: LANCE 52:54:00:12:34:56$' "$work/console1"; then
    echo "ok - sparc linux: Lance probed as eth0"
else
    echo "not ok - sparc linux: Lance probed as eth0"
    grep -i 'lance\|eth0' "$work/console1" | sed 's/^/# /'
fi
if grep -q '^IP-Config: Got DHCP answer from 10.0.2.2, my address is 10.0.2.15$' "$work/console1"; then
    echo "ok - sparc linux: ip=dhcp: address 10.0.2.15 from --net user|guest ping to 10.0.2.2 answered"
else
    echo "not ok - sparc linux: ip=dhcp: address 10.0.2.15 from --net user|guest ping to 10.0.2.2 answered"
    grep 'IP-Config\|DHCP' "$work/console1" | sed 's/^/# /'
fi
if [ -n "$short" ]; then
    echo "ok - sparc linux: guest ping to 10.0.2.2 answered # SKIP sanitizer build stops at the marker"
elif grep -q '^ping: echo reply from 10.0.2.2 seq 1 payload VITRINE-PING$' "$work/console1"; then
    echo "ok - sparc linux: guest ping to 10.0.2.2 answered"
else
    echo "not ok - sparc linux: guest ping to 10.0.2.2 answered"
    grep '^ping:' "$work/console1" | sed 's/^/# /'
fi
# the Sun keyboard and mouse on the kbd/mouse ESCC (issue 15): sunkbd's reset and layout
# handshake names a Type 5, the mouse is bound to sermouse; probed after user space starts
if [ -n "$short" ]; then
    echo "ok - sparc linux: Sun Type 5 keyboard and Sun mouse found # SKIP sanitizer build stops at the marker"
elif grep -q 'input: Sun Type 5 keyboard as ' "$work/console1" &&
    grep -q 'input: Sun Mouse as ' "$work/console1"; then
    echo "ok - sparc linux: Sun Type 5 keyboard and Sun mouse found"
else
    echo "not ok - sparc linux: Sun Type 5 keyboard and Sun mouse found"
    grep -i 'input:\|keyboard\|mouse' "$work/console1" | sed 's/^/# /'
fi
