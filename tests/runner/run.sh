#!/bin/sh
# Checks the test runner's own counting (tests/scripts/tap_count.sh): skips are not passes, and a
# suite killed half-way, one without a plan, or one that runs more than it planned is a failure.
count=tests/scripts/tap_count.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "1..6"
check() { # $1 name, $2 expected "P F S PLAN", $3 log
    got=$(sh "$count" "$3" 2>/dev/null)
    if [ "$got" = "$2" ]; then echo "ok - runner: $1"; else echo "not ok - runner: $1 (got '$got', want '$2')"; fi
}
printf '1..3\nok - a\nok - b # SKIP no widget here\nnot ok - c\n' >"$work/mixed"
check "a skip is counted as skipped, not passed" "1 1 1 3" "$work/mixed"
# a real sub-suite killed after its first result
sh -c 'echo 1..3; echo "ok - first"; kill -9 $$; echo "ok - second"' >"$work/killed" 2>/dev/null
check "a suite killed half-way is a failure" "1 1 0 3" "$work/killed"
printf 'ok - a\nok - b\n' >"$work/noplan"
check "a suite with no plan is a failure" "2 1 0 0" "$work/noplan"
printf '1..1\nok - a\nok - b\n' >"$work/extra"
check "more results than planned is a failure" "2 1 0 1" "$work/extra"
# nested: tests/cpu/run.sh style, two sub-suites with their own plans, the second dies early
sh -c 'echo 1..2; echo "ok - x1"; echo "ok - x2"; sh -c "echo 1..2; echo \"ok - y1\"; kill -9 \$\$"' >"$work/nested" 2>/dev/null
check "a sub-suite dying inside a suite is a failure" "3 1 0 4" "$work/nested"
printf '1..5\nok 1 - t1\nok 2 - t2\nok 3 - t3\nok 4 - t4\nok 5 - t5\n# ok - unit\n' >"$work/cmocka"
check "cmocka TAP output counts" "5 0 0 5" "$work/cmocka"
