#!/bin/sh
# The user address space's upper limit and programs the loader must refuse, built here with
# the ABI's cross compiler. Each refused program must exit 2 with a message naming the
# problem, as other bad input does.
#  - a PT_LOAD above the ABI's TASK_SIZE: on ARM the kernel user helper page at 0xffff0000
#    (Linux maps nothing for user space above TASK_SIZE = 0xbf000000, so execve of such a
#    program fails after the point of no return and the process dies of SIGSEGV; Vitrine
#    refuses it before running anything); on i386 the last page (0xfffff000)
#  - a program cut short inside its segments
#  - a program of the other architecture
# and a program whose munmap/mprotect/mmap(MAP_FIXED)/madvise above TASK_SIZE fail as Linux
# fails them (EINVAL, ENOMEM, ENOMEM, ENOMEM: no user mapping exists there), leaving ARM's
# kuser helpers working.
#   sh tests/user/elf_suite.sh ABI
abi=${1:-arm}
VITRINE=${VITRINE:-$PWD/build/vitrine}
echo "1..4"
case "$abi" in
arm) cc=arm-linux-gnueabi-gcc other=i686-linux-gnu-gcc high=0xffff0fa0 exit='mov r0, #0\n mov r7, #1\n svc 0' ;;
i386) cc=i686-linux-gnu-gcc other=arm-linux-gnueabi-gcc high=0xfffff000 exit='mov $1, %eax\n xor %ebx, %ebx\n int $0x80' ;;
*) echo "not ok - elf: unknown ABI $abi"; exit 1 ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vt-elf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
cat > "$tmp/high.c" <<SRC
__attribute__((section(".high"), used)) const unsigned data[4] = {1, 2, 3, 4};
void _start(void) { __asm__ volatile("$exit"); }
SRC
printf 'int main(void) { return 0; }\n' > "$tmp/main.c"
if ! "$cc" -static -nostdlib -O1 -o "$tmp/high" "$tmp/high.c" -Wl,--section-start=.high=$high 2> "$tmp/cc.log" ||
    ! "$cc" -static -O1 -o "$tmp/good" "$tmp/main.c" 2>> "$tmp/cc.log" ||
    ! "$other" -static -O1 -o "$tmp/foreign" "$tmp/main.c" 2>> "$tmp/cc.log"; then
    echo "not ok - $abi elf: building the test programs failed"
    sed 's/^/# /' "$tmp/cc.log" | head
    exit 1
fi
head -c 2000 "$tmp/good" > "$tmp/truncated"
cat > "$tmp/limits.c" <<'SRC'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __arm__
#define HIGH 0xffff0000u /* the vectors / kuser helper page */
#else
#define HIGH 0xfffff000u
#endif
static void show(const char *what, long r) {
    printf("%s: %ld %s\n", what, r, r ? strerror(errno) : "");
}
int main(void) {
    void *h = (void *)HIGH;
    show("munmap", munmap(h, 4096));
    show("mprotect", mprotect(h, 4096, PROT_READ | PROT_WRITE));
    void *m = mmap(h, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    show("mmap MAP_FIXED", m == MAP_FAILED ? -1 : 0);
    show("madvise", madvise(h, 4096, MADV_DONTNEED));
#ifdef __arm__
    printf("kuser helper version >= 2: %d\n", *(volatile int *)0xffff0ffc >= 2);
#else
    printf("kuser helper version >= 2: 1\n");
#endif
    return 0;
}
SRC
"$cc" -static -O1 -o "$tmp/limits" "$tmp/limits.c" 2>> "$tmp/cc.log" || { echo "not ok - $abi elf: building limits.c failed"; exit 1; }

expect() { # $1 name, $2 program, $3 text the message must contain
    "$VITRINE" user "$abi" "$2" > "$tmp/out" 2> "$tmp/err" < /dev/null
    rc=$?
    if [ $rc = 2 ] && grep -q "$3" "$tmp/err" && [ ! -s "$tmp/out" ]; then
        echo "ok - $abi elf $1"
    else
        echo "not ok - $abi elf $1 (status $rc)"
        sed 's/^/# /' "$tmp/err" | head -5
        fail=1
    fi
}
expect "segment above TASK_SIZE refused" "$tmp/high" "beyond the $abi user address space"
expect "truncated program refused" "$tmp/truncated" "outside the file\|out of range"
expect "foreign architecture refused" "$tmp/foreign" "is not a $abi executable"
printf '%s\n' "munmap: -1 Invalid argument" "mprotect: -1 Cannot allocate memory" \
    "mmap MAP_FIXED: -1 Cannot allocate memory" "madvise: -1 Cannot allocate memory" \
    "kuser helper version >= 2: 1" > "$tmp/limits.expected"
"$VITRINE" user "$abi" "$tmp/limits" > "$tmp/out" 2> "$tmp/err" < /dev/null
if [ $? = 0 ] && cmp -s "$tmp/limits.expected" "$tmp/out"; then
    echo "ok - $abi elf nothing maps or unmaps above TASK_SIZE"
else
    echo "not ok - $abi elf nothing maps or unmaps above TASK_SIZE"
    diff "$tmp/limits.expected" "$tmp/out" | sed 's/^/# /' | head -8
    fail=1
fi
exit $fail
