#!/bin/sh
# qcow2 interoperability suite: Vitrine's block layer and `vitrine img` against qemu-img and
# qemu-io (Debian qemu-utils). Random-write overlays checked and compared by qemu-img, images
# written by qemu-io / compressed by qemu-img convert -c read back, crash consistency under
# SIGKILL, a corpus of bad images, base-change protection, commit, locking, --snapshot.
# Prints TAP lines; set IMG_CRASH_ROUNDS to change the number of crash points (default 200).
BUILD=${BUILD:-build}
VITRINE=${VITRINE:-$PWD/$BUILD/vitrine}
ROUNDS=${IMG_CRASH_ROUNDS:-200}
W=$(mktemp -d "${TMPDIR:-/tmp}/vt-img-XXXXXX")
trap 'rm -rf "$W"' EXIT
B="$W/blkio"

. tests/scripts/tap.sh
TAP_LOG="$W/err"
tap_plan 84
check() { # name, command...
    name=$1
    shift
    if "$@" >"$W/out" 2>"$W/err"; then ok "$name"; else nok "$name"; fi
}
# poke FILE OFFSET HEXBYTES: overwrite bytes in place
poke() {
    hex=$3 bytes=""
    while [ -n "$hex" ]; do
        bytes="$bytes\\$(printf %03o "0x$(echo "$hex" | cut -c1-2)")"
        hex=$(echo "$hex" | cut -c3-)
    done
    printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# refused NAME EXPECTED-TEXT COMMAND...: command exits 2 and prints a message containing the text
refused() {
    name=$1 text=$2
    shift 2
    "$@" >"$W/out" 2>"$W/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q "$text" "$W/err"; then ok "$name"; else nok "$name (exit $rc)"; fi
}

for t in qemu-img qemu-io; do
    command -v $t >/dev/null || tap_bail "$t missing (make deps installs qemu-utils)"
done
SANARG=""
SANF=""
[ "$BUILD" = build-san ] && { SANARG="SAN=1"; SANF="-fsanitize=address,undefined -fno-sanitize-recover=all"; }
make -s --no-print-directory $SANARG "$BUILD/libvitrine.a" >"$W/err" 2>&1 &&
    ${CC:-cc} -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -I. -O1 -g $SANF -o "$B" \
        tests/img/blkio.c "$BUILD/libvitrine.a" -lnettle -lz 2>>"$W/err"
if [ ! -x "$B" ]; then tap_bail "build tests/img/blkio"; fi
cd "$W" || tap_bail "cd $W"

# --- 10,000 random writes through core/block, then qemu-img check and compare -------------
"$B" gen base.raw 16M 1
qemu-img create -q -f qcow2 -o cluster_size=4096 base.qcow2 16M
qemu-io -c 'write -P 0x11 0 5M' -c 'write -P 0x22 7M 3M' -c 'write -z 12M 1M' base.qcow2 >/dev/null
qemu-img convert -O raw base.qcow2 base_qcow2.raw
randwrite_case() { # name, overlay, reference-start, seed
    cp "$3" ref.raw
    if ! "$B" randwrite "$2" ref.raw 10000 "$4" 2>err; then nok "$1: 10000 random writes"; return; fi
    check "$1: qemu-img check clean" qemu-img check -q "$2"
    check "$1: qemu-img compare identical" qemu-img compare -q "$2" ref.raw
    check "$1: vitrine reads back identical" "$B" compare "$2" ref.raw
}
"$VITRINE" img create -b base.raw -F raw ov_raw.qcow2 >/dev/null
randwrite_case "overlay on raw base (64 KiB clusters)" ov_raw.qcow2 base.raw 1
"$VITRINE" img create -o cluster_size=4096 -b base.qcow2 -F qcow2 ov_q.qcow2 >/dev/null
randwrite_case "overlay on qcow2 base (4 KiB clusters)" ov_q.qcow2 base_qcow2.raw 2
qemu-img create -q -f qcow2 -o cluster_size=512 -b base.raw -F raw ov_512.qcow2
randwrite_case "qemu-img overlay, 512 B clusters (refcount table grows)" ov_512.qcow2 base.raw 3
"$VITRINE" img create -o cluster_size=2M -b base.raw -F raw ov_2m.qcow2 >/dev/null
randwrite_case "overlay with 2 MiB clusters" ov_2m.qcow2 base.raw 4
for bits in 1 4 64; do
    qemu-img create -q -f qcow2 -o refcount_bits=$bits rc.qcow2 16M
    head -c 16M /dev/zero >rc.raw
    "$B" randwrite rc.qcow2 rc.raw 2000 $bits 2>err && qemu-img check -q rc.qcow2 2>err &&
        qemu-img compare -q rc.qcow2 rc.raw 2>err && ok "refcount_bits=$bits image written, checked, compared" ||
        nok "refcount_bits=$bits image written, checked, compared"
done

ql=$(qemu-img info ov_raw.qcow2)
case "$ql" in *"backing file: base.raw"*"backing file format: raw"*) ok "qemu-img info shows backing file and format" ;;
*) nok "qemu-img info shows backing file and format" ;; esac

