#!/bin/sh
# Debian's i686 Linux on pc-i440fx (suite tests/pc-linux): direct kernel boot (--kernel/--initrd/
# --append through fw_cfg and QEMU's linuxboot_dma option ROM run by SeaBIOS) of Debian 12's
# 686 kernel (package and SHA-256 pinned in linux_kernel.sha256) with the busybox initramfs of
# tests/scripts/make_busybox_initramfs.sh, console on COM1; the lines of linux_shell.txt are
# typed at the shell's prompts (PS1 "1 > " from the command line) and the transcript must equal
# QEMU's (qemu_linux_shell.txt, recorded by record_qemu_linux.sh from `qemu-system-i386 -M pc
# -m 64 -cpu pentium2`). The same boot: nothing unimplemented, the P6 PMU and the PS/2 keyboard
# found. Determinism: a second run cut short at 20 s emulated has the first's serial output and
# state hash at that time. Bounded by emulated time; the sanitizer build boots once and stops at
# 21 s emulated.
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
. tests/scripts/tap.sh
tap_plan 10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
append='console=ttyS0,115200 PS1="1 > "'

names="a non-bzImage --kernel is refused|boot exits 0|user-space marker reached|shell transcript equals QEMU's|nothing unimplemented during the boot|perf finds the P6 PMU|atkbd finds the PS/2 keyboard|kernel unpacks the initrd the loader placed|determinism: identical serial output|determinism: identical state hash"
skip_all() {
    echo "$names" | tr '|' '\n' | while read -r n; do echo "ok - pc linux: $n # SKIP $1"; done
    TAP_COUNT=$((TAP_COUNT + 10))
}

pkgspec=$(cut -d' ' -f3 "$here/linux_kernel.sha256")
vmlinuz=$(cut -d' ' -f5 "$here/linux_kernel.sha256")
pkg=$(sh tests/scripts/fetch_deb.sh "$pkgspec" 2>/dev/null)
bios=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)
initrd=$(sh tests/scripts/make_busybox_initramfs.sh i386 2>"$work/err")
if [ ! -f "$pkg/$vmlinuz" ] || [ ! -f "$bios/usr/share/seabios/bios.bin" ] ||
    [ ! -f "$qdata/usr/share/qemu/linuxboot_dma.bin" ] || [ ! -f "$initrd" ]; then
    skip_all "Debian packages ($pkgspec, seabios, qemu-system-data, busybox-static:i386) not available"
    tap_done
fi
if [ "$(sha256sum <"$pkg/$vmlinuz" | cut -d' ' -f1)" != "$(cut -d' ' -f1 "$here/linux_kernel.sha256")" ]; then
    skip_all "$vmlinuz does not match linux_kernel.sha256"
    tap_done
fi
roms="$work/roms"
mkdir -p "$roms/seabios" "$roms/linuxboot"
cp "$bios/usr/share/seabios/bios.bin" "$bios/usr/share/seabios/vgabios-stdvga.bin" "$roms/seabios/"
cp "$qdata/usr/share/qemu/linuxboot_dma.bin" "$roms/linuxboot/"
# bad input: a file that is not a bzImage is refused before anything runs, naming it
printf 'not a kernel' >"$work/bad"
"$VITRINE" run pc-i440fx --rom-path "$roms" --kernel "$work/bad" --until 1ms >/dev/null 2>"$work/err"
rc=$?
if [ $rc = 2 ] && grep -q "$work/bad: no Linux x86 boot header" "$work/err"; then
    ok "pc linux: a non-bzImage --kernel is refused (status 2, names the file)"
else
    TAP_LOG="$work/err" nok "pc linux: a non-bzImage --kernel is refused (status $rc)"
fi

script="$here/linux_shell.txt"
short=""
case "$BUILD" in *san*) short=1; script="$work/empty.txt"; : >"$script" ;; esac

