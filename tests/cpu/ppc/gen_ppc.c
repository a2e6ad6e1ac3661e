/* Random PowerPC instruction-sequence generator for the ppc750 core test: writes one GNU as
 * file holding N sequences (integer, rotate, CR, branches with CTR/LR, loads/stores incl.
 * update, indexed, byte-reversed, multiple, string and lwarx/stwcx., cache ops, the FPU incl.
 * FPSCR moves) with their initial states, plus a tiny freestanding runtime that loads each
 * state, runs the sequence and writes a result record (registers, CR, XER, LR, CTR, FPSCR low
 * word, 128 bytes of scratch memory) with the write syscall. The same image runs under
 * qemu-ppc-static -cpu 750 and on the Vitrine core (ppc_harness.c). Encodings where QEMU 7.2
 * and a real 750 are known to differ are kept out (hwdocs/ppc.md lists each).
 * Usage: gen_ppc SEED COUNT > out.s */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../xorshift.h"

#define MEMSZ 128   /* scratch bytes the sequence may touch, at r31 */
#define REC 672     /* bytes per record */
#define RECOFF 1024 /* the record buffer sits at r31 - RECOFF */
/* record layout */
#define R_GPR 0
#define R_FPR 128
#define R_CR 384
#define R_XER 388
#define R_LR 392
#define R_CTR 396
#define R_FPSCR 400
#define R_MEM 404
#define R_FAULT 532 /* address of the instruction that took an enabled FP exception, or 0 */
/* words below r31 (the scratch base) */
#define CUR_LAND (-40) /* landing address for this sequence's FP exception */
#define FAULT_PC (-36) /* written by the SIGFPE handler (and the Vitrine harness) */
/* init block layout */
#define I_GPR 0
#define I_FPR 128
#define I_CR 384
#define I_XER 388
#define I_CTR 392
#define I_FPSCR 400 /* a double whose low word is the FPSCR */
#define I_MEM 408
#define ISZ (I_MEM + MEMSZ)

static uint64_t rng;
static uint32_t rnd(void) {
    return (uint32_t)(xorshift_next(&rng) >> 16);
}
static uint32_t below(uint32_t n) {
    return rnd() % n;
}
static bool chance(unsigned pct) {
    return below(100) < pct;
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("\t", stdout);
    vprintf(fmt, ap);
    fputs("\n", stdout);
    va_end(ap);
}

static uint32_t rand_val(void) {
    static const uint32_t special[] = {0,       1,    2,    0xffffffff, 0x80000000, 0x7fffffff,
                                       0x7f,    0x80, 0xff, 0x7fff,     0x8000,     0xffff,
                                       0x10000, 31,   32,   0xfffffffe};
    switch (below(6)) {
    case 0:
        return special[below(16)];
    case 1:
        return below(64);
    case 2:
        return (uint32_t)(int32_t)(int16_t)rnd();
    default:
        return rnd() ^ (rnd() << 16);
    }
}

static uint64_t rand_double(void) {
    static const uint64_t special[] = {0x0000000000000000ull,
                                       0x8000000000000000ull,
                                       0x3ff0000000000000ull,
                                       0xbff0000000000000ull,
                                       0x7ff0000000000000ull,
                                       0xfff0000000000000ull,
                                       0x7ff8000000000000ull,
                                       0xfff8000000001234ull,
                                       0x7ff4000000000000ull, /* SNaN */
                                       0x0000000000000001ull,
                                       0x800fffffffffffffull,
                                       0x0010000000000000ull,
                                       0x7fefffffffffffffull,
                                       0x4000000000000000ull,
                                       0x3fe0000000000000ull,
                                       0x41dfffffffc00000ull,
                                       0xc1e0000000000000ull,
                                       0x41e0000000000000ull,
                                       0x3810000000000000ull,
                                       /* FLT_MIN */ 0x47efffffe0000000ull, /* FLT_MAX */
                                       0x36a0000000000000ull,
                                       /* smallest single denormal */ 0x4330000000000000ull,
                                       0x3ff0000000000001ull,
                                       0x3fefffffffffffffull};
    switch (below(5)) {
    case 0:
        return special[below(sizeof special / sizeof special[0])];
    case 1: { /* a small integer-ish value */
        int v = (int)below(2001) - 1000;
        double d = v / (double)(1 + below(8));
        uint64_t u;
        memcpy(&u, &d, 8);
        return u;
    }
    case 2: { /* exponent near the single range limits */
        uint64_t e = below(2) ? 1023 + 127 - below(4) : 1023 - 126 - below(26);
        return (uint64_t)below(2) << 63 | e << 52 | ((uint64_t)rnd() << 20 ^ rnd());
    }
    default: {
        uint64_t e = 1023 - 40 + below(80);
        return (uint64_t)below(2) << 63 | e << 52 | ((uint64_t)rnd() << 32 ^ rnd()) >> 12;
    }
    }
}

