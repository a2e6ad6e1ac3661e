#!/bin/sh
# x86 core vs. a real i686-class CPU: random i386 instruction sequences (tests/cpu/x86/gen_x86.c)
# are assembled with `as --32` and run on the Vitrine core (x86_harness.c, no Linux layer); the
# oracle is the host CPU itself where the kernel runs i386 ELF, else the per-seed SHA-256 of the
# host CPU's result records recorded on a host that could (golden.sha256, see record_golden.sh).
# One TAP line per batch of 5000 sequences, 20 batches by default (VITRINE_TEST_LONG=1: 200).
# Env: BUILD (build dir holding libvitrine.a), CC, VITRINE_X86_ORACLE=golden (or VITRINE_NO_IA32=1,
# which acts as a host without ia32 emulation for every suite) to force the digests.
BUILD=${BUILD:-build}
CC=${CC:-cc}
here=$(dirname "$0")
work="$BUILD/x86-seq"
golden="$here/golden.sha256"
batches=20
per=5000
[ -n "$VITRINE_TEST_LONG" ] && batches=200
mkdir -p "$work"

case "$(uname -m)" in
x86_64 | i?86) ;;
*)
    echo "1..1"
    echo "ok - x86 random sequences # SKIP host is not x86: the x87 backend and the oracle need one"
    exit 0
    ;;
esac

# can this kernel run i386 code at all? If not, the golden digests are the oracle.
oracle=native
printf '.globl _start\n_start: movl $1,%%eax\n movl $0,%%ebx\n int $0x80\n' >"$work/probe.s"
as --32 "$work/probe.s" -o "$work/probe.o" 2>/dev/null &&
    ld -m elf_i386 "$work/probe.o" -o "$work/probe" 2>/dev/null || oracle=noas
[ "$oracle" = native ] && ! "$work/probe" 2>/dev/null && oracle=golden
{ [ "$VITRINE_X86_ORACLE" = golden ] || [ -n "$VITRINE_NO_IA32" ]; } && [ "$oracle" != noas ] && oracle=golden

# plan: batches + random bytes + random system code (+ golden freshness check when native)
plan=$((batches + 2))
[ "$oracle" = native ] && plan=$((plan + 1))
echo "1..$plan"
echo "# x86 oracle: $oracle$([ "$oracle" = golden ] && echo " (host CPU digests recorded in $golden)")"

san=""
case "$BUILD" in *san*) san="-fsanitize=address,undefined -fno-sanitize-recover=all" ;; esac
if [ "$oracle" = noas ] ||
    ! $CC -O2 -o "$work/gen_x86" "$here/gen_x86.c" 2>"$work/build.log" ||
    ! $CC -std=c17 -O2 -g -D_GNU_SOURCE -I. $san -o "$work/x86_harness" "$here/x86_harness.c" \
        "$BUILD/libvitrine.a" -lm 2>>"$work/build.log"; then
    echo "not ok - x86 random sequences: harness, generator or i386 assembler (binutils) unavailable"
    sed 's/^/# /' "$work/build.log"
    exit 1
fi

total=0
stale=0
b=1
while [ "$b" -le "$batches" ]; do
    base="$work/seq$b"
    want=$(awk -v s="$b" -v n="$per" '$1 == s && $2 == n { print $3 }' "$golden")
    ok=1
    "$work/gen_x86" "$b" "$per" >"$base.s" &&
        as --32 "$base.s" -o "$base.o" &&
        ld -m elf_i386 -Ttext=0x08048000 -e _start "$base.o" -o "$base.elf" 2>/dev/null &&
        objcopy -O binary "$base.elf" "$base.bin" || ok=0
    if [ "$ok" = 1 ] && [ "$oracle" = native ]; then
        "$base.elf" >"$base.native" || ok=0
        [ "$ok" = 1 ] && [ "$(sha256sum <"$base.native" | cut -d' ' -f1)" != "$want" ] &&
            stale=$((stale + 1))
    fi
    if [ "$ok" = 0 ]; then
        echo "not ok - x86 random batch $b: could not build or run the reference"
    elif [ "$oracle" = native ]; then
        if "$work/x86_harness" "$base.bin" "$base.native" "$base.s" >"$base.log" 2>&1; then
            echo "ok - x86 random batch $b vs host CPU ($per sequences: $(tail -1 "$base.log" | sed 's/^# //'))"
            total=$((total + per))
            rm -f "$base.s" "$base.o" "$base.elf" "$base.bin" "$base.native"
        else
            echo "not ok - x86 random batch $b (seed $b, $per sequences)"
            head -60 "$base.log"
        fi
    elif [ -z "$want" ]; then
        echo "not ok - x86 random batch $b: no golden digest for seed $b x $per in $golden"
    elif "$work/x86_harness" "$base.bin" --records "$base.rec" >"$base.log" 2>&1 &&
        [ "$(sha256sum <"$base.rec" | cut -d' ' -f1)" = "$want" ]; then
        echo "ok - x86 random batch $b vs golden digest ($per sequences: $(tail -1 "$base.log" | sed 's/^# //'))"
        total=$((total + per))
        rm -f "$base.s" "$base.o" "$base.elf" "$base.bin" "$base.rec"
    else
        echo "not ok - x86 random batch $b (seed $b): result records differ from the host CPU's digest"
        echo "# run tests/cpu/x86/check.sh on a host that runs i386 ELF to see which sequences differ"
        head -20 "$base.log"
    fi
    b=$((b + 1))
done
echo "# x86: $total sequences identical to the host CPU ($oracle)"
if [ "$oracle" = native ]; then
    if [ "$stale" = 0 ]; then
        echo "ok - x86 golden digests match this host CPU's records ($batches seeds)"
    else
        echo "not ok - x86 golden digests: $stale seeds differ from this host CPU's records (generator changed? run tests/cpu/x86/record_golden.sh)"
    fi
fi

# robustness: random instruction bytes must only ever end in guest traps
n=200000
[ -n "$VITRINE_TEST_LONG" ] && n=2000000
if "$work/x86_harness" --random-bytes "$n" 7 >"$work/random.log" 2>/dev/null; then
    echo "ok - x86 random instruction bytes ($(tail -1 "$work/random.log" | sed 's/^# //'))"
else
    echo "not ok - x86 random instruction bytes crashed the core"
fi
m=$((n / 10))
if "$work/x86_harness" --random-system "$m" 7 >"$work/random-sys.log" 2>/dev/null; then
    echo "ok - x86 random system-mode code ($(tail -1 "$work/random-sys.log" | sed 's/^# //'))"
else
    echo "not ok - x86 random system-mode code crashed the core"
fi
