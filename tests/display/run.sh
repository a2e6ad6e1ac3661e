#!/bin/sh
# Display suite: the firmware screens of the machines with a display, with `--display none`
# (console on the display, no window), against QEMU 7.2's `-display none` screens of the same
# firmware (references made by tests/display/record_qemu.sh):
#  - pc-i440fx: `--screen-text stdout` shows SeaBIOS's banner and boot attempts; the banner row
#    of `--screenshot` is pixel-identical to QEMU's screendump (the rows below differ only
#    where the boot attempts do: QEMU's pc also has an empty DVD drive and boots the hard disk
#    first, a machine difference, not a display one);
#  - sparcstation5 (TCX, 8-bit + palette) and powermac-g3 (std VGA, 32-bit VBE) at a moment
#    when OpenBIOS sits at its prompt: the whole screenshot equals QEMU's pixel for pixel;
#  - errors (bad specs, no display, a time the run never reaches) and determinism.
# Runs are bounded by emulated time (--until); PNGs are decoded with tests/display/imgcmp.py.
VITRINE=${VITRINE:-build/vitrine}
here=$(dirname "$0")
. tests/scripts/tap.sh
tap_plan 12
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmp_img() { python3 "$here/imgcmp.py" compare "$@" >"$work/cmp" 2>&1; }

seabios=$(sh tests/scripts/fetch_deb.sh seabios 2>/dev/null)/usr/share/seabios
qdata=$(sh tests/scripts/fetch_deb.sh qemu-system-data 2>/dev/null)/usr/share/qemu
roms="$work/roms"
mkdir -p "$roms/seabios" "$roms/openbios-sparc32" "$roms/openbios-ppc"
have_pc=no have_sparc=no have_ppc=no
cp "$seabios/bios.bin" "$seabios/vgabios-stdvga.bin" "$roms/seabios/" 2>/dev/null && have_pc=yes
cp "$qdata/openbios-sparc32" "$qdata/QEMU,tcx.bin" "$roms/openbios-sparc32/" 2>/dev/null &&
    have_sparc=yes
cp "$qdata/openbios-ppc" "$qdata/QEMU,VGA.bin" "$roms/openbios-ppc/" 2>/dev/null && have_ppc=yes

# --- PC: SeaBIOS on the VGA text screen ---------------------------------------------------
if [ $have_pc = yes ]; then
    for i in 1 2; do
        "$VITRINE" run pc-i440fx --rom-path "$roms" --display none --serial none --until 3s \
            --screen-text stdout --screenshot "$work/pc$i.png@3s" >"$work/pc$i.txt" 2>"$work/pc$i.err"
        echo $? >"$work/pc$i.rc"
    done
    TAP_LOG="$work/pc1.err"
    # the last screen written (after the last marker line)
    awk '/^--- screen-text /{n++; next} {s[n] = s[n] $0 "\n"} END {printf "%s", s[n]}' \
        "$work/pc1.txt" >"$work/pc_last.txt"
    q="$here/qemu_pc_screen.txt"
    if [ "$(cat "$work/pc1.rc")" = 0 ] && [ "$(head -n 1 "$work/pc_last.txt")" = "$(head -n 1 "$q")" ]; then
        ok "pc screen text: SeaBIOS banner equals QEMU's screen"
    else nok "pc screen text: SeaBIOS banner equals QEMU's screen"; fi
    good=yes
    for dev in "Hard Disk" "Floppy"; do
        ours=$(grep -A1 -x "Booting from $dev\.\.\." "$work/pc_last.txt" | tail -n 1)
        theirs=$(grep -A1 -x "Booting from $dev\.\.\." "$q" | tail -n 1)
        [ -n "$ours" ] && [ "$ours" = "$theirs" ] || good=no
    done
    if [ $good = yes ]; then ok "pc screen text: boot attempts fail with QEMU's messages"; else
        TAP_LOG="$work/pc_last.txt" nok "pc screen text: boot attempts fail with QEMU's messages"; fi
    if [ "$(tail -n 1 "$work/pc_last.txt")" = "$(tail -n 1 "$q")" ]; then
        ok "pc screen text: ends with QEMU's 'No bootable device.'"
    else TAP_LOG="$work/pc_last.txt" nok "pc screen text: ends with QEMU's 'No bootable device.'"; fi
    # the banner row (16 scan lines of 720 dots: font from plane 2, 9-dot cells, DAC colours)
    if cmp_img "$work/pc1.png" "$here/qemu_pc.png" 0 0 0 720 16; then
        ok "pc screenshot: 720x400 text screen, banner row pixel-identical to QEMU's"
    else TAP_LOG="$work/cmp" nok "pc screenshot: 720x400 text screen, banner row pixel-identical to QEMU's"; fi
    if cmp -s "$work/pc1.png" "$work/pc2.png" && cmp -s "$work/pc1.txt" "$work/pc2.txt"; then
        ok "pc: two runs give identical screenshots and screen text"
    else nok "pc: two runs give identical screenshots and screen text"; fi
    # a FILE holds the latest screen alone
    "$VITRINE" run pc-i440fx --rom-path "$roms" --display none --serial none --until 3s \
        --screen-text "$work/screen.txt" 2>"$work/file.err"
    if cmp -s "$work/screen.txt" "$work/pc_last.txt"; then ok "pc: --screen-text FILE holds the last screen"; else
        TAP_LOG="$work/file.err" nok "pc: --screen-text FILE holds the last screen"; fi