/* Single-representable double: the result of rounding to single. */
static uint64_t rand_single(void) {
    uint64_t u = rand_double();
    unsigned e = (unsigned)(u >> 52) & 0x7ff;
    if (e == 0x7ff) return u & ~0x1fffffffull;
    if (e == 0 || e < 1023 - 126 || e > 1023 + 127) return u & 0x8000000000000000ull;
    return u & ~0x1fffffffull;
}

/* --- per-sequence state --- */
static unsigned seq, lab;
static bool fsingle[32]; /* FPR holds a single-representable value */
static unsigned rn;      /* FPSCR[RN], tracked through every FPSCR write the sequence does */
/* This sequence may enable VE, ZE, XE (never OE/UE, whose exponent-adjusted results QEMU 7.2
 * does not produce): an enabled exception then ends it through SIGFPE (QEMU) or a program
 * trap (Vitrine) at the sequence's landing, where the state is recorded. */
static bool traps;

/* A random GPR the sequence may write (r31 is the scratch base). */
static unsigned greg(void) {
    return below(31);
}
/* r1..r30: usable as a base register (r0 reads as 0 there) */
static unsigned breg(void) {
    return 1 + below(30);
}
static unsigned freg(void) {
    return below(32);
}
static const char *dot(void) {
    return chance(40) ? "." : "";
}
/* Rc for FP instructions: not while exceptions are enabled (QEMU leaves CR1 unchanged when
 * the instruction traps; the architecture updates it). */
static const char *fdot(void) {
    return traps ? "" : dot();
}

/* Points register b at scratch offset off (returns b). */
static void set_base(unsigned b, int off) {
    emit("addi %u,31,%d", b, off);
}

static void g_xo_arith(void) {
    static const char *const ops[] = {"add", "addc", "adde", "subf", "subfc", "subfe", "mullw"};
    static const char *const ops2[] = {"neg", "addze", "addme", "subfze", "subfme"};
    const char *o = chance(30) ? "o" : "";
    if (chance(70))
        emit("%s%s%s %u,%u,%u", ops[below(7)], o, dot(), greg(), greg(), greg());
    else
        emit("%s%s%s %u,%u", ops2[below(5)], o, dot(), greg(), greg());
}

static void g_mulhi(void) {
    emit("%s%s %u,%u,%u", below(2) ? "mulhw" : "mulhwu", dot(), greg(), greg(), greg());
}

/* Divides with a divisor the architecture defines (non-zero, and not -1 for divw): the
 * undefined cases are checked by the unit tests against 750 behaviour instead. */
static void g_div(void) {
    unsigned d = greg(), a = greg(), b = greg();
    int32_t v;
    do {
        v = (int32_t)(int16_t)rnd();
        if (chance(30)) v = (int32_t)below(16) - 8;
    } while (v == 0 || v == -1);
    emit("li %u,%d", b, v);
    if (chance(30)) emit("oris %u,%u,%u", b, b, below(0x8000));
    emit("%s%s%s %u,%u,%u", below(2) ? "divw" : "divwu", chance(30) ? "o" : "", dot(), d,
         a == b ? d : a, b);
}

static void g_imm(void) {
    unsigned d = greg(), a = greg();
    int16_t s = (int16_t)rand_val();
    switch (below(12)) {
    case 0:
        emit("addi %u,%u,%d", d, a, s);
        break;
    case 1:
        emit("addis %u,%u,%d", d, a, s);
        break;
    case 2:
        emit("addic %u,%u,%d", d, a, s);
        break;
    case 3:
        emit("addic. %u,%u,%d", d, a, s);
        break;
    case 4:
        emit("subfic %u,%u,%d", d, a, s);
        break;
    case 5:
        emit("mulli %u,%u,%d", d, a, s);
        break;
    case 6:
        emit("ori %u,%u,%u", d, a, (uint16_t)s);
        break;
    case 7:
        emit("oris %u,%u,%u", d, a, (uint16_t)s);
        break;
    case 8:
        emit("xori %u,%u,%u", d, a, (uint16_t)s);
        break;
    case 9:
        emit("xoris %u,%u,%u", d, a, (uint16_t)s);
        break;
    case 10:
        emit("andi. %u,%u,%u", d, a, (uint16_t)s);
        break;
    default:
        emit("andis. %u,%u,%u", d, a, (uint16_t)s);
        break;
    }
}

