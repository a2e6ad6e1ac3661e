#!/bin/sh
# Dynamically linked guest programs: Debian's coreutils for the ABI with its shared
# libraries unpacked into a sysroot, run with -L SYSROOT under Vitrine and the oracle
# (qemu-arm-static -L / qemu-i386-static -L), compared byte for byte (stdout, stderr, exit status).
#   sh tests/user/dynamic_suite.sh ABI
abi=${1:-arm}
VITRINE=${VITRINE:-$PWD/build/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
# name<TAB>program (inside the sysroot)<TAB>arguments (word-split)
cases='ls-l	/bin/ls	-l --time-style=long-iso . sub
ls-missing	/bin/ls	nonexistent
sort-numeric	/usr/bin/sort	-n -k2 f.txt
sha256sum	/usr/bin/sha256sum	f.txt sub/x
factor	/usr/bin/factor	1234567890123 4294967297
date	/bin/date	-u -d @1234567890 +%Y-%m-%dT%H:%M:%S
printf-float	/usr/bin/printf	%.4f|%g|%e\n 3.14159265 0.0001 12345
stat	/usr/bin/stat	-c %s:%a:%F f.txt sub
wc	/usr/bin/wc	f.txt
seq	/usr/bin/seq	-s , 1 3 20
awk-math	/usr/bin/mawk	-f math.awk'
echo "1..$(printf '%s\n' "$cases" | wc -l)"
die() { echo "not ok - $abi dynamic: $1"; exit 1; }
case "$abi" in
arm) arch=armel ;;
i386) arch=i386 ;;
*) die "unknown ABI" ;;
esac
oracle=$(command -v "qemu-$abi-static") || die "qemu-$abi-static missing"
echo "# $abi dynamic oracle: qemu-$abi-static -L SYSROOT"
fail=0
root="$VITRINE_CACHE/sysroot-$arch"
if [ ! -f "$root/.done-mawk" ]; then
    rm -rf "$root"
    mkdir -p "$root"
    for p in libc6 coreutils libselinux1 libpcre2-8-0 libacl1 libattr1 libgmp10 mawk; do
        d=$(sh tests/scripts/fetch_deb.sh "$p:$arch") || die "fetch $p:$arch"
        cp -a "$d/." "$root/"
    done
    touch "$root/.done-mawk"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-dyn.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C
mkdir -p "$tmp/d/sub"
printf 'b 2\na 10\nc 1\n' > "$tmp/d/f.txt"
echo x > "$tmp/d/sub/x"
printf 'BEGIN { printf "%%.10f\\n", atan2(1, 1) * 4; print sin(1), exp(1), log(10), 2^0.5 }\n' > "$tmp/d/math.awk"
find "$tmp/d" -exec touch -d '2021-06-01 00:00:00' {} +
cd "$tmp/d" || die "no work directory"

while IFS='	' read -r name prog args; do
    case "$name" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    "$oracle" -L "$root" "$root$prog" $args > "$tmp/ref.out" 2> "$tmp/ref.err"; rs=$?
    # shellcheck disable=SC2086
    "$VITRINE" user "$abi" -L "$root" "$root$prog" $args > "$tmp/out.out" 2> "$tmp/out.err"; vs=$?
    if [ $rs = $vs ] && cmp -s "$tmp/ref.out" "$tmp/out.out" && cmp -s "$tmp/ref.err" "$tmp/out.err"; then
        echo "ok - $abi dynamic $name"
    else
        echo "not ok - $abi dynamic $name (status $rs vs $vs)"
        fail=1
        diff "$tmp/ref.out" "$tmp/out.out" | head -5 | sed 's/^/# out: /'
        diff "$tmp/ref.err" "$tmp/out.err" | head -5 | sed 's/^/# err: /'
    fi
done <<LIST
$cases
LIST
exit $fail
