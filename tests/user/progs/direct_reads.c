/* Reads from hot loops (so a JIT has translated them) that run into memory the guest cannot
 * read: a PROT_NONE page, a page unmapped after use, a page mprotect'ed to PROT_NONE (and back),
 * a 4-byte read straddling into a PROT_NONE page, and the last bytes below 4 GiB. Each fault is
 * caught by a SIGSEGV handler that siglongjmps; the program prints what faulted (signal, code,
 * whether si_addr is the first unreadable byte) and the sum of the values read before it, so
 * translated code that reads guest memory directly must fault exactly where the interpreter
 * does. Architecture-independent output: the native run is the oracle. */
#include "fault_catch.h"

/* Word, halfword and byte sums and a compare over [p, p + n), `rounds` times over the same
 * bytes and then once from `bad` (the loop body is the same code, so it is hot when it
 * faults). */
static uint32_t sum32(const volatile uint32_t *p, unsigned n) {
    uint32_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += p[i];
    return s;
}
static uint32_t sum16(const volatile uint16_t *p, unsigned n) {
    uint32_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += p[i];
    return s;
}
static uint32_t sum8(const volatile uint8_t *p, unsigned n) {
    uint32_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += p[i];
    return s;
}
static uint32_t count_eq(const volatile uint32_t *p, unsigned n, uint32_t key) {
    uint32_t c = 0;
    for (unsigned i = 0; i < n; i++)
        if (p[i] == key) c++;
    return c;
}

/* Runs every loop `ROUNDS` times on good memory, then from `bad` (expected to fault at
 * first_bad), printing the totals reached before the fault. */
static void hot_reads(const char *what, const uint8_t *good, const uint8_t *bad,
                      uintptr_t first_bad) {
    printf("%s\n", what);
    for (int kind = 0; kind < 4; kind++) {
        static volatile uint32_t total;
        total = 0;
        want = first_bad;
        if (!sigsetjmp(jb, 1)) {
            for (int r = 0; r <= ROUNDS; r++) {
                const uint8_t *p = r < ROUNDS ? good : bad;
                if (kind == 0) total += sum32((const volatile uint32_t *)p, 16);
                if (kind == 1) total += sum16((const volatile uint16_t *)p, 16);
                if (kind == 2) total += sum8(p, 16);
                if (kind == 3) total += count_eq((const volatile uint32_t *)p, 16, 0x01010101u);
            }
            printf("  kind %d: no fault, total %u\n", kind, (unsigned)total);
        } else {
            printf("  kind %d: total before the fault %u\n", kind, (unsigned)total);
        }
    }
}

/* A 4-byte read at p (unaligned when p is), from a hot loop; the last round reads at bad. */
static void hot_straddle(const char *what, const uint8_t *good, const uint8_t *bad,
                         uintptr_t first_bad) {
    printf("%s\n", what);
    static volatile uint32_t total;
    total = 0;
    want = first_bad;
    if (!sigsetjmp(jb, 1)) {
        for (int r = 0; r <= ROUNDS; r++) {
            uint32_t v;
            memcpy(&v, (const void *)(r < ROUNDS ? good : bad), 4);
            total += v;
        }
        printf("  no fault, total %u\n", (unsigned)total);
    } else {
        printf("  total before the fault %u\n", (unsigned)total);
    }
}

int main(void) {
    catch_faults();

    uint8_t *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 10;
    for (int i = 0; i < 3 * PAGE; i++)
        m[i] = (uint8_t)(i / 4 * 7 + 1); /* equal bytes in a word: the same in either byte order */
    uint8_t *none = m + PAGE, *last = m + 2 * PAGE;

    if (mprotect(none, PAGE, PROT_NONE)) return 11;
    hot_reads("PROT_NONE page", m, none, (uintptr_t)none);
    hot_straddle("4 bytes straddling into the PROT_NONE page", m + 8, none - 2, (uintptr_t)none);

    if (mprotect(none, PAGE, PROT_READ)) return 12;
    hot_reads("the page made readable again", m, none, 0);

    hot_reads("a readable page before unmapping", last, last, 0);
    if (munmap(last, PAGE)) return 13;
    hot_reads("the page unmapped after use", m, last, (uintptr_t)last);

    if (mprotect(m, PAGE, PROT_NONE)) return 14;
    hot_reads("a used page mprotect'ed to PROT_NONE", none, m, (uintptr_t)m);
    if (mprotect(m, PAGE, PROT_WRITE)) return 15;
    hot_reads("PROT_WRITE only (reads allowed, as Linux)", none, m, 0);

    /* nothing is mapped in the last page below 4 GiB (a 32-bit kernel, or a 64-bit process's
       empty address there): reading its last bytes faults without wrapping to address 0 */
    const uint8_t *top = (const uint8_t *)(uintptr_t)0xFFFFFFF0u;
    hot_reads("the last 16 bytes below 4 GiB", m + 64, top, (uintptr_t)top);
    printf("done\n");
    return 0;
}
