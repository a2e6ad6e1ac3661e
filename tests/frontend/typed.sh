# Typing at OpenBIOS on the machines' own keyboards (issue 15), the console on the display:
# the SS-5's Sun Type 5 keyboard on the kbd/mouse Z8530 and the G3's ADB keyboard behind CUDA.
# `1 2 + .` and Return typed at the prompt must leave the screen QEMU 7.2 shows after its monitor
# `sendkey`s the same keys (qemu_{ss5,g3}_typed.png, made by record_qemu_typed.py), pixel for
# pixel. SS-5 with X: typed with xdotool into the SDL window (the window is compared), and the
# session's input log replayed headless (--display none) gives the same screenshot; without X a
# hand-written log is replayed. G3: a hand-written log replayed headless. One boot per check;
# the prompts are up by 8 s (SS-5) and 6 s (G3) of emulated time. Sourced by run.sh.
sunkbd_ref="$here/qemu_ss5_typed.png"
sunkbd_roms="${VITRINE_CACHE:-$PWD/cache}/roms-sparc"
case $VITRINE in
*build-san*) sunkbd_skip="sanitizer build: OpenBIOS takes minutes to its prompt there; the normal build runs it" ;;
*) sunkbd_skip= ;;
esac
if [ -z "$sunkbd_skip" ] && [ ! -f "$sunkbd_roms/openbios-sparc32/openbios-sparc32" ]; then
    sunkbd_skip="no openbios-sparc32 ROM set in $sunkbd_roms (tests/boot fetches it)"
fi
sunkbd_cmp() { python3 tests/display/imgcmp.py compare "$1" "${2:-$sunkbd_ref}" >"$work/sunkbd.cmp" 2>&1; }
# the window poll uses ImageMagick's quicker compare (exit 0: identical); the verdict imgcmp
same_img() { compare -metric AE "$1" "$2" null: >/dev/null 2>&1; }

# replays $1 headless to emulated second $2 and compares the screen then with QEMU's
sunkbd_replay() {
    echo "the run failed" >"$work/sunkbd.cmp"
    "$VITRINE" run sparcstation5 --rom-path "$sunkbd_roms" --display none --serial none \
        --until "$2s" --replay-input "$1" --screenshot "$work/sunkbd_replay.png@$2s" \
        >/dev/null 2>"$work/sunkbd.err" && sunkbd_cmp "$work/sunkbd_replay.png"
}

# one TAP line from the status of the comparison just made, its summary in the name
verdict() {
    rc=$?
    if [ $rc = 0 ]; then ok "$1 ($(cat "$work/sunkbd.cmp"))"; else
        not_ok "$1 ($(cat "$work/sunkbd.cmp" 2>/dev/null))"
    fi
}

# writes to $1 an input log typing `1 2 + .` Return from emulated millisecond $2, 50 ms a step
typed_log() {
    t=$2
    : >"$1"
    for k in 1 Space 2 Space LeftShift+Equals Space Period Return; do
        for key in $(echo "$k" | tr + ' '); do
            echo "${t}000000000 key $key down" >>"$1"
            t=$((t + 50))
        done
        for key in $(echo "$k" | tr + '\n' | tac); do
            echo "${t}000000000 key $key up" >>"$1"
            t=$((t + 50))
        done
    done
}

if [ -n "$sunkbd_skip" ]; then
    skip "SS-5 keyboard: typed Forth answers on the TCX as on QEMU" "$sunkbd_skip"
    skip "SS-5 keyboard: the input log replays headless to the same screen" "$sunkbd_skip"
elif [ -n "$no_x" ]; then
    skip "SS-5 keyboard: typed Forth answers on the TCX as on QEMU" "$no_x"
    typed_log "$work/sunkbd.log" 8000
    sunkbd_replay "$work/sunkbd.log" 10
    verdict "SS-5 keyboard: a replayed input log types Forth that answers as on QEMU"
else
    # real-time pacing keeps the recorded key times (and so the replay) short
    "$VITRINE" run sparcstation5 --rom-path "$sunkbd_roms" --display sdl --speed 1.0 \
        --until 3600s --serial none --record-input "$work/sunkbd.log" >/dev/null 2>&1 &
    vpid=$!
    wid=$(wait_window)
    state=prompt
    tries=0
    while [ -n "$wid" ] && [ $tries -lt 240 ]; do
        if import -window "$wid" -depth 8 "png24:$work/sunkbd_win.png" 2>/dev/null; then
            if [ $state = prompt ] && same_img "$work/sunkbd_win.png" tests/display/qemu_ss5.png; then
                xdotool mousemove --window "$wid" 10 10 windowfocus --sync "$wid" 2>/dev/null
                xdotool type --delay 60 "1 2 + ." && xdotool key Return
                state=typed
            elif [ $state = typed ] && same_img "$work/sunkbd_win.png" "$sunkbd_ref" &&
                sunkbd_cmp "$work/sunkbd_win.png"; then
                state=answered
                break
            fi
        fi
        sleep 0.5
        tries=$((tries + 1))
    done
    kill -TERM "$vpid"
    wait "$vpid"
    check "SS-5 keyboard: Forth typed into the window answers on the TCX as on QEMU (state $state; $(cat "$work/sunkbd.cmp" 2>/dev/null))" \
        [ "$state" = answered ]
    last=$(awk '!/^#/ { t = $1 } END { print int(t / 1000000000000) + 2 }' "$work/sunkbd.log")
    sunkbd_replay "$work/sunkbd.log" "$last"
    verdict "SS-5 keyboard: the window's input log replays headless to the same screen"
fi

# --- G3: the ADB keyboard behind CUDA ------------------------------------------------------
g3_roms="${VITRINE_CACHE:-$PWD/cache}/roms-ppc"
g3_skip=$sunkbd_skip
case $g3_skip in no\ openbios-sparc32*) g3_skip= ;; esac
if [ -z "$g3_skip" ] && [ ! -f "$g3_roms/openbios-ppc/openbios-ppc" ]; then
    g3_skip="no openbios-ppc ROM set in $g3_roms (tests/boot fetches it)"
fi
if [ -n "$g3_skip" ]; then
    skip "G3 ADB keyboard: a replayed input log types Forth that answers as on QEMU" "$g3_skip"
else
    typed_log "$work/g3keys.log" 6000
    "$VITRINE" run powermac-g3 --rom-path "$g3_roms" --display none --serial none --until 7s \
        --replay-input "$work/g3keys.log" --screenshot "$work/g3typed.png@7s" >/dev/null 2>&1
    sunkbd_cmp "$work/g3typed.png" "$here/qemu_g3_typed.png"
    verdict "G3 ADB keyboard: a replayed input log types Forth that answers as on QEMU"
fi