# --- images written by QEMU, read by Vitrine ----------------------------------------------
qemu-img create -q -f qcow2 -b base.raw -F raw qo.qcow2
qemu-io -c 'write -P 0xab 100k 300k' -c 'write -z 1M 200k' -c 'write -P 0x5 3333 7777' \
    -c 'discard 4M 128k' -c 'write -P 0xcc 16383k 1k' qo.qcow2 >/dev/null
qemu-img convert -O raw qo.qcow2 qo.raw
check "qemu-io-written overlay reads identically" "$B" compare qo.qcow2 qo.raw
head -c 8M /dev/zero >pat.raw
qemu-io -f raw -c 'write -P 0x41 0 1M' -c 'write -P 0x42 2M 512k' -c 'write -P 0x43 5555k 77k' pat.raw >/dev/null
dd if=base.raw of=pat.raw bs=64k count=16 seek=64 conv=notrunc status=none
for cs in 512 65536 2M; do
    qemu-img convert -c -O qcow2 -o cluster_size=$cs pat.raw comp.qcow2
    if qemu-img check comp.qcow2 2>/dev/null | grep -q ' [1-9][0-9.]*% compressed'; then
        check "qemu-img convert -c ($cs clusters) read identically" "$B" compare comp.qcow2 pat.raw
    else nok "qemu-img convert -c ($cs clusters) produced compressed clusters"; fi
done
qemu-img convert -c -O qcow2 -o compat=0.10 pat.raw v2.qcow2
check "qcow2 version 2 (compressed) read identically" "$B" compare v2.qcow2 pat.raw
refused "qcow2 version 2 refused for writing" "version 2" "$B" open v2.qcow2 rw
qemu-img convert -c -O qcow2 pat.raw compw.qcow2
cp pat.raw compw.raw
"$B" randwrite compw.qcow2 compw.raw 3000 9 2>err && qemu-img check -q compw.qcow2 &&
    qemu-img compare -q compw.qcow2 compw.raw && ok "writes over compressed clusters (copy-on-write)" ||
    nok "writes over compressed clusters (copy-on-write)"

# --- vitrine img convert / map / check exit codes ------------------------------------------
"$VITRINE" img convert -O qcow2 pat.raw conv.qcow2 >/dev/null 2>err && qemu-img check -q conv.qcow2 &&
    qemu-img compare -q conv.qcow2 pat.raw && ok "img convert raw -> qcow2" || nok "img convert raw -> qcow2"
"$VITRINE" img convert -O raw qo.qcow2 conv.raw >/dev/null 2>err && cmp -s conv.raw qo.raw &&
    ok "img convert qcow2 -> raw" || nok "img convert qcow2 -> raw"
for img in qo.qcow2 ov_raw.qcow2 ov_q.qcow2; do
    "$VITRINE" img map $img >map.vt 2>err
    qemu-img map $img >map.qemu 2>>err
    if grep -q "$img" map.vt && cmp -s map.vt map.qemu; then ok "img map $img identical to qemu-img map"; else
        nok "img map $img identical to qemu-img map"
        diff map.vt map.qemu | head -5 | sed 's/^/# /'
    fi
