/* Stores from hot loops (so a JIT has translated them) that run into memory the guest cannot
 * write: a page mprotect'ed read-only after use, a PROT_NONE page, a page unmapped after use
 * and a 4-byte store straddling into a read-only page; then the page made writable again.
 * Besides plain stores, read-modify-write XORs (x86: XOR to memory).
 * Each fault is caught by a SIGSEGV handler that siglongjmps; the program prints what faulted
 * (signal, code, whether si_addr is the first unwritable byte) and a checksum of the bytes
 * the stores before it left, so translated code that stores to guest memory directly must
 * fault exactly where the interpreter does. Architecture-independent output: the native run
 * is the oracle. */
#include "fault_catch.h"

/* Word, halfword and byte fills of 16 elements with values derived from v. */
static void fill32(volatile uint32_t *p, uint32_t v) {
    for (unsigned i = 0; i < 16; i++)
        p[i] = v * 0x01010101u;
}
static void fill16(volatile uint16_t *p, uint32_t v) {
    for (unsigned i = 0; i < 16; i++)
        p[i] = (uint16_t)(v * 0x0101u);
}
static void fill8(volatile uint8_t *p, uint32_t v) {
    for (unsigned i = 0; i < 16; i++)
        p[i] = (uint8_t)v;
}

/* Read-modify-write XORs of byte-replicated values, so the bytes stay alike in either byte
 * order (one x86 instruction on x86: XOR to memory, which a JIT may run as a direct read and
 * store). */
static void xor32(volatile uint32_t *p, uint32_t v) {
    for (unsigned i = 0; i < 16; i++) {
        uint32_t x = ((v + i) & 0xFF) * 0x01010101u;
#if defined(__i386__) || defined(__x86_64__)
        __asm__ volatile("xorl %1, %0" : "+m"(p[i]) : "r"(x));
#else
        p[i] ^= x;
#endif
    }
}

static uint32_t checksum(const uint8_t *p, unsigned n) {
    uint32_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

/* Every fill ROUNDS times into `good` (whose 64 bytes are then summed), then once into `bad`
 * (expected to fault at first_bad). */
static void hot_stores(const char *what, uint8_t *good, uint8_t *bad, uintptr_t first_bad) {
    printf("%s\n", what);
    for (int kind = 0; kind < 4; kind++) {
        want = first_bad;
        if (!sigsetjmp(jb, 1)) {
            for (uint32_t r = 0; r <= ROUNDS; r++) {
                uint8_t *p = r < ROUNDS ? good : bad;
                if (kind == 0) fill32((volatile uint32_t *)p, r & 0xFF);
                if (kind == 1) fill16((volatile uint16_t *)p, r & 0xFF);
                if (kind == 2) fill8(p, r & 0xFF);
                if (kind == 3) xor32((volatile uint32_t *)p, r & 0xFF);
            }
            printf("  kind %d: no fault, checksum %08x\n", kind, checksum(good, 64));
        } else {
            printf("  kind %d: checksum before the fault %08x\n", kind, checksum(good, 64));
        }
    }
}

int main(void) {
    catch_faults();

    uint8_t *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 10;
    uint8_t *ro = m + PAGE, *last = m + 2 * PAGE;

    hot_stores("a writable page before mprotect", ro, ro, 0);
    if (mprotect(ro, PAGE, PROT_READ)) return 11;
    hot_stores("the page mprotect'ed read-only", m, ro, (uintptr_t)ro);
    printf("  read-only page still holds %08x\n", checksum(ro, 64));

    /* a 4-byte store at the end of the writable page, straddling into the read-only one */
    printf("4 bytes straddling into the read-only page\n");
    want = (uintptr_t)ro;
    if (!sigsetjmp(jb, 1)) {
        for (int r = 0; r <= ROUNDS; r++) {
            uint32_t v = (uint32_t)r * 0x01010101u;
            memcpy(r < ROUNDS ? m + 100 : ro - 2, &v, 4);
        }
        printf("  no fault\n");
    }
    printf("  read-only page still holds %08x\n", checksum(ro, 64));

    if (mprotect(ro, PAGE, PROT_NONE)) return 12;
    hot_stores("the page made PROT_NONE", m, ro, (uintptr_t)ro);
    if (mprotect(ro, PAGE, PROT_READ | PROT_WRITE)) return 13;
    hot_stores("the page writable again", m, ro, 0);

    hot_stores("a page before unmapping", last, last, 0);
    if (munmap(last, PAGE)) return 14;
    hot_stores("the page unmapped after use", m, last, (uintptr_t)last);
    printf("done\n");
    return 0;
}
