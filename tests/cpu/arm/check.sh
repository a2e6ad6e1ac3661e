#!/bin/sh
# ARM instruction-level tests: our own C/asm programs (this folder), built with
# arm-linux-gnueabi-gcc -static, run under Vitrine and qemu-arm-static with the same core
# (arm1136; arm925t = QEMU's ti925t);
# stdout and exit status must match byte for byte (stderr carries Vitrine's log lines for
# deliberately undefined instructions, so it is not compared). The random VFP sequences
# (vfp_random.sh) follow with their own plan.
VITRINE=${VITRINE:-$PWD/build/vitrine}
here=$(cd "$(dirname "$0")" && pwd)
cache=${VITRINE_CACHE:-$PWD/cache}/cpu-arm
mkdir -p "$cache"
CC=arm-linux-gnueabi-gcc
# name source model flags (model: Vitrine's; QEMU's equivalent is picked below)
cases="alu_flags alu_flags.c arm1136 -march=armv6 -marm
multiply multiply.c arm1136 -march=armv6 -marm
media media.c arm1136 -march=armv6 -marm
loadstore loadstore.c arm1136 -march=armv6 -marm -Wa,-mno-warn-deprecated
thumb thumb.c arm1136 -march=armv6 -mthumb
thumb_v5 thumb.c arm1136 -march=armv5te -mthumb -DNO_V6
sigill sigill.c arm1136 -march=armv5te -marm
thumb_work thumb_work.c arm1136 -march=armv5te -mthumb -O2
v4t_bare v4t_bare.c arm925t -march=armv4t -marm -mthumb-interwork -nostdlib -ffreestanding
vfp_ops vfp_ops.c arm1136 -march=armv6 -marm -mfpu=vfp -mfloat-abi=softfp -lm
vfp_libm vfp_libm.c arm1136 -march=armv6 -marm -mfpu=vfp -mfloat-abi=softfp -O2 -lm"
echo "1..$(echo "$cases" | grep -c .)"
command -v $CC >/dev/null || { echo "not ok - arm: $CC missing (make deps installs it)"; exit 1; }
command -v qemu-arm-static >/dev/null || { echo "not ok - arm: qemu-arm-static missing"; exit 1; }

echo "$cases" | while read -r name src model flags; do
    case "$name" in ''|'#'*) continue ;; esac
    bin="$cache/$name"
    if [ ! -x "$bin" ] || [ "$here/$src" -nt "$bin" ]; then
        if ! $CC -static -O1 -o "$bin" "$here/$src" $flags 2> "$cache/$name.cc.log"; then
            echo "not ok - arm cpu $name (build)"
            sed 's/^/# /' "$cache/$name.cc.log" | head -5
            continue
        fi
    fi
    case "$model" in arm925t) qcpu=ti925t ;; *) qcpu=$model ;; esac
    qemu-arm-static -cpu "$qcpu" "$bin" > "$cache/$name.ref" 2> /dev/null
    rs=$?
    "$VITRINE" user arm --cpu "$model" "$bin" > "$cache/$name.out" 2> "$cache/$name.err"
    vs=$?
    if [ $rs = $vs ] && cmp -s "$cache/$name.ref" "$cache/$name.out"; then
        echo "ok - arm cpu $name ($(wc -l < "$cache/$name.ref") lines, status $rs)"
    else
        echo "not ok - arm cpu $name (status qemu $rs vitrine $vs)"
        diff "$cache/$name.ref" "$cache/$name.out" | head -10 | sed 's/^/# /'
    fi
done
sh "$here/vfp_random.sh"