done
qemu-img create -q -f qcow2 leak.qcow2 1M
qemu-io -c 'write -P 1 0 64k' leak.qcow2 >/dev/null
cp leak.qcow2 bad_rc.qcow2
poke leak.qcow2 $((0x40000)) 0000000000000000      # drop the L2 entry: data cluster leaks
"$VITRINE" img check leak.qcow2 >/dev/null 2>&1; rc=$?
[ $rc -eq 3 ] && ok "img check: leaks only -> exit 3" || nok "img check: leaks only -> exit 3 (got $rc)"
"$VITRINE" img check -r leaks leak.qcow2 >/dev/null 2>&1 && qemu-img check -q leak.qcow2 &&
    ok "img check -r leaks repairs (qemu-img check clean)" || nok "img check -r leaks repairs"
poke bad_rc.qcow2 $((0x2000a)) 0000                # refcount 0 for the data cluster
"$VITRINE" img check bad_rc.qcow2 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "img check: corruption -> exit 2" || nok "img check: corruption -> exit 2 (got $rc)"
"$VITRINE" img check -r all bad_rc.qcow2 >/dev/null 2>&1 && qemu-img check -q bad_rc.qcow2 &&
    ok "img check -r all repairs (qemu-img check clean)" || nok "img check -r all repairs"

qemu-img create -q -f qcow2 copied.qcow2 1M
qemu-io -c 'write -P 1 0 64k' copied.qcow2 >/dev/null
poke copied.qcow2 $((0x40000)) 0000000000050000    # COPIED flag missing on a refcount-1 cluster
"$VITRINE" img check copied.qcow2 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && "$VITRINE" img check -r all copied.qcow2 >/dev/null 2>&1 && qemu-img check -q copied.qcow2 &&
    ok "img check finds and repairs a wrong COPIED flag" || nok "img check finds and repairs a wrong COPIED flag"
# an L2 table overlapping the refcount table (issue 9.9): qemu-img check is the oracle
qemu-img create -q -f qcow2 ovr.qcow2 1M
qemu-io -c 'write -P 1 0 64k' ovr.qcow2 >/dev/null
poke ovr.qcow2 $((0x30000)) 8000000000010000     # L1[0] -> the refcount table's cluster
cp ovr.qcow2 ovr_qemu.qcow2
"$VITRINE" img check ovr.qcow2 >/dev/null 2>err; rc=$?
[ $rc -eq 2 ] && grep -q "refcount block 0 refcount=2" err && ok "img check: L2 table over the refcount table -> exit 2" ||
    nok "img check: L2 table over the refcount table -> exit 2 (got $rc)"
qemu-img check -q -r all ovr_qemu.qcow2 >/dev/null 2>&1
"$VITRINE" img check -r all ovr.qcow2 >/dev/null 2>err && qemu-img check ovr.qcow2 >out 2>&1 &&
    grep -q "No errors" out && qemu-img compare -q ovr.qcow2 ovr_qemu.qcow2 &&
    ok "img check -r all rebuilds the refcount structure (qemu-img check clean, reads as qemu-img's repair)" ||
    nok "img check -r all rebuilds the refcount structure (qemu-img check clean, reads as qemu-img's repair)"
qemu-img convert -O raw ovr.qcow2 ovr.raw
"$B" randwrite ovr.qcow2 ovr.raw 300 7 2>err && qemu-img check -q ovr.qcow2 && qemu-img compare -q ovr.qcow2 ovr.raw &&
    ok "... and the repaired image takes 300 random writes and stays clean" ||
    nok "... and the repaired image takes 300 random writes and stays clean"
qemu-img create -q -f qcow2 -o lazy_refcounts=on lazy.qcow2 4M
qemu-io -c 'write -P 0x61 0 1M' -c 'sigraise 9' lazy.qcow2 >/dev/null 2>&1
if "$VITRINE" img info lazy.qcow2 2>/dev/null | grep -q 'dirty: true' && "$B" open lazy.qcow2 rw 2>err &&
    qemu-img check -q lazy.qcow2 && ! "$VITRINE" img info lazy.qcow2 | grep -q 'dirty: true' &&
    ! qemu-io -c 'read -P 0x61 0 1M' lazy.qcow2 | grep -q -i fail; then
    ok "dirty image (lazy refcounts, qemu-io killed): writable open rebuilds refcounts"
