# TAP helpers for the integration suites (sourced with `. tests/scripts/tap.sh`): the plan line
# first, one counted result per test, skips that never count as passes, and a final check that
# the suite printed exactly what it planned. A suite that stops early prints fewer results than
# its plan and exits non-zero, so the runner sees the failure.
#   tap_plan N          print "1..N"
#   ok NAME / nok NAME  a pass / a failure (nok shows $TAP_LOG, if set and present, as comments)
#   skip NAME REASON    "ok - NAME # SKIP REASON"
#   tap_bail REASON     "not ok - REASON", then the remaining plan as failures, exit 1
#   tap_done            at the end: exit 0 only if the count matches the plan and nothing failed
TAP_PLANNED=0
TAP_COUNT=0
TAP_FAILED=0

tap_plan() {
    TAP_PLANNED=$1
    echo "1..$1"
}
ok() {
    TAP_COUNT=$((TAP_COUNT + 1))
    echo "ok - $1"
}
nok() {
    TAP_COUNT=$((TAP_COUNT + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok - $1"
    if [ -n "${TAP_LOG:-}" ] && [ -s "$TAP_LOG" ]; then sed 's/^/# /' "$TAP_LOG" | head -5; fi
    return 0
}
skip() {
    TAP_COUNT=$((TAP_COUNT + 1))
    echo "ok - $1 # SKIP $2"
}
tap_bail() {
    nok "$1"
    while [ "$TAP_COUNT" -lt "$TAP_PLANNED" ]; do nok "not run: $1"; done
    exit 1
}
tap_done() {
    if [ "$TAP_COUNT" -ne "$TAP_PLANNED" ]; then
        echo "# planned $TAP_PLANNED results, printed $TAP_COUNT"
        exit 1
    fi
    [ "$TAP_FAILED" -eq 0 ]
    exit $?
}
