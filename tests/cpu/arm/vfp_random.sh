#!/bin/sh
# Random VFPv2 instruction sequences (gen_vfp.c) on the ARM1136: each batch is one static
# program (vfp_rand_main.c + the generated sequences) run under Vitrine and under
# qemu-arm-static -cpu arm1136; the printed registers, FPSCR and flags must match byte for
# byte. One TAP line per batch of 1000 sequences, 10 batches (VITRINE_TEST_LONG=1: 100).
VITRINE=${VITRINE:-$PWD/build/vitrine}
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
work="$BUILD/arm-vfp-seq"
batches=10
per=1000
[ -n "$VITRINE_TEST_LONG" ] && batches=100
CC=arm-linux-gnueabi-gcc
echo "1..$batches"
mkdir -p "$work"
fail_all() {
    b=1
    while [ $b -le $batches ]; do
        echo "not ok - arm vfp random batch $b ($1)"
        b=$((b + 1))
    done
    exit 1
}
command -v $CC >/dev/null || fail_all "$CC missing (make deps installs it)"
command -v qemu-arm-static >/dev/null || fail_all "qemu-arm-static missing"
${HOSTCC:-cc} -O2 -o "$work/gen_vfp" "$here/gen_vfp.c" || fail_all "gen_vfp does not build"
b=1
while [ $b -le $batches ]; do
    name="$work/seq$b"
    "$work/gen_vfp" "$b" "$per" > "$name.S" &&
        $CC -static -O1 -march=armv6 -marm -mfpu=vfp -mfloat-abi=softfp -o "$name" \
            "$here/vfp_rand_main.c" "$name.S" 2> "$name.cc.log"
    if [ $? != 0 ]; then
        echo "not ok - arm vfp random batch $b (build)"
        head -5 "$name.cc.log" | sed 's/^/# /'
    else
        qemu-arm-static -cpu arm1136 "$name" > "$name.ref" 2>&1
        rs=$?
        "$VITRINE" user arm --cpu arm1136 "$name" > "$name.out" 2> "$name.err"
        vs=$?
        if [ $rs = $vs ] && [ "$(wc -l < "$name.ref")" = $per ] && cmp -s "$name.ref" "$name.out"; then
            echo "ok - arm vfp random batch $b ($per sequences, seed $b)"
        else
            echo "not ok - arm vfp random batch $b (status qemu $rs vitrine $vs)"
            diff "$name.ref" "$name.out" | head -6 | sed 's/^/# /'
        fi
    fi
    b=$((b + 1))
done