else nok "dirty image (lazy refcounts, qemu-io killed): writable open rebuilds refcounts"; fi

# --- bad images: each refused with a clear message (exit 2) ---------------------------------
qemu-img create -q -f qcow2 good.qcow2 1M
head -c 50 good.qcow2 >trunc.qcow2
refused "truncated header" "truncated" "$VITRINE" img info trunc.qcow2
cp good.qcow2 l1.qcow2 && poke l1.qcow2 36 7fffffff
refused "huge L1 size" "L1 table" "$VITRINE" img info l1.qcow2
cp good.qcow2 cb.qcow2 && poke cb.qcow2 20 00000020
refused "cluster bits out of range" "cluster_bits" "$VITRINE" img info cb.qcow2
cp good.qcow2 rt.qcow2 && poke rt.qcow2 48 0000000100000000
refused "refcount table past end of file" "refcount table" "$VITRINE" img info rt.qcow2
cp good.qcow2 l1off.qcow2 && poke l1off.qcow2 40 0000000000030200
refused "unaligned L1 table" "L1 table" "$VITRINE" img info l1off.qcow2
cp good.qcow2 inc.qcow2 && poke inc.qcow2 79 20
refused "unknown incompatible feature bit" "incompatible qcow2 feature bit 5" "$VITRINE" img info inc.qcow2
cp good.qcow2 enc.qcow2 && poke enc.qcow2 32 00000001
refused "encrypted image" "encrypted" "$VITRINE" img info enc.qcow2
qemu-img create -q -f qcow2 loop_a.qcow2 1M
qemu-img create -q -f qcow2 -b loop_a.qcow2 -F qcow2 loop_b.qcow2
qemu-img rebase -q -u -b loop_b.qcow2 -F qcow2 loop_a.qcow2
refused "backing loop" "backing chain deeper" "$VITRINE" img info loop_b.qcow2
# a FIFO (issue 9.7) is refused at once instead of blocking in open() (timeout: a hang fails)
mkfifo fifo.img
refused "FIFO as img info's file refused" "is a FIFO" timeout 10 "$VITRINE" img info fifo.img
"$B" gen fbase.raw 64K 6
"$VITRINE" img create -b fbase.raw -F raw fifo_fp.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b fbase.raw -F raw fifo_nofp.qcow2
rm fbase.raw && mkfifo fbase.raw
refused "FIFO as backing file (fingerprinted overlay) refused" "backing file: fbase.raw: is a FIFO" \
    timeout 10 "$VITRINE" img info fifo_fp.qcow2
refused "FIFO as backing file (qemu-img overlay) refused" "backing file: fbase.raw: is a FIFO" \
    timeout 10 "$VITRINE" img map fifo_nofp.qcow2
refused "FIFO as img create -b base refused" "is a FIFO" timeout 10 "$VITRINE" img create -b fbase.raw -F raw nf.qcow2
refused "FIFO as img create's target refused" "is a FIFO" timeout 10 "$VITRINE" img create fifo.img 1M
cp good.qcow2 corrupt.qcow2 && poke corrupt.qcow2 79 02
refused "corrupt bit refused for writing" "marked corrupt" "$B" open corrupt.qcow2 rw
check "corrupt bit: read-only open allowed" "$B" open corrupt.qcow2
"$VITRINE" img check -r all corrupt.qcow2 >/dev/null 2>&1 && "$B" open corrupt.qcow2 rw 2>err &&
    ok "img check -r all clears the corrupt bit" || nok "img check -r all clears the corrupt bit"
cp leak.qcow2 beyond.qcow2
qemu-io -c 'write -P 2 0 64k' beyond.qcow2 >/dev/null
poke beyond.qcow2 $((0x40000)) 8000000010000000     # data cluster far past end of file
"$VITRINE" img check beyond.qcow2 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "L2 entry past end of file reported as corruption" || nok "L2 entry past end of file reported as corruption (exit $rc)"
cp good.qcow2 unal.qcow2
qemu-io -c 'write -P 3 0 64k' unal.qcow2 >/dev/null
poke unal.qcow2 $((0x40000)) 8000000000050200
head -c 1M /dev/zero >zero1m.raw
refused "unaligned data cluster refused on read" "unaligned" "$B" compare unal.qcow2 zero1m.raw

