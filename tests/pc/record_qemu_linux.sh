#!/bin/sh
# Records tests/pc/qemu_linux_shell.txt: the shell transcript of tests/pc/linux.sh from QEMU's
# `pc` (qemu-system-i386 7.2, -m 64 -cpu pentium2, no VGA) with the same kernel, initramfs and
# command line: each line of linux_shell.txt is typed once the output ends in the "1 > " prompt
# (polled in wall time, which only paces QEMU's input); the last line ("1 > ") gets a newline,
# as the suite's transcript has one after it. Needs qemu-system-x86.
set -e
here=$(dirname "$0")
pkg=$(sh tests/scripts/fetch_deb.sh "$(cut -d' ' -f3 "$here/linux_kernel.sha256")")
kernel="$pkg/$(cut -d' ' -f5 "$here/linux_kernel.sha256")"
initrd=$(sh tests/scripts/make_busybox_initramfs.sh i386)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/in"
qemu-system-i386 -M pc -m 64 -cpu pentium2 -vga none -display none -net none -monitor none \
    -serial stdio -no-reboot -kernel "$kernel" -initrd "$initrd" \
    -append 'console=ttyS0,115200 PS1="1 > "' <"$work/in" >"$work/out" 2>"$work/err" &
qemu=$!
exec 3>"$work/in"
prompts() { tr -d '\r' <"$work/out" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -c '^1 > ' || true; }
n=0
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    t=0
    while [ "$(prompts)" -lt "$n" ] && [ $t -lt 600 ]; do sleep 0.2; t=$((t + 1)); done
    sleep 0.5
    printf '%s\r' "$line" >&3
done <"$here/linux_shell.txt"
t=0
while [ "$(prompts)" -le "$n" ] && [ $t -lt 100 ]; do sleep 0.2; t=$((t + 1)); done
kill "$qemu"
tr -d '\r' <"$work/out" | sed -n '/^vitrine: user space reached$/,$p' |
    sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | sed -n '/^1 > /,$p' | sed '$a\' >"$here/qemu_linux_shell.txt"
