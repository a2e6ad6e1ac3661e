/* SPARC V8 opcode tables shared by the executor and the disassembler: one X-macro row per
 * format-3 opcode (op3) with its mnemonic and microSPARC-II issue cost in cycles.
 * Sources: The SPARC Architecture Manual V8 (SPARC International, 1992) appendix F (opcode
 * maps). Cycle costs are approximations for the single-issue microSPARC-II pipeline: no
 * MB86904 timing table was at hand, see hwdocs/sparc.md (all marked approximate). */
#ifndef VT_SPARC_OPS_H
#define VT_SPARC_OPS_H

/* op = 2: X(op3, mnemonic, cycles). */
/* (clang-format would staircase these macro-call tables) */
// clang-format off
#define SPARC_ARITH_OPS(X)                                                                         \
    X(0x00, "add", 1)                                                                              \
    X(0x01, "and", 1)                                                                              \
    X(0x02, "or", 1)                                                                               \
    X(0x03, "xor", 1)                                                                              \
    X(0x04, "sub", 1)                                                                              \
    X(0x05, "andn", 1)                                                                             \
    X(0x06, "orn", 1)                                                                              \
    X(0x07, "xnor", 1)                                                                             \
    X(0x08, "addx", 1)                                                                             \
    X(0x0a, "umul", 5)                                                                             \
    X(0x0b, "smul", 5)                                                                             \
    X(0x0c, "subx", 1)                                                                             \
    X(0x0e, "udiv", 18)                                                                            \
    X(0x0f, "sdiv", 18)                                                                            \
    X(0x10, "addcc", 1)                                                                            \
    X(0x11, "andcc", 1)                                                                            \
    X(0x12, "orcc", 1)                                                                             \
    X(0x13, "xorcc", 1)                                                                            \
    X(0x14, "subcc", 1)                                                                            \
    X(0x15, "andncc", 1)                                                                           \
    X(0x16, "orncc", 1)                                                                            \
    X(0x17, "xnorcc", 1)                                                                           \
    X(0x18, "addxcc", 1)                                                                           \
    X(0x1a, "umulcc", 5)                                                                           \
    X(0x1b, "smulcc", 5)                                                                           \
    X(0x1c, "subxcc", 1)                                                                           \
    X(0x1e, "udivcc", 18)                                                                          \
    X(0x1f, "sdivcc", 18)                                                                          \
    X(0x20, "taddcc", 1)                                                                           \
    X(0x21, "tsubcc", 1)                                                                           \
    X(0x22, "taddcctv", 1)                                                                         \
    X(0x23, "tsubcctv", 1)                                                                         \
    X(0x24, "mulscc", 1)                                                                           \
    X(0x25, "sll", 1)                                                                              \
    X(0x26, "srl", 1)                                                                              \
    X(0x27, "sra", 1)                                                                              \
    X(0x28, "rd", 1)                                                                               \
    X(0x29, "rd", 1)                                                                               \
    X(0x2a, "rd", 1)                                                                               \
    X(0x2b, "rd", 1)                                                                               \
    X(0x30, "wr", 1)                                                                               \
    X(0x31, "wr", 3)                                                                               \
    X(0x32, "wr", 1)                                                                               \
    X(0x33, "wr", 1)                                                                               \
    X(0x34, "fpop1", 1)                                                                            \
    X(0x35, "fpop2", 1)                                                                            \
    X(0x36, "cpop1", 1)                                                                            \
    X(0x37, "cpop2", 1)                                                                            \
    X(0x38, "jmpl", 2)                                                                             \
    X(0x39, "rett", 2)                                                                             \
    X(0x3a, "t", 3)                                                                                \
    X(0x3b, "flush", 2)                                                                            \
    X(0x3c, "save", 1)                                                                             \
    X(0x3d, "restore", 1)

