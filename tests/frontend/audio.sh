# Sound: a bare x86 board whose ROM programs PIT channel 2 and port B plays a tone on the PC
# speaker; `--audio wav:FILE` captures it and the frequency is measured by zero crossings.
# Sourced by run.sh.
cp "$here/speaker.ini" "$work/speaker.ini"

tone() { # count, wav file
    python3 "$here/make_tone_rom.py" "$work/speaker_tone.bin" "$1" &&
        "$VITRINE" run "$work/speaker.ini" --serial none --until 1s --audio "wav:$2"
}

freq_near() { # wav file, expected Hz, tolerance Hz
    set -- "$1" "$2" "$3" $(python3 "$here/wav_freq.py" "$1")
    echo "# $1: $4 $5 $6 $7 $8 $9 (expected $2 Hz)"
    [ "$5" = 44100 ] && [ "$9" -gt 3000 ] &&
        awk -v f="$7" -v w="$2" -v t="$3" 'BEGIN { d = f - w; exit !(d < t && -d < t) }'
}

if tone 1356 "$work/a880.wav"; then
    # 1193182 / 1356 = 879.93 Hz
    check "PC speaker tone (count 1356) measures 879.9 Hz in the WAV" \
        freq_near "$work/a880.wav" 879.93 0.5
else
    not_ok "PC speaker tone (count 1356) measures 879.9 Hz in the WAV"
fi
if tone 4560 "$work/a262.wav"; then
    check "PC speaker tone (count 4560) measures 261.7 Hz in the WAV" \
        freq_near "$work/a262.wav" 261.66 0.5
else
    not_ok "PC speaker tone (count 4560) measures 261.7 Hz in the WAV"
fi
tone 4560 "$work/b262.wav" >/dev/null 2>&1
check "the same run gives a byte-identical WAV" cmp -s "$work/a262.wav" "$work/b262.wav"
expect_exit "--audio with a bad spec exits 2" 2 \
    "$VITRINE" run "$work/speaker.ini" --until 1ms --audio wave:"$work/bad.wav"
check "... and writes nothing" [ ! -e "$work/bad.wav" ]
check "... and says what is accepted" grep -q "none, openal or wav:FILE" "$work/err"
expect_exit "--audio wav: into a missing directory exits 2" 2 \
    "$VITRINE" run "$work/speaker.ini" --until 1ms --audio wav:"$work/no/such/dir.wav"
if ALSOFT_DRIVERS=null "$VITRINE" run "$work/speaker.ini" --serial none --until 200ms \
    --audio openal >"$work/out" 2>"$work/err"; then
    ok "--audio openal plays through OpenAL Soft's null driver"
else
    not_ok "--audio openal plays through OpenAL Soft's null driver"
    sed 's/^/# /' "$work/err" | head -3
fi