static void g_logic(void) {
    static const char *const ops[] = {"and", "andc", "or",  "orc", "xor", "nand",
                                      "nor", "eqv",  "slw", "srw", "sraw"};
    static const char *const ops2[] = {"extsb", "extsh", "cntlzw"};
    if (chance(75))
        emit("%s%s %u,%u,%u", ops[below(11)], dot(), greg(), greg(), greg());
    else
        emit("%s%s %u,%u", ops2[below(3)], dot(), greg(), greg());
}

static void g_rotate(void) {
    switch (below(4)) {
    case 0:
        emit("rlwinm%s %u,%u,%u,%u,%u", dot(), greg(), greg(), below(32), below(32), below(32));
        break;
    case 1:
        emit("rlwnm%s %u,%u,%u,%u,%u", dot(), greg(), greg(), greg(), below(32), below(32));
        break;
    case 2:
        emit("rlwimi%s %u,%u,%u,%u,%u", dot(), greg(), greg(), below(32), below(32), below(32));
        break;
    default:
        emit("srawi%s %u,%u,%u", dot(), greg(), greg(), below(32));
        break;
    }
}

static void g_cmp(void) {
    unsigned f = below(8);
    switch (below(4)) {
    case 0:
        emit("cmpw %u,%u,%u", f, greg(), greg());
        break;
    case 1:
        emit("cmplw %u,%u,%u", f, greg(), greg());
        break;
    case 2:
        emit("cmpwi %u,%u,%d", f, greg(), (int16_t)rand_val());
        break;
    default:
        emit("cmplwi %u,%u,%u", f, greg(), (uint16_t)rand_val());
        break;
    }
}

static void g_cr(void) {
    static const char *const ops[] = {"crand", "crandc", "creqv", "crnand",
                                      "crnor", "cror",   "crorc", "crxor"};
    switch (below(6)) {
    case 0:
    case 1:
        emit("%s %u,%u,%u", ops[below(8)], below(32), below(32), below(32));
        break;
    case 2:
        emit("mcrf %u,%u", below(8), below(8));
        break;
    case 3:
        emit("mtcrf %u,%u", below(256), greg());
        break;
    case 4:
        emit("mfcr %u", greg());
        break;
    default:
        emit("mcrxr %u", below(8));
        break;
    }
}

static void g_spr(void) {
    unsigned r = greg();
    switch (below(7)) {
    case 0: /* XER: only the bits the 750 implements (SO OV CA, byte count) */
        emit("li %u,%u", r, below(128));
        emit("oris %u,%u,%u", r, r, below(8) << 13);
        emit("mtxer %u", r);
        break;
    case 1:
        emit("mfxer %u", r);
        break;
    case 2:
        emit("mtlr %u", r);
        break;
    case 3:
        emit("mflr %u", r);
        break;
    case 4:
        emit("mtctr %u", r);
        break;
    case 5:
        emit("mfctr %u", r);
        break;
    default:
        emit("%s", below(3) == 0 ? "isync" : below(2) ? "sync" : "eieio");
        break;
    }
}

/* Forward branches (never loops except bdnz with a small count), calls, bclr/bcctr. */
static void g_branch(void) {
    unsigned l = lab++;
    switch (below(5)) {
    case 0: { /* bc with random BO (valid forms) and BI, skipping 1-2 instructions */
        static const unsigned bos[] = {4, 12, 20, 0, 2, 8, 10, 16, 18};
        emit("bc %u,%u,L%u_%u", bos[below(9)], below(32), seq, l);
        g_imm();
        if (chance(50)) g_logic();
        printf("L%u_%u:\n", seq, l);
        break;
    }
    case 1: /* bl forward, then read LR */
        emit("bl L%u_%u", seq, l);
        printf("L%u_%u:\n", seq, l);
        emit("mflr %u", greg());
        break;
    case 2: { /* a short counted loop */
        unsigned r = greg();
        emit("li 0,%u", 1 + below(4));
        emit("mtctr 0");
        printf("L%u_%u:\n", seq, l);
        emit("addi %u,%u,%d", r, r, (int)below(9) - 4);
        emit("bdnz L%u_%u", seq, l);
        break;
    }
    case 3: { /* bclr / bcctr with a condition, target built absolutely */
        unsigned r = breg();
        bool ctr = below(2);
        emit("lis %u,L%u_%u@ha", r, seq, l);
        emit("addi %u,%u,L%u_%u@l", r, r, seq, l);
        emit("mt%s %u", ctr ? "ctr" : "lr", r);
        unsigned bo = ctr ? (below(2) ? 20 : (below(2) ? 12 : 4)) : (below(2) ? 20 : 12);
        emit("%s%s %u,%u", ctr ? "bcctr" : "bclr", chance(30) ? "l" : "", bo, below(32));
        g_imm();
        printf("L%u_%u:\n", seq, l);
        break;
    }
    default: /* unconditional forward branch over one instruction */
        emit("b L%u_%u", seq, l);
        g_imm();
        printf("L%u_%u:\n", seq, l);
        break;
    }
}