# One whole boot and shell session checks the transcript, the logs and the state hash at a fixed
# emulated time; determinism is a second run cut short just after that time, whose serial output
# must be a prefix of the first and whose hash at that time must be the same. Under the
# sanitizers: one boot cut at 21 s emulated (the kernel has found the PMU and the keyboard and
# unpacked the initramfs; user space comes at ~45 s).
at=20s
boot() { # boot N UNTIL
    "$VITRINE" run pc-i440fx --rom-path "$roms" --until "$2" --speed max --log unimp \
        --state-hash-at $at --serial "script:$script" --kernel "$pkg/$vmlinuz" --initrd "$initrd" \
        --append "$append" >"$work/out$1" 2>"$work/err$1"
    echo "rc=$?" >>"$work/err$1"
    sed -n "s/^vitrine: state-hash at $at: //p" "$work/err$1" >"$work/hash$1"
    tr -d '\r' <"$work/out$1" >"$work/console$1"
}
if [ -n "$short" ]; then
    boot 1 21s # past the PMU, initramfs and keyboard lines, before user space
else
    boot 1 200s
    boot 2 20001ms
fi
cp "$work/err1" "$work/err"
cp "$work/console1" "$work/console"
if grep -q '^rc=0$' "$work/err"; then ok "pc linux: boot exits 0"; else
    TAP_LOG="$work/err" nok "pc linux: boot exits 0"
fi
if [ -n "$short" ]; then
    skip "pc linux: user-space marker reached" "sanitizer build stops at 21 s"
elif grep -q '^vitrine: user space reached$' "$work/console"; then ok "pc linux: user-space marker reached"; else
    tail -5 "$work/console" >"$work/tail"
    TAP_LOG="$work/tail" nok "pc linux: user-space marker reached"
fi
# from the first prompt on, without terminal control sequences, ending in a newline
sed -n '/^vitrine: user space reached$/,$p' "$work/console" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' |
    sed -n '/^1 > /,$p' | sed '$a\' >"$work/shell"
if [ -n "$short" ]; then
    skip "pc linux: shell transcript equals QEMU's" "sanitizer build stops at 21 s"
elif cmp -s "$work/shell" "$here/qemu_linux_shell.txt"; then
    ok "pc linux: shell transcript equals QEMU's"
else
    diff "$here/qemu_linux_shell.txt" "$work/shell" >"$work/diff"
    TAP_LOG="$work/diff" nok "pc linux: shell transcript equals QEMU's"
fi
# nothing unimplemented during the whole boot (the P6 performance counters the PMU driver
# probes are modelled: x86_pmu.c)
if grep "unimplemented" "$work/err" >"$work/unimp"; then
    TAP_LOG="$work/unimp" nok "pc linux: nothing unimplemented during the boot"
else
    ok "pc linux: nothing unimplemented during the boot"
fi
# the kernel finds the P6 PMU and the 8042's keyboard (QEMU's log has the keyboard line too)
if grep -q 'p6 PMU driver' "$work/console"; then ok "pc linux: perf finds the P6 PMU"; else
    nok "pc linux: perf finds the P6 PMU"
fi
if grep -q '^\[ *[0-9.]*\] input: AT Translated Set 2 keyboard as /devices/platform/i8042/serio0/input/input0$' \
    "$work/console"; then
    ok "pc linux: atkbd finds the PS/2 keyboard"
else
    grep -i 'i8042\|serio\|atkbd' "$work/console" >"$work/kbd"
    TAP_LOG="$work/kbd" nok "pc linux: atkbd finds the PS/2 keyboard"
fi
# the initrd placed by the loader below the top of RAM, unpacked by the kernel
if grep -q '^\[ *[0-9.]*\] Freeing initrd memory: [0-9]*K$' "$work/console"; then
    ok "pc linux: kernel unpacks the initrd the loader placed"
else
    nok "pc linux: kernel unpacks the initrd the loader placed"
fi
if [ -n "$short" ]; then
    skip "pc linux: determinism: identical serial output" "sanitizer build boots once"
    skip "pc linux: determinism: identical state hash" "sanitizer build boots once"
else
    if [ -s "$work/console2" ] &&
        head -c "$(wc -c <"$work/console2")" "$work/console1" | cmp -s - "$work/console2"; then
        ok "pc linux: determinism: identical serial output up to $at"
    else
        nok "pc linux: determinism: identical serial output up to $at"
    fi
    if [ -s "$work/hash1" ] && cmp -s "$work/hash1" "$work/hash2"; then
        ok "pc linux: determinism: identical state hash at $at"
    else
        nok "pc linux: determinism: identical state hash at $at"
    fi
fi
tap_done