/* op = 3: X(op3, mnemonic, cycles). */
#define SPARC_MEM_OPS(X)                                                                           \
    X(0x00, "ld", 1)                                                                               \
    X(0x01, "ldub", 1)                                                                             \
    X(0x02, "lduh", 1)                                                                             \
    X(0x03, "ldd", 2)                                                                              \
    X(0x04, "st", 2)                                                                               \
    X(0x05, "stb", 2)                                                                              \
    X(0x06, "sth", 2)                                                                              \
    X(0x07, "std", 3)                                                                              \
    X(0x09, "ldsb", 1)                                                                             \
    X(0x0a, "ldsh", 1)                                                                             \
    X(0x0d, "ldstub", 3)                                                                           \
    X(0x0f, "swap", 3)                                                                             \
    X(0x10, "lda", 1)                                                                              \
    X(0x11, "lduba", 1)                                                                            \
    X(0x12, "lduha", 1)                                                                            \
    X(0x13, "ldda", 2)                                                                             \
    X(0x14, "sta", 2)                                                                              \
    X(0x15, "stba", 2)                                                                             \
    X(0x16, "stha", 2)                                                                             \
    X(0x17, "stda", 3)                                                                             \
    X(0x19, "ldsba", 1)                                                                            \
    X(0x1a, "ldsha", 1)                                                                            \
    X(0x1d, "ldstuba", 3)                                                                          \
    X(0x1f, "swapa", 3)                                                                            \
    X(0x20, "ld", 1)                                                                               \
    X(0x21, "ld", 1)                                                                               \
    X(0x23, "ldd", 2)                                                                              \
    X(0x24, "st", 2)                                                                               \
    X(0x25, "st", 2)                                                                               \
    X(0x26, "std", 3)                                                                              \
    X(0x27, "std", 3)                                                                              \
    X(0x30, "ldc", 1)                                                                              \
    X(0x31, "ldc", 1)                                                                              \
    X(0x33, "lddc", 2)                                                                             \
    X(0x34, "stc", 2)                                                                              \
    X(0x35, "stc", 2)                                                                              \
    X(0x36, "stdc", 3)                                                                             \
    X(0x37, "stdc", 3)

/* Bicc / FBfcc / Ticc condition names, by cond field. */
#define SPARC_ICC_NAMES                                                                            \
    { "n", "e", "le", "l", "leu", "cs", "neg", "vs", "a", "ne", "g", "ge", "gu", "cc", "pos", "vc" }
#define SPARC_FCC_NAMES                                                                            \
    { "n", "ne", "lg", "ul", "l", "ug", "g", "u", "a", "e", "ue", "ge", "uge", "le", "ule", "o" }

/* FPop opf values: X(opf, mnemonic, cycles, implemented-on-microSPARC-II). Quad forms and
 * FsMULd/FdMULq are absent from the MB86904 and trap as unimplemented_FPop. */
#define SPARC_FPOPS(X)                                                                             \
    X(0x001, "fmovs", 1, 1)                                                                        \
    X(0x005, "fnegs", 1, 1)                                                                        \
    X(0x009, "fabss", 1, 1)                                                                        \
    X(0x029, "fsqrts", 37, 1)                                                                      \
    X(0x02a, "fsqrtd", 65, 1)                                                                      \
    X(0x02b, "fsqrtq", 1, 0)                                                                       \
    X(0x041, "fadds", 2, 1)                                                                        \
    X(0x042, "faddd", 2, 1)                                                                        \
    X(0x043, "faddq", 1, 0)                                                                        \
    X(0x045, "fsubs", 2, 1)                                                                        \
    X(0x046, "fsubd", 2, 1)                                                                        \
    X(0x047, "fsubq", 1, 0)                                                                        \
    X(0x049, "fmuls", 3, 1)                                                                        \
    X(0x04a, "fmuld", 5, 1)                                                                        \
    X(0x04b, "fmulq", 1, 0)                                                                        \
    X(0x04d, "fdivs", 20, 1)                                                                       \
    X(0x04e, "fdivd", 36, 1)                                                                       \
    X(0x04f, "fdivq", 1, 0)                                                                        \
    X(0x069, "fsmuld", 1, 0)                                                                       \
    X(0x06e, "fdmulq", 1, 0)                                                                       \
    X(0x0c4, "fitos", 4, 1)                                                                        \
    X(0x0c6, "fdtos", 2, 1)                                                                        \
    X(0x0c7, "fqtos", 1, 0)                                                                        \
    X(0x0c8, "fitod", 4, 1)                                                                        \
    X(0x0c9, "fstod", 2, 1)                                                                        \
    X(0x0cb, "fqtod", 1, 0)                                                                        \
    X(0x0cc, "fitoq", 1, 0)                                                                        \
    X(0x0cd, "fstoq", 1, 0)                                                                        \
    X(0x0ce, "fdtoq", 1, 0)                                                                        \
    X(0x0d1, "fstoi", 3, 1)                                                                        \
    X(0x0d2, "fdtoi", 3, 1)                                                                        \
    X(0x0d3, "fqtoi", 1, 0)                                                                        \
    X(0x051, "fcmps", 2, 1)                                                                        \
    X(0x052, "fcmpd", 2, 1)                                                                        \
    X(0x053, "fcmpq", 1, 0)                                                                        \
    X(0x055, "fcmpes", 2, 1)                                                                       \
    X(0x056, "fcmped", 2, 1)                                                                       \
    X(0x057, "fcmpeq", 1, 0)
// clang-format on

#endif