static void g_loadstore(void) {
    static const struct {
        const char *name;
        unsigned size;
        bool load;
    } d_ops[] = {{"lwz", 4, 1}, {"lbz", 1, 1}, {"lhz", 2, 1}, {"lha", 2, 1},
                 {"stw", 4, 0}, {"stb", 1, 0}, {"sth", 2, 0}};
    unsigned k = below(7), b = breg(), d = greg();
    unsigned size = d_ops[k].size;
    bool upd = chance(30), idx = chance(40);
    if (upd && d_ops[k].load && d == b) d = (d + 1) % 31;
    int off = (int)below(MEMSZ - size + 1);
    if (chance(70)) off &= ~(int)(size - 1);
    if (idx) {
        unsigned x = breg();
        if (x == b) x = b % 30 + 1;
        int split = (int)below(64);
        set_base(b, off - split);
        emit("li %u,%d", x, split);
        if (upd && d_ops[k].load && d == b) d = (d + 1) % 31;
        if (d_ops[k].load && (d == x)) d = 0;
        emit("%s%sx %u,%u,%u", d_ops[k].name, upd ? "u" : "", d, b, x);
    } else {
        int base = (int)below(64);
        set_base(b, base);
        emit("%s%s %u,%d(%u)", d_ops[k].name, upd ? "u" : "", d, off - base, b);
    }
}

static void g_byterev(void) {
    unsigned b = breg(), d = greg(), x = breg();
    static const char *const ops[] = {"lwbrx", "lhbrx", "stwbrx", "sthbrx"};
    unsigned k = below(4);
    unsigned size = k & 1 ? 2 : 4;
    if (x == b) x = b % 30 + 1;
    set_base(b, (int)below(MEMSZ - size + 1));
    emit("li %u,0", x);
    emit("%s %u,%u,%u", ops[k], d, b, x);
}

static void g_multiple(void) {
    unsigned rd = 20 + below(11), b = 1 + below(rd - 1);
    int off = (int)(below((MEMSZ - 4 * (32 - rd)) / 4 + 1) * 4);
    set_base(b, off);
    emit("%s %u,0(%u)", below(2) ? "lmw" : "stmw", rd, b);
    emit("lis 31,scratch@ha");
    emit("addi 31,31,scratch@l");
}

/* lswi/lswx/stswi/stswx with a register range that holds neither the base nor r31 (the
 * other cases are invalid forms). */
static void g_string(void) {
    unsigned n = 1 + below(16), nregs = (n + 3) / 4;
    unsigned rd = below(31 - nregs);
    unsigned b;
    do
        b = breg();
    while (b >= rd && b < rd + nregs);
    bool store = below(2), x = below(2);
    set_base(b, (int)below(MEMSZ - n + 1));
    if (x) {
        unsigned xr;
        do
            xr = breg();
        while ((xr >= rd && xr < rd + nregs) || xr == b);
        emit("li %u,0", xr);
        emit("mtxer %u", xr);
        emit("li %u,%u", xr, n);
        emit("mtxer %u", xr);
        emit("li %u,0", xr);
        emit("%s %u,%u,%u", store ? "stswx" : "lswx", rd, b, xr);
    } else {
        emit("%s %u,%u,%u", store ? "stswi" : "lswi", rd, b, n == 32 ? 0 : n);
    }
}

/* lwarx then stwcx. to the same word, or to the next 32-byte granule, with no store in
 * between (QEMU compares address and value, a 750 the reservation granule: identical for
 * these patterns). */
static void g_atomic(void) {
    unsigned b = breg(), d = greg(), s = greg();
    set_base(b, (int)below(MEMSZ / 4 - 8) * 4);
    if (d == b) d = 0;
    if (chance(80)) emit("lwarx %u,0,%u", d, b);
    if (chance(50)) emit("crxor %u,%u,%u", below(32), below(32), below(32));
    if (chance(30)) emit("addi %u,%u,32", b, b); /* the next reservation granule */
    emit("stwcx. %u,0,%u", s, b);
}

