# The SDL window under Xvfb (SDL_VIDEODRIVER=x11): keys typed with xdotool into the window
# reach the guest (the scan-code echo ROM on COM1), the session's input log replays headless
# to the same guest output, SIGTERM closes cleanly, and the SPARCstation 5's OpenBIOS screen
# in the window equals the --display none PNG of the same firmware. Sourced by run.sh.
WINDOW_TESTS=6
window_skip() {
    i=0
    while [ $i -lt $WINDOW_TESTS ]; do
        skip "SDL window test $((i + 1))" "$1"
        i=$((i + 1))
    done
}

if [ -n "$no_x" ]; then
    window_skip "$no_x"
else
    "$VITRINE" run "$work/keyboard.ini" --display sdl --until 3600s \
        --serial "file:$work/sdl.out,truncate" --record-input "$work/sdl.log" \
        >"$work/sdl.stdout" 2>"$work/sdl.err" &
    vpid=$!
    wid=$(wait_window)
    if [ -n "$wid" ]; then
        xdotool mousemove --window "$wid" 10 10 windowfocus --sync "$wid" 2>/dev/null
        xdotool type --delay 30 "vt" && xdotool key Return
    fi
    wait_bytes "$work/sdl.out" 9
    kill -TERM "$vpid"
    wait "$vpid"
    rc=$?
    got=$(hexdump_of "$work/sdl.out")
    check "keys typed into the SDL window reach the guest (got: $got)" \
        [ "$got" = "2a f0 2a 2c f0 2c 5a f0 5a" ]
    check "SIGTERM closes the window and exits 0 (exit $rc)" [ "$rc" = 0 ]
    check "the window's title names the machine" [ -n "$wid" ]
    # the replay runs 1 s of emulated time past the last recorded event
    last=$(awk '!/^#/ { t = $1 } END { print int(t / 1000000000000) + 1 }' "$work/sdl.log")
    "$VITRINE" run "$work/keyboard.ini" --until "${last}s" \
        --serial "file:$work/replay.out,truncate" --replay-input "$work/sdl.log" >/dev/null 2>&1
    check "the window session's input log replays headless to the same guest output" \
        cmp -s "$work/sdl.out" "$work/replay.out"

    # the SS-5 OpenBIOS screen: the window shows what --display none renders
    roms="${VITRINE_CACHE:-$PWD/cache}/roms-sparc"
    case $VITRINE in *build-san*) ss5_skip="sanitizer build: OpenBIOS takes minutes to its prompt there; the normal build runs it" ;;
    *) ss5_skip= ;; esac
    if [ -z "$ss5_skip" ] && [ ! -f "$roms/openbios-sparc32/openbios-sparc32" ]; then
        ss5_skip="no openbios-sparc32 ROM set in $roms (tests/boot fetches it)"
    fi
    if [ -n "$ss5_skip" ]; then
        skip "SS-5 OpenBIOS screen in the window equals the PNG" "$ss5_skip"
        skip "the SS-5 window is 1024x768 at 1x" "$ss5_skip"
    else
        "$VITRINE" run sparcstation5 --rom-path "$roms" --display none --serial none \
            --until 15s --screenshot "$work/ss5.png@15s" >/dev/null 2>&1
        "$VITRINE" run sparcstation5 --rom-path "$roms" --display sdl --speed max \
            --until 3600s --serial none >/dev/null 2>&1 &
        vpid=$!
        wid=$(wait_window)
        same=no
        tries=0
        while [ -n "$wid" ] && [ $tries -lt 120 ]; do
            import -window "$wid" -depth 8 "png24:$work/win.png" 2>/dev/null &&
                python3 tests/display/imgcmp.py compare "$work/win.png" "$work/ss5.png" \
                    >"$work/cmp" 2>&1 && same=yes && break
            sleep 0.5
            tries=$((tries + 1))
        done
        geometry=$(xdotool getwindowgeometry "$wid" 2>/dev/null | sed -n 's/.*Geometry: //p')
        kill -TERM "$vpid"
        wait "$vpid"
        check "SS-5 OpenBIOS screen in the window equals the PNG ($(cat "$work/cmp"))" [ "$same" = yes ]
        check "the SS-5 window is 1024x768 at 1x (got $geometry)" [ "$geometry" = 1024x768 ]
    fi
fi
