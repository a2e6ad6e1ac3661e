#!/bin/sh
# `make bench`: runs every tests/bench/bench_*.sh; each prints its medians and Vitrine/QEMU
# ratios. No thresholds: benchmarks report, tests assert.
for b in tests/bench/bench_*.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b" .sh)"
    sh "$b" || echo "benchmark $b failed (status $?)"
done
