#!/bin/sh
# Instruction-level CPU suites: runs every tests/cpu/<isa>/check.sh (each prints TAP lines).
cd "$(dirname "$0")/../.." || exit 1
for c in tests/cpu/*/check.sh; do
    [ -f "$c" ] || continue
    sh "$c"
done
exit 0