else
    for t in "banner" "boot attempts" "last line" "banner row pixels" "determinism" "FILE"; do
        skip "pc display: $t" "Debian's seabios package not available"
    done
fi

# --- SPARCstation 5: OpenBIOS on the TCX ---------------------------------------------------
if [ $have_sparc = yes ]; then
    "$VITRINE" run sparcstation5 --rom-path "$roms" --display none --serial none --until 20s \
        --screenshot "$work/ss5.png@20s" 2>"$work/ss5.err"
    if cmp_img "$work/ss5.png" "$here/qemu_ss5.png"; then
        ok "ss5 screenshot at 20s: TCX 1024x768 equals QEMU's screendump pixel for pixel"
    else TAP_LOG="$work/cmp" nok "ss5 screenshot at 20s: TCX 1024x768 equals QEMU's screendump pixel for pixel"; fi
else
    skip "ss5 screenshot" "qemu-system-data (openbios-sparc32) not available"
fi

# --- Power Mac G3: OpenBIOS on the standard VGA -------------------------------------------
if [ $have_ppc = yes ]; then
    "$VITRINE" run powermac-g3 --rom-path "$roms" --display none --serial none --until 5s \
        --screenshot "$work/g3.png@5s" 2>"$work/g3.err"
    if cmp_img "$work/g3.png" "$here/qemu_g3.png"; then
        ok "g3 screenshot at 5s: VGA 800x600x32 equals QEMU's screendump pixel for pixel"
    else TAP_LOG="$work/cmp" nok "g3 screenshot at 5s: VGA 800x600x32 equals QEMU's screendump pixel for pixel"; fi
else
    skip "g3 screenshot" "qemu-system-data (openbios-ppc) not available"
fi

# --- errors ----------------------------------------------------------------------------------
"$VITRINE" run pc-i440fx --screenshot nofile 2>"$work/e1"
rc1=$?
"$VITRINE" run pc-i440fx --screenshot "$work/x.png@soon" 2>"$work/e2"
rc2=$?
"$VITRINE" run pc-i440fx --headless --display none 2>"$work/e3"
rc3=$?
"$VITRINE" run pc-i440fx --display vnc 2>"$work/e4"
rc4=$?
if [ $rc1 = 2 ] && [ $rc2 = 2 ] && [ $rc3 = 2 ] && [ $rc4 = 2 ] && grep -q "FILE.png@TIME" "$work/e1"; then
    ok "usage errors: bad --screenshot spec or time, --headless with --display, unknown display: exit 2"
else nok "usage errors: bad --screenshot spec or time, --headless with --display, unknown display: exit 2"; fi
cat >"$work/nodisplay.ini" <<'EOF'
[machine]
name = nodisplay
cpu = none
EOF
"$VITRINE" run "$work/nodisplay.ini" --until 1ms --screenshot "$work/n.png@1us" 2>"$work/e5"
rc5=$?
if [ $rc5 = 2 ] && grep -q "has no display" "$work/e5" && [ ! -e "$work/n.png" ]; then
    ok "a machine without a display: --screenshot refused, exit 2, nothing written"
else TAP_LOG="$work/e5" nok "a machine without a display: --screenshot refused, exit 2, nothing written"; fi
if [ $have_pc = yes ]; then
    "$VITRINE" run pc-i440fx --rom-path "$roms" --display none --serial none --until 100ms \
        --screenshot "$work/late.png@1s" 2>"$work/e6"
    rc6=$?
    if [ $rc6 = 1 ] && grep -q "not taken" "$work/e6" && [ ! -e "$work/late.png" ]; then
        ok "a screenshot time after --until: reported, exit 1, no file"
    else TAP_LOG="$work/e6" nok "a screenshot time after --until: reported, exit 1, no file"; fi
    "$VITRINE" run pc-i440fx --rom-path "$roms" --display none --serial none --until 1s \
        --screenshot "$work/missing/dir/x.png@10ms" 2>"$work/e7"
    rc7=$?
    if [ $rc7 = 1 ] && grep -q "missing/dir/x.png" "$work/e7"; then
        ok "an unwritable screenshot path: named, exit 1"
    else TAP_LOG="$work/e7" nok "an unwritable screenshot path: named, exit 1"; fi
else
    skip "screenshot after --until" "Debian's seabios package not available"
    skip "unwritable screenshot path" "Debian's seabios package not available"
fi
tap_done
