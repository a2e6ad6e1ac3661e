#!/bin/sh
# Frontend suite (issue 15): sound (WAV capture of the PC speaker), input (PS/2 keyboard, the
# input log), the SDL window under Xvfb, titles, the kiosk, and typing at OpenBIOS on the SS-5's
# Sun and the G3's ADB keyboards (typed.sh). Each part is a script sourced here with the
# helpers below; the plan line comes last (its count is only known then).
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

start_xvfb() {
    for n in 91 92 93 94 95 96 97 98 99; do
        [ -e "/tmp/.X$n-lock" ] && continue
        Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
        xpid=$!
        tries=0
        while [ $tries -lt 100 ]; do
            if xdpyinfo -display ":$n" >/dev/null 2>&1; then
                DISPLAY=":$n"
                export DISPLAY
                return 0
            fi
            kill -0 "$xpid" 2>/dev/null || break
            sleep 0.1
            tries=$((tries + 1))
        done
        kill "$xpid" 2>/dev/null
        xpid=
    done
    return 1
}

wait_window() { # prints the id of the Vitrine window (waits up to ~30 s for it)
    timeout 30 xdotool search --sync --name '^Vitrine' 2>/dev/null | head -1
}

wait_bytes() { # file, byte count: waits (bounded) until the file holds that many bytes
    tries=0
    while [ $tries -lt 300 ]; do
        [ -f "$1" ] && [ "$(wc -c <"$1")" -ge "$2" ] && return 0
        sleep 0.1
        tries=$((tries + 1))
    done
    return 1
}

# one Xvfb for the window and kiosk parts; no_x says why they skip
xpid=
no_x=
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null ||
    ! command -v xdpyinfo >/dev/null || ! command -v import >/dev/null; then
    no_x="Xvfb, xdotool, xdpyinfo or ImageMagick missing (tests/scripts/deps.sh installs them)"
elif ! start_xvfb; then
    no_x="Xvfb did not start"
else
    trap 'kill $xpid 2>/dev/null; chmod -R u+w "$work"; rm -rf "$work"' EXIT
    export SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy ALSOFT_DRIVERS=null
fi
hexdump_of() { od -An -tx1 "$1" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }

for part in audio input title window kiosk kiosk_state typed; do
    # Under `make SAN=1`, SDL's host libraries (X11 back end, D-Bus, dlopen'd and unloaded)
    # keep allocations until exit that LeakSanitizer cannot attribute (suppressing them by
    # library needs slow unwinding, which deadlocks in libgcc's unwinder): the window and kiosk
    # parts run with leak checking off, address and UB checks on. The parts before check leaks.
    [ "$part" = window ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    . "$here/$part.sh"
done
echo "1..$count"
