#!/bin/sh
# Records qemu_linux_disk_shell.txt for tests/pc/disk.sh: QEMU's `pc` (-m 64 -cpu pentium2, no
# VGA, -snapshot) boots the Linux disk of make_linux_disk.sh through SeaBIOS and SYSLINUX; the
# lines of linux_disk_shell.txt are typed at the shell's prompts and the transcript from the
# first prompt on is kept (terminal control sequences removed). Needs qemu-system-x86.
set -e
here=$(dirname "$0")
kdir=$(sh tests/scripts/fetch_deb.sh "${VITRINE_PC_KERNEL_PKG:-linux-image-6.1.0-50-686-unsigned:i386}")
work=$(mktemp -d)
trap 'kill "$qemu" 2>/dev/null; rm -rf "$work"' EXIT
sh "$here/make_linux_disk.sh" "$kdir" "$work/lx.img"
mkfifo "$work/in"
qemu-system-i386 -M pc -m 64 -cpu pentium2 -vga none -display none -net none -monitor none \
    -serial stdio -no-reboot -snapshot -drive "file=$work/lx.img,format=raw,if=ide" \
    <"$work/in" >"$work/out" 2>"$work/err" &
qemu=$!
exec 3>"$work/in"
prompts() { tr -d '\r' <"$work/out" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -c '^1 > ' || true; }
n=0
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    t=0
    while [ "$(prompts)" -lt "$n" ] && [ $t -lt 600 ]; do
        # TCG's IO-APIC timer check can fail on a loaded host: record again then
        grep -q 'Kernel panic' "$work/out" && { echo "QEMU's kernel panicked; run again" >&2; exit 1; }
        sleep 0.2
        t=$((t + 1))
    done
    sleep 0.5
    printf '%s\r' "$line" >&3
done <"$here/linux_disk_shell.txt"
t=0
while [ "$(prompts)" -le "$n" ] && [ $t -lt 100 ]; do sleep 0.2; t=$((t + 1)); done
tr -d '\r' <"$work/out" | sed -n '/^vitrine: user space reached$/,$p' |
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | sed -n '/^1 > /,$p' | sed '$a\' >"$here/qemu_linux_disk_shell.txt"
