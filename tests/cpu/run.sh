#!/bin/sh
# Instruction-level CPU suites: runs every tests/cpu/<isa>/check.sh. Each prints TAP lines and its
# own plan line; the runner checks the sum of the plans, and this script fails when one of them does.
cd "$(dirname "$0")/../.." || exit 1
rc=0
for c in tests/cpu/*/check.sh; do
    [ -f "$c" ] || continue
    sh "$c" || { echo "# $c exited with status $?"; rc=1; }
done
exit $rc
