#!/bin/sh
# Small C programs for one ABI (tests/user/SET/*.c) built static with a Debian cross compiler
# and run under `vitrine user`; stdout, stderr and exit status must equal the oracle's. The
# oracle is qemu-*-static with the same CPU, except for NAME_hostref.c (code paths QEMU's CPU
# model refuses, such as glibc's Power ISA 3.0 mffscrni on a 750: the same program built for
# the host is the oracle) and NAME_linuxref.c (values where QEMU differs from Linux:
# NAME_linuxref.expected holds the kernel's). NAME_dyn.c is linked dynamically and run with
# -L on the cross compiler's libc (both sides). See hwdocs/linux_user.md.
# Prints its TAP plan first; exits non-zero on a failure.
#   sh tests/user/qemu_suite.sh SET     SET: ppc (PowerPC 750), armvfp (ARM1136 VFP)
set_=${1:-ppc}
VITRINE=${VITRINE:-$PWD/build/vitrine}
here=$(cd "$(dirname "$0")" && pwd)
case "$set_" in
ppc) abi=ppc cc=powerpc-linux-gnu-gcc cflags= qemu=qemu-ppc-static cpu=750 sysroot=/usr/powerpc-linux-gnu ;;
armvfp)
    abi=arm cc=arm-linux-gnueabi-gcc qemu=qemu-arm-static cpu=arm1136 sysroot=/usr/arm-linux-gnueabi
    cflags="-march=armv6 -mfloat-abi=softfp -mfpu=vfp"
    ;;
*)
    echo "1..1"
    echo "not ok - unknown program set '$set_'"
    exit 1
    ;;
esac
progs=$(ls "$here/$set_"/*.c)
echo "1..$(echo "$progs" | wc -l)"
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-qemu-suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for src in $progs; do
    name=$(basename "$src" .c)
    if ! command -v "$cc" >/dev/null 2>&1 || ! command -v "$qemu" >/dev/null 2>&1; then
        echo "not ok - $set_ prog $name: $cc or $qemu missing (tests/scripts/deps.sh installs them)"
        fail=1
        continue
    fi
    link=-static lopt=
    case "$name" in
    *_dyn) link= lopt="-L $sysroot" ;;
    esac
    if ! "$cc" $cflags -O1 $link -o "$tmp/$name" "$src" -lm 2> "$tmp/cc.log"; then
        echo "not ok - $set_ prog $name: build failed"
        fail=1
        sed 's/^/# /' "$tmp/cc.log" | head -10
        continue
    fi
    case "$name" in
    *_hostref) gcc -O1 -o "$tmp/$name.native" "$src" -lm 2>> "$tmp/cc.log" ;;
    esac
    for who in ref out; do
        if [ $who = out ]; then
            set -- "$VITRINE" user "$abi" $lopt "$tmp/$name"
        elif [ "${name%_hostref}" != "$name" ]; then
            set -- "$tmp/$name.native"
        elif [ "${name%_linuxref}" != "$name" ]; then
            cp "$here/$set_/$name.expected" "$tmp/ref.stdout"
            : > "$tmp/ref.stderr"
            continue
        else
            set -- "$qemu" -cpu "$cpu" $lopt "$tmp/$name"
        fi
        VT_TEST=ppc-suite "$@" one "two words" > "$tmp/$who.stdout" 2> "$tmp/$who.stderr" < /dev/null
        echo "status $?" >> "$tmp/$who.stdout"
    done
    if cmp -s "$tmp/ref.stdout" "$tmp/out.stdout" && cmp -s "$tmp/ref.stderr" "$tmp/out.stderr"; then
        echo "ok - $set_ prog $name"
    else
        echo "not ok - $set_ prog $name"
        fail=1
        diff "$tmp/ref.stdout" "$tmp/out.stdout" | head -12 | sed 's/^/# /'
        diff "$tmp/ref.stderr" "$tmp/out.stderr" | head -6 | sed 's/^/# stderr /'
    fi
done
exit $fail
