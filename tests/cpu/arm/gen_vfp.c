/* Random VFPv2 instruction sequences for the ARM1136 (host program): writes an ARM assembly
 * file whose function vfp_run_all() runs COUNT sequences. Each loads S0-S31 and the FPSCR
 * (rounding mode, FZ, DN, sometimes a short-vector LEN/STRIDE) from a table of interesting
 * values, runs 4-12 random instructions (arithmetic, multiply-accumulate, compares, FMSTAT,
 * conversions, register moves, loads/stores incl. multiples and the X forms, FPSCR rewrites)
 * and calls vfp_dump(n) (vfp_rand_main.c),
 * which prints the registers, FPSCR and NZCV. Usage: gen_vfp SEED COUNT > seq.S */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng;
static uint32_t rnd(void) { /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}
static unsigned pick(unsigned n) {
    return rnd() % n;
}

static const uint32_t special32[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000,
    0xffc00001, 0x7f800001, 0xff812345, 0x00000001, 0x807fffff, 0x00800000, 0x80800000,
    0x00800001, 0x007fffff, 0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x4f800000,
    0x3f000000, 0x3fc00000, 0x40490fdb, 0x34000000, 0x0c000000, 0x1f800000, 0x5f000000,
};
static const uint64_t special64[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0xfff8000000000123ull,
    0x7ff0000000000001ull, 0xfff4000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x8010000000000000ull, 0x0010000000000001ull, 0x7fefffffffffffffull,
    0x41dfffffffc00000ull, 0xc1e0000000000000ull, 0x41efffffffe00000ull, 0x3fe0000000000000ull,
    0x3ff8000000000000ull, 0x400921fb54442d18ull, 0x3cb0000000000000ull, 0x2000000000000000ull,
    0x5fe0000000000000ull, 0x380fffffe0000000ull, 0x3810000000000000ull, 0x47efffffe0000000ull,
};
#define NSPECIAL32 (sizeof special32 / sizeof special32[0])
#define NSPECIAL64 (sizeof special64 / sizeof special64[0])

/* A random single: special, random bits, or a value with a chosen exponent. */
static uint32_t val32(void) {
    switch (pick(4)) {
    case 0:
        return special32[pick(NSPECIAL32)];
    case 1:
        return rnd();
    default:
        return (rnd() & 0x807fffffu) | (uint32_t)(pick(2) ? 100 + pick(56) : pick(256)) << 23;
    }
}
static uint64_t val64(void) {
    switch (pick(4)) {
    case 0:
        return special64[pick(NSPECIAL64)];
    case 1:
        return (uint64_t)rnd() << 32 | rnd();
    default:
        return ((uint64_t)rnd() << 32 | rnd()) & 0x800fffffffffffffull |
               (uint64_t)(pick(2) ? 960 + pick(128) : pick(2048)) << 52;
    }
}

static unsigned len; /* the sequence's short-vector length (1 = scalar) */

/* Register numbers for a data-processing operand: scalar anywhere; in vector mode the
 * destination, first and second operands live in different banks (no overlap). */
static unsigned dreg(int dbl, unsigned role) {
    unsigned nregs = dbl ? 16 : 32, bank = dbl ? 4 : 8;
    if (len == 1) return pick(nregs);
    unsigned base = (role == 0 ? 1 : role == 1 ? 2 : (pick(2) ? 3 : 0)) * bank;
    return base + pick(bank);
}

static void sreg_field(char *buf, int dbl, unsigned r) {
    sprintf(buf, "%c%u", dbl ? 'd' : 's', r);
}

