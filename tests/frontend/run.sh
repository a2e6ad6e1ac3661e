#!/bin/sh
# Frontend suite (issue 15): sound (WAV capture of the PC speaker), input (PS/2 keyboard, the
# input log), the SDL window under Xvfb, titles and the kiosk. Each part is a script sourced
# here with the helpers below; the plan line comes last (its count is only known then).
VITRINE=${VITRINE:-$PWD/build/vitrine}
case $VITRINE in /*) ;; *) VITRINE=$PWD/$VITRINE ;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
count=0

ok() { count=$((count + 1)); echo "ok - $1"; }
not_ok() { count=$((count + 1)); echo "not ok - $1"; }
skip() { count=$((count + 1)); echo "ok - $1 # SKIP $2"; }

check() { # name, then a command that must succeed
    name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

expect_exit() { # name, expected status, command... (output in $work/out, $work/err)
    name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" = "$want" ]; then
        ok "$name"
    else
        not_ok "$name (exit $got, wanted $want)"
        sed 's/^/# /' "$work/err" | head -5
    fi
}

for part in audio input window; do
    . "$here/$part.sh"
done
echo "1..$count"
