#!/bin/sh
# Runs every test suite and ends with one line "N passed, N failed".
#  - tests/unit/test_*.c: cmocka binaries, run with TAP output
#  - tests/<suite>/run.sh: integration suites (user, cpu, boot, img, ...) that print TAP
#    lines ("ok - name" / "not ok - name") themselves
# Each suite's full output is kept in $BUILD/test-logs/; failures are shown.
BUILD=${BUILD:-build}
export BUILD
export VITRINE="$PWD/$BUILD/vitrine"
export VITRINE_CACHE="${VITRINE_CACHE:-$PWD/cache}"
logs="$BUILD/test-logs"
mkdir -p "$logs"
pass=0
fail=0

count() { # $1 = log file, $2 = suite name
    p=$(grep -cE '^ok ' "$1")
    f=$(grep -cE '^not ok ' "$1")
    pass=$((pass + p))
    fail=$((fail + f))
    echo "$2: $p passed, $f failed"
    if [ "$f" -gt 0 ]; then
        grep -E '^not ok |^# ' "$1" | head -40 | sed 's/^/    /'
    fi
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$logs/$name.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -qE '^not ok ' "$logs/$name.log"; then
        echo "not ok - $name exited with status $rc" >> "$logs/$name.log"
    fi
    count "$logs/$name.log" "unit/$name"
done

for s in tests/*/run.sh; do
    suite=$(basename "$(dirname "$s")")
    [ "$suite" = bench ] && continue
    sh "$s" > "$logs/$suite.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -qE '^not ok ' "$logs/$suite.log"; then
        echo "not ok - suite $suite exited with status $rc" >> "$logs/$suite.log"
    fi
    count "$logs/$suite.log" "$suite"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
