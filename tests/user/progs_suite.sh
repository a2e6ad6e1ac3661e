#!/bin/sh
# Small C programs (tests/user/progs/*.c) that probe Linux semantics the busybox cases cannot
# reach (host faults on guest memory, madvise, the fork syscall). Each is built natively and
# for the ABI with its cross compiler; the native run on this Linux host is the oracle (the
# programs print only architecture-independent facts), compared with the Vitrine run: stdout
# and exit status. Prints its TAP plan first; exits non-zero when a program fails.
#   sh tests/user/progs_suite.sh ABI          ABI: arm (arm-linux-gnueabi-gcc), i386 (i686-linux-gnu-gcc),
#                                           ppc (powerpc-linux-gnu-gcc)
abi=${1:-arm}
VITRINE=${VITRINE:-$PWD/build/vitrine}
here=$(cd "$(dirname "$0")" && pwd)
progs=$(ls "$here"/progs/*.c)
echo "1..$(echo "$progs" | wc -l)"
case "$abi" in
arm) cc=arm-linux-gnueabi-gcc ;;
i386) cc=i686-linux-gnu-gcc ;;
ppc) cc=powerpc-linux-gnu-gcc ;;
*) cc=unknown-abi-$abi ;;
esac
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-progs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for src in $progs; do
    name=$(basename "$src" .c)
    if ! command -v "$cc" >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
        echo "not ok - $abi prog $name: $cc or gcc missing (tests/scripts/deps.sh installs them)"
        fail=1
        continue
    fi
    if ! gcc -O1 -o "$tmp/$name.native" "$src" 2> "$tmp/cc.log" ||
        ! "$cc" -O1 -static -o "$tmp/$name.$abi" "$src" 2>> "$tmp/cc.log"; then
        echo "not ok - $abi prog $name: build failed"
        fail=1
        sed 's/^/# /' "$tmp/cc.log" | head -10
        continue
    fi
    "$tmp/$name.native" > "$tmp/ref.out" 2>&1 < /dev/null
    echo "status $?" >> "$tmp/ref.out"
    "$VITRINE" user "$abi" "$tmp/$name.$abi" > "$tmp/out.out" 2>&1 < /dev/null
    echo "status $?" >> "$tmp/out.out"
    if cmp -s "$tmp/ref.out" "$tmp/out.out"; then
        echo "ok - $abi prog $name"
    else
        echo "not ok - $abi prog $name"
        fail=1
        diff "$tmp/ref.out" "$tmp/out.out" | head -12 | sed 's/^/# /'
    fi
done
exit $fail
