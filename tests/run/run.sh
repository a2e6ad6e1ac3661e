#!/bin/sh
# `vitrine run` from the command line: exit codes, profile errors with file:line, --set,
# --serial specs, and --snapshot leaving a read-only base untouched.
VITRINE=${VITRINE:-build/vitrine}
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

check() { # name, then a command that must succeed
    name=$1
    shift
    if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi
}

expect_exit() { # name, expected status, command...
    name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" = "$want" ]; then
        echo "ok - $name"
    else
        echo "not ok - $name (exit $got, wanted $want)"
        sed 's/^/# /' "$work/err" | head -5
    fi
}

expect_exit "testmachine runs 1 s of emulated time" 0 \
    "$VITRINE" run testmachine --until 1s --serial none
expect_exit "unknown profile exits 2" 2 "$VITRINE" run no-such-machine
expect_exit "unknown option exits 2" 2 "$VITRINE" run testmachine --frobnicate
expect_exit "bad --serial exits 2" 2 "$VITRINE" run testmachine --serial bogus:x --until 1ms
printf '[machine]\nname = t\ncpu = none\n[memory.ram]\nbase = 0\nsize = 1M\nsise = 4\n' >"$work/typo.ini"
expect_exit "INI typo exits 2" 2 "$VITRINE" run "$work/typo.ini"
check "INI typo names file:line and key" grep -q "typo.ini:7: unknown key 'sise' in \[memory.ram\]" "$work/err"
expect_exit "--set with a typo exits 2" 2 "$VITRINE" run testmachine --set memory.ram.sise=2M
check "--set typo is reported as --set" grep -q "^vitrine: --set: unknown key 'sise'" "$work/err"
"$VITRINE" run testmachine --until 10ms --serial none --state-hash >"$work/h1"
"$VITRINE" run testmachine --until 10ms --serial none --state-hash >"$work/h2"
check "same run, same state hash" cmp -s "$work/h1" "$work/h2"

# --snapshot: the base is opened read-only, so a read-only file works and stays unchanged
head -c 65536 /dev/zero | tr '\0' 'V' >"$work/base.raw"
chmod 444 "$work/base.raw"
sum_before=$(sha256sum <"$work/base.raw")
expect_exit "--snapshot over a read-only base" 0 \
    "$VITRINE" run testmachine --disk "$work/base.raw" --snapshot --until 1ms --serial none
check "--snapshot leaves the base unchanged" [ "$(sha256sum <"$work/base.raw")" = "$sum_before" ]
check "--snapshot leaves no overlay file behind" [ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -newer "$work/base.raw" -name '*vitrine*' -user "$(id -u)" 2>/dev/null | head -1)" ]
