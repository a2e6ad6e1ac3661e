#!/bin/sh
# Builds an ARMv4T busybox for the ARM925T (palm-te) from Debian bookworm sources: musl (Debian's
# musl source package) and busybox (Debian's, its busybox-static configuration without the two
# GNU-regex features musl lacks) compiled with arm-linux-gnueabi-gcc -march=armv4t -marm, linked
# against Debian's armel libgcc.a with every member gcc builds from lib1funcs.S or libgcc2.c
# rebuilt for ARMv4T from Debian's gcc-12 source (Debian's are ARMv5TE: CLZ in the divisions).
# Sources come through apt-get source with a private configuration (deb-src bookworm main only)
# and must match tests/scripts/busybox_armv4t.sha256. The result is checked: no ARMv5+
# instruction outside musl's run-time-selected v6/v7 atomics (AT_HWCAP has no TLS on ARMv4T, so
# musl uses the kernel's kuser helpers). Cached in $VITRINE_CACHE/busybox-armv4t (or cache/),
# rebuilt when the content of this script or the manifest changes (about 10 minutes on 2 cores).
# Prints the binary's path. Exit 1: cannot build here (a tool or the download missing); exit 3:
# the build or the check failed.
set -e
here=$(cd "$(dirname "$0")" && pwd)
cache=${VITRINE_CACHE:-$(pwd)/cache}
out="$cache/busybox-armv4t"
bin="$out/busybox"
manifest="$here/busybox_armv4t.sha256"
# the cache is keyed by content (a fresh checkout's mtimes say nothing): this script + manifest
stamp=$(cat "$0" "$manifest" | sha256sum | cut -d' ' -f1)
if [ -f "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then echo "$bin"; exit 0; fi
cross=arm-linux-gnueabi
for tool in $cross-gcc $cross-objdump $cross-nm $cross-ar apt-get dpkg-source make xz; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tests/scripts/deps.sh)" >&2; exit 1; }
done
src="$cache/debian-src"
mkdir -p "$src/apt/lists/partial" "$src/apt/cache/archives/partial" "$out"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$src/apt/sources.list"
apt="-o Dir::Etc::SourceList=$src/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$src/apt/lists -o Dir::Cache=$src/apt/cache -o APT::Sandbox::User=root"
if ! (cd "$src" && sha256sum --quiet -c "$manifest" >/dev/null 2>&1); then
    apt-get $apt -qq update >&2
    (cd "$src" && apt-get $apt -qq source --download-only busybox=1:1.35.0-4+deb12u1 \
        musl=1.2.3-1 gcc-12=12.2.0-14+deb12u1 >&2)
    (cd "$src" && sha256sum --quiet -c "$manifest") >&2 ||
        { echo "Debian sources do not match $manifest" >&2; exit 3; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=${JOBS:-2}

# musl, static only
dpkg-source -x "$src/musl_1.2.3-1.dsc" "$tmp/musl-src" >/dev/null
(cd "$tmp/musl-src" && ./configure --target=$cross CC=$cross-gcc CFLAGS="-march=armv4t -marm -Os" \
    --prefix="$tmp/musl" --disable-shared >/dev/null && make -s -j"$jobs" >/dev/null 2>&1 &&
    make -s install >/dev/null 2>&1) || { echo "musl build failed" >&2; exit 3; }

# libgcc: Debian's armel libgcc.a with the lib1funcs.S / libgcc2.c members rebuilt for ARMv4T
(cd "$tmp" && tar xzf "$src/gcc-12_12.2.0.orig.tar.gz" gcc-12-12.2.0/gcc-12.2.0-dfsg.tar.xz &&
    tar xJf gcc-12-12.2.0/gcc-12.2.0-dfsg.tar.xz gcc-12.2.0/libgcc gcc-12.2.0/gcc/tsystem.h \
        gcc-12.2.0/include && rm -r gcc-12-12.2.0)
g="$tmp/gcc-12.2.0"
mkdir -p "$tmp/lg/stub" "$tmp/lg/o"
# the generated headers libgcc2.c includes, as gcc's build writes them for arm*-linux-gnueabi
: >"$tmp/lg/stub/tconfig.h"
: >"$tmp/lg/stub/coretypes.h"
printf '#define UNITS_PER_WORD 4\n#define MIN_UNITS_PER_WORD 4\n' >"$tmp/lg/stub/tm.h"
echo '#include "bpabi-lib.h"' >"$tmp/lg/stub/libgcc_tm.h"
cp "$($cross-gcc -print-libgcc-file-name)" "$tmp/lg/libgcc.a"
v4t="-march=armv4t -marm"
# the members those two files make: each is the file built with -DL<member>
grep -oh 'L_[A-Za-z0-9_]*' "$g"/libgcc/config/arm/*.S "$g/libgcc/libgcc2.c" | sed 's/^L//' |
    sort -u >"$tmp/lg/sections"
$cross-ar t "$tmp/lg/libgcc.a" | sed -n 's/^\(_.*\)\.o$/\1/p' | sort >"$tmp/lg/members"
for m in $(comm -12 "$tmp/lg/sections" "$tmp/lg/members"); do
    o="$tmp/lg/o/$m.o"
    if $cross-gcc $v4t -DL$m -xassembler-with-cpp -I"$g/libgcc/config/arm" \
        -c "$g/libgcc/config/arm/lib1funcs.S" -o "$o" 2>/dev/null && [ -n "$($cross-nm "$o")" ]; then
        continue
    fi
    if $cross-gcc $v4t -O2 -DIN_GCC -DIN_LIBGCC2 -fbuilding-libgcc -fno-stack-protector -Dinhibit_libc \
        -DL$m -I"$tmp/lg/stub" -I"$g/libgcc" -I"$g/gcc" -I"$g/include" -I"$g/libgcc/config/arm" \
        -c "$g/libgcc/libgcc2.c" -o "$o" 2>/dev/null && [ -n "$($cross-nm "$o")" ]; then
        continue
    fi
    rm -f "$o"
done
(cd "$tmp/lg/o" && $cross-ar r "$tmp/lg/libgcc.a" ./*.o)
sed -i "s|^libgcc.a%s.*|$tmp/lg/libgcc.a|" "$tmp/musl/lib/musl-gcc.specs"

# kernel headers for busybox beside musl's
mkdir -p "$tmp/kh"
for d in linux asm asm-generic mtd; do cp -r "/usr/$cross/include/$d" "$tmp/kh/"; done

dpkg-source -x "$src/busybox_1.35.0-4+deb12u1.dsc" "$tmp/bb" >/dev/null
cd "$tmp/bb"
sed -e 's/^CONFIG_EXTRA_COMPAT=y/# CONFIG_EXTRA_COMPAT is not set/' \
    -e 's/^CONFIG_FEATURE_VI_REGEX_SEARCH=y/# CONFIG_FEATURE_VI_REGEX_SEARCH is not set/' \
    -e "s|^CONFIG_EXTRA_CFLAGS=.*|CONFIG_EXTRA_CFLAGS=\"$v4t -isystem $tmp/kh\"|" \
    debian/config/pkg/static >.config
bbmake="make CC=$tmp/musl/bin/musl-gcc HOSTCC=gcc AR=$cross-ar STRIP=$cross-strip"
export REALGCC=$cross-gcc
yes "" | $bbmake oldconfig >/dev/null 2>&1
$bbmake -j"$jobs" busybox >"$tmp/bb.log" 2>&1 || { tail -20 "$tmp/bb.log" >&2; echo "busybox build failed" >&2; exit 3; }

# no instruction the ARM925T lacks (ARMv5 and later), outside musl's run-time-selected atomics
$cross-objdump -d busybox_unstripped | awk '/^[0-9a-f]+ <.*>:$/ { fn = $2 }
    $3 ~ /^(clz|blx|ldrd|strd|pld|qadd|qsub|qdadd|qdsub|smla[bt]|smlaw|smul[bt]|smulw|smlal[bt]|ldrex|strex|dmb|dsb|isb|mcrr|mrrc|bkpt|rev|uxt|sxt|cps|srs|rfe|setend|wfi|wfe)/ &&
    fn !~ /^<__a_(cas|barrier)_v[67]>:$/ { print fn, $3 }' >"$tmp/v5"
if [ -s "$tmp/v5" ]; then
    sort "$tmp/v5" | uniq -c >&2
    echo "busybox has ARMv5+ instructions (above)" >&2
    exit 3
fi
cp busybox "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$stamp" >"$out/stamp"
echo "$bin"
