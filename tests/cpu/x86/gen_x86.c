/* Random i386 instruction-sequence generator for the x86 core test: writes one assembly file
 * (GNU as, --32) holding N sequences plus a tiny freestanding runtime. The same program runs
 * natively (an i386 static ELF) and under the Vitrine core (tests/cpu/x86/x86_harness.c); both
 * write their result records to stdout and the harness compares them. Flags an instruction
 * leaves undefined (Intel SDM vol. 1 appendix A) are masked in the records.
 * Usage: gen_x86 SEED COUNT > out.s */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../xorshift.h"

enum { CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, OF = 2048, ARITH = CF | PF | AF | ZF | SF | OF };
enum { C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000 };
#define REC 288 /* bytes per result record */
#define MEM 160 /* offset of the 64-byte scratch memory inside a record */
#define INREGS 224

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

static uint32_t rand_val(void) {
    static const uint32_t special[] = {0,       1,    2,    0xFFFFFFFF, 0x80000000, 0x7FFFFFFF,
                                       0x7F,    0x80, 0xFF, 0x7FFF,     0x8000,     0xFFFF,
                                       0x10000, 0x99, 0x09, 0x0F};
    switch (below(6)) {
    case 0:
        return special[below(16)];
    case 1:
        return below(256);
    case 2:
        return (uint32_t)(int32_t)(int8_t)rnd();
    default:
        return rnd() ^ (rnd() << 16);
    }
}

/* --- per-sequence state --- */
static unsigned seq;        /* current sequence number */
static uint32_t undef;      /* arithmetic flags currently undefined */
static uint32_t fault_mask; /* AND of the defined-flag masks at each possible #DE */
static bool may_fault;
static uint16_t cundef;     /* x87 condition codes currently undefined */
static bool fp_unmasked;    /* some x87 exceptions unmasked: #MF may end the sequence early */
static uint16_t cundef_any; /* condition codes undefined at any point an #MF could occur */
static int fdepth;          /* x87 stack depth */

