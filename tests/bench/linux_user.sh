#!/bin/sh
# Linux user-mode benchmark for one guest architecture ($1: arm or i386): Debian's static
# busybox doing sha256sum of 32 MiB, gzip -c of 8 MiB and an awk loop of 10^6 iterations,
# under Vitrine with the interpreter (--jit off), Vitrine with the JIT (--jit on) and
# qemu-<arch>-static, run alternately (RUNS times each, default 3); prints the median wall time
# of each and each Vitrine/QEMU ratio, and warns when an output differs from QEMU's. No
# thresholds. Called by bench_arm_user.sh and bench_x86_user.sh.
arch=$1
case $arch in
arm) pkg=busybox-static:armel ;;
i386) pkg=busybox-static:i386 ;;
*) echo "usage: linux_user.sh arm|i386" >&2; exit 2 ;;
esac
VITRINE=${VITRINE:-$PWD/build/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
RUNS=${RUNS:-3}
QEMU=$(command -v "qemu-$arch-static") || { echo "qemu-$arch-static missing"; exit 1; }
BB="$(sh tests/scripts/fetch_deb.sh "$pkg")/bin/busybox" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# deterministic data: 64 KiB of LCG hex text repeated (repeats lie beyond gzip's 32 KiB
# window, so it compresses like the text itself)
awk 'BEGIN { x = 1; for (i = 0; i < 65536 / 64; i++) { s = ""; for (j = 0; j < 8; j++) { x = (x * 1103515245 + 12345) % 2147483648; s = s sprintf("%07x ", x) } print s } }' > "$tmp/64k"
for i in $(seq 128); do cat "$tmp/64k"; done > "$tmp/8m.dat"
for i in 1 2 3 4; do cat "$tmp/8m.dat"; done > "$tmp/32m.dat"

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench() { # name, then the busybox arguments
    name=$1
    shift
    : > "$tmp/v.times"
    : > "$tmp/j.times"
    : > "$tmp/q.times"
    for r in $(seq "$RUNS"); do
        t0=$(now); "$VITRINE" user "$arch" --jit off "$BB" "$@" > "$tmp/v.out"; t1=$(now)
        awk "BEGIN { print $t1 - $t0 }" >> "$tmp/v.times"
        t0=$(now); "$VITRINE" user "$arch" --jit on "$BB" "$@" > "$tmp/j.out"; t1=$(now)
        awk "BEGIN { print $t1 - $t0 }" >> "$tmp/j.times"
        t0=$(now); "$QEMU" "$BB" "$@" > "$tmp/q.out"; t1=$(now)
        awk "BEGIN { print $t1 - $t0 }" >> "$tmp/q.times"
        cmp -s "$tmp/v.out" "$tmp/q.out" || echo "  warning: $name output differs (jit off)"
        cmp -s "$tmp/j.out" "$tmp/q.out" || echo "  warning: $name output differs (jit on)"
    done
    v=$(median < "$tmp/v.times")
    j=$(median < "$tmp/j.times")
    q=$(median < "$tmp/q.times")
    printf '%-5s %-18s jit off %7.3f s  jit on %7.3f s  qemu %7.3f s  ratio off %5.2f  on %5.2f\n' \
        "$arch" "$name" "$v" "$j" "$q" "$(awk "BEGIN { print $v / $q }")" "$(awk "BEGIN { print $j / $q }")"
}

bench "sha256sum 32 MiB" sha256sum "$tmp/32m.dat"
bench "gzip -c 8 MiB" gzip -c "$tmp/8m.dat"
bench "awk loop 10^6" awk 'BEGIN { for (i = 0; i < 1000000; i++) s += i % 7; print s }'