cp good.qcow2 ovl.qcow2 && poke ovl.qcow2 $((0x20006)) 0000   # L1 table's cluster looks free
head -c 1M /dev/zero >ovl.raw
refused "allocation over the L1 table refused" "overwrite the L1 table" "$B" randwrite ovl.qcow2 ovl.raw 10 1
"$VITRINE" img info ovl.qcow2 2>/dev/null | grep -q 'corrupt: true' && ok "... and the image is marked corrupt" ||
    nok "... and the image is marked corrupt"
"$VITRINE" img check -r all ovl.qcow2 >/dev/null 2>&1 && qemu-img check -q ovl.qcow2 &&
    "$B" randwrite ovl.qcow2 ovl.raw 100 1 2>err && qemu-img check -q ovl.qcow2 &&
    ok "... repaired by img check -r all and writable again" || nok "... repaired by img check -r all and writable again"

# --- base-change protection and commit ----------------------------------------------------
"$B" gen fb.raw 4M 2
"$VITRINE" img create -b fb.raw -F raw fo.qcow2 >/dev/null
qemu-io -c 'write -P 7 1M 100k' fo.qcow2 >/dev/null
"$VITRINE" img info fo.qcow2 >info.txt 2>&1 && grep -q 'base fingerprint: matches' info.txt &&
    ok "img info: fingerprint matches" || nok "img info: fingerprint matches"
cp fb.raw fb.orig
poke fb.raw 123457 ff
[ "$(cmp fb.raw fb.orig | wc -l)" = 1 ] || poke fb.raw 123457 00
refused "one changed base byte: overlay refused naming the base" "fb.raw has changed" "$B" compare fo.qcow2 fb.raw
"$VITRINE" img info fo.qcow2 >info.txt 2>&1 && grep -q 'MISMATCH' info.txt &&
    ok "img info shows the fingerprint mismatch" || nok "img info shows the fingerprint mismatch"
"$VITRINE" img map --force-base fo.qcow2 >/dev/null 2>"$W/err" && ok "--force-base opens the overlay anyway" ||
    nok "--force-base opens the overlay anyway"
refused "img map without --force-base refused" "has changed" "$VITRINE" img map fo.qcow2
cp good.qcow2 self.qcow2
refused "creating an overlay over itself refused" "own backing file" "$VITRINE" img create -b self.qcow2 -F qcow2 self.qcow2
cmp -s good.qcow2 self.qcow2 && ok "... and the image is untouched" || nok "... and the image is untouched"
cp fb.orig fb.raw
qemu-img convert -O raw fo.qcow2 fo_expect.raw
"$VITRINE" img commit fo.qcow2 >/dev/null 2>err && cmp -s fb.raw fo_expect.raw &&
    "$VITRINE" img info fo.qcow2 2>&1 | grep -q 'fingerprint: matches' && qemu-img check -q fo.qcow2 &&
    "$B" compare fo.qcow2 fo_expect.raw && ok "img commit: base updated, new fingerprint recorded, overlay emptied" ||
    nok "img commit: base updated, new fingerprint recorded, overlay emptied"

# commit refused up front (issue 9.3): overlay data beyond the end of a smaller base
"$B" gen small.raw 64K 5
"$VITRINE" img create -b small.raw -F raw big_ov.qcow2 1M >/dev/null
qemu-io -c 'write -P 0x41 0 4k' -c 'write -P 0x42 512k 4k' big_ov.qcow2 >/dev/null
cp small.raw small.orig
cp big_ov.qcow2 big_ov.orig
refused "img commit: data beyond the base's end refused up front" "beyond the end of its base" \
    "$VITRINE" img commit big_ov.qcow2
