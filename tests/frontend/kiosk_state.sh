# The kiosk's pristine state (snapshot_at, state = FILE). The guest (make_kiosk_state_rom.py)
# prints, per received byte, the disk's sector 0 byte, a RAM counter and the byte, so after a
# reset that loads the state (no boot, no boot byte) the next key shows whether disk and RAM are
# back to the captured moment. Bad state files are refused (exit 2) before any window opens, so
# those checks need no X. Sourced by run.sh after kiosk.sh.
ks=$work/ks
mkdir -p "$ks"
sed 's/disk_echo.bin/state_echo.bin/' "$here/diskguest.ini" >"$ks/diskguest.ini"
python3 "$here/make_kiosk_state_rom.py" "$ks/state_echo.bin"
head -c 4096 /dev/zero | tr '\0' V >"$ks/base.img"
ks_sha=$(sha1sum <"$ks/base.img" | cut -d' ' -f1)
printf '[title]\nname = State guest\nmachine = diskguest.ini\n[disk.0]\nfile = base.img\nsha1 = %s\n' \
    "$ks_sha" >"$ks/title.ini"
kiosk_ini() { # file, extra [kiosk] lines
    printf '[kiosk]\ntitles = title.ini\nchord = LeftCtrl+LeftAlt+Home\nserial = file:%s\nlog = %s\n%s\n' \
        "$ks/serial" "$ks/log" "$2" >"$1"
}
# a state file (VKSZ + length + zlib) whose state is only the header chunk (VKST) for identity $2
fake_state() {
    python3 -c 'import struct,sys,zlib
ident = sys.argv[2].encode()
body = struct.pack("<I", len(ident)) + ident
state = b"VKST" + struct.pack("<IQ", 1, len(body)) + body
open(sys.argv[1], "wb").write(b"VKSZ" + struct.pack("<Q", len(state)) + zlib.compress(state))' "$@"
}
kiosk_ini "$ks/missing.ini" "state = nothing.vts"
expect_exit "kiosk: a missing state file (without snapshot_at) exits 2" 2 \
    "$VITRINE" kiosk "$ks/missing.ini"
check "... naming it" grep -q "nothing.vts: No such file" "$work/err"
printf '[kiosk]\ntitles = title.ini, title.ini\nchord = LeftCtrl+LeftAlt+Home\nstate = p.vts\n' \
    >"$ks/two.ini"
expect_exit "kiosk: a state file with two titles exits 2" 2 "$VITRINE" kiosk "$ks/two.ini"
check "... naming file:line" grep -q "two.ini:4: a state file needs exactly one title" "$work/err"
printf 'this is not a saved state' >"$ks/garbage.vts"
kiosk_ini "$ks/garbage.ini" "state = garbage.vts"
expect_exit "kiosk: a state file that is not one exits 2" 2 "$VITRINE" kiosk "$ks/garbage.ini"
check "... saying so" grep -q "garbage.vts: not a Vitrine kiosk state" "$work/err"
printf 'VKSZ\001\000\000\000\000\000\000\000garbage' >"$ks/damaged.vts"
kiosk_ini "$ks/damaged.ini" "state = damaged.vts"
expect_exit "kiosk: a damaged state file exits 2" 2 "$VITRINE" kiosk "$ks/damaged.ini"
check "... saying so" grep -q "damaged.vts: damaged kiosk state file" "$work/err"
fake_state "$ks/other.vts" "sparcstation5 -"
kiosk_ini "$ks/other.ini" "state = other.vts"
expect_exit "kiosk: a state of another machine exits 2" 2 "$VITRINE" kiosk "$ks/other.ini"
check "... naming both" grep -q "other.vts: the state is for 'sparcstation5 -', this title is 'disk-guest $ks_sha'" "$work/err"
fake_state "$ks/cut.vts" "disk-guest $ks_sha"
kiosk_ini "$ks/cut.ini" "state = cut.vts"
expect_exit "kiosk: a state cut short exits 2" 2 "$VITRINE" kiosk "$ks/cut.ini"
check "... saying it does not fit" grep -q "cut.vts: state does not fit disk-guest" "$work/err"
check "... and nothing reached the serial file" [ ! -e "$ks/serial" ]
kiosk_ini "$ks/jit.ini" "jit = sometimes"
expect_exit "kiosk: a jit setting other than on/off exits 2" 2 "$VITRINE" kiosk "$ks/jit.ini"
check "... naming file:line" grep -q "jit.ini:6: jit is 'on' or 'off'" "$work/err"

KSTATE_X_TESTS=8
if [ -n "$no_x" ]; then
    i=0
    while [ $i -lt $KSTATE_X_TESTS ]; do
        skip "kiosk state test $((i + 1))" "$no_x"
        i=$((i + 1))
    done
else
    kiosk_ini "$ks/kiosk.ini" "idle_timeout = 2s
snapshot_at = 500ms
state = pristine.vts"
    "$VITRINE" kiosk "$ks/kiosk.ini" >"$ks/out" 2>"$ks/err" &
    kpid=$!
    wid=$(wait_window)
    xdotool type a
    wait_bytes "$ks/serial" 10
    got=$(hexdump_of "$ks/serial")
    check "snapshot_at: one boot (boot byte), then a key shows disk, counter, byte (got: $got)" \
        [ "$got" = "56 56 00 1c 1c 01 f0 f0 02 1c" ]
    check "... the capture is logged and written to the state file" sh -c \
        "grep -q 'pristine state of \"State guest\" captured at 0.500s' '$ks/log' &&
         [ -s '$ks/pristine.vts' ]"
    tries=0
    while ! grep -q 'loaded its pristine state' "$ks/log" && [ $tries -lt 300 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    xdotool type a
    wait_bytes "$ks/serial" 19
    got=$(hexdump_of "$ks/serial")
    check "after the idle timeout the state is reloaded: disk and RAM as captured (got: $got)" \
        [ "$got" = "56 56 00 1c 1c 01 f0 f0 02 1c 56 00 1c 1c 01 f0 f0 02 1c" ]
    xdotool key alt+F4 ctrl+alt+g ctrl+alt+f ctrl+q Escape
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
    check "the attendant chord's menu quits the kiosk (exit $rc; log: idle-reset, attendant-quit)" \
        sh -c "[ $rc = 0 ] && grep -q 'ended=idle-reset' '$ks/log' &&
               grep -q 'ended=attendant-quit' '$ks/log'"
    check "the base image is byte-identical after the kiosk" \
        [ "$(sha1sum <"$ks/base.img" | cut -d' ' -f1)" = "$ks_sha" ]

    # a second kiosk starts from the state file: no boot byte, the key sees the captured state
    rm -f "$ks/serial"
    kiosk_ini "$ks/again.ini" "state = pristine.vts"
    "$VITRINE" kiosk "$ks/again.ini" >"$ks/out" 2>"$ks/err" &
    kpid=$!
    wid=$(wait_window)
    xdotool type a
    wait_bytes "$ks/serial" 9
    got=$(hexdump_of "$ks/serial")
    check "state = FILE: the kiosk starts from the saved state (got: $got)" \
        [ "$got" = "56 00 1c 1c 01 f0 f0 02 1c" ]
    kill -TERM "$kpid"
    wait "$kpid"
    rc=$?
    check "... and ends on SIGTERM (exit $rc)" [ "$rc" = 0 ]
fi
