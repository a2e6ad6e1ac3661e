# Input: the PS/2 keyboard behind the i8042 gets host keys through config/keymaps/pc-ps2.ini;
# a ROM echoes every byte the 8042 receives to COM1. The input log replays at exact emulated
# times: a recorded replay re-records identically with the same guest output and state hash.
# Sourced by run.sh.
cp "$here/keyboard.ini" "$work/keyboard.ini"
python3 "$here/make_kbd_rom.py" "$work/kbd_echo.bin"

cat >"$work/keys.log" <<'LOG'
# A, then cursor up (an E0 key), then Return, at hand-picked times
1000000000 key A down
2000000000 key A up
3000000000 key Up down
3500000000 key Up up
4000000000 key return down   # names are case-insensitive
LOG
expect_exit "--replay-input of a hand-written log runs" 0 \
    "$VITRINE" run "$work/keyboard.ini" --until 5s --serial "file:$work/k1.out,truncate" \
    --replay-input "$work/keys.log" --record-input "$work/rec1.log" --state-hash
cp "$work/out" "$work/hash1"
got=$(hexdump_of "$work/k1.out")
check "A, Up, Return arrive as set 2 scan codes (got: $got)" \
    [ "$got" = "1c f0 1c e0 75 e0 f0 75 5a" ]
check "the record log has the 5 events" [ "$(grep -vc '^#' "$work/rec1.log")" = 5 ]
"$VITRINE" run "$work/keyboard.ini" --until 5s --serial "file:$work/k2.out,truncate" \
    --replay-input "$work/rec1.log" --record-input "$work/rec2.log" --state-hash >"$work/hash2"
check "replaying a record re-records the same log" cmp -s "$work/rec1.log" "$work/rec2.log"
check "... with the same guest output" cmp -s "$work/k1.out" "$work/k2.out"
check "... and the same state hash" cmp -s "$work/hash1" "$work/hash2"

printf '# bad\n1000 key A down\n999 key A up\n' >"$work/back.log"
expect_exit "a log going back in time exits 2" 2 \
    "$VITRINE" run "$work/keyboard.ini" --until 1ms --replay-input "$work/back.log"
check "... naming file:line" grep -q "back.log:3: time goes backwards" "$work/err"
printf '5 key NoSuchKey down\n' >"$work/name.log"
expect_exit "an unknown key name exits 2" 2 \
    "$VITRINE" run "$work/keyboard.ini" --until 1ms --replay-input "$work/name.log" \
    --record-input "$work/never.log"
check "... naming file:line, writing no record log" \
    sh -c "grep -q \"name.log:1: unknown key 'NoSuchKey'\" '$work/err' && [ ! -e '$work/never.log' ]"
printf '5 mouse 1 2\n' >"$work/fields.log"
expect_exit "a mouse event with a missing field exits 2" 2 \
    "$VITRINE" run "$work/keyboard.ini" --until 1ms --replay-input "$work/fields.log"
expect_exit "a missing replay log exits 2" 2 \
    "$VITRINE" run "$work/keyboard.ini" --until 1ms --replay-input "$work/nonexistent.log"

# key maps are data: a broken one is reported with file:line before anything runs
mkdir -p "$work/dd/config/keymaps"
printf '[keymap]\ndescription = broken\n[keys]\nA = 0x1c\nNoSuchKey = 0x32\n' \
    >"$work/dd/config/keymaps/pc-ps2.ini"
expect_exit "a key map with an unknown key name exits 2" 2 \
    env VITRINE_DATADIR="$work/dd" "$VITRINE" run "$work/keyboard.ini" --until 1ms
check "... naming the key map's file:line" grep -q "pc-ps2.ini:5: unknown key name 'NoSuchKey'" \
    "$work/err"