cmp -s small.raw small.orig && cmp -s big_ov.qcow2 big_ov.orig && "$B" open big_ov.qcow2 2>err &&
    ok "... base and overlay byte-identical, overlay still opens" || nok "... base and overlay byte-identical, overlay still opens"

# commit interrupted half-way (the qcow2 base hits RLIMIT_FSIZE: killed by SIGXFSZ, or EFBIG
# when the signal is ignored): the next open says how to resume, rerunning commit finishes it
for how in killed error; do
    rm -f ib.qcow2 io.qcow2
    qemu-img create -q -f qcow2 -o cluster_size=4096 ib.qcow2 4M
    qemu-io -c 'write -P 0x11 0 1M' ib.qcow2 >/dev/null
    "$VITRINE" img create -b ib.qcow2 -F qcow2 io.qcow2 >/dev/null
    qemu-io -c 'write -P 0x41 1M 2M' -c 'write -P 0x42 0 4k' io.qcow2 >/dev/null
    qemu-img convert -O raw io.qcow2 io_expect.raw
    lim=$((($(stat -c %s ib.qcow2) + 1048576) / 512)) # dash: ulimit -f counts 512-byte blocks
    if [ $how = killed ]; then trapcmd=":"; else trapcmd="trap '' XFSZ"; fi
    sh -c "$trapcmd; ulimit -f $lim; exec \"\$0\" img commit io.qcow2" "$VITRINE" >/dev/null 2>err
    rc=$?
    grep -q "interrupted" err || [ $how = killed ]
    msg_ok=$?
    if [ $rc -ne 0 ] && [ $msg_ok -eq 0 ] && [ "$(stat -c %s ib.qcow2)" -gt $((lim * 512 - 65536)) ]; then
        ok "img commit interrupted ($how) half-way through the base (exit $rc)"
    else nok "img commit interrupted ($how) half-way through the base (exit $rc)"; fi
    refused "... next open names the interrupted commit and how to finish" "img commit io.qcow2' again" \
        "$VITRINE" img map io.qcow2
    "$VITRINE" img info io.qcow2 2>&1 | grep -q 'commit: INTERRUPTED' && qemu-img compare -q io.qcow2 io_expect.raw &&
        ok "... img info shows it; the overlay still reads as before" ||
        nok "... img info shows it; the overlay still reads as before"
    "$VITRINE" img commit io.qcow2 >/dev/null 2>err && qemu-img compare -q ib.qcow2 io_expect.raw &&
        qemu-img compare -q io.qcow2 io_expect.raw && { qemu-img check -q ib.qcow2; r=$?; [ $r -eq 0 ] || [ $r -eq 3 ]; } &&
        qemu-img check -q io.qcow2 && "$VITRINE" img info io.qcow2 | grep -q 'fingerprint: matches' &&
        ! "$VITRINE" img info io.qcow2 | grep -q 'commit:' &&
        ok "... rerunning img commit finishes it: base complete, marker gone, images check clean" ||
        nok "... rerunning img commit finishes it: base complete, marker gone, images check clean"
done

