#!/bin/sh
# `vitrine run` from the command line: exit codes, profile errors with file:line, --set,
# --serial specs, and --snapshot leaving a read-only base untouched.
VITRINE=${VITRINE:-build/vitrine}
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

count=0
check() { # name, then a command that must succeed
    name=$1
    shift
    count=$((count + 1))
    if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fi
}

expect_exit() { # name, expected status, command...
    name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    count=$((count + 1))
    if [ "$got" = "$want" ]; then
        echo "ok - $name"
    else
        echo "not ok - $name (exit $got, wanted $want)"
        sed 's/^/# /' "$work/err" | head -5
    fi
}

expect_exit "testmachine runs 1 s of emulated time" 0 \
    "$VITRINE" run testmachine --until 1s --serial none
expect_exit "unknown profile exits 2" 2 "$VITRINE" run no-such-machine
expect_exit "unknown option exits 2" 2 "$VITRINE" run testmachine --frobnicate
expect_exit "bad --serial exits 2" 2 "$VITRINE" run testmachine --serial bogus:x --until 1ms
printf '[machine]\nname = t\ncpu = none\n[memory.ram]\nbase = 0\nsize = 1M\nsise = 4\n' >"$work/typo.ini"
expect_exit "INI typo exits 2" 2 "$VITRINE" run "$work/typo.ini"
check "INI typo names file:line and key" grep -q "typo.ini:7: unknown key 'sise' in \[memory.ram\]" "$work/err"
expect_exit "--set with a typo exits 2" 2 "$VITRINE" run testmachine --set memory.ram.sise=2M
check "--set typo is reported as --set" grep -q "^vitrine: --set: unknown key 'sise'" "$work/err"
"$VITRINE" run testmachine --until 10ms --serial none --state-hash >"$work/h1"
"$VITRINE" run testmachine --until 10ms --serial none --state-hash >"$work/h2"
check "same run, same state hash" cmp -s "$work/h1" "$work/h2"

# --snapshot: the base is opened read-only, so a read-only file works and stays unchanged
head -c 65536 /dev/zero | tr '\0' 'V' >"$work/base.raw"
chmod 444 "$work/base.raw"
sum_before=$(sha256sum <"$work/base.raw")
expect_exit "--snapshot over a read-only base" 0 \
    "$VITRINE" run testmachine --disk "$work/base.raw" --snapshot --until 1ms --serial none
check "--snapshot leaves the base unchanged" [ "$(sha256sum <"$work/base.raw")" = "$sum_before" ]
check "--snapshot leaves no overlay file behind" [ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -newer "$work/base.raw" -name '*vitrine*' -user "$(id -u)" 2>/dev/null | head -1)" ]

# --until: digits and a unit; signs, overflow and bare numbers exit 2 (issue 9.6)
for bad in -1ps -18446744073709541616ps 18446744073709551616ps 20000000000s 5 1.5s " 1s" 1sec; do
    expect_exit "--until '$bad' exits 2" 2 "$VITRINE" run testmachine --serial none --until "$bad"
    check "--until '$bad' says why" grep -q "bad duration" "$work/err"
done

# --serial file:PATH appends, is not touched by a bad profile, truncates only on request (9.4)
printf 'keep me\n' >"$work/serial.log"
expect_exit "bad profile with --serial file: exits 2" 2 \
    "$VITRINE" run "$work/typo.ini" --serial "file:$work/serial.log"
check "bad profile leaves the serial file untouched" grep -qx "keep me" "$work/serial.log"
printf '[machine]\nname = t\ncpu = none\n[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n' >"$work/dev.ini"
expect_exit "good profile with --serial file: runs" 0 \
    "$VITRINE" run "$work/dev.ini" --serial "file:$work/serial.log" --until 1ms
check "--serial file: appends" grep -qx "keep me" "$work/serial.log"
expect_exit "--serial file:PATH,truncate runs" 0 \
    "$VITRINE" run "$work/dev.ini" --serial "file:$work/serial.log,truncate" --until 1ms
check "--serial file:PATH,truncate empties the file" [ ! -s "$work/serial.log" ]

# a FIFO as the profile or an include is refused at once (9.7); a huge clock is a file:line error
mkfifo "$work/fifo.ini"
printf '[machine]\nname = t\ncpu = none\ninclude = fifo.ini\n' >"$work/inc.ini"
expect_exit "FIFO include exits 2" 2 "$VITRINE" run "$work/inc.ini" --serial none --until 1ms
check "FIFO include names file:line" grep -q "inc.ini:4: in include 'fifo.ini'.*not a regular file" "$work/err"
expect_exit "FIFO profile exits 2" 2 "$VITRINE" run "$work/fifo.ini" --serial none --until 1ms
printf '[machine]\nname = t\ncpu = microsparc2\nclock = 0xffffffffffffffff\n' >"$work/clk.ini"
expect_exit "clock 2^64-1 exits 2" 2 "$VITRINE" run "$work/clk.ini" --serial none --until 1ns
check "clock 2^64-1 names file:line" grep -q "clk.ini:4: clock .* out of range" "$work/err"

# irq = cpu.99 on a 15-line CPU (9.11)
printf '[machine]\nname = t\ncpu = microsparc2\nclock = 1000000\n[device.ic]\ntype = slavio-intctl\nbase = 0x71e00000\nsize = 0x10014\nirq = cpu.99\n' >"$work/irq.ini"
expect_exit "irq = cpu.99 exits 2" 2 "$VITRINE" run "$work/irq.ini" --serial none --until 1ms
check "irq = cpu.99 names file:line" grep -q "irq.ini:9: the CPU (microsparc2) has interrupt lines 1..15, not 99" "$work/err"

# irq9 on a one-output device is refused at its line (issue 10 acceptance)
printf '[machine]\nname = t\ncpu = none\n[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\nirq9 = t.1\n' >"$work/irq9.ini"
expect_exit "irq9 on a one-output device exits 2" 2 "$VITRINE" run "$work/irq9.ini" --serial none --until 1ms
check "irq9 names file:line" grep -q "irq9.ini:8: type vitrine-testdev has 1 interrupt output" "$work/err"

# a comment longer than inih's line buffer is a comment, not a key (9.5)
pad=$(head -c 600 /dev/zero | tr '\0' x)
printf '[machine]\nname = t\ncpu = none\n[memory.ram]\nbase = 0\n; %s size = 1M\nsize = 64K\n' "$pad" >"$work/long.ini"
expect_exit "long comment line is ignored" 0 "$VITRINE" run "$work/long.ini" --serial none --until 1ms

# vitrine devices [CLASS]: every class with keys, types, defaults and help
expect_exit "devices lists every class" 0 "$VITRINE" devices
check "devices shows z8530 with its reg_shift key" grep -q "^  reg_shift *number *1 " "$work/out"
expect_exit "devices CLASS shows one class" 0 "$VITRINE" devices pci-testdev
check "devices pci-testdev shows the required slot key" grep -q "^  slot *number *(required)" "$work/out"
expect_exit "devices with an unknown class exits 2" 2 "$VITRINE" devices ns16551

echo "1..$count"