static void g_cache(void) {
    static const char *const ops[] = {"dcbz", "dcbst", "dcbf", "dcbt", "dcbtst", "icbi"};
    unsigned b = breg(), x = breg();
    if (x == b) x = b % 30 + 1;
    set_base(b, (int)below(MEMSZ));
    emit("li %u,0", x);
    emit("%s %u,%u", ops[below(6)], b, x);
}

/* --- FPU --- */

static unsigned sreg(void) {
    unsigned tries = 0, r;
    do
        r = freg();
    while (!fsingle[r] && ++tries < 12);
    if (!fsingle[r]) {
        if (traps) emit("mtfsb0 14"); /* see g_fp_arith */
        emit("frsp %u,%u", r, r);
        fsingle[r] = true;
    }
    return r;
}

static void g_fp_arith(void) {
    static const char *const ops[] = {"fadd",  "fsub",  "fmul",   "fdiv",
                                      "fmadd", "fmsub", "fnmadd", "fnmsub"};
    unsigned k = below(8);
    bool single = chance(40);
    /* fnmadd/fnmsub: the architecture rounds, then negates; QEMU 7.2 negates, then rounds.
     * The two agree in the symmetric modes (nearest, toward zero) only. */
    if (k >= 6 && rn >= 2) k -= 2;
    unsigned a = single ? sreg() : freg(), b = single ? sreg() : freg(),
             c = single ? sreg() : freg(), d = freg();
    const char *name = ops[k];
    /* An enabled invalid/zero-divide clears FR and FI (MPCFPE32B ch. 3); QEMU 7.2 leaves them:
     * with exceptions enabled, start each operation with FI = 0. */
    if (traps) emit("mtfsb0 14");
    if (k == 2)
        emit("%s%s%s %u,%u,%u", name, single ? "s" : "", fdot(), d, a, c);
    else if (k < 4)
        emit("%s%s%s %u,%u,%u", name, single ? "s" : "", fdot(), d, a, b);
    else
        emit("%s%s%s %u,%u,%u,%u", name, single ? "s" : "", fdot(), d, a, c, b);
    fsingle[d] = single;
}

static void g_fp_misc(void) {
    unsigned d = freg(), b = freg();
    switch (below(9)) {
    case 0:
        if (traps) emit("mtfsb0 14");
        emit("frsp%s %u,%u", fdot(), d, b);
        fsingle[d] = true;
        break;
    case 1:
    case 2: {
        if (traps) { /* a trapping fctiw would skip the normalisation of its high word */
            emit("fmr %u,%u", d, b);
            fsingle[d] = fsingle[b];
            break;
        } /* the high word is undefined (750: 0xfff80000, QEMU 0): compare the word */
        unsigned r = breg();
        set_base(r, (int)below(MEMSZ / 4) * 4);
        emit("fctiw%s%s %u,%u", below(2) ? "z" : "", fdot(), d, b);
        emit("stfiwx %u,0,%u", d, r);
        emit("fmr %u,%u", d, (d + 1 + below(31)) % 32);
        /* FPRF is undefined after fctiw (750: unchanged, QEMU: QNaN class when invalid) */
        emit("mtfsb0 15");
        emit("mtfsfi 4,0");
        fsingle[d] = false;
        break;
    }
    case 3: {
        static const char *const mv[] = {"fmr", "fneg", "fabs", "fnabs"};
        emit("%s%s %u,%u", mv[below(4)], fdot(), d, b);
        fsingle[d] = fsingle[b];
        break;
    }
    case 4: {
        unsigned a = freg(), c = freg();
        emit("fsel%s %u,%u,%u,%u", fdot(), d, a, c, b);
        fsingle[d] = fsingle[b] && fsingle[c];
        break;
    }
    case 5:
    case 6: /* QEMU 7.2 clears FI on fcmpu/fcmpo, the architecture leaves it: start at 0 */
        emit("mtfsb0 14");
        if (traps || below(2)) { /* a trapping fcmpo would keep QEMU's FPRF[C] */
            emit("fcmpu %u,%u,%u", below(8), freg(), b);
        } else { /* QEMU also sets FPRF[C] when fcmpo finds a NaN; the architecture does not */
            emit("fcmpo %u,%u,%u", below(8), freg(), b);
            emit("mtfsb0 15");
        }
        break;
    case 7: { /* load/store single and double, D-form or indexed, with or without update */
        unsigned r = breg(), x = breg();
        bool upd = chance(30), idx = chance(40);
        int off = (int)below(MEMSZ / 8) * 8, split = idx ? (int)below(8) * 8 : 0;
        if (x == r) x = r % 30 + 1;
        set_base(r, off - split);
        if (idx) emit("li %u,%d", x, split);
        char addr[16];
        if (idx)
            snprintf(addr, sizeof addr, "%u,%u", r, x);
        else
            snprintf(addr, sizeof addr, "0(%u)", r);
        const char *u = upd ? "u" : "", *xs = idx ? "x" : "";
        switch (below(5)) {
        case 0:
            emit("lfs%s%s %u,%s", u, xs, d, addr);
            fsingle[d] = true;
            break;
        case 1:
            emit("lfd%s%s %u,%s", u, xs, d, addr);
            fsingle[d] = false;
            break;
        case 2:
            emit("stfs%s%s %u,%s", u, xs, b, addr);
            break;
        case 3:
            emit("stfd%s%s %u,%s", u, xs, b, addr);
            break;
        default:
            set_base(r, off);
            emit("stfiwx %u,0,%u", b, r);
            break;
        }
        break;
    }
    default: { /* mffs: only the FPSCR word is compared (the high word differs, see hwdocs) */
        unsigned r = breg();
        set_base(r, (int)below(MEMSZ / 4) * 4);
        emit("mtfsb0 13"); /* FR: QEMU never computes it (hwdocs/ppc.md) */
        emit("mtfsb0 15"); /* FPRF[C]: QEMU's class of single denormals differs (hwdocs) */
        emit("mffs%s %u", fdot(), d);
        emit("stfiwx %u,0,%u", d, r);
        if (b == d) b = (d + 1) % 32;
        emit("fmr %u,%u", d, b);
        fsingle[d] = fsingle[b];
        break;
    }
    }
}

