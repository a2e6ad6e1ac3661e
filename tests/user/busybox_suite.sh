#!/bin/sh
# Runs the busybox applet cases (busybox_cases.txt) under Vitrine and under an oracle for
# one ABI and compares stdout, stderr and exit status byte for byte; prints TAP lines.
#   sh tests/user/busybox_suite.sh ABI       ABI: arm (oracle qemu-arm-static), i386
#                                            (oracle: native, or qemu-i386-static where the
#                                            host kernel cannot run i386 ELF)
# Prints its TAP plan first and exits non-zero when a case fails.
# Every case runs in a fresh copy of one deterministic fixture tree at the same path, so
# paths, sizes and timestamps agree between the two runs.
abi=${1:-arm}
VITRINE=${VITRINE:-$PWD/build/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
here=$(cd "$(dirname "$0")" && pwd)
ncases=$(grep -cvE '^(#|$)' "$here/busybox_cases.txt")
echo "1..$((ncases + 1))"
die() { echo "not ok - $abi busybox: $1"; exit 1; }
case "$abi" in
arm) pkg=busybox-static:armel ;;
i386) pkg=busybox-static:i386 ;;
*) die "unknown ABI" ;;
esac
dir=$(sh tests/scripts/fetch_deb.sh "$pkg") || die "fetch $pkg"
BB="$dir/bin/busybox"
[ -x "$VITRINE" ] || die "$VITRINE missing"
# The oracle: qemu-arm-static for ARM; for i386 the host itself where its kernel runs i386
# ELF (exact), else qemu-i386-static (VITRINE_I386_ORACLE=qemu forces that).
if [ "$abi" = i386 ] && [ "${VITRINE_I386_ORACLE:-auto}" != qemu ] && [ -z "$VITRINE_NO_IA32" ] && "$BB" true 2>/dev/null; then
    oracle=""
    echo "# $abi oracle: native (this host runs i386 ELF)"
else
    oracle=$(command -v "qemu-$abi-static") || die "qemu-$abi-static missing"
    echo "# $abi oracle: qemu-$abi-static"
fi
fail=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-user.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C HOME="$tmp" PATH=/usr/bin:/bin

# ---- the fixture: text, numbers, binary data and a small tree, fixed timestamps ----
fx="$tmp/fixture"
mkdir -p "$fx/tree/sub/deeper" "$fx/tree/empty"
awk 'BEGIN { for (i = 1; i <= 200; i++) printf "line %d value %d %s\n", i, (i * 7919) % 1000, (i % 3 ? "alpha" : "beta") }' > "$fx/lines.txt"
awk 'BEGIN { srand(1); for (i = 0; i < 4096; i++) printf "%c", (i * 131 + int(i / 7)) % 256 }' > "$fx/binary.dat"
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nuser:x:1000:1000:A User:/home/user:/bin/sh\n' > "$fx/passwd"
printf 'banana 3\napple 10\ncherry 2\napple 10\ndate 25\nbanana 3\nelder 1\n' > "$fx/fruit.txt"
printf 'one\ntwo\nthree\n' > "$fx/a.txt"
printf 'one\n2\nthree\nfour\n' > "$fx/b.txt"
for f in x y z; do echo "file $f" > "$fx/tree/$f.txt"; done
echo deep > "$fx/tree/sub/deeper/d.txt"
echo sub > "$fx/tree/sub/s.log"
ln -s ../a.txt "$fx/tree/link"
chmod 640 "$fx/tree/x.txt"
find "$fx" -exec touch -h -d '2020-02-29 12:34:56' {} +

# PATH for each runner: one wrapper per applet that runs it under the same runner. An
# oracle without binfmt_misc cannot execve an ARM binary, so busybox falls back from
# /proc/self/exe to a PATH search; the wrappers make that land on the same applet instead
# of a host tool (Vitrine re-executes /proc/self/exe itself and rarely needs them).
make_bin() { # $1 dir, $2 runner
    mkdir -p "$1"
    for a in $($oracle "$BB" --list); do
        printf '#!/bin/sh\nexec %s "%s" %s "$@"\n' "$2" "$BB" "$a" > "$1/$a"
        chmod +x "$1/$a"
    done
}
make_bin "$tmp/bin-ref" "$oracle"
make_bin "$tmp/bin-vt" "$VITRINE user $abi"

run_one() { # $1 runner ("" = native), $2 PATH, $3 case command; output into $tmp/out.*
    rm -rf "$tmp/work"
    cp -a "$fx" "$tmp/work"
    (cd "$tmp/work" && PATH="$2" $1 "$BB" sh -c "$3" > "$tmp/out.stdout" 2> "$tmp/out.stderr" < /dev/null)
    echo $? > "$tmp/out.status"
}

n=0
while IFS='	' read -r name cmd; do
    case "$name" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    run_one "$oracle" "$tmp/bin-ref" "$cmd"
    for f in stdout stderr status; do mv "$tmp/out.$f" "$tmp/ref.$f"; done
    run_one "$VITRINE user $abi" "$tmp/bin-vt" "$cmd"
    ok=1
    for f in stdout stderr status; do
        cmp -s "$tmp/ref.$f" "$tmp/out.$f" || ok=0
    done
    if [ $ok = 1 ]; then
        echo "ok - $abi busybox $name"
    else
        echo "not ok - $abi busybox $name"
        fail=1
        for f in status stdout stderr; do
            cmp -s "$tmp/ref.$f" "$tmp/out.$f" ||
                diff "$tmp/ref.$f" "$tmp/out.$f" | head -8 | sed "s/^/# $f: /"
        done
    fi
done < "$here/busybox_cases.txt"
if [ $n -ge 40 ]; then
    echo "ok - $abi busybox: $n cases run"
else
    echo "not ok - $abi busybox: only $n cases run"
    fail=1
fi
exit $fail
