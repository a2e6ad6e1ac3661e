#!/bin/sh
# PowerPC Linux user mode: small C programs (tests/user/ppc/*.c) built static with Debian's
# powerpc-linux-gnu-gcc and run under `vitrine user ppc`; stdout, stderr and exit status must
# equal the oracle's. The oracle is qemu-ppc-static -cpu 750, except for NAME_hostref.c (glibc
# code paths with the Power ISA 3.0 mffscrni, which QEMU's 750 refuses with SIGILL: the same
# program built for the host is the oracle) and NAME_linuxref.c (values where QEMU differs
# from Linux: NAME_linuxref.expected holds the kernel's). See hwdocs/linux_user.md.
# Prints its TAP plan first; exits non-zero on a failure.
#   sh tests/user/ppc_suite.sh
VITRINE=${VITRINE:-$PWD/build/vitrine}
here=$(cd "$(dirname "$0")" && pwd)
progs=$(ls "$here"/ppc/*.c)
echo "1..$(echo "$progs" | wc -l)"
cc=powerpc-linux-gnu-gcc
qemu=qemu-ppc-static
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-ppc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for src in $progs; do
    name=$(basename "$src" .c)
    if ! command -v "$cc" >/dev/null 2>&1 || ! command -v "$qemu" >/dev/null 2>&1; then
        echo "not ok - ppc prog $name: $cc or $qemu missing (tests/scripts/deps.sh installs them)"
        fail=1
        continue
    fi
    if ! "$cc" -O1 -static -o "$tmp/$name" "$src" -lm 2> "$tmp/cc.log"; then
        echo "not ok - ppc prog $name: build failed"
        fail=1
        sed 's/^/# /' "$tmp/cc.log" | head -10
        continue
    fi
    case "$name" in
    *_hostref) gcc -O1 -o "$tmp/$name.native" "$src" -lm 2>> "$tmp/cc.log" ;;
    esac
    for who in ref out; do
        if [ $who = out ]; then
            set -- "$VITRINE" user ppc "$tmp/$name"
        elif [ "${name%_hostref}" != "$name" ]; then
            set -- "$tmp/$name.native"
        elif [ "${name%_linuxref}" != "$name" ]; then
            cp "$here/ppc/$name.expected" "$tmp/ref.stdout"
            : > "$tmp/ref.stderr"
            continue
        else
            set -- "$qemu" -cpu 750 "$tmp/$name"
        fi
        VT_TEST=ppc-suite "$@" one "two words" > "$tmp/$who.stdout" 2> "$tmp/$who.stderr" < /dev/null
        echo "status $?" >> "$tmp/$who.stdout"
    done
    if cmp -s "$tmp/ref.stdout" "$tmp/out.stdout" && cmp -s "$tmp/ref.stderr" "$tmp/out.stderr"; then
        echo "ok - ppc prog $name"
    else
        echo "not ok - ppc prog $name"
        fail=1
        diff "$tmp/ref.stdout" "$tmp/out.stdout" | head -12 | sed 's/^/# /'
        diff "$tmp/ref.stderr" "$tmp/out.stderr" | head -6 | sed 's/^/# stderr /'
    fi
done
exit $fail