# --- locking between Vitrine and QEMU -----------------------------------------------------
# Each holder prints a line once it has the image open; the checks run while it holds it.
wait_for() { n=0; while [ ! -s "$1" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done; }
qemu-img create -q -f qcow2 lk.qcow2 1M
rm -f lk.out
stdbuf -oL qemu-io -c 'read 0 512' -c 'sleep 2500' lk.qcow2 >lk.out 2>&1 &
wait_for lk.out
refused "locked: Vitrine writer vs qemu-io writer" "lock" "$B" open lk.qcow2 rw
refused "locked: Vitrine reader vs qemu-io writer" "lock" "$B" open lk.qcow2
wait
rm -f lk.out
"$B" open lk.qcow2 rw 2500 >lk.out 2>&1 &
wait_for lk.out
if qemu-io -c 'read 0 1k' lk.qcow2 >/dev/null 2>&1; then nok "locked: qemu-io vs Vitrine writer"; else ok "locked: qemu-io vs Vitrine writer"; fi
refused "locked: Vitrine writer vs Vitrine writer" "lock" "$B" open lk.qcow2 rw
wait
rm -f lk.out
"$B" open lk.qcow2 ro 2500 >lk.out 2>&1 &
wait_for lk.out
check "shared: two Vitrine readers" "$B" open lk.qcow2
if qemu-io -c 'write 0 1k' lk.qcow2 >/dev/null 2>&1; then nok "locked: qemu-io writer vs Vitrine reader"; else ok "locked: qemu-io writer vs Vitrine reader"; fi
wait

# --- --snapshot overlay ---------------------------------------------------------------------
mkdir snaptmp
cp fb.raw snap.raw
TMPDIR="$W/snaptmp" "$B" snapshot snap.raw 2>err && cmp -s snap.raw fb.raw && [ -z "$(ls snaptmp)" ] &&
    ok "--snapshot: writes go to a temporary overlay, base untouched, nothing left behind" ||
    nok "--snapshot: writes go to a temporary overlay, base untouched, nothing left behind"

# --- crash consistency: SIGKILL at random points ------------------------------------------
# Each round waits until the writer has made at least one round durable (so every crash point
# has something to verify), lets it run a random extra 0-90 ms, kills it, and requires: the
# writer died of that SIGKILL (not of an error of its own), qemu-img check 0 or 3, and the
# verifier confirmed every flushed round (it prints how many it checked).
"$B" gen cbase.raw 4M 3
fails=0 leaked=0 verified=0 i=0
while [ $i -lt "$ROUNDS" ]; do
    i=$((i + 1))
    rm -f crash.qcow2 prog
    : >prog
    if [ $((i % 2)) -eq 0 ]; then
        "$VITRINE" img create -b cbase.raw -F raw crash.qcow2 >/dev/null
    else
        qemu-img create -q -f qcow2 -o cluster_size=4096 -b cbase.raw -F raw crash.qcow2
    fi
    "$B" crashwriter crash.qcow2 prog $i 2>werr &
    pid=$!
    n=0
    while [ "$(stat -c %s prog)" -lt 4 ] && [ $n -lt 3000 ] && kill -0 $pid 2>/dev/null; do
        sleep 0.01
        n=$((n + 1))
    done
    sleep "$(awk -v s=$i 'BEGIN { srand(s); printf "%.3f", rand() * 0.09 }')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ws=$?
    if [ $ws -ne 137 ]; then
        fails=$((fails + 1))
        echo "# round $i: the writer exited with status $ws before it was killed: $(head -c 300 werr)"
        continue
    fi
    qemu-img check -q crash.qcow2 >/dev/null 2>&1
    rc=$?
    [ $rc -eq 3 ] && leaked=$((leaked + 1))
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
        fails=$((fails + 1))
        echo "# round $i: qemu-img check exit $rc"
        continue
    fi
    done_rounds=$("$B" crashverify crash.qcow2 cbase.raw prog $i 2>err)
    vrc=$?
    case "$done_rounds" in '' | *[!0-9]*) done_rounds=-1 ;; esac
    if [ $vrc -ne 0 ] || [ "$done_rounds" -lt 1 ]; then
        fails=$((fails + 1))
        echo "# round $i: verifier exit $vrc, $done_rounds flushed rounds verified: $(head -c 300 err)"
        continue
    fi
    verified=$((verified + done_rounds))
    if [ $((i % 20)) -eq 0 ]; then
        # recovery: repair leaks, then keep writing to the crashed image
        "$VITRINE" img check -r leaks crash.qcow2 >/dev/null 2>&1
        head -c 4M /dev/zero >cref.raw
        if ! qemu-img check -q crash.qcow2 || ! "$B" randwrite crash.qcow2 cref.raw 200 $i 2>err ||
            ! qemu-img check -q crash.qcow2; then
            fails=$((fails + 1))
            echo "# round $i: repair/reuse after crash failed: $(cat err)"
        fi
    fi
done
if [ $fails -eq 0 ] && [ $i -eq "$ROUNDS" ] && [ $verified -gt 0 ]; then
    ok "crash consistency: $ROUNDS SIGKILLs, qemu-img check 0/3 ($leaked with leaks), $verified flushed rounds verified"
else
    nok "crash consistency: $fails of $ROUNDS rounds failed, $verified flushed rounds verified"
fi
tap_done
