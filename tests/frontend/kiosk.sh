# The kiosk under Xvfb: a visitor types (the guest stores the scan codes on its disk), the idle
# timeout throws the machine and its overlay away and the next boot reads the untouched image;
# host shortcuts and window-close keys do nothing; the attendant chord opens the menu whose
# Quit ends the kiosk; the watchdog restarts a guest that shows no sign of life; the base
# image stays byte-identical. Sourced by run.sh after title.sh (its files).
KIOSK_TESTS=9
if [ -n "$no_x" ]; then
    i=0
    while [ $i -lt $KIOSK_TESTS ]; do
        skip "kiosk test $((i + 1))" "$no_x"
        i=$((i + 1))
    done
else
    cat >"$work/t/kiosk.ini" <<KIOSK
[kiosk]
titles = title.ini
idle_timeout = 3s
chord = LeftCtrl+LeftAlt+Home
serial = file:$work/kiosk.serial
log = $work/kiosk.log
KIOSK
    "$VITRINE" kiosk "$work/t/kiosk.ini" >"$work/kiosk.out" 2>"$work/kiosk.err" &
    kpid=$!
    wid=$(wait_window)
    wait_bytes "$work/kiosk.serial" 1
    check "the kiosk boots the title (boot byte: $(hexdump_of "$work/kiosk.serial"))" \
        [ "$(hexdump_of "$work/kiosk.serial")" = 56 ]
    xdotool type a
    wait_bytes "$work/kiosk.serial" 4
    got=$(hexdump_of "$work/kiosk.serial")
    check "a visitor's key reaches the guest (got: $got)" [ "$got" = "56 1c f0 1c" ]
    wait_bytes "$work/kiosk.serial" 5 # after 3 s of emulated time without input
    got=$(hexdump_of "$work/kiosk.serial")
    check "after the idle timeout the machine boots from the pristine image (got: $got)" \
        [ "$got" = "56 1c f0 1c 56" ]
    check "the log has one line for the idle-reset session" \
        [ "$(grep -c 'ended=idle-reset' "$work/kiosk.log")" = 1 ]
    xdotool key alt+F4 ctrl+alt+g ctrl+alt+f ctrl+q Escape
    xdotool key alt+F4
    sleep 1
    check "host shortcuts and close keys do not end the kiosk" kill -0 "$kpid"
    xdotool key ctrl+alt+Home
    xdotool key Down Down Return # Restart, Choose title, Quit
    tries=0
    while kill -0 "$kpid" 2>/dev/null && [ $tries -lt 600 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill -0 "$kpid" 2>/dev/null && kill -KILL "$kpid"
    wait "$kpid"
    rc=$?
    check "the attendant chord's menu quits the kiosk (exit $rc)" [ "$rc" = 0 ]
    check "... and the log says so" grep -q 'ended=attendant-quit' "$work/kiosk.log"
    check "the base image is byte-identical after the kiosk" \
        [ "$(sha1sum <"$work/t/base.img" | cut -d' ' -f1)" = "$base_sha" ]

    # watchdog: the keyboard echo guest prints nothing and has no screen
    cp "$work/keyboard.ini" "$work/kbd_echo.bin" "$work/t/"
    printf '[title]\nname = Silent guest\nmachine = keyboard.ini\n' >"$work/t/silent.ini"
    cat >"$work/t/watchdog.ini" <<KIOSK
[kiosk]
titles = silent.ini
watchdog = 1s
chord = LeftCtrl+LeftAlt+Home
log = $work/watchdog.log
speed = max
KIOSK
    "$VITRINE" kiosk "$work/t/watchdog.ini" >/dev/null 2>&1 &
    kpid=$!
    tries=0
    while ! grep -q 'ended=watchdog-restart' "$work/watchdog.log" 2>/dev/null &&
        [ $tries -lt 300 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill -TERM "$kpid"
    wait "$kpid"
    check "the watchdog restarts a guest with no output and a still screen" \
        grep -q 'ended=watchdog-restart' "$work/watchdog.log"
fi