static void emit_insn(void) {
    static const char *const dp3[] = {"fmac",  "fnmac", "fmsc", "fnmsc", "fmul",
                                      "fnmul", "fadd",  "fsub", "fdiv"};
    static const char *const dp2[] = {"fcpy", "fabs", "fneg", "fsqrt"};
    static const char *const cmp[] = {"fcmp", "fcmpe"};
    static const char *const toi[] = {"ftoui", "ftouiz", "ftosi", "ftosiz"};
    int dbl = pick(2);
    char d[8], n[8], m[8];
    switch (pick(17)) {
    case 0 ... 5:
        if (len > 1) dbl = 0; /* see main: QEMU's double short vectors disagree */
        sreg_field(d, dbl, dreg(dbl, 0));
        sreg_field(n, dbl, dreg(dbl, 1));
        sreg_field(m, dbl, dreg(dbl, 2));
        printf("\t%s%c %s, %s, %s\n", dp3[pick(9)], dbl ? 'd' : 's', d, n, m);
        break;
    case 6 ... 7:
        if (len > 1) dbl = 0;
        sreg_field(d, dbl, dreg(dbl, 0));
        sreg_field(m, dbl, dreg(dbl, 2));
        printf("\t%s%c %s, %s\n", dp2[pick(4)], dbl ? 'd' : 's', d, m);
        break;
    case 8 ... 9:
        sreg_field(d, dbl, pick(dbl ? 16 : 32));
        sreg_field(m, dbl, pick(dbl ? 16 : 32));
        if (pick(3))
            printf("\t%s%c %s, %s\n", cmp[pick(2)], dbl ? 'd' : 's', d, m);
        else
            printf("\t%sz%c %s\n", cmp[pick(2)], dbl ? 'd' : 's', d);
        printf("\tfmstat\n");
        break;
    case 10:
        sreg_field(d, !dbl, pick(dbl ? 32 : 16));
        sreg_field(m, dbl, pick(dbl ? 16 : 32));
        printf("\tfcvt%s %s, %s\n", dbl ? "sd" : "ds", d, m);
        break;
    case 11:
        sreg_field(d, dbl, pick(dbl ? 16 : 32));
        printf("\tf%sito%c %s, s%u\n", pick(2) ? "s" : "u", dbl ? 'd' : 's', d, pick(32));
        break;
    case 12:
        sreg_field(m, dbl, pick(dbl ? 16 : 32));
        printf("\t%s%c s%u, %s\n", toi[pick(4)], dbl ? 'd' : 's', pick(32), m);
        break;
    case 13: /* through the core registers */
        printf("\tfmrs r2, s%u\n\tfmsr s%u, r2\n", pick(32), pick(32));
        printf("\tfmrrd r2, r3, d%u\n\tfmdrr d%u, r3, r2\n", pick(16), pick(16));
        break;
    case 14: /* a new rounding mode / FZ / DN mid-sequence (LEN and STRIDE kept) */
        printf("\tfmrx r2, fpscr\n\tbic r2, r2, #0x03c00000\n\torr r2, r2, #0x%08x\n"
               "\tfmxr fpscr, r2\n",
               pick(16) << 22);
        break;
    case 15: { /* memory: single/double loads and stores, multiples (IA, DB!, X) */
        unsigned a = pick(dbl ? 16 : 32), cnt = 2 + pick(dbl ? 3 : 7);
        if (a + cnt > (dbl ? 16u : 32u)) a = (dbl ? 16 : 32) - cnt;
        char c = dbl ? 'd' : 's';
        int off = ((int)pick(17) - 8) * 4;
        printf("\tldr r4, =scratch+256\n");
        switch (pick(4)) {
        case 0:
            printf("\tfst%c %c%u, [r4, #%d]\n\tfld%c %c%u, [r4, #%d]\n", c, c, a, off, c, c,
                   pick(dbl ? 16 : 32), off);
            break;
        case 1:
            printf("\tfstmia%c r4, {%c%u-%c%u}\n\tfldmia%c r4, {%c%u-%c%u}\n", c, c, a, c,
                   a + cnt - 1, dbl ? 's' : 's', 's', 0u, 's', cnt * (dbl ? 2 : 1) - 1);
            break;
        case 2:
            printf("\tfstmdb%c r4!, {%c%u-%c%u}\n\tfldmia%c r4!, {%c%u-%c%u}\n", c, c, a, c,
                   a + cnt - 1, c, c, (dbl ? 16 : 32) - cnt, c, (dbl ? 16 : 32) - 1);
            break;
        default:
            if (!pick(4)) { /* all 16: the kernel's context-switch form, 33 words */
                printf("\tfstmiax r4!, {d0-d15}\n\tfldmdbx r4!, {d0-d15}\n");
                break;
            }
            a = pick(16 - 4);
            printf("\tfstmiax r4!, {d%u-d%u}\n\tfldmdbx r4!, {d%u-d%u}\n", a, a + 3, (a + 5) % 12,
                   (a + 5) % 12 + 3);
            break;
        }
        break;
    }
    default: /* FPSCR readback of arbitrary bits (which ones stick), scalar mode only */
        if (len == 1)
            printf("\tldr r2, =0x%08x\n\tfmxr fpscr, r2\n\tfmrx r3, fpscr\n\tfmsr s%u, r3\n",
                   rnd() & 0xf3c09fff, pick(32));
        break;
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: gen_vfp SEED COUNT\n");
        return 2;
    }
    rng = strtoull(argv[1], NULL, 0) * 0x9e3779b97f4a7c15ull + 1;
    unsigned count = (unsigned)strtoul(argv[2], NULL, 0);
    printf("\t.arch armv6\n\t.fpu vfp\n\t.syntax divided\n\t.arm\n\t.data\n\t.align 3\n"
           "scratch:\n\t.space 512\n");
    for (unsigned i = 0; i < count; i++) {
        printf("init%u:\n", i);
        for (unsigned r = 0; r < 32; r += 2) {
            if (pick(2)) {
                uint64_t v = val64();
                printf("\t.word 0x%08" PRIx32 ", 0x%08" PRIx32 "\n", (uint32_t)v,
                       (uint32_t)(v >> 32));
            } else {
                printf("\t.word 0x%08" PRIx32 ", 0x%08" PRIx32 "\n", val32(), val32());
            }
        }
    }
    printf("\t.text\n\t.global vfp_run_all\nvfp_run_all:\n\tpush {r4, lr}\n");
    for (unsigned i = 0; i < count; i++) {
        len = 1;
        /* short vectors within a bank of 4 doubles; stride 1 only: QEMU 7.2 takes the
         * STRIDE field 0b11 as a stride of 4 where the ARM ARM (C2.6) says 2 (our unit test
         * test_arm_vfp covers stride 2) */
        if (!pick(5)) len = 2 + pick(3);
        uint32_t fpscr = pick(16) << 22 | (len - 1) << 16;
        printf("\tldr r0, =init%u\n\tfldmias r0, {s0-s31}\n\tldr r1, =0x%08x\n"
               "\tfmxr fpscr, r1\n\tmsr cpsr_f, #0\n",
               i, fpscr);
        for (unsigned k = 4 + pick(9); k; k--)
            emit_insn();
        printf("\tldr r0, =%u\n\tbl vfp_dump\n", i);
        if (i % 16 == 15) printf("\tb 1f\n\t.ltorg\n1:\n");
    }
    printf("\tpop {r4, pc}\n\t.ltorg\n");
    return 0;
}
