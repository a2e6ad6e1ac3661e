/* The pseudo-random generator of the random-sequence tools under tests/cpu (the generators
 * gen_<isa>.c and the harnesses' random-input modes): xorshift64 with shifts 13, 7, 17
 * (G. Marsaglia, "Xorshift RNGs", J. Stat. Software 8(14), 2003). Deterministic from a seed,
 * so a seed names a sequence; the recorded golden results depend on this exact stream.
 * Self-contained (no project headers): the generators are built on their own. */
#ifndef VT_TESTS_XORSHIFT_H
#define VT_TESTS_XORSHIFT_H

#include <stdint.h>

/* Advances the state and returns it. */
static inline uint64_t xorshift_next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A nonzero starting state from a small seed (golden-ratio multiply). */
static inline uint64_t xorshift_seed(uint64_t seed) {
    return seed * 0x9E3779B97F4A7C15ull + 1;
}

#endif
