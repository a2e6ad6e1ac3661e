#!/bin/sh
# Linux user-mode suite: Debian's static busybox and dynamically linked coreutils for each
# ABI, compared byte for byte (stdout, stderr, exit status) with an oracle. ARM EABI:
# qemu-arm-static.
cd "$(dirname "$0")/../.." || exit 1
sh tests/user/busybox_suite.sh arm
sh tests/user/dynamic_suite.sh arm
