#!/bin/sh
# Fuzz smoke test inside `make test`: builds every libFuzzer harness (clang, ASan+UBSan) and runs
# each over its seed corpus plus a fixed number of mutations. Longer campaigns are run by hand:
#   make fuzz && build-fuzz/fuzz/fuzz_NAME -max_total_time=600 tests/fuzz/seeds/NAME
# The harnesses always carry ASan+UBSan, so the sanitizer pass of .ci/run (BUILD=build-san) gives
# them only a tenth of the mutations: the seeds still run, the long search ran in the normal pass.
case $BUILD in build-san) RUNS=${FUZZ_RUNS:-300} ;; *) RUNS=${FUZZ_RUNS:-3000} ;; esac
echo "1..$((1 + $(ls tests/fuzz/fuzz_*.c | wc -l)))"
if ! command -v clang >/dev/null 2>&1; then
    echo "not ok - clang is missing (make deps installs it)"
    exit 1
fi
if ! make -s --no-print-directory SAN=fuzz BUILD=build-fuzz fuzz-bins >"$BUILD/fuzz-build.log" 2>&1; then
    echo "not ok - fuzz harnesses build"
    sed 's/^/# /' "$BUILD/fuzz-build.log" | tail -20
    exit 1
fi
echo "ok - fuzz harnesses build"
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c | sed 's/^fuzz_//')
    bin="build-fuzz/fuzz/fuzz_$name"
    seeds="tests/fuzz/seeds/$name"
    work=$(mktemp -d)
    [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/
    if "$bin" -runs="$RUNS" -seed=1 -rss_limit_mb=4096 -max_len=4096 "$work" >"$work.log" 2>&1; then
        echo "ok - fuzz $name: $RUNS runs without a crash"
    else
        echo "not ok - fuzz $name crashed"
        grep -E 'ERROR|SUMMARY|#0|#1|#2' "$work.log" | head -20 | sed 's/^/# /'
    fi
    rm -rf "$work" "$work.log"
done
