#!/bin/sh
# x86 core vs. the host CPU: random i386 instruction sequences (tests/cpu/x86/gen_x86.c) are
# assembled with `as --32`, run natively as a static i386 program and on the Vitrine core
# (x86_harness.c, no Linux layer), and their result records compared. One TAP line per batch.
# 20 batches x 5000 sequences by default; VITRINE_TEST_LONG=1 runs 200 batches.
# Env: BUILD (build dir holding libvitrine.a), CC.
BUILD=${BUILD:-build}
CC=${CC:-cc}
here=$(dirname "$0")
work="$BUILD/x86-seq"
batches=20
per=5000
[ -n "$VITRINE_TEST_LONG" ] && batches=200
mkdir -p "$work"

case "$(uname -m)" in
x86_64 | i?86) ;;
*)
    echo "ok - x86 random sequences # SKIP host is not x86 (the oracle is the host CPU)"
    exit 0
    ;;
esac

san=""
case "$BUILD" in *san*) san="-fsanitize=address,undefined -fno-sanitize-recover=all" ;; esac
if ! $CC -O2 -o "$work/gen_x86" "$here/gen_x86.c" 2>"$work/build.log" ||
    ! $CC -std=c17 -O2 -g -D_GNU_SOURCE -I. $san -o "$work/x86_harness" "$here/x86_harness.c" \
        "$BUILD/libvitrine.a" -lm 2>>"$work/build.log"; then
    echo "not ok - x86 random sequences: harness build failed"
    sed 's/^/# /' "$work/build.log"
    exit 0
fi

# can this kernel run i386 code at all?
printf '.globl _start\n_start: movl $1,%%eax\n movl $0,%%ebx\n int $0x80\n' >"$work/probe.s"
if ! as --32 "$work/probe.s" -o "$work/probe.o" 2>/dev/null ||
    ! ld -m elf_i386 "$work/probe.o" -o "$work/probe" 2>/dev/null || ! "$work/probe"; then
    echo "ok - x86 random sequences # SKIP host cannot assemble or run i386 code"
    exit 0
fi

total=0
b=1
while [ "$b" -le "$batches" ]; do
    base="$work/seq$b"
    ok=1
    "$work/gen_x86" "$b" "$per" >"$base.s" &&
        as --32 "$base.s" -o "$base.o" &&
        ld -m elf_i386 -Ttext=0x08048000 -e _start "$base.o" -o "$base.elf" 2>/dev/null &&
        objcopy -O binary "$base.elf" "$base.bin" &&
        "$base.elf" >"$base.native" || ok=0
    if [ "$ok" = 0 ]; then
        echo "not ok - x86 random batch $b: could not build or run natively"
    elif "$work/x86_harness" "$base.bin" "$base.native" "$base.s" >"$base.log" 2>&1; then
        echo "ok - x86 random batch $b ($per sequences: $(tail -1 "$base.log" | sed 's/^# //'))"
        total=$((total + per))
        rm -f "$base.s" "$base.o" "$base.elf" "$base.bin" "$base.native"
    else
        echo "not ok - x86 random batch $b (seed $b, $per sequences)"
        head -60 "$base.log"
    fi
    b=$((b + 1))
done
echo "# x86: $total sequences identical to the host CPU"

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
