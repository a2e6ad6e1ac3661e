/* Self-modifying code under the JIT: a function in its own text segment that is hot (called
 * often enough to be translated and chained), then rewritten in place and announced with
 * __builtin___clear_cache (the ARM cacheflush syscall); and code generated into an mmap'd
 * buffer, run, regenerated and run again. Every call must run the code as it is now. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline, aligned(64))) static int hot(int x) {
    return x + 1;
}

/* ARM encodings: mov r0, #imm; bx lr / add r0, r0, #imm; bx lr */
#define MOV_R0(imm) (0xe3a00000u | (imm))
#define ADD_R0(imm) (0xe2800000u | (imm))
#define BX_LR 0xe12fff1eu

static void emit(uint32_t *code, uint32_t first) {
    code[0] = first;
    code[1] = BX_LR;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
}

int main(void) {
    long sum = 0;
    for (int i = 0; i < 20000; i++)
        sum += hot(i);
    printf("hot before: %ld\n", sum);

    /* rewrite hot() in place: its first instruction becomes `add r0, r0, #100; bx lr` */
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t fn = (uintptr_t)hot, page = fn & ~(uintptr_t)(pg - 1);
    if (mprotect((void *)page, 2 * (size_t)pg, PROT_READ | PROT_WRITE | PROT_EXEC)) {
        perror("mprotect");
        return 1;
    }
    emit((uint32_t *)fn, ADD_R0(100));
    sum = 0;
    for (int i = 0; i < 20000; i++)
        sum += hot(i);
    printf("hot after: %ld\n", sum);

    uint32_t *buf = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    int (*gen)(int) = (int (*)(int))(uintptr_t)buf;
    for (unsigned k = 1; k <= 5; k++) {
        emit(buf, k % 2 ? MOV_R0(k) : ADD_R0(k));
        long s = 0;
        for (int i = 0; i < 1000; i++)
            s += gen(i);
        printf("generated %u: %ld\n", k, s);
    }
    return 0;
}
