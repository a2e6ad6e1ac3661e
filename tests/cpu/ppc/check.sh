#!/bin/sh
# PowerPC 750 core vs. qemu-ppc-static -cpu 750 (QEMU 7.2): random instruction sequences
# (tests/cpu/ppc/gen_ppc.c) are assembled with powerpc-linux-gnu-as, run as a static
# freestanding ELF under QEMU and as a flat image on the Vitrine core (ppc_harness.c, user
# mode, no Linux layer); their result records are compared. A quarter of the sequences run
# with FP exceptions enabled (VE/ZE/XE): SIGFPE under QEMU, a program trap on Vitrine, both
# landing at the sequence's end. One TAP line per batch, then robustness runs of random
# instruction words (user mode) and random system-mode code. 20 batches x 5000 sequences by default;
# VITRINE_TEST_LONG=1 runs 200 batches. Env: BUILD (build dir holding libvitrine.a), CC.
BUILD=${BUILD:-build}
CC=${CC:-cc}
here=$(dirname "$0")
work="$BUILD/ppc-seq"
batches=20
per=5000
[ -n "$VITRINE_TEST_LONG" ] && batches=200
mkdir -p "$work"
X=powerpc-linux-gnu

for tool in $X-as $X-ld $X-objcopy $X-nm qemu-ppc-static; do
    if ! command -v $tool >/dev/null; then
        echo "1..1"
        echo "ok - ppc random sequences # SKIP $tool missing (make deps installs it)"
        exit 0
    fi
done
echo "1..$((batches + 2))"

san=""
case "$BUILD" in *san*) san="-fsanitize=address,undefined -fno-sanitize-recover=all" ;; esac
if ! $CC -O2 -Wall -Werror -o "$work/gen_ppc" "$here/gen_ppc.c" 2>"$work/build.log" ||
    ! $CC -std=c17 -O2 -g -D_GNU_SOURCE -I. $san -o "$work/ppc_harness" "$here/ppc_harness.c" \
        "$BUILD/libvitrine.a" -lm 2>>"$work/build.log"; then
    sed 's/^/# /' "$work/build.log"
    b=0
    while [ "$b" -le "$((batches + 1))" ]; do
        echo "not ok - ppc random sequences: harness build failed"
        b=$((b + 1))
    done
    exit 0
fi

total=0
known=0
fptraps=0
b=1
while [ "$b" -le "$batches" ]; do
    base="$work/seq$b"
    ok=1
    "$work/gen_ppc" "$b" "$per" >"$base.s" &&
        $X-as -mppc "$base.s" -o "$base.o" &&
        $X-ld -N -T "$here/ppc_seq.ld" -e _start "$base.o" -o "$base.elf" 2>/dev/null &&
        $X-objcopy -O binary "$base.elf" "$base.bin" &&
        qemu-ppc-static -cpu 750 "$base.elf" >"$base.qemu" || ok=0
    load=$($X-nm "$base.elf" 2>/dev/null | sed -n 's/^\([0-9a-f]*\) T _start$/\1/p')
    if [ "$ok" = 0 ] || [ -z "$load" ]; then
        echo "not ok - ppc random batch $b: could not build or run under QEMU"
    elif "$work/ppc_harness" "$base.bin" "$load" "$base.qemu" "$base.s" >"$base.log" 2>&1; then
        summary=$(tail -1 "$base.log" | sed 's/^# //')
        echo "ok - ppc random batch $b ($summary)"
        total=$((total + per))
        known=$((known + $(echo "$summary" | sed -n 's/.* \([0-9]*\) single-denormal.*/\1/p')))
        fptraps=$((fptraps + $(echo "$summary" | sed -n 's/.* \([0-9]*\) enabled FP.*/\1/p')))
        rm -f "$base.s" "$base.o" "$base.elf" "$base.bin" "$base.qemu"
    else
        echo "not ok - ppc random batch $b (seed $b, $per sequences)"
        head -80 "$base.log"
    fi
    b=$((b + 1))
done
echo "# ppc: $total sequences identical to qemu-ppc-static -cpu 750 ($fptraps ended in an enabled FP exception; $known compared after the single-denormal FPRF normalisation)"

# robustness: random instruction words must only ever end in guest traps
n=200000
[ -n "$VITRINE_TEST_LONG" ] && n=2000000
if "$work/ppc_harness" --random-words "$n" 7 >"$work/random.log" 2>/dev/null; then
    echo "ok - ppc random instruction words ($(tail -1 "$work/random.log" | sed 's/^# //'))"
else
    echo "not ok - ppc random instruction words crashed the core"
fi
m=$((n / 10))
if "$work/ppc_harness" --random-system "$m" 7 >"$work/random-sys.log" 2>/dev/null; then
    echo "ok - ppc random system-mode code ($(tail -1 "$work/random-sys.log" | sed 's/^# //'))"
else
    echo "not ok - ppc random system-mode code crashed the core"
fi
exit 0
