#!/bin/sh
# qcow2 overlay throughput: Vitrine's block layer (tests/img/blkio bench) against `qemu-img
# bench` on the same overlay sizes and access patterns: 4 KiB requests, queue depth 1,
# sequential (step 4 KiB) and scattered (step 7919 * 4 KiB modulo the disk, qemu-img bench's
# wrap rule), writes into a fresh overlay, reads from a fully written one. Median of 3 runs.
BUILD=${BUILD:-build}
COUNT=${BENCH_QCOW2_COUNT:-32768}
SIZE=256M
W=$(mktemp -d "${TMPDIR:-/tmp}/vt-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT
make -s --no-print-directory "$BUILD/libvitrine.a" >/dev/null 2>&1
B="$W/blkio"
if ! ${CC:-cc} -std=c17 -D_GNU_SOURCE -I. -O2 -o "$B" tests/img/blkio.c "$BUILD/libvitrine.a" \
    -lnettle -lz; then
    echo "bench_qcow2: cannot build tests/img/blkio"
    exit 1
fi
command -v qemu-img >/dev/null || { echo "bench_qcow2: qemu-img missing"; exit 1; }
cd "$W" || exit 1
truncate -s $SIZE base.raw

median() { sort -n | sed -n 2p; }
fresh() { rm -f "$1"; qemu-img create -q -f qcow2 -b base.raw -F raw "$1"; }

# prepare one fully written overlay for the read runs
fresh full.qcow2
qemu-io -c "write -P 0x5a 0 $SIZE" full.qcow2 >/dev/null

run_vitrine() { # mode step
    for i in 1 2 3; do
        if [ "$1" = write ]; then fresh v.qcow2; img=v.qcow2; else img=full.qcow2; fi
        "$B" bench "$img" "$1" "$COUNT" "$2"
    done | median
}
run_qemu() { # mode step
    for i in 1 2 3; do
        if [ "$1" = write ]; then fresh q.qcow2; img=q.qcow2; w=-w; else img=full.qcow2; w=; fi
        qemu-img bench -f qcow2 -t writeback -d 1 -s 4096 -c "$COUNT" -S "$2" $w "$img" |
            sed -n 's/.*completed in \([0-9.]*\) seconds.*/\1/p'
    done | median
}

printf "%-24s %12s %12s %8s\n" "4 KiB x $COUNT" "Vitrine MB/s" "QEMU MB/s" "ratio"
for spec in "sequential read:read:4096" "sequential write:write:4096" \
    "scattered read:read:32436224" "scattered write:write:32436224"; do
    name=${spec%%:*}
    rest=${spec#*:}
    mode=${rest%%:*}
    step=${rest#*:}
    tv=$(run_vitrine "$mode" "$step")
    tq=$(run_qemu "$mode" "$step")
    awk -v n="$name" -v c="$COUNT" -v tv="$tv" -v tq="$tq" 'BEGIN {
        mb = c * 4096 / 1048576; v = mb / tv; q = mb / tq
        printf "%-24s %12.1f %12.1f %8.2f\n", n, v, q, v / q }'
done
echo "(ratio = Vitrine / QEMU throughput; > 1 means Vitrine is faster)"
