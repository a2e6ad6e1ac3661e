#!/bin/sh
# i386 Linux user mode: busybox sha256sum / gzip / awk workloads (Debian busybox-static:i386)
# under Vitrine with the x86 JIT off and on (--jit), qemu-i386-static and natively on the host.
# Prints the median wall time of each (RUNS runs, default 3) and the ratios of both Vitrine
# columns to QEMU and of the JIT column to native. No thresholds.
BUILD=${BUILD:-build}
VITRINE=${VITRINE:-$PWD/$BUILD/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
RUNS=${RUNS:-3}
dir=$(sh tests/scripts/fetch_deb.sh busybox-static:i386) || { echo "bench_x86_user: cannot fetch busybox-static:i386"; exit 0; }
BB="$dir/bin/busybox"
QEMU=$(command -v qemu-i386-static || true)
if ! "$VITRINE" user i386 "$BB" true 2>/dev/null; then
    echo "bench_x86_user: '$VITRINE user i386' not available, skipped"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# deterministic inputs: 2 MiB of pseudo-random bytes and 1 MiB of text
awk 'BEGIN { x = 1; for (i = 0; i < 2097152; i++) { x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 8388608) } }' > "$tmp/data.bin"
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "line %d of the benchmark text %d\n", i, (i * 7919) % 10007 }' > "$tmp/text.txt"

now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# $1 = runner ("" native), rest = busybox applet command; prints the median in ms
measure() {
    runner=$1
    shift
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now)
        $runner "$BB" "$@" > /dev/null 2>&1
        t1=$(now)
        echo $(((t1 - t0) / 1000000))
        i=$((i + 1))
    done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

printf '%-8s %9s %9s %8s %9s %9s %9s %11s\n' workload off_ms jit_ms qemu_ms native_ms off/qemu jit/qemu jit/native
for w in sha256 gzip awk; do
    case $w in
    sha256) set -- sha256sum "$tmp/data.bin" ;;
    gzip) set -- gzip -c "$tmp/text.txt" ;;
    awk) set -- awk 'BEGIN { for (i = 0; i < 200000; i++) s += i % 7 * i; print s }' ;;
    esac
    v=$(measure "$VITRINE user i386 --jit off" "$@")
    j=$(measure "$VITRINE user i386 --jit on" "$@")
    if [ -n "$QEMU" ]; then q=$(measure "$QEMU" "$@"); else q=0; fi
    n=$(measure "" "$@")
    printf '%-8s %9s %9s %8s %9s %9s %9s %11s\n' "$w" "$v" "$j" "$q" "$n" "$(ratio "$v" "$q")" \
        "$(ratio "$j" "$q")" "$(ratio "$j" "$n")"
done