static const char *const r32[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
static const char *const r16[] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
static const char *const r8[] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char sfx[] = {0, 'b', 'w', 0, 'l'};

static unsigned rsize(void) {
    unsigned s[] = {1, 2, 4, 4};
    return s[below(4)];
}
static const char *reg(unsigned size, unsigned n) {
    return size == 1 ? r8[n] : size == 2 ? r16[n] : r32[n];
}
/* a general register that is not ESP */
static unsigned greg(unsigned size) {
    for (;;) {
        unsigned n = below(8);
        if (size == 1 || n != 4) return n;
    }
}
static void mem(char *buf, unsigned size) {
    unsigned off = below(64 / size) * size;
    if (chance(20)) off = below(64 - size + 1); /* unaligned */
    sprintf(buf, "R%u+%u", seq, MEM + off);
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
static void flags_written(uint32_t defined, uint32_t undefined) {
    undef = (undef & ~(defined | undefined)) | undefined;
}

/* Makes every arithmetic flag defined again (before an instruction that reads them). */
static void define_flags(void) {
    if (!undef) return;
    unsigned s = rsize();
    emit("cmp%c %%%s, %%%s", sfx[s], reg(s, greg(s)), reg(s, greg(s)));
    undef = 0;
}

static uint32_t imm_of(unsigned s) {
    return rand_val() & (s == 4 ? 0xFFFFFFFFu : (1u << (8 * s)) - 1);
}

static void src_dst(unsigned s, char *src, char *dst, bool allow_imm, bool allow_mem) {
    unsigned form = below(allow_mem ? 5 : 2);
    if (form == 1 && !allow_imm) form = 0;
    switch (form) {
    case 0:
        sprintf(src, "%%%s", reg(s, greg(s)));
        sprintf(dst, "%%%s", reg(s, greg(s)));
        break;
    case 1:
        sprintf(src, "$%" PRIu32, imm_of(s));
        sprintf(dst, "%%%s", reg(s, greg(s)));
        break;
    case 2:
        mem(src, s);
        sprintf(dst, "%%%s", reg(s, greg(s)));
        break;
    case 3:
        sprintf(src, "%%%s", reg(s, greg(s)));
        mem(dst, s);
        break;
    default:
        if (allow_imm)
            sprintf(src, "$%" PRIu32, imm_of(s));
        else
            sprintf(src, "%%%s", reg(s, greg(s)));
        mem(dst, s);
        break;
    }
}

static void g_alu(void) {
    static const char *const ops[] = {"add", "or",  "adc", "sbb", "and",
                                      "sub", "xor", "cmp", "test"};
    unsigned op = below(9), s = rsize();
    if (op == 2 || op == 3) define_flags();
    char a[48], b[48];
    src_dst(s, a, b, true, true);
    if (op == 8 && a[0] != '$' && a[0] != '%') { /* test mem,reg is spelled reg,mem */
        char t[48];
        strcpy(t, a);
        strcpy(a, b);
        strcpy(b, t);
    }
    emit("%s%c %s, %s", ops[op], sfx[s], a, b);
    bool logic = op == 1 || op == 4 || op == 6 || op == 8;
    flags_written(ARITH & ~(logic ? AF : 0), logic ? AF : 0);
}

static void g_unary(void) {
    static const char *const ops[] = {"inc", "dec", "neg", "not"};
    unsigned op = below(4), s = rsize();
    char d[48];
    if (chance(50))
        mem(d, s);
    else
        sprintf(d, "%%%s", reg(s, greg(s)));
    emit("%s%c %s", ops[op], sfx[s], d);
    if (op < 2)
        flags_written(ARITH & ~CF, 0);
    else if (op == 2)
        flags_written(ARITH, 0);
}

static void g_shift(void) {
    static const char *const ops[] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sar"};
    unsigned op = below(7), s = rsize(), cnt = below(34);
    if (op == 2 || op == 3) define_flags();
    char d[48];
    if (chance(40))
        mem(d, s);
    else
        sprintf(d, "%%%s", reg(s, s == 1 ? (below(2) ? 0 : 2 + below(6)) : greg(s)));
    bool use_cl = chance(50);
    if (use_cl) {
        if (strstr(d, "cl") || strstr(d, "cx") || strstr(d, "ch")) use_cl = false;
    }
    if (use_cl) emit("movb $%u, %%cl", cnt);
    if (use_cl)
        emit("%s%c %%cl, %s", ops[op], sfx[s], d);
    else if (cnt == 1 && chance(50))
        emit("%s%c %s", ops[op], sfx[s], d);
    else
        emit("%s%c $%u, %s", ops[op], sfx[s], cnt, d);
    unsigned m = cnt & 31, bits = 8 * s;
    if (m == 0) return;
    if (op < 4) { /* rotates: CF and OF only */
        unsigned eff = op >= 2 ? (s == 4 ? m : m % (bits + 1)) : m;
        if (op >= 2 && eff == 0) {
            flags_written(0, m == 1 ? 0 : OF);
            return;
        }
        flags_written(CF | (m == 1 ? OF : 0), m == 1 ? 0 : OF);
        return;
    }
    uint32_t u = AF | (m != 1 ? OF : 0) | (m >= bits && op != 6 ? CF : 0);
    flags_written(ARITH & ~u, u);
}

static void g_shd(void) {
    unsigned s = below(2) ? 2 : 4, cnt = below(s == 2 ? 17 : 34);
    bool left = below(2), use_cl = chance(50);
    unsigned src = greg(s);
    char d[48];
    if (chance(40))
        mem(d, s);
    else
        sprintf(d, "%%%s", reg(s, greg(s)));
    if (use_cl && (src == 1 || strstr(d, "cx"))) use_cl = false;
    if (use_cl) {
        emit("movb $%u, %%cl", cnt);
        emit("sh%sd%c %%cl, %%%s, %s", left ? "l" : "r", sfx[s], reg(s, src), d);
    } else {
        emit("sh%sd%c $%u, %%%s, %s", left ? "l" : "r", sfx[s], cnt, reg(s, src), d);
    }
    unsigned m = cnt & 31;
    if (m == 0) return;
    uint32_t u = AF | (m != 1 ? OF : 0);
    flags_written(ARITH & ~u, u);
}

static void g_mul(void) {
    unsigned s = rsize(), kind = below(4);
    char src[48];
    if (chance(40))
        mem(src, s);
    else
        sprintf(src, "%%%s", reg(s, greg(s)));
    if (kind < 2) {
        emit("%s%c %s", kind ? "imul" : "mul", sfx[s], src);
    } else if (s == 1) {
        emit("imulb %s", src);
    } else if (kind == 2) {
        emit("imul%c %s, %%%s", sfx[s], src, reg(s, greg(s)));
    } else {
        emit("imul%c $%d, %s, %%%s", sfx[s], (int)(chance(50) ? (int8_t)rnd() : (int16_t)rnd()),
             src, reg(s, greg(s)));
    }
    flags_written(CF | OF, SF | ZF | AF | PF);
}

static void g_div(void) {
    unsigned s = rsize();
    bool sgn = below(2);
    /* pick a divisor register other than the accumulator pair, usually non-zero */
    unsigned d;
    do
        d = greg(s);
    while (d == 0 || d == 2 || (s == 1 && d == 4));
    uint32_t dv = rand_val();
    if (chance(85) && (dv & ((s == 4) ? 0xFFFFFFFFu : (1u << (8 * s)) - 1)) == 0) dv |= 3;
    emit("mov%c $%" PRIu32 ", %%%s", sfx[s], dv & (s == 4 ? 0xFFFFFFFFu : (1u << (8 * s)) - 1),
         reg(s, d));
    if (chance(70)) { /* keep the high half small so the quotient usually fits */
        if (s == 1)
            emit("movb $%u, %%ah", below(4));
        else
            emit("mov%c $%u, %%%s", sfx[s], below(3), reg(s, 2));
        if (sgn && chance(50)) {
            if (s == 1)
                emit("cbtw");
            else if (s == 2)
                emit("cwtd");
            else
                emit("cltd");
        }
    }
    may_fault = true;
    fault_mask &= ~undef & ARITH;
    emit("%s%c %%%s", sgn ? "idiv" : "div", sfx[s], reg(s, d));
    flags_written(0, ARITH);
}

static void g_bcd(void) {
    unsigned k = below(6);
    if (chance(50)) emit("movb $%u, %%al", below(256));
    if (k <= 3) define_flags();
    static const char *const ops[] = {"daa", "das", "aaa", "aas"};
    if (k < 4) {
        emit("%s", ops[k]);
        if (k < 2)
            flags_written(ARITH & ~OF, OF);
        else
            flags_written(CF | AF, OF | SF | ZF | PF);
    } else if (k == 4) {
        unsigned b = chance(90) ? 1 + below(255) : 0;
        if (b == 0) {
            may_fault = true;
            fault_mask &= ~undef & ARITH;
        }
        emit(".byte 0xd4, %u", b); /* aam imm8 */
        flags_written(SF | ZF | PF, OF | AF | CF);
    } else {
        emit(".byte 0xd5, %u", below(256)); /* aad imm8 */
        flags_written(SF | ZF | PF, OF | AF | CF);
    }
}

static void g_string(void) {
    static const char *const ops[] = {"movs", "stos", "lods", "cmps", "scas"};
    unsigned op = below(5), s = below(3) == 0 ? 1 : below(2) ? 2 : 4, n = below(7);
    int rep = below(3); /* 0 none 1 rep/repe 2 repne */
    if (op < 3 && rep == 2) rep = 1;
    emit("movl $R%u+%u, %%esi", seq, MEM + 24 + below(16));
    emit("movl $R%u+%u, %%edi", seq, MEM + 24 + below(16));
    emit("movl $%u, %%ecx", n);
    emit(chance(50) ? "std" : "cld");
    emit("%s%s%c",
         rep == 0   ? ""
         : rep == 1 ? (op >= 3 ? "repe " : "rep ")
                    : "repne ",
         ops[op], sfx[s]);
    if (op >= 3 && (rep == 0 || n > 0)) flags_written(ARITH, 0);
    emit("cld");
}

static void g_cond(void) {
    define_flags();
    unsigned cc = below(16), s = below(2) ? 2 : 4;
    static const char *const ccs[] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                      "s", "ns", "p", "np", "l", "ge", "le", "g"};
    char src[48];
    switch (below(3)) {
    case 0:
        if (chance(40))
            mem(src, s);
        else
            sprintf(src, "%%%s", reg(s, greg(s)));
        emit("cmov%s%c %s, %%%s", ccs[cc], sfx[s], src, reg(s, greg(s)));
        break;
    case 1:
        if (chance(40))
            mem(src, 1);
        else
            sprintf(src, "%%%s", r8[below(8)]);
        emit("set%s %s", ccs[cc], src);
        break;
    default: /* a forward conditional branch over a register update */
        emit("j%s 1f", ccs[cc]);
        emit("xorl $%" PRIu32 ", %%%s", rand_val(), r32[greg(4)]);
        printf("1:\n");
        flags_written(0, ARITH); /* the xor may or may not have run: treat as unknown */
        emit("cmpl %%eax, %%ebx");
        flags_written(ARITH, 0);
        break;
    }
}

static void g_bits(void) {
    unsigned s = below(2) ? 2 : 4, k = below(4);
    static const char *const ops[] = {"bt", "bts", "btr", "btc"};
    char d[48];
    switch (below(4)) {
    case 0: /* register offset, register operand */
        emit("%s%c %%%s, %%%s", ops[k], sfx[s], reg(s, greg(s)), reg(s, greg(s)));
        flags_written(CF, OF | SF | AF | PF);
        break;
    case 1: { /* immediate offset */
        if (chance(50))
            mem(d, s);
        else
            sprintf(d, "%%%s", reg(s, greg(s)));
        emit("%s%c $%u, %s", ops[k], sfx[s], below(256), d);
        flags_written(CF, OF | SF | AF | PF);
        break;
    }
    case 2: { /* register offset into memory: keep it within the scratch area */
        unsigned r = greg(s);
        int32_t off = (int32_t)below(384) - 128;
        emit("mov%c $%d, %%%s", sfx[s], off, reg(s, r));
        emit("%s%c %%%s, R%u+%u", ops[k], sfx[s], reg(s, r), seq, MEM + 16);
        flags_written(CF, OF | SF | AF | PF);
        break;
    }
    default: { /* bsf/bsr from a non-zero source */
        unsigned r = greg(s);
        uint32_t v = rand_val();
        if ((v & (s == 2 ? 0xFFFF : 0xFFFFFFFF)) == 0) v |= 1u << below(8 * s);
        emit("mov%c $%" PRIu32 ", %%%s", sfx[s], v & (s == 2 ? 0xFFFF : 0xFFFFFFFF), reg(s, r));
        emit("bs%c%c %%%s, %%%s", below(2) ? 'f' : 'r', sfx[s], reg(s, r), reg(s, greg(s)));
        flags_written(ZF, CF | OF | SF | AF | PF);
        break;
    }
    }
}

static void g_misc(void) {
    unsigned s = rsize();
    char a[48];
    switch (below(12)) {
    case 0:
        emit("bswap %%%s", r32[greg(4)]);
        break;
    case 1: {
        if (chance(50))
            mem(a, s);
        else
            sprintf(a, "%%%s", reg(s, greg(s)));
        emit("xadd%c %%%s, %s", sfx[s], reg(s, greg(s)), a);
        flags_written(ARITH, 0);
        break;
    }
    case 2: {
        if (chance(50))
            mem(a, s);
        else
            sprintf(a, "%%%s", reg(s, greg(s)));
        if (chance(50)) emit("mov%c %s, %%%s", sfx[s], a, reg(s, 0)); /* make equality likely */
        emit("cmpxchg%c %%%s, %s", sfx[s], reg(s, greg(s)), a);
        flags_written(ARITH, 0);
        break;
    }
    case 3:
        if (chance(50))
            emit("movl R%u+%u, %%eax", seq, MEM + 8), emit("movl R%u+%u, %%edx", seq, MEM + 12);
        emit("cmpxchg8b R%u+%u", seq, MEM + 8);
        flags_written(ZF, 0);
        break;
    case 4: {
        unsigned ss = below(2) ? 1 : 2, ds = ss == 1 ? (below(2) ? 2 : 4) : 4;
        if (chance(40))
            mem(a, ss);
        else
            sprintf(a, "%%%s", reg(ss, greg(ss)));
        emit("mov%c%c%c %s, %%%s", below(2) ? 's' : 'z', sfx[ss], sfx[ds], a, reg(ds, greg(ds)));
        break;
    }
    case 5: {
        if (chance(50))
            mem(a, s);
        else
            sprintf(a, "%%%s", reg(s, greg(s)));
        emit("xchg%c %%%s, %s", sfx[s], reg(s, greg(s)), a);
        break;
    }
    case 6: {
        static const char *const o[] = {"cbtw", "cwtl", "cwtd", "cltd"};
        emit("%s", o[below(4)]);
        break;
    }
    case 7:
        define_flags();
        emit("lahf");
        break;
    case 8:
        emit("sahf");
        flags_written(CF | PF | AF | ZF | SF, 0);
        break;
    case 9:
        emit(below(3) == 0 ? "clc" : below(2) ? "stc" : "cmc");
        if (undef & CF) flags_written(0, CF);
        break;
    case 10:
        if (chance(20)) { /* multi-byte and hint NOPs (0F 19-1F) never touch memory */
            static const unsigned rms[] = {0, 1, 2, 3, 5, 6, 7};
            emit(".byte %s0x0f, 0x%x, 0x%x, 0x00, 0x00, 0x00, 0x80", chance(50) ? "0x66, " : "",
                 0x19 + below(7), 0x80 | (below(8) << 3) | rms[below(7)]);
            break;
        }
        emit("leal %d(%%%s,%%%s,%u), %%%s", (int)(int16_t)rnd(), r32[greg(4)], r32[greg(4)],
             1u << below(4), r32[greg(4)]);
        break;
    default: {
        char b[48];
        src_dst(s, a, b, true, true);
        emit("mov%c %s, %s", sfx[s], a, b);
        break;
    }
    }
}

/* Balanced stack traffic, loops, XLAT and 16-bit address arithmetic. */
static void g_stack(void) {
    char m[48];
    switch (below(8)) {
    case 0: {
        unsigned s = below(3) ? 4 : 2;
        switch (below(3)) {
        case 0:
            emit("push%c $%d", sfx[s], (int)(int16_t)rnd());
            break;
        case 1:
            mem(m, s);
            emit("push%c %s", sfx[s], m);
            break;
        default:
            emit("push%c %%%s", sfx[s], reg(s, greg(s)));
            break;
        }
        if (chance(50)) {
            mem(m, s);
            emit("pop%c %s", sfx[s], m);
        } else
            emit("pop%c %%%s", sfx[s], reg(s, greg(s)));
        break;
    }
    case 1:
        emit("pushal");
        emit("xorl $%u, %%ebx", rnd());
        emit("popal");
        break;
    case 2:
        emit("enter $%u, $0", below(64) * 4);
        emit("movl %%ebp, %%eax");
        emit("subl %%esp, %%eax");
        emit("leave");
        flags_written(ARITH, 0);
        break;
    case 3:
        emit("pushl $%u", (rnd() & (CF | PF | AF | ZF | SF | OF | 0x400)) | 0x202);
        emit("popfl");
        flags_written(ARITH, 0);
        break;
    case 4:
        emit("movl $R%u+%u, %%ebx", seq, MEM);
        emit("movb $%u, %%al", below(64));
        emit("xlatb");
        break;
    case 5: {
        emit("movl $%u, %%ecx", 1 + below(5));
        printf("1:\n");
        emit("addl $%u, %%%s", rnd(), r32[below(2) ? 0 : 2]);
        static const char *const lp[] = {"loop", "loope", "loopne"};
        unsigned k = below(3);
        if (k) define_flags();
        emit("%s 1b", lp[k]);
        flags_written(ARITH, 0);
        break;
    }
    case 6:
        emit("jecxz 1f");
        emit("notl %%edx");
        printf("1:\n");
        break;
    default: {
        static const char *const m16[] = {"%bx,%si", "%bx,%di", "%bp,%si", "%bp,%di",
                                          "%si",     "%di",     "%bx"};
        unsigned s = below(2) ? 2 : 4;
        emit("addr16 lea%c %d(%s), %%%s", sfx[s], (int)(int16_t)rnd(), m16[below(7)],
             reg(s, greg(s)));
        break;
    }
    }
}

/* ---- x87 ---- */
static void x87_operand_pool(void) {
    /* the scratch memory starts with random doubles/floats/ints written by the record data */
}

static void fpush_mem(void) {
    char m[48];
    switch (below(6)) {
    case 0:
        sprintf(m, "R%u+%u", seq, MEM + 8 * below(8));
        emit("fldl %s", m);
        break;
    case 1:
        sprintf(m, "R%u+%u", seq, MEM + 4 * below(16));
        emit("flds %s", m);
        break;
    case 2:
        sprintf(m, "R%u+%u", seq, MEM + 4 * below(16));
        emit("fildl %s", m);
        break;
    case 3:
        sprintf(m, "R%u+%u", seq, MEM + 2 * below(32));
        emit("filds %s", m);
        break;
    case 4:
        sprintf(m, "R%u+%u", seq, MEM + 8 * below(7));
        emit(chance(70) ? "fildll %s" : "fldt %s", m);
        break;
    default: {
        static const char *const k[] = {"fld1",   "fldl2t", "fldl2e", "fldpi",
                                        "fldlg2", "fldln2", "fldz"};
        emit("%s", k[below(7)]);
        break;
    }
    }
    fdepth++;
    cundef |= C0 | C2 | C3;
}

static void g_x87(void) {
    static const unsigned rcs[] = {0, 1, 2, 3};
    unsigned cw = 0x3F |
                  (below(2) ? 0x300
                            : (below(3) == 0 ? 0x200
                               : below(2)    ? 0
                                             : 0x300)) |
                  rcs[below(4)] << 10 | 0x40;
    if (chance(25)) {
        /* unmask some of invalid, denormal, zero-divide, precision (overflow and underflow stay
           masked: their unmasked register response adds an exponent bias we do not model) */
        static const unsigned bits[] = {0x1, 0x2, 0x4, 0x20};
        unsigned m = 0;
        while (!m)
            for (int k = 0; k < 4; k++)
                if (chance(40)) m |= bits[k];
        cw &= ~m;
        fp_unmasked = true;
        may_fault = true;
    }
    emit("movw $%u, R%u+%u", cw, seq, MEM + 62);
    emit("fldcw R%u+%u", seq, MEM + 62);
    int n = 1 + (int)below(3);
    for (int k = 0; k < n; k++)
        fpush_mem();
    int ops = 1 + (int)below(4);
    for (int k = 0; k < ops; k++) {
        char m[48];
        unsigned kind = below(16);
        if (fp_unmasked) {
            fault_mask &= ~undef & ARITH;
            cundef_any |= cundef;
        }
        while (fdepth < 2)
            fpush_mem();
        if (fdepth >= 7) {
            emit("fstp %%st(0)");
            fdepth--;
        }
        static const char *const ar[] = {"fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr"};
        switch (kind) {
        case 0: { /* st(0) op st(i) / st(i) op st(0) / popping forms */
            unsigned i = 1 + below((unsigned)fdepth - 1), o = below(6);
            int f = (int)below(3);
            if (f == 0)
                emit("%s %%st(%u), %%st", ar[o], i);
            else if (f == 1)
                emit(".byte 0xdc, %u",
                     0xC0 + 8 * (o < 2 ? o : o + 2) + i); /* st(i) = st(i) op st0 */
            else {
                emit(".byte 0xde, %u", 0xC0 + 8 * (o < 2 ? o : o + 2) + i);
                fdepth--;
            }
            cundef |= C0 | C2 | C3;
            break;
        }
        case 1: {
            unsigned o = below(6), f = below(4);
            if (f == 0)
                sprintf(m, "R%u+%u", seq, MEM + 8 * below(8)), emit("%sl %s", ar[o], m);
            else if (f == 1)
                sprintf(m, "R%u+%u", seq, MEM + 4 * below(16)), emit("%ss %s", ar[o], m);
            else if (f == 2)
                sprintf(m, "R%u+%u", seq, MEM + 4 * below(16)), emit("fi%sl %s", ar[o] + 1, m);
            else
                sprintf(m, "R%u+%u", seq, MEM + 2 * below(32)), emit("fi%ss %s", ar[o] + 1, m);
            cundef |= C0 | C2 | C3;
            break;
        }
        case 2: {
            static const char *const two[] = {"fpatan", "fyl2x", "fyl2xp1",
                                              "fscale", "fprem", "fprem1"};
            unsigned o = below(6);
            emit("%s", two[o]);
            if (o < 3) {
                fdepth--;
                cundef |= C0 | C2 | C3;
            } else if (o == 3)
                cundef |= C0 | C2 | C3;
            else
                cundef = 0;
            break;
        }
        case 3: {
            static const char *const one[] = {"fsqrt", "fsin", "fcos", "frndint", "f2xm1",
                                              "fabs",  "fchs", "fxam", "ftst"};
            unsigned o = below(9);
            emit("%s", one[o]);
            if (o >= 7)
                cundef = 0;
            else if (o == 1 || o == 2)
                cundef = C0 | C3; /* C2 = out of range */
            else
                cundef |= C0 | C2 | C3;
            break;
        }
        case 4: {
            static const char *const two[] = {"fptan", "fsincos", "fxtract"};
            unsigned o = below(3);
            emit("%s", two[o]);
            fdepth++; /* (fptan/fsincos out of range do not push: see below) */
            cundef = o < 2 ? C0 | C3 : C0 | C2 | C3;
            if (o < 2) {
                /* normalise the depth: if C2 was set nothing was pushed; push a 1 then */
                emit("fnstsw %%ax");
                emit("testw $0x400, %%ax");
                emit("jz 1f");
                emit("fld1");
                printf("1:\n");
                flags_written(SF | ZF | PF | CF | OF, AF); /* TEST: AF undefined */
            }
            break;
        }
        case 5: {
            unsigned i = 1 + below((unsigned)fdepth - 1 + 1) - 1;
            if (i == 0) i = 1;
            if ((int)i >= fdepth) i = (unsigned)fdepth - 1;
            if (i == 0) break;
            static const char *const cmp[] = {"fcom",  "fcomp",  "fucom",  "fucomp",
                                              "fcomi", "fucomi", "fcomip", "fucomip"};
            unsigned o = below(8);
            emit("%s %%st(%u)%s", cmp[o], i, o >= 4 ? ", %st" : "");
            if (o == 1 || o == 3 || o == 6 || o == 7) fdepth--;
            if (o >= 4) {
                flags_written(ZF | PF | CF | OF | SF | AF, 0);
                cundef |= 0;
            } else
                cundef = 0;
            if (o >= 4) cundef |= 0;
            break;
        }
        case 6: {
            if (fdepth < 2) break;
            define_flags();
            static const char *const fc[] = {"fcmovb",  "fcmove",  "fcmovbe",  "fcmovu",
                                             "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
            emit("%s %%st(%u), %%st", fc[below(8)], 1 + below((unsigned)fdepth - 1));
            break;
        }
        case 7: {
            unsigned f = below(9);
            static const char *const st[] = {"fstl",    "fsts",   "fistl", "fists", "fstpl",
                                             "fistpll", "fistpl", "fstpt", "fbstp"};
            unsigned sz[] = {8, 4, 4, 2, 8, 8, 4, 10, 10};
            if (f == 8) { /* packed BCD round trip: FBLD only ever sees valid digits */
                sprintf(m, "R%u+%u", seq, MEM + 40 + below(8));
                emit("fbstp %s", m);
                emit("fbld %s", m);
                cundef |= C0 | C2 | C3;
                break;
            }
            sprintf(m, "R%u+%u", seq, MEM + 32 + sz[f] * below(32 / sz[f]));
            emit("%s %s", st[f], m);
            if (f >= 4) fdepth--;
            cundef |= C0 | C2 | C3;
            (void)sz;
            break;
        }
        case 8: {
            unsigned i = below((unsigned)fdepth);
            if (below(2))
                emit("fxch %%st(%u)", i ? i : 1);
            else {
                emit("fld %%st(%u)", i);
                fdepth++;
            }
            cundef |= C0 | C2 | C3;
            break;
        }
        default:
            if (fdepth < 6) fpush_mem();
            break;
        }
    }
    if (fp_unmasked) {
        fault_mask &= ~undef & ARITH;
        cundef_any |= cundef;
        if (chance(50)) emit("fwait"); /* take a pending exception inside the sequence */
    }
}

/* ---- MMX ---- */
static void g_mmx(void) {
    static const char *const ops[] = {
        "paddb",     "paddw",    "paddd",     "psubb",     "psubw",     "psubd",     "paddsb",
        "paddsw",    "paddusb",  "paddusw",   "psubsb",    "psubsw",    "psubusb",   "psubusw",
        "pcmpeqb",   "pcmpeqw",  "pcmpeqd",   "pcmpgtb",   "pcmpgtw",   "pcmpgtd",   "pmullw",
        "pmulhw",    "pmaddwd",  "pand",      "pandn",     "por",       "pxor",      "packsswb",
        "packssdw",  "packuswb", "punpcklbw", "punpcklwd", "punpckldq", "punpckhbw", "punpckhwd",
        "punpckhdq", "psllw",    "pslld",     "psllq",     "psrlw",     "psrld",     "psrlq",
        "psraw",     "psrad"};
    for (int k = 0; k < 4; k++)
        emit("movq R%u+%u, %%mm%d", seq, MEM + 8 * below(8), k);
    emit("movd %%%s, %%mm4", r32[greg(4)]);
    int n = 2 + (int)below(5);
    for (int k = 0; k < n; k++) {
        unsigned o = below(44);
        if (o >= 36 && chance(40)) {
            static const char *const sh[] = {"psllw", "pslld", "psllq", "psrlw",
                                             "psrld", "psrlq", "psraw", "psrad"};
            emit("%s $%u, %%mm%u", sh[o - 36], below(70), below(5));
        } else if (chance(30)) {
            unsigned off = o >= 30 && o < 33 ? 4 * below(16) : 8 * below(8);
            emit("%s R%u+%u, %%mm%u", ops[o], seq, MEM + off, below(5));
        } else {
            emit("%s %%mm%u, %%mm%u", ops[o], below(5), below(5));
        }
    }
    emit("movq %%mm%u, R%u+%u", below(5), seq, MEM + 8 * below(8));
    emit("movd %%mm%u, %%%s", below(5), r32[greg(4)]);
    if (chance(50)) emit("emms");
}

static void gen_sequence(void) {
    undef = 0;
    fault_mask = ARITH;
    may_fault = false;
    cundef = C0 | C1 | C2 | C3;
    fp_unmasked = false;
    cundef_any = 0;
    fdepth = 0;
    printf("S%u:\n", seq);
    emit("movl $R%u, cur_rec", seq);
    emit("fninit");
    for (int k = 0; k < 8; k++)
        if (k != 4) emit("movl R%u+%u, %%%s", seq, INREGS + 4 * k, r32[k]);
    emit("pushl R%u+%u", seq, INREGS + 32);
    emit("popfl");
    unsigned kind = below(100);
    if (kind < 30) {
        int n = 1 + (int)below(6);
        for (int k = 0; k < n; k++) {
            switch (below(8)) {
            case 0:
            case 1:
                g_alu();
                break;
            case 2:
                g_unary();
                break;
            case 3:
                g_shift();
                break;
            case 4:
                g_mul();
                break;
            case 5:
                g_cond();
                break;
            case 6:
                g_bits();
                break;
            case 7:
                if (chance(30)) {
                    g_stack();
                    break;
                } /* fall through */
            default:
                g_misc();
                break;
            }
        }
    } else if (kind < 40) {
        g_shift();
        if (chance(50)) g_shd();
    } else if (kind < 48) {
        g_shd();
    } else if (kind < 58) {
        g_div();
        if (chance(30)) g_mul();
    } else if (kind < 63) {
        g_bcd();
        g_bcd();
    } else if (kind < 70) {
        g_string();
    } else if (kind < 75) {
        g_cond();
        g_bits();
    } else if (kind < 92) {
        g_x87();
    } else {
        g_mmx();
    }
    (void)x87_operand_pool;
    emit("call save");
    emit("ret");
    /* record: regs, flags, fault, masks, fsave, memory, inputs */
    printf("\t.data\n\t.balign 16\nR%u:\n", seq);
    printf("\t.fill 40,1,0\n");
    printf("\t.long %u, %u\n", (ARITH & ~undef) | 0x702u,
           may_fault ? (fault_mask | 0x702u) : 0x702u);
    printf("\t.long %u\n", 0xFFFFu & ~(unsigned)(cundef | (fp_unmasked ? cundef_any : 0)));
    printf("\t.fill 108,1,0\n");
    printf("\t.byte ");
    for (int k = 0; k < 64; k++) {
        uint32_t b = rnd() & 0xFF;
        /* seed some doubles/floats with sane exponents so the x87 sees normal values too */
        if ((k & 7) == 7 && chance(60)) b = 0x3F + below(3) + (chance(30) ? 0x80 : 0);
        printf("%u%s", b, k == 63 ? "\n" : ",");
    }
    printf("\t.long ");
    for (int k = 0; k < 8; k++)
        printf("%u,", rand_val());
    uint32_t fl = (rnd() & ARITH) | 0x202;
    printf("%u\n\t.fill %d,1,0\n\t.text\n", fl, REC - INREGS - 36);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: gen_x86 SEED COUNT\n");
        return 2;
    }
    rng = xorshift_seed(strtoull(argv[1], NULL, 0));
    unsigned count = (unsigned)strtoul(argv[2], NULL, 0);
    printf("# generated by tests/cpu/x86/gen_x86.c seed %s count %u\n", argv[1], count);
    printf("\t.text\n\t.globl _start\n");
    /* header read by the harness: entry jump, fault landing address, records, count */
    printf("_start: .byte 0xe9\n\t.long main - . - 4\n\t.balign 8\n\t.long fault_land, records, "
           "%u, %u\n",
           count, REC);
    printf("main:\n"
           "\tmovl $174, %%eax\n\tmovl $8, %%ebx\n\tmovl $sigact, %%ecx\n\txorl %%edx, %%edx\n"
           "\tmovl $8, %%esi\n\tint $0x80\n"
           "\tmovl $0, idx\n"
           "2:\tmovl idx, %%eax\n\tcmpl $%u, %%eax\n\tjae 3f\n"
           "\tcall *seqtab(,%%eax,4)\n\tincl idx\n\tjmp 2b\n"
           "3:\tmovl $4, %%eax\n\tmovl $1, %%ebx\n\tmovl $records, %%ecx\n\tmovl $%u, %%edx\n\tint "
           "$0x80\n"
           "\tmovl $1, %%eax\n\txorl %%ebx, %%ebx\n\tint $0x80\n",
           count, count * REC);
    /* SIGFPE handler: resume at fault_land with the faulting registers */
    printf("handler:\n\tmovl 12(%%esp), %%eax\n\tmovl $fault_land, 76(%%eax)\n\tret\n"
           "restorer:\n\tmovl $173, %%eax\n\tint $0x80\n");
    printf("fault_land:\n\tmovl $1, fault_hit\n\tcall save\n\tret\n");
    printf(
        "save:\n\tpushfl\n\tmovl %%eax, tmp_a\n\tmovl %%ecx, tmp_c\n\tmovl cur_rec, %%eax\n\tpopl "
        "%%ecx\n"
        "\tcmpl $0, fault_hit\n\tje 1f\n\tandl 44(%%eax), %%ecx\n\tmovl $1, 36(%%eax)\n"
        "\tmovl $0, fault_hit\n\tjmp 4f\n1:\tandl 40(%%eax), %%ecx\n4:\tmovl %%ecx, 32(%%eax)\n"
        "\tmovl tmp_a, %%ecx\n\tmovl %%ecx, 0(%%eax)\n\tmovl tmp_c, %%ecx\n\tmovl %%ecx, 4(%%eax)\n"
        "\tmovl %%edx, 8(%%eax)\n\tmovl %%ebx, 12(%%eax)\n\tmovl $0, 16(%%eax)\n\tmovl %%ebp, "
        "20(%%eax)\n"
        "\tmovl %%esi, 24(%%eax)\n\tmovl %%edi, 28(%%eax)\n"
        "\tfnsave 52(%%eax)\n"
        "\tmovl $0, 64(%%eax)\n\tmovl $0, 68(%%eax)\n\tmovl $0, 72(%%eax)\n\tmovl $0, 76(%%eax)\n"
        "\tmovw 48(%%eax), %%cx\n\tandw %%cx, 56(%%eax)\n\tcld\n\tret\n");
    for (seq = 0; seq < count; seq++)
        gen_sequence();
    printf("\t.data\n\t.balign 4\nseqtab:\n");
    for (unsigned k = 0; k < count; k++)
        printf("\t.long S%u\n", k);
    printf("sigact:\t.long handler, 0x44000004, restorer, 0, 0\n");
    printf("idx:\t.long 0\ncur_rec:\t.long 0\nfault_hit:\t.long 0\ntmp_a:\t.long 0\ntmp_c:\t.long "
           "0\n");
    printf("\t.balign 16\nrecords = R0\n");
    return 0;
}
