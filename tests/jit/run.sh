#!/bin/sh
# The ARM JIT in Linux user mode (see jit/README.md): a self-modifying program (tests/jit/smc.c:
# code rewritten in its own text and generated into an mmap'd buffer, announced with the
# cacheflush syscall) and a program built with -mthumb (tests/jit/thumb.c) give
# qemu-arm-static's output with --jit on and --jit lockstep; a busybox
# workload prints the same with --jit on, off and lockstep (lockstep reports no divergence); a
# bad --jit value, and --jit on for a machine whose core has no JIT (the SPARCstation 5), are
# usage errors; tests/jit/machines.sh runs the ARM machines' boots under lockstep, x86_run.sh the
# i386 JIT in user mode, x86_pc.sh the PC with the JIT on and off and x86_lockstep.sh i386
# programs under --jit lockstep. Prints TAP with its plan first.
cd "$(dirname "$0")/../.." || exit 1
VITRINE=${VITRINE:-$PWD/build/vitrine}
export VITRINE_CACHE=${VITRINE_CACHE:-$PWD/cache}
cache=$VITRINE_CACHE/jit
mkdir -p "$cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-jit.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# the ARM machines (machines.sh) add their 5 checks, the x86 parts (x86_run.sh, x86_pc.sh) 7 and
# 4, x86 lockstep (x86_lockstep.sh) 4 and one per i386 test program
echo "1..$((28 + $(ls tests/user/progs/*.c | wc -l)))"
fail=0
# same NAME FILE1 FILE2: ok when the files are equal, else the diff's start
same() {
    if cmp -s "$2" "$3"; then
        echo "ok - $1"
    else
        echo "not ok - $1"
        diff "$2" "$3" | head -8 | sed 's/^/# /'
        fail=1
    fi
}
# no_divergence NAME STDERR: a lockstep run must not report one
no_divergence() {
    if grep -q 'lockstep:' "$2"; then
        echo "not ok - $1"
        grep 'lockstep:' "$2" | head -3 | sed 's/^/# /'
        fail=1
        return 1
    fi
    return 0
}

# arm_program NAME SRC WHAT CFLAGS...: builds SRC once into the cache with the armel cross
# compiler and checks that --jit on and --jit lockstep print what qemu-arm-static prints (two
# checks; the interpreter is the reference where qemu is missing)
arm_program() {
    name=$1 src=$2 what=$3
    shift 3
    bin="$cache/$name"
    if ! command -v arm-linux-gnueabi-gcc >/dev/null; then
        echo "ok - jit $name --jit on # SKIP arm-linux-gnueabi-gcc missing (make deps installs it)"
        echo "ok - jit $name --jit lockstep # SKIP arm-linux-gnueabi-gcc missing"
        return
    fi
    if ! { [ -x "$bin" ] && [ "$bin" -nt "$src" ]; } &&
        ! arm-linux-gnueabi-gcc -static "$@" -o "$bin" "$src" 2> "$tmp/cc.log"; then
        echo "not ok - jit $name (build)"
        echo "not ok - jit $name --jit lockstep (build)"
        sed 's/^/# /' "$tmp/cc.log" | head -5
        fail=1
        return
    fi
    if command -v qemu-arm-static >/dev/null; then
        qemu-arm-static "$bin" > "$tmp/$name.ref" 2>&1
    else
        echo "# qemu-arm-static missing: the interpreter is the reference"
        "$VITRINE" user arm --jit off "$bin" > "$tmp/$name.ref" 2>&1
    fi
    "$VITRINE" user arm --jit on "$bin" > "$tmp/$name.on" 2>&1
    same "jit $name --jit on: $what" "$tmp/$name.ref" "$tmp/$name.on"
    "$VITRINE" user arm --jit lockstep "$bin" > "$tmp/$name.ls" 2> "$tmp/$name.ls.err"
    no_divergence "jit $name --jit lockstep" "$tmp/$name.ls.err" &&
        same "jit $name --jit lockstep" "$tmp/$name.ref" "$tmp/$name.ls"
}

# ---- 1-2: self-modifying code ----
arm_program smc tests/jit/smc.c "rewritten and generated code runs as written" -O1 -marm -march=armv5te
# ---- 3-4: Thumb code (the program's own functions; the static C library is ARM code) ----
arm_program thumb tests/jit/thumb.c "a -mthumb program prints what qemu prints" -O2 -mthumb -march=armv5te

# ---- 5-6: busybox, JIT on/lockstep against the interpreter ----
if dir=$(sh tests/scripts/fetch_deb.sh busybox-static:armel); then
    bb="$dir/bin/busybox"
    work='i=0; s=0; while [ $i -lt 800 ]; do i=$((i+1)); s=$((s+i*i%7)); done; echo $i $s
          seq 1 1000 | sha256sum; seq 1 300 | gzip -c | gzip -dc | md5sum
          echo "a b c" | awk "{ for (k = 0; k < 500; k++) n += length(\$2) * k } END { print n }"'
    "$VITRINE" user arm --jit off "$bb" sh -c "$work" > "$tmp/bb.off" 2>&1
    "$VITRINE" user arm --jit on "$bb" sh -c "$work" > "$tmp/bb.on" 2>&1
    same "jit busybox workload: --jit on prints what the interpreter prints" "$tmp/bb.off" "$tmp/bb.on"
    "$VITRINE" user arm --jit lockstep "$bb" sh -c "$work" > "$tmp/bb.ls" 2> "$tmp/bb.ls.err"
    no_divergence "jit busybox workload --jit lockstep" "$tmp/bb.ls.err" &&
        same "jit busybox workload --jit lockstep: no divergence" "$tmp/bb.off" "$tmp/bb.ls"
else
    echo "not ok - jit busybox workload (fetch busybox-static:armel)"
    echo "not ok - jit busybox workload --jit lockstep (fetch busybox-static:armel)"
    fail=1
fi

# ---- 7-8: usage ----
"$VITRINE" user arm --jit sometimes /bin/true > "$tmp/usage.out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "on, off or lockstep, not 'sometimes'" "$tmp/usage.out"; then
    echo "ok - jit --jit sometimes is a usage error (status 2)"
else
    echo "not ok - jit --jit sometimes is a usage error (status $rc)"
    sed 's/^/# /' "$tmp/usage.out" | head -3
    fail=1
fi
"$VITRINE" run sparcstation5 --rom-path "$VITRINE_CACHE/roms-sparc" --jit on --until 1ms > "$tmp/run.out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "romset .* not found" "$tmp/run.out"; then
    echo "ok - jit vitrine run --jit on is refused for a machine without a JIT # SKIP no OpenBIOS romset"
elif [ $rc = 2 ] && grep -q "sparc core: no JIT for this core" "$tmp/run.out"; then
    echo "ok - jit vitrine run --jit on is refused for a machine without a JIT (status 2)"
else
    echo "not ok - jit vitrine run --jit on is refused for a machine without a JIT (status $rc)"
    sed 's/^/# /' "$tmp/run.out" | head -3
    fail=1
fi
sh tests/jit/machines.sh || fail=1
sh tests/jit/x86_run.sh > "$tmp/x86.tap" 2>&1 || fail=1
grep -v '^1\.\.' "$tmp/x86.tap"
sh tests/jit/x86_pc.sh > "$tmp/x86pc.tap" 2>&1 || fail=1
grep -v '^1\.\.' "$tmp/x86pc.tap"
sh tests/jit/x86_lockstep.sh > "$tmp/x86ls.tap" 2>&1 || fail=1
grep -v '^1\.\.' "$tmp/x86ls.tap"
exit $fail
