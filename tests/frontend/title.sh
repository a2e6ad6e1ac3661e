# Titles: `vitrine title info|verify|run` on a title INI and on a zip holding it with its
# images; the guest (make_disk_rom.py) prints sector 0's first byte at boot and stores typed
# scan codes there, so a run shows whether the image was written. Sourced by run.sh.
mkdir -p "$work/t"
cp "$here/diskguest.ini" "$work/t/"
python3 "$here/make_disk_rom.py" "$work/t/disk_echo.bin"
head -c 4096 /dev/zero | tr '\0' V >"$work/t/base.img"
base_sha=$(sha1sum <"$work/t/base.img" | cut -d' ' -f1)
printf '1000000000 key A down\n1100000000 key A up\n' >"$work/t/keys.log"
cat >"$work/t/title.ini" <<TITLE
[title]
name = Disk guest
description = prints sector 0 at boot, stores typed scan codes in it
machine = diskguest.ini
[disk.0]
file = base.img
sha1 = $base_sha
[boot]
input = keys.log
until = 2s
TITLE
expect_exit "title info exits 0" 0 "$VITRINE" title info "$work/t/title.ini"
check "title info names the title, machine and image" sh -c \
    "grep -q '^name: Disk guest' '$work/out' && grep -q 'diskguest.ini' '$work/out' &&
     grep -q 'base.img sha1 $base_sha' '$work/out'"
expect_exit "title verify of good images exits 0" 0 "$VITRINE" title verify "$work/t/title.ini"
expect_exit "title run exits 0" 0 "$VITRINE" title run "$work/t/title.ini" \
    --serial "file:$work/t1.out,truncate"
got=$(hexdump_of "$work/t1.out")
check "title run replays the title's input (got: $got)" [ "$got" = "56 1c f0 1c" ]
check "title run went through a snapshot: the image is unchanged" \
    [ "$(sha1sum <"$work/t/base.img" | cut -d' ' -f1)" = "$base_sha" ]
(cd "$work/t" && zip -q ../title.zip title.ini diskguest.ini disk_echo.bin base.img keys.log)
zip_sha=$(sha1sum <"$work/title.zip")
expect_exit "title run of a zip exits 0" 0 "$VITRINE" title run "$work/title.zip" \
    --serial "file:$work/t2.out,truncate"
check "the zip title gives the same guest output" cmp -s "$work/t1.out" "$work/t2.out"
check "... and the zip is unchanged" [ "$(sha1sum <"$work/title.zip")" = "$zip_sha" ]
sed 's/^sha1 = .*/sha1 = 0000000000000000000000000000000000000000/' "$work/t/title.ini" \
    >"$work/t/bad.ini"
expect_exit "title verify of a changed image exits 1" 1 "$VITRINE" title verify "$work/t/bad.ini"
check "... naming file:line of its sha1" grep -q "bad.ini:7: .*base.img has SHA-1 $base_sha" \
    "$work/err"
expect_exit "title run of a changed image exits 2 without running" 2 \
    "$VITRINE" title run "$work/t/bad.ini" --serial "file:$work/t3.out"
check "... (no guest output)" [ ! -e "$work/t3.out" ]
printf '[title]\nmachine = diskguest.ini\nmachne = x\n' >"$work/t/typo.ini"
expect_exit "a title with an unknown key exits 2" 2 "$VITRINE" title info "$work/t/typo.ini"
check "... naming file:line" grep -q "typo.ini:3: unknown key 'machne'" "$work/err"
printf '[title]\nmachine = diskguest.ini\nromsets = no-such-set\n' >"$work/t/roms.ini"
expect_exit "title verify audits the title's ROM sets (a missing one exits 1)" 1 \
    "$VITRINE" title verify "$work/t/roms.ini" --rom-path "$work/t"
check "... and names it" grep -q "romset no-such-set: BAD" "$work/out"