/* FPSCR writes keep the enable bits (VE OE UE ZE XE) and NI zero: QEMU's user mode runs with
 * MSR[FE0,FE1] set, so an enabled exception would end the program with SIGFPE. */
static void g_fpscr(void) {
    /* a write that traps skips the FX normalisation below: set FX first */
    if (traps) emit("mtfsb1 0");
    switch (below(5)) {
    case 0: {
        unsigned b = freg();
        emit("mtfsf%s %u,%u", fdot(), below(256) & 0xfc, b); /* not fields 6, 7 (enables) */
        break;
    }
    case 1: {
        unsigned f = below(6);
        if (chance(20)) f = 7;
        if (traps && chance(20)) f = 6;
        static const unsigned ve_ze[] = {0, 1, 8, 9}; /* field 6: VE . . ZE */
        unsigned imm = f == 7   ? (traps ? below(4) | (below(2) << 3) : below(4))
                       : f == 6 ? ve_ze[below(4)]
                                : below(16);
        emit("mtfsfi%s %u,%u", fdot(), f, imm);
        if (f == 7) rn = imm & 3;
        break;
    }
    case 2: {
        unsigned bit;
        do
            bit = below(32);
        while (bit >= 24 && bit <= 29 && !(traps && (bit == 24 || bit == 27 || bit == 28)));
        emit("mtfsb1 %u", bit); /* no Rc: QEMU leaves FX out of CR1 here (hwdocs) */
        if (bit >= 30) rn |= 1u << (31 - bit);
        break;
    }
    case 3: {
        unsigned bit = below(32);
        emit("mtfsb0%s %u", fdot(), bit);
        if (bit >= 30) rn &= ~(1u << (31 - bit));
        break;
    }
    default:
        emit("mtfsb0 13"); /* FR and FPRF[C], as for mffs */
        emit("mtfsb0 15");
        emit("mcrfs %u,%u", below(8), below(8));
        break;
    }
    /* FX: the architecture sets it when an exception bit goes from 0 to 1, QEMU 7.2 whenever
     * an exception occurs. They agree once FX is 1, or while no exception bit is set: after
     * a write that may leave FX 0 with exception bits set, set it. */
    emit("mtfsb1 0");
}

