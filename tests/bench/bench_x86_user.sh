#!/bin/sh
# i386 Linux user mode against qemu-i386-static (tests/bench/linux_user.sh).
exec sh tests/bench/linux_user.sh i386
