#!/bin/sh
# ROM set integration suite (TAP lines): `vitrine romset fetch` builds the free sets from
# Debian packages into a temporary ROM directory and `audit` reports them good; one flipped
# byte inside a zip is named with expected and found SHA-1 and a non-zero exit; a zip holding
# `../evil` is refused with a clear message and nothing is written; archives with non-ASCII
# (UTF-8) entry names are read. Needs $VITRINE; prints a TAP plan first.
VITRINE=${VITRINE:-build/vitrine}
case $VITRINE in /*) ;; *) VITRINE=$PWD/$VITRINE ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
roms="$tmp/roms"
out="$tmp/out"

. tests/scripts/tap.sh
TAP_LOG="$out"
tap_plan 25
check() { # name, then a command; prints ok/not ok and the output on failure
    name=$1
    shift
    if "$@"; then ok "$name"; else nok "$name"; fi
}
command -v bsdtar >/dev/null || tap_bail "bsdtar missing (make deps installs libarchive-tools)"

# 1. fetch every free set, then audit them all
"$VITRINE" romset --rom-path "$roms" fetch > "$out" 2>&1
check "romset fetch exits 0" test $? -eq 0
check "romset fetch wrote three zips" test -f "$roms/openbios-sparc32.zip" -a \
    -f "$roms/openbios-ppc.zip" -a -f "$roms/seabios.zip"
"$VITRINE" romset --rom-path "$roms" audit > "$out" 2>&1
rc=$?
check "romset audit exits 0 on the fetched sets" test $rc -eq 0
for s in openbios-sparc32 openbios-ppc seabios; do
    check "audit: romset $s is good" grep -qx "romset $s is good" "$out"
done
check "audit: one line per file (7 good)" test "$(grep -c ': good (Debian ' "$out")" -eq 7
VITRINE_ROM_PATH="$roms" "$VITRINE" romset list > "$out" 2>&1
check "romset list (VITRINE_ROM_PATH) shows where seabios was found" grep -q "$roms/seabios.zip" "$out"

# the same files as a 7z, a tar.xz and a plain directory are found and good too
x="$tmp/forms"
mkdir -p "$x/unz" "$x/roms/seabios"
(cd "$x/unz" && bsdtar -xf "$roms/openbios-sparc32.zip" && bsdtar -xf "$roms/openbios-ppc.zip")
(cd "$x/unz" && bsdtar -c --format 7zip -f "$x/roms/openbios-sparc32.7z" openbios-sparc32 QEMU,tcx.bin)
(cd "$x/unz" && bsdtar -cJf "$x/roms/openbios-ppc.tar.xz" openbios-ppc QEMU,VGA.bin)
(cd "$x/roms/seabios" && bsdtar -xf "$roms/seabios.zip")
cp "$roms/linuxboot.zip" "$x/roms/" # the fourth set stays a zip
"$VITRINE" romset --rom-path "$x/roms" audit > "$out" 2>&1
check "7z, tar.xz and directory sets audit good" test $? -eq 0
# default ROM directory: $XDG_DATA_HOME/vitrine/roms when nothing else is given
(unset VITRINE_ROM_PATH; XDG_DATA_HOME="$tmp/xdg" "$VITRINE" romset fetch seabios) > "$out" 2>&1
check "fetch without --rom-path writes to \$XDG_DATA_HOME/vitrine/roms" \
    test -f "$tmp/xdg/vitrine/roms/seabios.zip"

# 2. flip one byte of bios.bin inside seabios.zip
bad="$tmp/bad"
mkdir -p "$bad/roms" "$bad/x"
(cd "$bad/x" && bsdtar -xf "$roms/seabios.zip")
byte=$(od -An -tu1 -j4096 -N1 "$bad/x/bios.bin" | tr -d ' ')
printf '%b' "\\0$(printf '%03o' $((255 - byte)))" |
    dd of="$bad/x/bios.bin" bs=1 seek=4096 conv=notrunc 2>/dev/null
(cd "$bad/x" && bsdtar -c --format zip -f "$bad/roms/seabios.zip" bios.bin vgabios-stdvga.bin)
found_sha=$(sha1sum "$bad/x/bios.bin" | cut -d' ' -f1)
"$VITRINE" romset --rom-path "$bad/roms" audit seabios > "$out" 2>&1
rc=$?
check "corrupt byte: audit exits non-zero" test $rc -ne 0
check "corrupt byte: names bios.bin with expected and found SHA-1" grep -q \
    "^bios.bin: bad checksum: expected CRC32 44d56f86 SHA1 b7cc7ff514a2334aad2d04e31deaadb9ba447cf8, found CRC32 [0-9a-f]* SHA1 $found_sha\$" "$out"
check "corrupt byte: the other file stays good" grep -q "^vgabios-stdvga.bin: good" "$out"
check "corrupt byte: verdict bad" grep -qx "romset seabios is bad" "$out"

# 3. a zip holding ../evil is refused and nothing lands on disk
evil="$tmp/evil"
mkdir -p "$evil/roms/sub" "$evil/src"
cp "$bad/x/vgabios-stdvga.bin" "$evil/src/evil"
(cd "$evil/src" && bsdtar -c --format zip -P -s ',^evil$,../evil,' -f "$evil/roms/sub/seabios.zip" evil)
(cd "$evil/roms/sub" && "$VITRINE" romset --rom-path "$evil/roms/sub" audit seabios) > "$out" 2>&1
rc=$?
check "../evil: audit exits non-zero" test $rc -ne 0
check "../evil: clear refusal message" grep -q "entry '../evil' contains '..' (path traversal); archive refused" "$out"
check "../evil: nothing written outside memory" test ! -e "$evil/roms/evil" -a ! -e "$evil/roms/sub/evil"

# 4. usage errors exit 2
"$VITRINE" romset frobnicate > "$out" 2>&1
check "unknown romset command exits 2" test $? -eq 2
"$VITRINE" romset audit no-such-set > "$out" 2>&1
check "unknown set name exits 2" test $? -eq 2
"$VITRINE" romset --help > "$out" 2>&1
check "romset --help exits 0" test $? -eq 0
"$VITRINE" romset audit --rom-path > "$out" 2>&1
check "--rom-path without a directory exits 2" test $? -eq 2
# 4. non-ASCII entry names (issue 9.10): a zip, 7z and tar holding 'bïos.bin' beside the set's
# files are read (no locale is set: names must not depend on it); a UTF-8 '../' is still refused
u="$tmp/utf"
mkdir -p "$u/src/seabios" "$u/roms"
(cd "$u/src/seabios" && bsdtar -xf "$roms/seabios.zip" && cp vgabios-stdvga.bin 'bïos.bin')
for fmt in zip 7zip pax; do
    ext=$fmt
    [ $fmt = 7zip ] && ext=7z
    [ $fmt = pax ] && ext=tar
    rm -f "$u/roms/"*
    (cd "$u/src" && LC_ALL=C.UTF-8 bsdtar -c --format $fmt -f "$u/roms/seabios.$ext" seabios)
    (unset LANG LC_ALL LC_CTYPE; "$VITRINE" romset --rom-path "$u/roms" audit seabios) > "$out" 2>&1
    check "$ext with a UTF-8 entry name 'seabios/bïos.bin' audits good" grep -qx "romset seabios is good" "$out"
done
rm -f "$u/roms/"*
(cd "$u/src/seabios" && LC_ALL=C.UTF-8 bsdtar -c --format zip -P -s ',^bïos.bin$,../bïos.bin,' \
    -f "$u/roms/seabios.zip" bios.bin 'bïos.bin')
"$VITRINE" romset --rom-path "$u/roms" audit seabios > "$out" 2>&1
check "UTF-8 '../bïos.bin' refused as path traversal" grep -q "entry '../bïos.bin' contains '..'" "$out"
tap_done
