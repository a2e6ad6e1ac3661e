#!/bin/sh
# ARM Linux user mode against qemu-arm-static (tests/bench/linux_user.sh).
exec sh tests/bench/linux_user.sh arm
