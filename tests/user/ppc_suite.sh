#!/bin/sh
# PowerPC Linux user mode: the programs of tests/user/ppc/ under `vitrine user ppc`, compared
# with qemu-ppc-static -cpu 750 (and the host or Linux's values where QEMU cannot be the
# oracle): see qemu_suite.sh. TAP with its plan first; non-zero exit on a failure.
exec sh "$(dirname "$0")/qemu_suite.sh" ppc