static void gen_insn(void) {
    unsigned k = below(100);
    if (k < 10)
        g_xo_arith();
    else if (k < 13)
        g_mulhi();
    else if (k < 16)
        g_div();
    else if (k < 24)
        g_imm();
    else if (k < 31)
        g_logic();
    else if (k < 37)
        g_rotate();
    else if (k < 41)
        g_cmp();
    else if (k < 46)
        g_cr();
    else if (k < 50)
        g_spr();
    else if (k < 55)
        g_branch();
    else if (k < 63)
        g_loadstore();
    else if (k < 65)
        g_byterev();
    else if (k < 67)
        g_multiple();
    else if (k < 70)
        g_string();
    else if (k < 72)
        g_atomic();
    else if (k < 74)
        g_cache();
    else if (k < 88)
        g_fp_arith();
    else if (k < 96)
        g_fp_misc();
    else
        g_fpscr();
}

/* Writes sequence k's initial state to the data section being collected in out. */
static void emit_init(FILE *out, unsigned k) {
    fprintf(out, "\t.balign 8\nI%u:\n", k);
    for (int r = 0; r < 32; r++)
        fprintf(out, "\t.long 0x%08" PRIx32 "\n", rand_val());
    for (int r = 0; r < 32; r++) {
        uint64_t v = chance(50) ? rand_single() : rand_double();
        fprintf(out, "\t.quad 0x%016" PRIx64 "\n", v);
    }
    fprintf(out, "\t.long 0x%08" PRIx32 "\n", rnd() ^ rnd() << 16);            /* CR */
    fprintf(out, "\t.long 0x%08" PRIx32 "\n", (rnd() & 7) << 29 | below(128)); /* XER */
    fprintf(out, "\t.long 0x%08" PRIx32 "\n", rand_val());                     /* CTR */
    fprintf(out, "\t.long 0\n");
    /* FPSCR: random status/exception bits, random rounding mode; with traps some of VE, ZE, XE
     * with their exception bits clear (else loading the FPSCR would trap at once) */
    uint32_t fpscr = (rnd() << 16 ^ rnd()) & 0xfffff800u & ~0x60000000u;
    if (chance(60)) fpscr &= 0x0000f000u;
    fpscr |= below(4);
    if (traps) {
        static const uint32_t enable[3] = {0x80u, 0x10u, 0x08u},
                              exc[3] = {0x01f80700u, 0x04000000u, 0x02000000u};
        for (int e = 0; e < 3; e++)
            if (chance(60)) fpscr = (fpscr | enable[e]) & ~exc[e];
    }
    if (fpscr & 0x1ff80700u) fpscr |= 0x80000000u; /* FX with any exception bit (see g_fpscr) */
    rn = fpscr & 3;
    fprintf(out, "\t.long 0, 0x%08" PRIx32 "\n", fpscr);
    for (int b = 0; b < MEMSZ; b += 4)
        fprintf(out, "\t.long 0x%08" PRIx32 "\n", rand_val());
}

