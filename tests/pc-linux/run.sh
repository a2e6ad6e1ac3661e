#!/bin/sh
# Suite wrapper: Debian's i686 Linux on pc-i440fx to a shell (tests/pc/linux.sh).
exec sh tests/pc/linux.sh
