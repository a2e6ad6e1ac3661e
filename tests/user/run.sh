#!/bin/sh
# Linux user-mode suite: Debian's static busybox and dynamically linked coreutils for each
# ABI, compared byte for byte (stdout, stderr, exit status) with an oracle. ARM EABI:
# qemu-arm-static; i386: the host CPU runs the static busybox natively, qemu-i386-static -L
# runs the dynamic programs.
cd "$(dirname "$0")/../.." || exit 1
sh tests/user/busybox_suite.sh arm
sh tests/user/dynamic_suite.sh arm
sh tests/user/busybox_suite.sh i386
sh tests/user/dynamic_suite.sh i386