static void emit_runtime(void) {
    puts("\t.text\n\t.globl _start\n_start:");
    emit("b 1f");
    emit(".long scratch"); /* for the Vitrine harness: where CUR_LAND and FAULT_PC live */
    puts("1:");
    /* SIGFPE on an alternate stack (r1 is random in the sequences), with siginfo */
    emit("lis 3,altstack_desc@ha");
    emit("addi 3,3,altstack_desc@l");
    emit("li 4,0");
    emit("li 0,185"); /* sigaltstack */
    emit("sc");
    emit("li 3,8"); /* SIGFPE */
    emit("lis 4,fpe_action@ha");
    emit("addi 4,4,fpe_action@l");
    emit("li 5,0");
    emit("li 6,8");
    emit("li 0,173"); /* rt_sigaction */
    emit("sc");
    emit("lis 31,scratch@ha");
    emit("addi 31,31,scratch@l");
    emit("b S0");
    /* the handler: record the faulting NIP, resume at the sequence's landing */
    puts("fpe_handler:");
    emit("lis 6,scratch@ha");
    emit("addi 6,6,scratch@l");
    emit("lwz 7,48(5)");  /* ucontext.uc_regs -> mcontext */
    emit("lwz 8,128(7)"); /* gregs[PT_NIP] */
    emit("stw 8,%d(6)", FAULT_PC);
    emit("lwz 8,%d(6)", CUR_LAND);
    emit("stw 8,128(7)");
    emit("blr");
    /* load_state(r3 = init block) */
    puts("load_state:");
    emit("lfd 0,%d(3)", I_FPSCR);
    emit("mtfsf 255,0");
    emit("lwz 4,%d(3)", I_CR);
    emit("mtcrf 255,4");
    emit("lwz 4,%d(3)", I_XER);
    emit("mtxer 4");
    emit("li 4,%d", MEMSZ / 4);
    emit("mtctr 4");
    emit("addi 4,3,%d", I_MEM - 4);
    emit("addi 5,31,-4");
    puts("1:");
    emit("lwzu 6,4(4)");
    emit("stwu 6,4(5)");
    emit("bdnz 1b");
    emit("lwz 4,%d(3)", I_CTR);
    emit("mtctr 4");
    for (int f = 0; f < 32; f++)
        emit("lfd %d,%d(3)", f, I_FPR + 8 * f);
    for (int r = 0; r < 31; r++)
        if (r != 3) emit("lwz %d,%d(3)", r, I_GPR + 4 * r);
    emit("lwz 3,%d(3)", I_GPR + 12);
    emit("blr");
    /* save_state: r0 and LR already stored by the sequence's epilogue */
    puts("save_state:");
    for (int r = 1; r < 32; r++)
        emit("stw %d,%d(31)", r, -RECOFF + R_GPR + 4 * r);
    for (int f = 0; f < 32; f++)
        emit("stfd %d,%d(31)", f, -RECOFF + R_FPR + 8 * f);
    emit("mfcr 3");
    emit("stw 3,%d(31)", -RECOFF + R_CR);
    emit("mfxer 3");
    emit("stw 3,%d(31)", -RECOFF + R_XER);
    emit("mfctr 3");
    emit("stw 3,%d(31)", -RECOFF + R_CTR);
    emit("lwz 3,%d(31)", FAULT_PC);
    emit("stw 3,%d(31)", -RECOFF + R_FAULT);
    emit("mffs 0");
    emit("stfd 0,%d(31)", -32);
    emit("lwz 3,%d(31)", -28);
    emit("stw 3,%d(31)", -RECOFF + R_FPSCR);
    emit("li 3,%d", MEMSZ / 4);
    emit("mtctr 3");
    emit("addi 4,31,-4");
    emit("addi 5,31,%d", -RECOFF + R_MEM - 4);
    puts("1:");
    emit("lwzu 6,4(4)");
    emit("stwu 6,4(5)");
    emit("bdnz 1b");
    emit("addi 4,31,-16");
    emit("stwcx. 4,0,4"); /* drop any reservation left by the sequence */
    emit("li 0,4");
    emit("li 3,1");
    emit("addi 4,31,%d", -RECOFF);
    emit("li 5,%d", REC);
    emit("sc");
    emit("blr");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: gen_ppc SEED COUNT\n");
        return 2;
    }
    unsigned long seed = strtoul(argv[1], NULL, 0), count = strtoul(argv[2], NULL, 0);
    rng = seed * 0x9E3779B97F4A7C15ull + 0x1234567;
    char *data = NULL;
    size_t data_len = 0;
    FILE *dout = open_memstream(&data, &data_len);
    if (!dout) return 2;
    emit_runtime();
    for (seq = 0; seq < count; seq++) {
        traps = chance(25);
        emit_init(dout, seq);
        printf("S%u:\n", seq);
        emit("lis 3,F%u@ha", seq);
        emit("addi 3,3,F%u@l", seq);
        emit("stw 3,%d(31)", CUR_LAND);
        emit("li 3,0");
        emit("stw 3,%d(31)", FAULT_PC);
        emit("lis 3,I%u@ha", seq);
        emit("addi 3,3,I%u@l", seq);
        emit("bl load_state");
        for (int f = 0; f < 32; f++)
            fsingle[f] = false;
        unsigned n = 4 + below(12);
        for (unsigned k = 0; k < n; k++)
            gen_insn();
        printf("F%u:\n", seq);
        emit("stw 0,%d(31)", -RECOFF + R_GPR);
        emit("mflr 0");
        emit("stw 0,%d(31)", -RECOFF + R_LR);
        emit("bl save_state");
        printf("E%u:\n", seq);
    }
    emit("li 0,1");
    emit("li 3,0");
    emit("sc");
    puts("\t.data\n\t.balign 8");
    fclose(dout);
    fwrite(data, 1, data_len, stdout);
    free(data);
    printf("\t.balign 4\naltstack_desc:\n\t.long altstack, 0, 65536\n");
    printf("fpe_action:\n\t.long fpe_handler, 0x08000004, 0, 0, 0\n"); /* SA_ONSTACK|SA_SIGINFO */
    printf("\t.balign 32\nrecord:\n\t.space %d\nscratch:\n\t.space %d\n", RECOFF, MEMSZ + 64);
    printf("\t.balign 16\naltstack:\n\t.space 65536\n");
    return 0;
}
