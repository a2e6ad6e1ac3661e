#!/bin/sh
# Runs every test suite and ends with one line "N passed, N failed, N skipped".
#  - tests/unit/test_*.c: cmocka binaries, run with TAP output
#  - tests/<suite>/run.sh: integration suites (user, cpu, boot, img, ...) that print TAP lines
#    ("ok - name", "not ok - name", "ok - name # SKIP reason") and their plan ("1..N")
# A skip is never a pass and its reason is shown; a suite that exits non-zero, prints no plan or
# fewer results than planned (stopped part-way) counts as a failure (tests/scripts/tap_count.sh).
# Each suite's full output is kept in $BUILD/test-logs/; failures and skips are shown.
BUILD=${BUILD:-build}
export BUILD
export VITRINE="$PWD/$BUILD/vitrine"
export VITRINE_CACHE="${VITRINE_CACHE:-$PWD/cache}"
logs="$BUILD/test-logs"
mkdir -p "$logs"
pass=0
fail=0
skip=0

count() { # $1 = log file, $2 = suite name, $3 = exit status
    set -- "$1" "$2" "$3" $(sh tests/scripts/tap_count.sh "$1" 2>"$1.count")
    p=$4 f=$5 s=$6
    if [ "$3" -ne 0 ]; then
        [ "$f" -eq 0 ] && f=1
        echo "# exited with status $3" >>"$1.count"
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    skip=$((skip + s))
    echo "$2: $p passed, $f failed, $s skipped"
    sed 's/^/    /' "$1.count"
    if [ "$f" -gt 0 ]; then
        grep -E '^not ok |^# ' "$1" | head -40 | sed 's/^/    /'
    fi
    grep -E '^ok .* # [Ss][Kk][Ii][Pp]' "$1" | sed 's/^/    skipped: /'
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$logs/$name.log" 2>&1
    count "$logs/$name.log" "unit/$name" $?
done

# Integration suites run side by side, TEST_JOBS at a time (default: the number of CPUs, at most
# 4), longest first (by the last run's time, else a rough guess of the Linux-booting suites'); their
# results are counted afterwards in name order, so the summary reads the same whatever finished first.
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -gt 4 ] && jobs=4
suites=$(for s in tests/*/run.sh; do
    suite=$(basename "$(dirname "$s")")
    [ "$suite" = bench ] && continue
    case $suite in boot) guess=600 ;; pc | pc-linux) guess=300 ;; frontend | user) guess=200 ;; *) guess=0 ;; esac
    rm -f "$logs/$suite.rc"
    echo "$(cat "$logs/$suite.secs" 2>/dev/null || echo $guess) $suite"
done | sort -rn | cut -d' ' -f2)
echo "# running $(echo $suites | wc -w) suites, $jobs at a time"
printf '%s\n' $suites | xargs -P "$jobs" -I{} sh -c '
    start=$(date +%s)
    sh "tests/$1/run.sh" >"$2/$1.log" 2>&1
    echo $? >"$2/$1.rc"
    echo $(($(date +%s) - start)) >"$2/$1.secs"' _ {} "$logs"
for s in tests/*/run.sh; do
    suite=$(basename "$(dirname "$s")")
    [ "$suite" = bench ] && continue
    count "$logs/$suite.log" "$suite ($(cat "$logs/$suite.secs" 2>/dev/null || echo ?) s)" \
        "$(cat "$logs/$suite.rc" 2>/dev/null || echo 1)"
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
